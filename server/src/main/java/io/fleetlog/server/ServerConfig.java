package io.fleetlog.server;

import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.server.auth.HttpSecurity;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.catalog.Catalogues;
import io.javalin.config.JavalinConfig;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything {@link FleetServer#start} needs, validated once here (field name and value in every
 * message), so a CLI on top is a thin mapping of flags.
 *
 * @param bind address to listen on ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port TCP port, 0 = any free port (see {@link FleetServer#port()})
 * @param dbUrl {@code jdbc:sqlite:PATH} (default {@code jdbc:sqlite:data/fleetlog.db}) or {@code jdbc:postgresql://…}
 * @param tokens the vehicles allowed to ingest
 * @param limits ingest limits
 * @param demo whether the demo fleet runs in this process (shown to dashboards in the snapshot)
 * @param routes extra configuration applied to Javalin last (e.g. demo control routes); may be a no-op
 * @param clock server time, for link events, uptime and live throttling
 * @param retention how long samples and events are kept (whole UTC days; null = forever): every hour
 *     the server deletes what was captured before the start of the day {@code retention} ago
 * @param tls certificate, key and optional client CA for HTTPS/WSS on the one port (null = plain HTTP)
 * @param security who may read and control over HTTP (users, Host allowlist, --insecure; whether TLS
 *     is on mirrors {@code tls}); see docs/security.md
 * @param catalogues the signal catalogues an edge's Hello may name (null = the built-in one only)
 * @param fleetTelemetry the Tesla Fleet Telemetry listener (its own port, mutual TLS; needs {@code tls}
 *     with a client CA), or null = off; see docs/fleet-telemetry.md
 * @param rollupRetention how long the 10 s and 1 min rollups are kept (null = forever); checked with
 *     {@code retention}, every hour
 */
public record ServerConfig(
        String bind,
        int port,
        String dbUrl,
        TokenStore tokens,
        Limits limits,
        boolean demo,
        Consumer<JavalinConfig> routes,
        InstantSource clock,
        java.time.Duration retention,
        io.fleetlog.server.tls.TlsConfig tls,
        HttpSecurity security,
        Catalogues catalogues,
        io.fleetlog.server.ft.FtConfig fleetTelemetry,
        io.fleetlog.server.history.RollupRetention rollupRetention) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final String DEFAULT_DB = "jdbc:sqlite:data/fleetlog.db";

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind '" + bind + "' is empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        Objects.requireNonNull(dbUrl, "dbUrl");
        if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "dbUrl '" + dbUrl.replaceAll("\\?.*", "") + "' must start with jdbc:sqlite: or jdbc:postgresql:");
        }
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(limits, "limits");
        routes = routes == null ? c -> {} : routes;
        clock = clock == null ? InstantSource.system() : clock;
        if (retention != null && retention.compareTo(java.time.Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("retention " + retention + " is shorter than one day");
        }
        // TLS is configured in one place (tls); the security record only mirrors whether it is on.
        security = (security == null ? HttpSecurity.defaults() : security).withTlsEnabled(tls != null);
        catalogues = catalogues == null ? Catalogues.builtinOnly() : catalogues;
        rollupRetention =
                rollupRetention == null ? io.fleetlog.server.history.RollupRetention.FOREVER : rollupRetention;
        if (fleetTelemetry != null && fleetTelemetry.tls() == null && (tls == null || tls.clientCa() == null)) {
            throw new IllegalArgumentException(
                    "fleetTelemetry on port " + fleetTelemetry.port()
                            + " needs TLS with a client CA (--tls-cert, --tls-key, --client-ca): Fleet Telemetry is mutual TLS only");
        }
    }

    /** Defaults: 127.0.0.1, a free port, {@link #DEFAULT_DB}, default limits, no demo, no extra routes. */
    public static ServerConfig defaults(TokenStore tokens) {
        return new ServerConfig(
                DEFAULT_BIND,
                0,
                DEFAULT_DB,
                tokens,
                Limits.defaults(),
                false,
                null,
                InstantSource.system(),
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public ServerConfig withBind(String b) {
        return copy(x -> x.bind = b);
    }

    public ServerConfig withPort(int p) {
        return copy(x -> x.port = p);
    }

    public ServerConfig withDb(String url) {
        return copy(x -> x.dbUrl = url);
    }

    public ServerConfig withLimits(Limits l) {
        return copy(x -> x.limits = l);
    }

    public ServerConfig withDemo(boolean d) {
        return copy(x -> x.demo = d);
    }

    public ServerConfig withRoutes(Consumer<JavalinConfig> r) {
        return copy(x -> x.routes = r);
    }

    /** Keep samples and events this long (whole days; null = forever). */
    public ServerConfig withRetention(java.time.Duration keep) {
        return copy(x -> x.retention = keep);
    }

    /** Keep the 10 s and 1 min rollups this long (null = forever). */
    public ServerConfig withRollupRetention(io.fleetlog.server.history.RollupRetention r) {
        return copy(x -> x.rollupRetention = r);
    }

    /** Serve HTTPS and WSS with this identity (null = plain HTTP). */
    public ServerConfig withTls(io.fleetlog.server.tls.TlsConfig t) {
        return copy(x -> x.tls = t);
    }

    /** Users, Host allowlist and --insecure (see {@link HttpSecurity}). */
    public ServerConfig withSecurity(HttpSecurity s) {
        return copy(x -> x.security = s);
    }

    /** The signal catalogues ingest accepts (null = the built-in one only); see {@link Catalogues#load}. */
    public ServerConfig withCatalogues(Catalogues c) {
        return copy(x -> x.catalogues = c);
    }

    /** Also listen for Tesla Fleet Telemetry (null = off); needs {@link #withTls} with a client CA. */
    public ServerConfig withFleetTelemetry(io.fleetlog.server.ft.FtConfig ft) {
        return copy(x -> x.fleetTelemetry = ft);
    }

    /** Whether the HTTP listener speaks TLS (HTTPS, WSS). */
    public boolean tlsEnabled() {
        return tls != null;
    }

    public ServerConfig withClock(InstantSource c) {
        return copy(x -> x.clock = c);
    }

    /**
     * A copy with some components changed: every {@code with…} goes through here, so a new component
     * is added to this record, {@link Parts} and nothing else; the copy is validated like any other.
     */
    private ServerConfig copy(Consumer<Parts> change) {
        Parts p = new Parts(this);
        change.accept(p);
        return new ServerConfig(
                p.bind,
                p.port,
                p.dbUrl,
                p.tokens,
                p.limits,
                p.demo,
                p.routes,
                p.clock,
                p.retention,
                p.tls,
                p.security,
                p.catalogues,
                p.fleetTelemetry,
                p.rollupRetention);
    }

    /** The components of a config being copied, mutable (see {@link #copy}). */
    private static final class Parts {
        String bind;
        int port;
        String dbUrl;
        TokenStore tokens;
        Limits limits;
        boolean demo;
        Consumer<JavalinConfig> routes;
        InstantSource clock;
        java.time.Duration retention;
        io.fleetlog.server.tls.TlsConfig tls;
        HttpSecurity security;
        Catalogues catalogues;
        io.fleetlog.server.ft.FtConfig fleetTelemetry;
        io.fleetlog.server.history.RollupRetention rollupRetention;

        Parts(ServerConfig c) {
            bind = c.bind;
            port = c.port;
            dbUrl = c.dbUrl;
            tokens = c.tokens;
            limits = c.limits;
            demo = c.demo;
            routes = c.routes;
            clock = c.clock;
            retention = c.retention;
            tls = c.tls;
            security = c.security;
            catalogues = c.catalogues;
            fleetTelemetry = c.fleetTelemetry;
            rollupRetention = c.rollupRetention;
        }
    }

    /**
     * Ingest and live-feed limits.
     *
     * @param maxMessageBytes largest WebSocket message accepted from an edge (larger: Reject; more
     *     than twice as large: the connection is closed with 1009 by the WebSocket layer)
     * @param maxBatchSamples most frames in one batch (the Welcome's {@code max_batch_frames})
     * @param badMessageBudget bad messages a connection may send; the one that exhausts it is
     *     answered with a fatal Reject and the connection closed
     * @param liveQueueMessages per-dashboard queue; a client whose queue is full is disconnected
     * @param preAuth what an ingest connection may do before its Hello is accepted
     */
    public record Limits(
            int maxMessageBytes, int maxBatchSamples, int badMessageBudget, int liveQueueMessages, PreAuth preAuth) {
        /** The four classic limits with {@link PreAuth#defaults()}. */
        public Limits(int maxMessageBytes, int maxBatchSamples, int badMessageBudget, int liveQueueMessages) {
            this(maxMessageBytes, maxBatchSamples, badMessageBudget, liveQueueMessages, PreAuth.defaults());
        }

        public Limits withPreAuth(PreAuth p) {
            return new Limits(maxMessageBytes, maxBatchSamples, badMessageBudget, liveQueueMessages, p);
        }

        public Limits {
            Objects.requireNonNull(preAuth, "preAuth");
            if (maxMessageBytes < 1024 || maxMessageBytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " is outside 1024..67108864");
            }
            if (maxBatchSamples < 1 || maxBatchSamples > 1_000_000) {
                throw new IllegalArgumentException("maxBatchSamples " + maxBatchSamples + " is outside 1..1000000");
            }
            if (badMessageBudget < 1) {
                throw new IllegalArgumentException("badMessageBudget " + badMessageBudget + " must be at least 1");
            }
            if (liveQueueMessages < 1) {
                throw new IllegalArgumentException("liveQueueMessages " + liveQueueMessages + " must be at least 1");
            }
        }

        public static Limits defaults() {
            return new Limits(WireV2.DEFAULT_MAX_MESSAGE_BYTES, WireV2.DEFAULT_MAX_BATCH_FRAMES, 10, 256);
        }
    }

    /**
     * Limits on unauthenticated ingest connections (issue 12 item 8): until its Hello is accepted a
     * connection may send only messages of {@code maxMessageBytes} (larger: closed, 1009, nothing
     * buffered beyond it), gets no heartbeat echo, and is closed (1008) when no Hello arrived within
     * {@code helloDeadline}. One address may hold {@code maxPendingPerAddress} such connections at
     * once (more: closed at once, 1013). After {@code maxFailedAuths} failed Hellos (wrong token,
     * unknown VIN, invalid Hello) in a row, an address is refused (1008) for {@code backoff}, doubled
     * for every further failure up to {@code maxBackoff}; an accepted Hello clears its count.
     */
    public record PreAuth(
            int maxMessageBytes,
            java.time.Duration helloDeadline,
            int maxPendingPerAddress,
            int maxFailedAuths,
            java.time.Duration backoff,
            java.time.Duration maxBackoff) {
        public PreAuth {
            if (maxMessageBytes < 256 || maxMessageBytes > 1024 * 1024) {
                throw new IllegalArgumentException(
                        "preAuth.maxMessageBytes " + maxMessageBytes + " is outside 256..1048576");
            }
            Objects.requireNonNull(helloDeadline, "helloDeadline");
            if (helloDeadline.toMillis() < 1 || helloDeadline.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(
                        "preAuth.helloDeadline " + helloDeadline + " is outside 1 ms..5 min");
            }
            if (maxPendingPerAddress < 1) {
                throw new IllegalArgumentException(
                        "preAuth.maxPendingPerAddress " + maxPendingPerAddress + " must be at least 1");
            }
            if (maxFailedAuths < 1) {
                throw new IllegalArgumentException("preAuth.maxFailedAuths " + maxFailedAuths + " must be at least 1");
            }
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
                throw new IllegalArgumentException(
                        "preAuth.backoff " + backoff + " must be >= 0 and at most maxBackoff " + maxBackoff);
            }
        }

        /**
         * 4 KiB, 5 s, 256 pending per address (a pending socket costs a file descriptor and at most
         * 4 KiB; the demo's 200 cars and the 1,000-vehicle bench connect from one loopback address),
         * 10 failures then 1 s doubling up to 5 min.
         */
        public static PreAuth defaults() {
            return new PreAuth(
                    4096,
                    java.time.Duration.ofSeconds(5),
                    256,
                    10,
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofMinutes(5));
        }
    }
}
