package io.fleetlog.server.ft;

import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.ft.FtIdentity;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.tls.ServerTls;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tesla Fleet Telemetry listener: its own port, TLS with a <em>required</em> client certificate
 * of the server's client CA ({@link ServerTls#mutualSslContextFactory()}), any path upgrades to a
 * WebSocket. The car's VIN is its verified certificate's CN ({@link FtIdentity#vinFromCommonName});
 * an upgrade without a certificate whose CN is a valid VIN is refused with 403.
 *
 * <p>Binary messages go to {@link FtIngest#handle} on a virtual thread, one at a time per
 * connection (the next message is read only after the reply was sent: back pressure, and the acks
 * of a connection leave in order). A text frame is refused, counted and the connection closed
 * (1003). Messages up to {@value #MAX_FRAME_BYTES} bytes are read and those over {@link
 * FtEnvelope#MAX_MESSAGE_BYTES} answered with an error; larger ones close the connection (1009).
 * A connection over its rate limit ({@link FtConfig#rateLimit()} messages per {@link
 * FtConfig#rateInterval()}, a token bucket) is slowed: the message waits for its token before it
 * is handled, and the next is read only after it. Tesla's reference server drops such messages
 * instead; with fleetlog's rule that a car's capture time never runs backwards, a dropped record
 * resent after newer ones were stored would be lost, so fleetlog delays and drops nothing.
 */
public final class FtListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FtListener.class);

    /** Largest message read at all (4 MiB); bigger ones close the connection. */
    public static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

    private final FtConfig config;
    private final FtIngest ingest;
    private final Server server;
    private final ServerConnector connector;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    public FtListener(FtConfig config, ServerTls tls, FtIngest ingest) {
        this.config = config;
        this.ingest = ingest;
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("fleet-telemetry");
        pool.setDaemon(true);
        this.server = new Server(pool);
        HttpConfiguration https = new HttpConfiguration();
        https.setSecureScheme("https");
        https.setSendServerVersion(false);
        https.addCustomizer(new SecureRequestCustomizer());
        this.connector = new ServerConnector(
                server,
                new SslConnectionFactory(tls.mutualSslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(config.bind());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(MAX_FRAME_BYTES);
            container.setMaxTextMessageSize(1024);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/*", (req, resp, cb) -> {
                Optional<String> vin = vinOf(req);
                if (vin.isEmpty()) {
                    ingest.metrics().refused("bad_certificate");
                    Response.writeError(req, resp, cb, HttpStatus.FORBIDDEN_403, "no vehicle certificate with a VIN");
                    return null;
                }
                return new Socket(
                        vin.get(), String.valueOf(req.getConnectionMetaData().getRemoteSocketAddress()));
            });
        }));
    }

    /** The VIN of the request's verified client certificate, if its CN is a valid VIN. */
    private static Optional<String> vinOf(ServerUpgradeRequest req) {
        if (!(req.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl)) {
            return Optional.empty();
        }
        X509Certificate[] chain = ssl.peerCertificates();
        return ServerTls.vinOf(chain).map(FtIdentity::vinFromCommonName).filter(Vin::isValid);
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start failure is what matters
            }
            throw new IllegalStateException(
                    "Fleet Telemetry listener cannot listen on " + config.bind() + ":" + config.port() + ": "
                            + e.getMessage(),
                    e);
        }
        log.info("ft_listening bind={} port={}", config.bind(), port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(config.bind(), port());
    }

    public FtMetrics metrics() {
        return ingest.metrics();
    }

    /** Open car connections. */
    public int connections() {
        return sessions.size();
    }

    @Override
    public void close() {
        for (Session s : sessions) {
            s.close(StatusCode.SHUTDOWN, "server stopping", Callback.NOOP);
        }
        try {
            server.stop();
            server.join();
        } catch (Exception e) {
            log.warn("ft_stop_failed error={}", e.toString());
        }
    }

    /** One car connection. */
    public final class Socket implements Session.Listener {
        private final String vin;
        private final String remote;
        private volatile Session session;
        // the rate limit: a token bucket of config.rateLimit() tokens refilled over config.rateInterval()
        private double tokens = config.rateLimit();
        private long refilledNanos = System.nanoTime();
        private long limitedInBurst;
        private long burstStartNanos;

        private Socket(String vin, String remote) {
            this.vin = vin;
            this.remote = remote;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            sessions.add(s);
            try {
                ingest.connected(vin);
            } catch (RuntimeException e) {
                log.error("ft_connect_failed vin={} remote={} error={}", vin, remote, e.getMessage());
                sessions.remove(s);
                s.close(StatusCode.SERVER_ERROR, "store failure", Callback.NOOP);
                return;
            }
            log.info("ft_connected vin={} remote={}", vin, remote);
            s.demand();
        }

        @Override
        public void onWebSocketBinary(ByteBuffer buf, Callback callback) {
            byte[] message = new byte[buf.remaining()];
            buf.get(message);
            callback.succeed();
            long start = System.nanoTime();
            long delay = delayNanos(start);
            Thread.ofVirtual().name("ft-" + vin).start(() -> {
                if (delay > 0) {
                    try {
                        Thread.sleep(java.time.Duration.ofNanos(delay)); // the next message is read after this one
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                byte[] reply;
                try {
                    reply = ingest.handle(vin, message);
                } catch (RuntimeException e) {
                    log.error("ft_handle_failed vin={} error={}", vin, e.toString(), e);
                    session.close(StatusCode.SERVER_ERROR, "server error", Callback.NOOP);
                    return;
                }
                session.sendBinary(
                        ByteBuffer.wrap(reply),
                        Callback.from(
                                () -> {
                                    ingest.metrics().ackLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                                    session.demand();
                                },
                                t -> log.info("ft_reply_not_sent vin={} error={}", vin, t.toString())));
            });
        }

        /**
         * Takes a token of the connection's bucket and returns how long to wait before handling the
         * message (0 within the limit). A message over the limit waits for its token: the connection
         * is slowed, nothing is dropped, and the records keep their order. Counted; logged once per burst.
         */
        private long delayNanos(long now) {
            int limit = config.rateLimit();
            if (limit == 0) {
                return 0;
            }
            double perNano = limit / (double) config.rateInterval().toNanos();
            tokens = Math.min(limit, tokens + (now - refilledNanos) * perNano);
            refilledNanos = now;
            tokens -= 1;
            if (tokens >= 0) {
                if (limitedInBurst > 0) {
                    log.warn(
                            "ft_rate_limit_exceeded vin={} remote={} messages_rate_limited={} duration_ms={}",
                            vin,
                            remote,
                            limitedInBurst,
                            (now - burstStartNanos) / 1_000_000);
                    limitedInBurst = 0;
                }
                return 0;
            }
            if (limitedInBurst++ == 0) {
                burstStartNanos = now;
            }
            ingest.metrics().rateLimited.increment();
            return (long) Math.ceil(-tokens / perNano);
        }

        @Override
        public void onWebSocketText(String text) {
            ingest.metrics().refused("text_frame");
            log.warn("ft_refused vin={} remote={} reason=text_frame", vin, remote);
            session.close(StatusCode.BAD_DATA, "binary frames only", Callback.NOOP);
        }

        @Override
        public void onWebSocketError(Throwable t) {
            if (t instanceof MessageTooLargeException) {
                ingest.metrics().refused("too_large");
            }
            log.info("ft_connection_error vin={} remote={} error={}", vin, remote, t.toString());
        }

        @Override
        public void onWebSocketClose(int status, String reason) {
            if (session != null && sessions.remove(session)) {
                ingest.disconnected(vin, this);
            }
            log.info("ft_disconnected vin={} remote={} status={}", vin, remote, status);
        }
    }
}
