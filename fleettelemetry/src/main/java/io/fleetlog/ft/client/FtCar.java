package io.fleetlog.ft.client;

import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.ft.FtFormatException;
import io.fleetlog.ft.FtStream;
import io.fleetlog.ft.FtWriter;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A simulated Tesla car speaking Fleet Telemetry to a listener over mutual TLS: records are
 * submitted (each gets the next txid), sent oldest first with at most {@code window} waiting for an
 * ack, and kept until acked. A record not acked within {@code ackTimeout} (the listener dropped it
 * for the rate limit, or the reply was lost) is sent again under the same txid; when the connection
 * breaks ({@link #drop()}, the server went away) every unacked record is sent again after reconnect,
 * as a real car resends. After an error reply every unacked record is sent again, oldest first,
 * after a second.
 *
 * <p>One virtual thread per car runs the connection; {@link #submit} may be called from any thread.
 */
public final class FtCar implements AutoCloseable {

    /** Called on every ack, with the topic and the send-to-ack time. */
    public interface AckListener {
        void acked(String topic, long sendToAckNanos);
    }

    /** What the car did so far. */
    public record Stats(
            long submitted, long acked, long sends, long resends, long errors, long connects, long connectFailures) {}

    private static final class Rec {
        final String txid;
        final String topic;
        final byte[] message;
        int sentEpoch = -1;
        long sentNanos;
        int sends;

        Rec(String txid, String topic, byte[] message) {
            this.txid = txid;
            this.topic = topic;
            this.message = message;
        }
    }

    private final String vin;
    private final URI uri;
    private final HttpClient http;
    private final int window;
    private final long ackTimeoutNanos;
    private final AckListener ackListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, Rec> pending = new LinkedHashMap<>();
    private long nextTxid;
    private int epoch;
    private boolean connected;
    private boolean online = true;
    private boolean closed;
    private WebSocket socket;
    private long pauseUntilNanos = System.nanoTime();
    private Thread thread;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();

    /**
     * @param uri the listener, {@code wss://host:port/}
     * @param http a client with the car's TLS context (one client may serve many cars)
     */
    public FtCar(String vin, URI uri, HttpClient http, int window, Duration ackTimeout, AckListener ackListener) {
        if (window < 1) {
            throw new IllegalArgumentException("window " + window + " must be at least 1");
        }
        this.vin = vin;
        this.uri = uri;
        this.http = http;
        this.window = window;
        this.ackTimeoutNanos = ackTimeout.toNanos();
        this.ackListener = ackListener == null ? (t, n) -> {} : ackListener;
    }

    public String vin() {
        return vin;
    }

    /** Queues a record of {@code topic} with protobuf {@code payload}; returns its txid. */
    public String submit(String topic, byte[] payload, long createdAtMs) {
        lock.lock();
        try {
            String txid = vin + "-" + nextTxid++;
            FtStream s = new FtStream(
                    Math.max(0, createdAtMs / 1000),
                    ("vehicle_device." + vin).getBytes(StandardCharsets.UTF_8),
                    payload,
                    "vehicle_device".getBytes(StandardCharsets.UTF_8),
                    vin.getBytes(StandardCharsets.UTF_8),
                    System.currentTimeMillis());
            byte[] msg = FtWriter.stream(
                    txid.getBytes(StandardCharsets.UTF_8),
                    topic.getBytes(StandardCharsets.UTF_8),
                    txid.getBytes(StandardCharsets.UTF_8),
                    s);
            pending.put(txid, new Rec(txid, topic, msg));
            submitted.incrementAndGet();
            changed.signalAll();
            return txid;
        } finally {
            lock.unlock();
        }
    }

    public void start() {
        thread = Thread.ofVirtual().name("ft-car-" + vin).start(this::run);
    }

    /** Online: the car connects (and reconnects); offline (a dead zone): no connection at all. */
    public void online(boolean on) {
        WebSocket ws;
        lock.lock();
        try {
            online = on;
            ws = on ? null : socket;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (ws != null) {
            ws.abort();
        }
    }

    /** Breaks the current connection (as a lost link does); the car reconnects and resends. */
    public void drop() {
        WebSocket ws;
        lock.lock();
        try {
            ws = socket;
        } finally {
            lock.unlock();
        }
        if (ws != null) {
            ws.abort();
        }
    }

    /** Records submitted and not acked yet. */
    public int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every submitted record is acked; false on timeout. */
    public boolean awaitAcked(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        return new Stats(
                submitted.get(),
                acked.get(),
                sends.get(),
                resends.get(),
                errors.get(),
                connects.get(),
                connectFailures.get());
    }

    private void run() {
        long backoffMs = 100;
        while (true) {
            int myEpoch;
            lock.lock();
            try {
                while (!closed && !online) {
                    changed.await();
                }
                if (closed) {
                    return;
                }
                myEpoch = ++epoch;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            WebSocket ws;
            try {
                ws = http.newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(uri, new Listener(myEpoch))
                        .get(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                connectFailures.incrementAndGet();
                if (!pause(backoffMs)) {
                    return;
                }
                backoffMs = Math.min(5_000, backoffMs * 2);
                continue;
            }
            backoffMs = 100;
            connects.incrementAndGet();
            lock.lock();
            try {
                socket = ws;
                connected = true;
                if (!online || closed) {
                    connected = false;
                }
            } finally {
                lock.unlock();
            }
            try {
                sendLoop(ws, myEpoch);
            } catch (InterruptedException e) {
                ws.abort();
                return;
            }
            ws.abort();
            lock.lock();
            try {
                connected = false;
                socket = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Sends while the connection of {@code myEpoch} lives. */
    private void sendLoop(WebSocket ws, int myEpoch) throws InterruptedException {
        while (true) {
            Rec next;
            lock.lock();
            try {
                while (true) {
                    if (closed || !connected || epoch != myEpoch || !online) {
                        return;
                    }
                    next = nextToSend(myEpoch);
                    if (next != null) {
                        break;
                    }
                    changed.await(50, TimeUnit.MILLISECONDS);
                }
                if (next.sends > 0) {
                    resends.incrementAndGet();
                }
                next.sentEpoch = myEpoch;
                next.sentNanos = System.nanoTime();
                next.sends++;
            } finally {
                lock.unlock();
            }
            try {
                ws.sendBinary(ByteBuffer.wrap(next.message), true).get(15, TimeUnit.SECONDS);
                sends.incrementAndGet();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lock.lock();
                try {
                    next.sentEpoch = -1;
                    connected = false;
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    /**
     * Under the lock: the oldest record not waiting for its ack in this connection, or null (the
     * window is full, or the car pauses after an error reply). Sending strictly oldest first keeps
     * capture times in order at the listener, which stores nothing older than what it has.
     */
    private Rec nextToSend(int myEpoch) {
        long now = System.nanoTime();
        if (now - pauseUntilNanos < 0) {
            return null;
        }
        int inFlight = 0;
        for (Rec r : pending.values()) {
            if (r.sentEpoch == myEpoch && now - r.sentNanos < ackTimeoutNanos) {
                if (++inFlight >= window) {
                    return null;
                }
                continue;
            }
            return r;
        }
        return null;
    }

    private boolean pause(long ms) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            changed.await(ms, TimeUnit.MILLISECONDS);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void reply(byte[] bytes) {
        FtEnvelope env;
        try {
            env = FtEnvelope.parse(bytes);
        } catch (FtFormatException e) {
            errors.incrementAndGet();
            return;
        }
        long now = System.nanoTime();
        lock.lock();
        try {
            Rec r = pending.get(env.txidText());
            if (env.messageType() == FtEnvelope.TYPE_ACK) {
                if (r != null) {
                    pending.remove(r.txid);
                    acked.incrementAndGet();
                    ackListener.acked(r.topic, now - r.sentNanos);
                }
            } else {
                errors.incrementAndGet();
                // send everything unacked again, oldest first, after a second
                for (Rec p : pending.values()) {
                    p.sentEpoch = -1;
                }
                pauseUntilNanos = now + 1_000_000_000L;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final int myEpoch;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Listener(int myEpoch) {
            this.myEpoch = myEpoch;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                byte[] message = partial.toByteArray();
                partial.reset();
                reply(message);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            gone();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            gone();
        }

        private void gone() {
            lock.lock();
            try {
                if (epoch == myEpoch) {
                    connected = false;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        WebSocket ws;
        lock.lock();
        try {
            closed = true;
            ws = socket;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (ws != null) {
            ws.abort();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
