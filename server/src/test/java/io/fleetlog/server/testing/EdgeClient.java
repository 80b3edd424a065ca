package io.fleetlog.server.testing;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.v2.EncodedFrames;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.Gap;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.GapReason;
import io.fleetlog.wire.v2.Hello;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal edge for tests: a real WebSocket client (java.net.http) speaking fleetlog.v2 with its
 * own {@link FrameEncoder} over {@link #LAYOUT} (the built-in catalogue's seven signals that carry
 * the legacy fields) unless a Hello names another layout. Received envelopes queue up for {@link
 * #next}; the close code is kept.
 */
public final class EdgeClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket ws;
    private final BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    /** The built-in catalogue's legacy signals (ids of {@link io.fleetlog.sample.LegacyFrames}). */
    public static final FrameLayout LAYOUT = legacyLayout();

    private FrameEncoder encoder = new FrameEncoder(LAYOUT);
    /** The seq the next batch should start at (after Welcome and each batch), -1 before Welcome. */
    private volatile long expected = -1;

    private static FrameLayout legacyLayout() {
        java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
        for (io.fleetlog.sample.Field f : io.fleetlog.sample.Field.values()) {
            ids.add(io.fleetlog.sample.LegacyFrames.id(f));
        }
        return FrameLayout.of(
                Catalogue.builtin(), ids.stream().mapToInt(Integer::intValue).toArray());
    }

    private EdgeClient(String baseUrl, HttpClient http) throws Exception {
        this.ws = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/ingest"), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    public static EdgeClient connect(String baseUrl) throws Exception {
        return new EdgeClient(baseUrl, HTTP);
    }

    /** Connects through {@code http} (e.g. one with a TLS context: {@code https} → {@code wss}). */
    public static EdgeClient connect(String baseUrl, HttpClient http) throws Exception {
        return new EdgeClient(baseUrl, http);
    }

    /** Connects and says Hello; returns the client (check {@link #next} for Welcome or Reject). */
    public static EdgeClient hello(String baseUrl, String vin, String token) throws Exception {
        return hello(baseUrl, HTTP, vin, token);
    }

    /** {@link #hello(String, String, String)} through {@code http}. */
    public static EdgeClient hello(String baseUrl, HttpClient http, String vin, String token) throws Exception {
        return hello(baseUrl, http, vin, token, LAYOUT);
    }

    /** As {@link #hello(String, String, String)}, with frames over {@code layout} (and its catalogue). */
    public static EdgeClient hello(String baseUrl, String vin, String token, FrameLayout layout) throws Exception {
        return hello(baseUrl, HTTP, vin, token, layout);
    }

    private static EdgeClient hello(String baseUrl, HttpClient http, String vin, String token, FrameLayout layout)
            throws Exception {
        EdgeClient c = connect(baseUrl, http);
        c.encoder = new FrameEncoder(layout);
        c.send(Envelope.newBuilder().setHello(hello(vin, token, layout)).build());
        return c;
    }

    /** The Hello this client sends. */
    public static Hello hello(String vin, String token, FrameLayout layout) {
        return WireV2.hello(vin, "model3", token, "Test " + vin.substring(12), layout);
    }

    public void send(Envelope e) {
        sendRaw(e.toByteArray());
    }

    public void sendRaw(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends one frame of a binary message ({@code last} false: the message goes on). */
    public void sendPart(byte[] bytes, boolean last) {
        ws.sendBinary(ByteBuffer.wrap(bytes), last).join();
    }

    /** The reason of the server's close frame, or null. */
    public String closeReason() {
        return closeReason;
    }

    /** Encodes {@code samples} (consecutive seqs) as this connection's next batch and sends it. */
    public EncodedFrames sendBatch(List<Sample> samples) {
        return sendBatch(samples, GapReason.DROPPED);
    }

    /**
     * As {@link #sendBatch(List)}; when the batch starts after the seq this client expects (the stored
     * seq + 1 from Welcome, then after its last batch), it declares the skipped seqs as a gap with
     * {@code reason}, as the real edge does.
     */
    public EncodedFrames sendBatch(List<Sample> samples, GapReason reason) {
        long first = samples.get(0).seq();
        long skipped = expected >= 0 ? first - expected : 0;
        Gap gap = skipped <= 0 ? Gap.NONE : new Gap(skipped, reason);
        List<Frame> frames = samples.stream().map(Sample::frame).toList();
        EncodedFrames b = encoder.encode(first, frames, gap);
        expected = b.lastSeq() + 1;
        sendRaw(b.bytes());
        return b;
    }

    /** A first batch starting after the stored seq declares what it skips (before the Welcome is queued). */
    private void welcomed(long lastStoredSeq) {
        if (expected < 0) {
            expected = lastStoredSeq + 1;
        }
    }

    /** {@code samples} encoded as the first batch of a fresh connection over {@link #LAYOUT}, no gap. */
    public static EncodedFrames encodeFresh(List<Sample> samples) {
        return new FrameEncoder(LAYOUT)
                .encode(
                        samples.get(0).seq(),
                        samples.stream().map(Sample::frame).toList());
    }

    public FrameEncoder encoder() {
        return encoder;
    }

    /** The next message from the server, or null after {@code timeoutMs}. */
    public Envelope next(long timeoutMs) throws InterruptedException {
        return inbox.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The next message of the given kind, skipping others (e.g. heartbeats); null on timeout. */
    public Envelope next(Envelope.MsgCase kind, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            Envelope e = inbox.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null || e.getMsgCase() == kind) {
                return e;
            }
        }
    }

    /** Waits for an Ack of at least {@code seq}; returns the ack seq or -2 on timeout or close. */
    public long awaitAck(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            Envelope e = inbox.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                return -2;
            }
            if (e.hasAck() && e.getAck().getSeq() >= seq) {
                return e.getAck().getSeq();
            }
        }
    }

    /** The close code the server sent, or null if still open after {@code timeoutMs}. */
    public Integer closeCode(long timeoutMs) {
        try {
            return closed.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                ws.abort(); // the server is gone already; nothing else to do
            }
        }
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                try {
                    Envelope env = Envelope.parseFrom(partial.toByteArray());
                    if (env.hasWelcome()) {
                        welcomed(env.getWelcome().getLastStoredSeq());
                    }
                    inbox.add(env);
                } catch (Exception e) {
                    throw new IllegalStateException("server sent a bad envelope", e);
                }
                partial.reset();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }
    }
}
