package io.fleetlog.server.testing;

import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.EncodedBatch;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.Envelope;
import io.fleetlog.wire.v1.Hello;
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
 * A minimal edge for tests: a real WebSocket client (java.net.http) speaking fleetlog.v1 with its
 * own {@link BatchEncoder}. Received envelopes queue up for {@link #next}; the close code is kept.
 */
public final class EdgeClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket ws;
    private final BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());

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
        EdgeClient c = connect(baseUrl, http);
        c.send(Envelope.newBuilder()
                .setHello(Hello.newBuilder()
                        .setProtocolVersion(1)
                        .setVin(vin)
                        .setModel("model3")
                        .setName("Test " + vin.substring(12))
                        .setToken(token))
                .build());
        return c;
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

    /** Encodes {@code samples} as this connection's next batch and sends it. */
    public EncodedBatch sendBatch(List<Sample> samples) {
        return sendBatch(samples, io.fleetlog.wire.v1.GapReason.GAP_REASON_UNSPECIFIED);
    }

    /** As {@link #sendBatch(List)}, saying why seqs before it were skipped (when it jumps). */
    public EncodedBatch sendBatch(List<Sample> samples, io.fleetlog.wire.v1.GapReason reason) {
        EncodedBatch b = encoder.encode(samples, reason);
        sendRaw(b.bytes());
        return b;
    }

    /**
     * As the real edge does: a first batch starting after the stored seq declares what it skips.
     * Before the Welcome is queued, so a test that waited for it sends declared batches.
     */
    private void welcomed(long lastStoredSeq) {
        try {
            encoder.expect(lastStoredSeq + 1);
        } catch (IllegalStateException e) {
            // the test sent batches before the Welcome arrived: it chose its encoder's state itself
        }
    }

    public BatchEncoder encoder() {
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
