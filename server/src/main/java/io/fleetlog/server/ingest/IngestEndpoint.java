package io.fleetlog.server.ingest;

import io.fleetlog.server.tls.ServerTls;
import io.fleetlog.wire.v1.Envelope;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket {@code /ingest}: one {@link IngestConnection} per session. Jetty delivers a session's
 * messages one at a time, and the next frame is read only when the handler returned, so a slow
 * store slows the edge down instead of buffering without bound.
 */
public final class IngestEndpoint {
    private static final Logger log = LoggerFactory.getLogger(IngestEndpoint.class);
    /** A send that does not complete in this time means the edge stopped reading. */
    static final long SEND_TIMEOUT_MS = 10_000;

    private final IngestContext context;
    private final Map<String, IngestConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public IngestEndpoint(IngestContext context) {
        this.context = context;
    }

    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(8);

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            // Edges send a heartbeat every second: this much silence means the link is dead (a tunnel
            // blackholes packets, no FIN arrives), so the vehicle shows offline within seconds.
            ctx.session.setIdleTimeout(IDLE_TIMEOUT);
            sessions.put(ctx.sessionId(), ctx.session);
            connections.put(
                    ctx.sessionId(),
                    new IngestConnection(new SessionPeer(ctx.session, certificateVin(ctx)), remote(ctx), context));
        });
        ws.onBinaryMessage(ctx -> {
            IngestConnection c = connections.get(ctx.sessionId());
            if (c != null) {
                ByteBuffer b = ctx.data();
                byte[] data = new byte[b.remaining()];
                b.get(data);
                c.onMessage(data);
            }
        });
        ws.onMessage(ctx -> {
            IngestConnection c = connections.get(ctx.sessionId());
            if (c != null) {
                c.onMessage(ctx.message().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        ws.onClose(ctx -> {
            sessions.remove(ctx.sessionId());
            IngestConnection c = connections.remove(ctx.sessionId());
            if (c != null) {
                c.onClose();
            }
        });
        ws.onError(
                ctx -> log.debug("ingest_ws_error session={} error={}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    /** Tells every edge the server is going away (1001); they reconnect and resend what is unacked. */
    public void closeAll() {
        sessions.values().forEach(s -> s.close(1001, "server shutting down", Callback.NOOP));
    }

    public int open() {
        return connections.size();
    }

    private static String remote(WsContext ctx) {
        var a = ctx.session.getRemoteSocketAddress();
        return a == null ? "?" : a.toString();
    }

    /** The VIN of the client certificate TLS verified for this connection (see {@link ServerTls}). */
    private static java.util.Optional<String> certificateVin(WsContext ctx) {
        // Set by Jetty's SecureRequestCustomizer from the TLS session of the upgrade request.
        Object chain = ctx.attribute("jakarta.servlet.request.X509Certificate");
        return chain instanceof java.security.cert.X509Certificate[] c
                ? ServerTls.vinOf(c)
                : java.util.Optional.empty();
    }

    /** Sends through the Jetty session and waits for the write, so nothing piles up unbounded. */
    record SessionPeer(Session session, java.util.Optional<String> certificateVin) implements Peer {
        @Override
        public void send(Envelope message) {
            Callback.Completable done = new Callback.Completable();
            synchronized (session) { // acks (ack thread) and replies (handler thread) one at a time
                session.sendBinary(ByteBuffer.wrap(message.toByteArray()), done);
            }
            try {
                done.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (TimeoutException e) {
                session.disconnect();
                throw new IllegalStateException("edge did not read for " + SEND_TIMEOUT_MS + " ms", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("send failed: " + e.getCause(), e.getCause());
            }
        }

        @Override
        public void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }
    }
}
