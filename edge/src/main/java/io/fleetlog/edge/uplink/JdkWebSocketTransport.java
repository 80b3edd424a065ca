package io.fleetlog.edge.uplink;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link Transport} over the JDK's WebSocket client. The JDK allows one outstanding send at a time,
 * so each connection keeps a bounded queue ({@link #MAX_QUEUED_BYTES}) and sends the next message when
 * the previous one completed. Incoming messages are reassembled from fragments and demanded one at a
 * time.
 */
final class JdkWebSocketTransport implements Transport {
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    private static final Duration TCP_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static volatile JdkWebSocketTransport shared;

    private final HttpClient client;

    JdkWebSocketTransport(HttpClient client) {
        this.client = client;
    }

    static JdkWebSocketTransport shared() {
        JdkWebSocketTransport s = shared;
        if (s == null) {
            synchronized (JdkWebSocketTransport.class) {
                s = shared;
                if (s == null) {
                    s = new JdkWebSocketTransport(HttpClient.newBuilder()
                            .connectTimeout(TCP_CONNECT_TIMEOUT)
                            .build());
                    shared = s;
                }
            }
        }
        return s;
    }

    @Override
    public Connection open(URI uri, Listener listener) {
        JdkConnection c = new JdkConnection(listener);
        c.future = client.newWebSocketBuilder()
                .connectTimeout(TCP_CONNECT_TIMEOUT)
                .buildAsync(uri, c)
                .whenComplete((ws, err) -> {
                    if (err != null) {
                        c.closed("connect failed: " + rootMessage(err));
                    }
                });
        return c;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    private static final class JdkConnection implements Connection, WebSocket.Listener {
        private final Listener listener;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private CompletableFuture<WebSocket> future;
        private WebSocket ws;
        private long queuedBytes;
        private boolean sending;
        private boolean done;

        JdkConnection(Listener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized boolean send(byte[] message) {
            if (done || queuedBytes + message.length > MAX_QUEUED_BYTES) {
                return false;
            }
            queue.add(message);
            queuedBytes += message.length;
            pump();
            return true;
        }

        private synchronized void pump() {
            if (sending || ws == null || done || queue.isEmpty()) {
                return;
            }
            byte[] m = queue.poll();
            sending = true;
            ws.sendBinary(ByteBuffer.wrap(m), true).whenComplete((w, err) -> {
                synchronized (this) {
                    queuedBytes -= m.length;
                    sending = false;
                }
                if (err != null) {
                    abort();
                    closed("send failed: " + rootMessage(err));
                } else {
                    pump();
                }
            });
        }

        @Override
        public synchronized long queuedBytes() {
            return queuedBytes;
        }

        @Override
        public void close() {
            WebSocket w;
            synchronized (this) {
                w = ws;
            }
            if (w != null) {
                w.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
                        .orTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                        .whenComplete((x, err) -> w.abort());
            } else if (future != null) {
                future.cancel(true);
            }
            closed("closed by the edge");
        }

        @Override
        public void abort() {
            WebSocket w;
            synchronized (this) {
                w = ws;
                queue.clear();
                queuedBytes = 0;
            }
            if (w != null) {
                w.abort();
            } else if (future != null) {
                future.cancel(true);
            }
        }

        /** Reports the end once. */
        void closed(String reason) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                queue.clear();
                queuedBytes = 0;
            }
            listener.onClosed(reason);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            synchronized (this) {
                ws = webSocket;
            }
            webSocket.request(1);
            listener.onOpen();
            pump();
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            byte[] whole;
            if (last && partial.size() == 0) {
                whole = chunk;
            } else {
                partial.write(chunk, 0, chunk.length);
                whole = last ? partial.toByteArray() : null;
                if (last) {
                    partial.reset();
                }
            }
            if (whole != null) {
                listener.onMessage(whole);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            // the protocol is binary; text is ignored (and demanded past)
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed("closed by the server: " + statusCode + (reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed("error: " + rootMessage(error));
        }
    }
}
