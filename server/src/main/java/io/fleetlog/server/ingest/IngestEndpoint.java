package io.fleetlog.server.ingest;

import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.tls.ServerTls;
import io.fleetlog.wire.v2.Envelope;
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
 *
 * <p>Unauthenticated sessions are cheap (issue 12 item 8): {@link Admission} refuses an address over
 * its pending-connection limit or in its failed-auth backoff before anything is read; until the
 * Hello is accepted the session's message limit is {@link ServerConfig.PreAuth#maxMessageBytes}
 * (Jetty closes a larger message, 1009, without buffering it), and the Hello deadline closes a
 * session that sends none.
 */
public final class IngestEndpoint {
    private static final Logger log = LoggerFactory.getLogger(IngestEndpoint.class);
    /** A send that does not complete in this time means the edge stopped reading. */
    static final long SEND_TIMEOUT_MS = 10_000;

    private final IngestContext context;
    private final Admission admission;
    private final Writers writers = new Writers();
    /** Fires Hello deadlines; one daemon thread for the JVM (every server), tasks are tiny. */
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                    .daemon(true)
                    .name("ingest-hello-deadline")
                    .factory());

    private final Map<String, IngestConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public IngestEndpoint(IngestContext context) {
        this.context = context;
        this.admission = new Admission(context.limits().preAuth(), context.clock());
    }

    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(8);

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            // Edges send a heartbeat every second: this much silence means the link is dead (a tunnel
            // blackholes packets, no FIN arrives), so the vehicle shows offline within seconds.
            ctx.session.setIdleTimeout(IDLE_TIMEOUT);
            ServerConfig.PreAuth pre = context.limits().preAuth();
            ctx.session.setMaxBinaryMessageSize(pre.maxMessageBytes());
            ctx.session.setMaxTextMessageSize(pre.maxMessageBytes());
            String address = address(ctx);
            Admission.Refusal refused = admission.open(address);
            if (refused != null) {
                context.metrics().reject("ADMISSION_" + refused.name());
                log.warn(
                        "ingest_connection_refused remote={} reason={}",
                        remote(ctx),
                        refused.name().toLowerCase());
                ctx.session.close(
                        refused == Admission.Refusal.BACKING_OFF ? 1008 : 1013,
                        refused == Admission.Refusal.BACKING_OFF
                                ? "too many failed authentications from this address; retry later"
                                : "too many unauthenticated connections from this address",
                        Callback.NOOP);
                return;
            }
            sessions.put(ctx.sessionId(), ctx.session);
            IngestConnection c = new IngestConnection(
                    new SessionPeer(ctx.session, context.limits().maxMessageBytes(), certificateVin(ctx)),
                    remote(ctx),
                    address,
                    context,
                    writers,
                    admission);
            connections.put(ctx.sessionId(), c);
            DEADLINES.schedule(c::helloDeadline, pre.helloDeadline().toMillis(), TimeUnit.MILLISECONDS);
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

    /** The remote IP address without port: what admission counts per. */
    private static String address(WsContext ctx) {
        var a = ctx.session.getRemoteSocketAddress();
        if (a instanceof java.net.InetSocketAddress i) {
            return i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        }
        return String.valueOf(a);
    }

    /** Sends through the Jetty session and waits for the write, so nothing piles up unbounded. */
    record SessionPeer(Session session, int maxMessageBytes, java.util.Optional<String> certificateVin)
            implements Peer {
        @Override
        public void authenticated(int max) {
            // As before authentication was limited: a message up to twice the limit is read and
            // answered with a Reject (TOO_LARGE); larger ones are closed by Jetty (1009).
            session.setMaxBinaryMessageSize(2L * max);
            session.setMaxTextMessageSize(64 * 1024);
        }

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
