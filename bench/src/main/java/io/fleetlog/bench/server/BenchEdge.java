package io.fleetlog.bench.server;

import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.wire.v2.Envelope;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A minimal benchmark edge (fleetlog.v2): one WebSocket to {@code /ingest}, Hello, then pre-encoded batches; every
 * Ack seq goes to {@code onAck} (on the client's receive thread).
 */
final class BenchEdge {
    private final WebSocket ws;
    private final CompletableFuture<Long> welcome = new CompletableFuture<>();
    private volatile LongConsumer onAck = s -> {};
    private volatile String failure;

    private BenchEdge(HttpClient http, String base) throws Exception {
        ws = http.newWebSocketBuilder()
                .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ingest"), new Listener())
                .get(30, TimeUnit.SECONDS);
    }

    static BenchEdge open(HttpClient http, String base, String vin, String token, FrameLayout layout) throws Exception {
        BenchEdge e = new BenchEdge(http, base);
        e.sendNow(Envelope.newBuilder()
                        .setHello(WireV2.hello(vin, "model3", token, "", layout))
                        .build()
                        .toByteArray())
                .join();
        long last = e.welcome.get(30, TimeUnit.SECONDS);
        if (last != -1) {
            throw new IllegalStateException(vin + " is not new: server holds seq " + last);
        }
        return e;
    }

    void onAck(LongConsumer c) {
        onAck = c;
    }

    /** Sends one binary message; the future completes when the client wrote it. */
    CompletableFuture<WebSocket> sendNow(byte[] bytes) {
        return ws.sendBinary(ByteBuffer.wrap(bytes), true);
    }

    String failure() {
        return failure;
    }

    void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort(); // the server may already be gone; nothing left to do
        }
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
                    Envelope e = Envelope.parseFrom(partial.toByteArray());
                    if (e.hasWelcome()) {
                        welcome.complete(e.getWelcome().getLastStoredSeq());
                    } else if (e.hasAck()) {
                        onAck.accept(e.getAck().getSeq());
                    } else if (e.hasReject()) {
                        failure = e.getReject().getReason();
                        welcome.completeExceptionally(new IllegalStateException(failure));
                    }
                } catch (Exception ex) {
                    failure = ex.toString();
                }
                partial.reset();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            if (code != WebSocket.NORMAL_CLOSURE) {
                failure = "closed " + code + " " + reason;
            }
            welcome.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
            return null;
        }
    }
}
