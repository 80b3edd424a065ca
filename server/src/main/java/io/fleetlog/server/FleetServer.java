package io.fleetlog.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.server.api.HttpApi;
import io.fleetlog.server.auth.HttpGuard;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.ingest.IngestContext;
import io.fleetlog.server.ingest.IngestEndpoint;
import io.fleetlog.server.ingest.IngestMetrics;
import io.fleetlog.server.live.LiveHub;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.tls.ServerTls;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleetlog server: WebSocket {@code /ingest} for edges, {@code /live} for dashboards, the REST
 * API of docs/api.md, and the dashboard's static files (classpath {@code /public}, served at
 * {@code /} with {@code index.html} as the fallback for client-side routes).
 *
 * <p>With {@link ServerConfig#tls()} the one port speaks HTTPS and WSS only, with the identity of
 * {@link ServerTls} (checked for changed files every {@code reloadCheck}); without it, plain HTTP.
 *
 * <p>{@link #start} returns once the server listens. {@link #close} is graceful and idempotent: it
 * stops accepting, closes connections (handlers in the middle of a batch finish their transaction;
 * an ack that cannot be sent any more is simply resent-for by the edge), stops the live feed and
 * closes the store, which commits what is queued. Thread-safe.
 */
public final class FleetServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FleetServer.class);

    private final ServerConfig config;
    private final SampleStore store;
    private final Fleet fleet;
    private final LiveHub live;
    private final IngestMetrics ingestMetrics;
    private final IngestEndpoint ingest;
    private final PrometheusMeterRegistry metrics;
    private final HttpGuard guard;
    private final Javalin app;
    private final java.util.concurrent.ScheduledExecutorService retention;
    /** The TLS identity (null: plain HTTP) and the timer that checks its files for changes. */
    private final ServerTls tls;

    private final java.util.concurrent.ScheduledExecutorService tlsReload;
    /** The Fleet Telemetry listener, or null when {@link ServerConfig#fleetTelemetry()} is off. */
    private final io.fleetlog.server.ft.FtListener fleetTelemetry;

    private boolean closed;

    /** Derives drives and charges after each commit; null when the store keeps none. */
    private final io.fleetlog.server.trips.Deriver deriver;

    private FleetServer(ServerConfig config, SampleStore baseStore) {
        this.config = config;
        this.deriver = io.fleetlog.server.trips.Deriver.forStore(baseStore, config.clock());
        SampleStore store = deriver == null ? baseStore : deriver.watch(baseStore);
        this.store = store;
        this.tls = config.tls() == null ? null : ServerTls.load(config.tls());
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        if (deriver != null) {
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "fleetlog.sessions.derivations", deriver, d -> d.derivations())
                    .description("drive and charge re-derivations committed")
                    .register(metrics);
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "fleetlog.sessions.failures", deriver, d -> d.failures())
                    .description("re-derivations that failed (retried after the debounce)")
                    .register(metrics);
        }
        ObjectMapper json = new ObjectMapper();
        this.fleet = new Fleet(store);
        this.live =
                new LiveHub(fleet, json, config.limits().liveQueueMessages(), config.clock(), config.demo(), metrics);
        this.guard = new HttpGuard(config.security(), config.bind(), config.clock(), json);
        this.ingestMetrics = new IngestMetrics(metrics);
        this.ingest = new IngestEndpoint(new IngestContext(
                config.limits(),
                config.tokens(),
                store,
                fleet,
                live,
                ingestMetrics,
                config.clock(),
                config.catalogues()));
        HttpApi api = new HttpApi(
                store,
                fleet,
                ingestMetrics,
                metrics,
                json,
                config.clock(),
                () -> Map.of("clients", live.clients(), "droppedClients", live.droppedClients()),
                config.retention(),
                guard::describe);
        this.app = Javalin.create(cfg -> configure(cfg, api));
        this.fleetTelemetry = config.fleetTelemetry() == null
                ? null
                : new io.fleetlog.server.ft.FtListener(
                        config.fleetTelemetry(),
                        config.fleetTelemetry().tls() != null
                                ? ServerTls.load(config.fleetTelemetry().tls())
                                : tls,
                        new io.fleetlog.server.ft.FtIngest(
                                store,
                                fleet,
                                live,
                                new io.fleetlog.server.ft.FtMetrics(metrics),
                                config.clock(),
                                config.fleetTelemetry().arrivalGap()));
        this.retention = config.retention() == null && config.rollupRetention().forever()
                ? null
                : java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("retention").daemon(true).factory());
        this.tlsReload = tls == null
                ? null
                : java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("tls-reload").daemon(true).factory());
    }

    /** Opens the store of {@code config.dbUrl()} and starts the server. */
    public static FleetServer start(ServerConfig config) {
        new HttpGuard(config.security(), config.bind(), config.clock(), null).checkExposure(config.bind());
        SampleStore store = Stores.open(config.dbUrl());
        try {
            return start(config, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Starts the server on an already open store, which it then owns (closes it on {@link #close}). */
    public static FleetServer start(ServerConfig config, SampleStore store) {
        FleetServer s;
        try {
            s = new FleetServer(config, store);
            // a non-loopback bind without TLS or users is refused unless --insecure (docs/security.md)
            s.guard.checkExposure(config.bind());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        s.closeStaleLinks();
        s.app.start();
        if (s.fleetTelemetry != null) {
            try {
                s.fleetTelemetry.start();
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
        s.live.start();
        if (s.deriver != null) {
            s.deriver.start();
        }
        if (s.retention != null) {
            s.retention.scheduleWithFixedDelay(s::purgeQuietly, 0, 1, java.util.concurrent.TimeUnit.HOURS);
        }
        if (s.tlsReload != null) {
            long every = config.tls().reloadCheck().toMillis();
            s.tlsReload.scheduleWithFixedDelay(
                    s.tls::reloadIfChanged, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        log.info(
                "server_started bind={} port={} db={} demo={} tls={}",
                config.bind(),
                s.port(),
                Stores.redact(config.dbUrl()),
                config.demo(),
                s.tls == null
                        ? "off"
                        : ServerTls.describe(s.tls.certificate())
                                + (config.tls().clientCa() == null
                                        ? ""
                                        : " client_ca=" + config.tls().clientCa()));
        if (s.fleetTelemetry != null) {
            log.info(
                    "fleet_telemetry_started bind={} port={}",
                    config.fleetTelemetry().bind(),
                    s.fleetTelemetry.port());
        }
        for (String w : s.guard.warnings()) {
            log.warn("server_insecure warning=\"{}\"", w);
        }
        return s;
    }

    private void configure(JavalinConfig cfg, HttpApi api) {
        cfg.startup.showJavalinBanner = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.jetty.host = config.bind();
        cfg.jetty.port = config.port();
        if (tls != null) { // replaces Javalin's plain connector: one port, HTTPS and WSS only
            cfg.jetty.addConnector((server, http) -> tls.connector(server, http, config.bind(), config.port()));
        }
        long maxWs = 2L * config.limits().maxMessageBytes();
        cfg.jetty.modifyWebSocketServletFactory(f -> {
            f.setMaxBinaryMessageSize(maxWs);
            f.setMaxTextMessageSize(64 * 1024);
            f.setIdleTimeout(Duration.ofMinutes(2));
        });
        guard.routes(cfg); // first: Host, headers, Origin, credential, scope, CSRF (docs/security.md)
        cfg.routes.ws("/ingest", ingest::configure);
        cfg.routes.ws("/live", live::configure);
        api.routes(cfg);
        boolean dashboard = FleetServer.class.getResource("/public/index.html") != null;
        if (dashboard) {
            cfg.staticFiles.add("/public", Location.CLASSPATH);
        }
        cfg.routes.error(404, ctx -> notFound(ctx, dashboard));
        config.routes().accept(cfg);
    }

    /** API paths answer JSON; other GETs get the dashboard's index.html (client-side routes). */
    private static void notFound(Context ctx, boolean dashboard) throws IOException {
        if (Boolean.TRUE.equals(ctx.attribute(HttpApi.ERROR_WRITTEN))) {
            return;
        }
        String path = ctx.path();
        boolean api = path.startsWith("/api") || path.equals("/status") || path.equals("/metrics");
        if (!api && dashboard && "GET".equals(ctx.method().name())) {
            try (InputStream in = FleetServer.class.getResourceAsStream("/public/index.html")) {
                ctx.status(200).contentType("text/html; charset=utf-8").result(in.readAllBytes());
            }
            return;
        }
        ctx.status(404)
                .contentType("application/json")
                .result("{\"error\":\"no such resource: " + path.replace("\"", "") + "\"}");
    }

    /**
     * Retention: deletes samples and events captured before the start of the UTC day {@code
     * retention} ago (see {@link SampleStore#purgeBefore}); runs at start and every hour.
     *
     * @return the number of samples deleted (0 without a retention)
     */
    public long purgeExpired() {
        purgeExpiredRollups();
        if (config.retention() == null) {
            return 0;
        }
        long cutoff = SampleStore.dayStart(
                config.clock().millis() - config.retention().toMillis());
        long removed = store.purgeBefore(cutoff);
        log.info(
                "retention_purged before={} samples={} keep={}",
                java.time.Instant.ofEpochMilli(cutoff),
                removed,
                config.retention());
        return removed;
    }

    /**
     * Rollup retention per tier ({@link ServerConfig#rollupRetention}): drops the buckets before the
     * start of the UTC day the tier's keep time ago (PostgreSQL: whole partitions only, so the 1 min
     * tier goes by whole months).
     */
    void purgeExpiredRollups() {
        var rollups = store.rollups().orElse(null);
        if (rollups == null) {
            return;
        }
        for (io.fleetlog.server.history.Step step : io.fleetlog.server.history.Step.values()) {
            java.time.Duration keep = config.rollupRetention().of(step);
            if (keep != null) {
                long cutoff = SampleStore.dayStart(config.clock().millis() - keep.toMillis());
                long removed = rollups.purgeBefore(step, cutoff);
                log.info(
                        "retention_rollups_purged step={} before={} buckets={} keep={}",
                        step.suffix(),
                        java.time.Instant.ofEpochMilli(cutoff),
                        removed,
                        keep);
            }
        }
    }

    private void purgeQuietly() {
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            log.warn("retention_failed error={}", e.toString()); // tried again in an hour
        }
    }

    /** After a crash no OFFLINE event was written: close links the store still shows open. */
    private void closeStaleLinks() {
        long now = config.clock().millis();
        for (String vin : store.vins()) {
            long open = store.openLinks(vin); // counted in the database: startup does not read every event
            for (long i = 0; i < open; i++) {
                store.recordEvent(new VehicleEvent(vin, now, VehicleEvent.Kind.OFFLINE, -1, -1, "server restart"));
            }
        }
    }

    public int port() {
        return app.port();
    }

    /**
     * {@code http://host:port} of this server ({@code https://} with TLS; the bind address, 127.0.0.1
     * for a wildcard bind).
     */
    public String baseUrl() {
        String host = config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind();
        return (tls == null ? "http://" : "https://") + host + ":" + port();
    }

    /** The TLS identity, or null for plain HTTP; {@link ServerTls#reloadIfChanged} reloads it now. */
    public ServerTls tls() {
        return tls;
    }

    /**
     * The address the HTTP listener really bound (e.g. {@code 0.0.0.0:8080} for all interfaces,
     * {@code 127.0.0.1:8080} for {@code --bind localhost}).
     */
    public java.net.InetSocketAddress boundAddress() {
        for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof org.eclipse.jetty.server.ServerConnector sc
                    && sc.getTransport() instanceof java.nio.channels.ServerSocketChannel ch) {
                try {
                    return (java.net.InetSocketAddress) ch.getLocalAddress();
                } catch (IOException e) {
                    break; // fall back to the configured address
                }
            }
        }
        return new java.net.InetSocketAddress(config.bind(), port());
    }

    /** Warnings about exposure ({@code --insecure}), as printed at start and shown on /status. */
    public java.util.List<String> securityWarnings() {
        return guard.warnings();
    }

    /** The Fleet Telemetry listener, or null when off. */
    public io.fleetlog.server.ft.FtListener fleetTelemetry() {
        return fleetTelemetry;
    }

    /** The drives-and-charges deriver (null when the store keeps none). */
    public io.fleetlog.server.trips.Deriver deriver() {
        return deriver;
    }

    public SampleStore store() {
        return store;
    }

    public LiveHub live() {
        return live;
    }

    public Fleet fleet() {
        return fleet;
    }

    public IngestMetrics ingestMetrics() {
        return ingestMetrics;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public ServerConfig config() {
        return config;
    }

    /** Publishes a log event to every dashboard on /live (level: info, warn, error). */
    public void publishLog(String level, String message) {
        live.publishLog(level, message);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("server_stopping port={}", app.port());
        if (retention != null) {
            retention.shutdownNow();
        }
        if (tlsReload != null) {
            tlsReload.shutdownNow();
        }
        try {
            if (fleetTelemetry != null) {
                fleetTelemetry.close(); // in-flight records finish their commit; unacked ones are resent
            }
            ingest.closeAll();
            app.stop();
        } finally {
            live.close();
            if (deriver != null) {
                deriver.close();
                deriver.flush(); // what was committed but not yet derived, before the store closes
            }
            store.close();
            metrics.close();
        }
        log.info("server_stopped");
    }
}
