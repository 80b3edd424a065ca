package io.fleetlog.app.cli;

import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.catalog.Catalogues;
import io.fleetlog.server.tls.TlsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetlog server}: the ingest server, store, live feed, API and dashboard. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the fleetlog server.")
public final class ServerCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            description = "TCP port (default: $PORT, else 8080; 0 = any free port).",
            defaultValue = "${env:PORT:-8080}")
    int port;

    @Option(
            names = "--bind",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(
            names = "--db",
            description = "jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB (default: ${DEFAULT-VALUE}).",
            defaultValue = ServerConfig.DEFAULT_DB)
    String db;

    @Option(
            names = "--store-layout",
            paramLabel = "rows|chunks",
            description = "How frames are kept at rest: chunks (rows land in a tail that a background merger"
                    + " compacts into compressed one-minute chunks) or rows (one row per frame, no merger);"
                    + " either reads both, so a database may switch (docs/server.md; default: ${DEFAULT-VALUE}).",
            defaultValue = "chunks",
            converter = StoreLayoutConverter.class)
    io.fleetlog.server.store.StoreLayout storeLayout;

    /** Parses --store-layout with the layout's own message. */
    static final class StoreLayoutConverter
            implements picocli.CommandLine.ITypeConverter<io.fleetlog.server.store.StoreLayout> {
        @Override
        public io.fleetlog.server.store.StoreLayout convert(String value) {
            return io.fleetlog.server.store.StoreLayout.parse(value);
        }
    }

    @Option(
            names = "--tokens",
            required = true,
            description = "Tokens file (create entries with 'fleetlog token add').")
    Path tokens;

    @Option(
            names = "--max-message-bytes",
            description = "Largest ingest message accepted (default: ${DEFAULT-VALUE}).",
            defaultValue = "4194304")
    int maxMessageBytes;

    @Option(
            names = "--max-batch-samples",
            description = "Most samples per batch (default: ${DEFAULT-VALUE}).",
            defaultValue = "65536")
    int maxBatchSamples;

    @Option(
            names = "--retention-days",
            description = "Delete samples and events older than this many whole UTC days, checked every"
                    + " hour (default: keep everything).")
    Integer retentionDays;

    @Option(
            names = "--rollup-10s-retention-days",
            description = "Drop 10 s rollups older than this many whole UTC days, checked every hour"
                    + " (default: keep them).")
    Integer rollup10sRetentionDays;

    @Option(
            names = "--rollup-1m-retention-days",
            description = "Drop 1 min rollups older than this many whole UTC days (PostgreSQL: whole months"
                    + " past it), checked every hour (default: keep them forever).")
    Integer rollup1mRetentionDays;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "PEM certificate (chain, leaf first): serve HTTPS and WSS on --port instead of HTTP."
                    + " Reloaded when the file changes.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1; unencrypted, mode 0600).")
    Path tlsKey;

    @Option(
            names = "--client-ca",
            paramLabel = "FILE",
            description = "PEM CA bundle for vehicle client certificates (CN = VIN), accepted instead of a token.")
    Path clientCa;

    @Option(
            names = "--fleet-telemetry-port",
            paramLabel = "P",
            description = "Also accept Tesla Fleet Telemetry streams on this port (0 = any free port), on --bind:"
                    + " mutual TLS only, so it needs --tls-cert, --tls-key and --client-ca (the CA of the"
                    + " vehicle certificates). See docs/fleet-telemetry.md.")
    Integer fleetTelemetryPort;

    @Option(
            names = "--ft-rate-limit",
            paramLabel = "N/SECONDS",
            description = "Fleet Telemetry messages one car connection may send per SECONDS; more wait for their"
                    + " turn (the car is slowed, nothing is dropped), counted and logged; 0 = no limit"
                    + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000/30")
    String ftRateLimit;

    @Option(
            names = "--ft-arrival-gap",
            paramLabel = "SECONDS",
            description = "A Fleet Telemetry car silent for longer than this gets an ARRIVAL_GAP event when it is"
                    + " heard again (default: ${DEFAULT-VALUE}).",
            defaultValue = "60")
    long ftArrivalGapSeconds;

    @Option(
            names = "--catalogue",
            paramLabel = "FILE",
            description = "A signal catalogue file read over the built-in one (docs/catalogue.md) that edges may"
                    + " name in their Hello; repeatable. The built-in catalogue is always held.")
    List<Path> catalogues = new ArrayList<>();

    @Option(
            names = "--tariff",
            paramLabel = "FILE",
            description = "Price charging sessions with this tariff file: a flat rate, or rates by time of day and"
                    + " place (docs/drives.md). Without it charges have no cost.")
    Path tariff;

    @picocli.CommandLine.Mixin
    HttpSecurityOptions security = new HttpSecurityOptions();

    @picocli.CommandLine.Mixin
    MqttOptions mqtt = new MqttOptions();

    @picocli.CommandLine.Mixin
    BusOptions bus = new BusOptions();

    @Override
    public Integer call() throws InterruptedException {
        io.fleetlog.server.mqtt.MqttConfig mqttConfig = mqtt.toConfig();
        io.fleetlog.server.trips.Tariff prices = tariff();
        FleetServer server = bus.start(config(), storeLayout); // FleetServer.start(config) without --bus
        if (prices != null && server.deriver() != null) {
            server.deriver().tariff(prices);
        }
        io.fleetlog.server.mqtt.MqttBridge bridge =
                mqttConfig == null ? null : io.fleetlog.server.mqtt.MqttBridge.start(mqttConfig, server);
        System.out.println("fleetlog server listening on " + bound(server.boundAddress()) + " (" + server.baseUrl()
                + ", ingest: " + server.baseUrl().replace("http", "ws") + "/ingest)");
        if (server.fleetTelemetry() != null) {
            System.out.println("Fleet Telemetry listening on " + bind + ":"
                    + server.fleetTelemetry().port() + " (mutual TLS, client CA " + clientCa + ")");
        }
        if (bridge != null) {
            System.out.println("MQTT: publishing to " + mqttConfig.broker() + " under " + mqttConfig.fleetlogRoot()
                    + "/" + (mqttConfig.teslaMate() ? " and " + mqttConfig.teslaMateRoot() + "/" : "")
                    + (mqttConfig.discoveryPrefix() == null
                            ? ""
                            : ", Home Assistant discovery under " + mqttConfig.discoveryPrefix() + "/"));
        }
        for (String w : server.securityWarnings()) {
            System.out.println("WARNING: " + w);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (bridge != null) {
                                bridge.close(); // before the store closes: it reads the fleet
                            }
                            server.close();
                            stopped.countDown();
                        },
                        "server-shutdown"));
        stopped.await();
        return 0;
    }

    /** The --tariff file, read and checked before the server starts (null without one). */
    io.fleetlog.server.trips.Tariff tariff() {
        if (tariff == null) {
            return null;
        }
        try {
            return io.fleetlog.server.trips.Tariff.read(tariff);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--tariff: cannot read " + tariff + ": " + e.getMessage(), e);
        }
    }

    /** The options as a {@link ServerConfig} (validated there; TLS files read when the server starts). */
    ServerConfig config() {
        if (retentionDays != null && retentionDays < 1) {
            throw new IllegalArgumentException("--retention-days must be at least 1, got " + retentionDays);
        }
        if (rollup10sRetentionDays != null && rollup10sRetentionDays < 1) {
            throw new IllegalArgumentException(
                    "--rollup-10s-retention-days must be at least 1, got " + rollup10sRetentionDays);
        }
        if (rollup1mRetentionDays != null && rollup1mRetentionDays < 1) {
            throw new IllegalArgumentException(
                    "--rollup-1m-retention-days must be at least 1, got " + rollup1mRetentionDays);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together (got only "
                    + (tlsCert == null ? "--tls-key" : "--tls-cert") + ")");
        }
        if (clientCa != null && tlsCert == null) {
            throw new IllegalArgumentException(
                    "--client-ca needs --tls-cert and --tls-key (client certificates are" + " part of TLS)");
        }
        if (fleetTelemetryPort != null && (tlsCert == null || clientCa == null)) {
            throw new IllegalArgumentException("--fleet-telemetry-port needs --tls-cert, --tls-key and --client-ca"
                    + " (Fleet Telemetry is mutual TLS: cars present certificates of the --client-ca)");
        }
        ServerConfig.Limits d = ServerConfig.Limits.defaults();
        ServerConfig config = ServerConfig.defaults(TokenStore.load(tokens))
                .withBind(bind)
                .withPort(port)
                .withDb(db)
                .withLimits(new ServerConfig.Limits(
                        maxMessageBytes, maxBatchSamples, d.badMessageBudget(), d.liveQueueMessages()))
                .withRetention(retentionDays == null ? null : java.time.Duration.ofDays(retentionDays))
                .withRollupRetention(new io.fleetlog.server.history.RollupRetention(
                        rollup10sRetentionDays == null ? null : java.time.Duration.ofDays(rollup10sRetentionDays),
                        rollup1mRetentionDays == null ? null : java.time.Duration.ofDays(rollup1mRetentionDays)))
                .withSecurity(security.toSecurity())
                .withCatalogues(Catalogues.load(catalogues));
        if (tlsCert == null) {
            return config;
        }
        config = config.withTls(TlsConfig.of(tlsCert, tlsKey).withClientCa(clientCa));
        return fleetTelemetryPort == null
                ? config
                : config.withFleetTelemetry(ftConfig(bind, fleetTelemetryPort, ftRateLimit, ftArrivalGapSeconds));
    }

    /** The listener's settings; {@code rate} is {@code N/SECONDS} or {@code 0}. */
    static io.fleetlog.server.ft.FtConfig ftConfig(String bind, int port, String rate, long gapSeconds) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,9})(?:/(\\d{1,6}))?").matcher(rate.strip());
        if (!m.matches() || (m.group(2) == null && !"0".equals(m.group(1)))) {
            throw new IllegalArgumentException(
                    "--ft-rate-limit '" + rate + "' is not N/SECONDS (e.g. 1000/30) or 0 (no limit)");
        }
        int n = Integer.parseInt(m.group(1));
        long seconds = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
        if (seconds == 0) {
            throw new IllegalArgumentException("--ft-rate-limit '" + rate + "': the interval must be at least 1 s");
        }
        if (gapSeconds < 1) {
            throw new IllegalArgumentException("--ft-arrival-gap " + gapSeconds + " must be at least 1 s");
        }
        return new io.fleetlog.server.ft.FtConfig(bind, port)
                .withRateLimit(n, java.time.Duration.ofSeconds(seconds))
                .withArrivalGap(java.time.Duration.ofSeconds(gapSeconds));
    }

    /** The address really bound: {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code *:8080 (all interfaces)}. */
    static String bound(java.net.InetSocketAddress a) {
        java.net.InetAddress ip = a.getAddress();
        if (ip == null || ip.isAnyLocalAddress()) {
            return "*:" + a.getPort() + " (all interfaces)";
        }
        String host = ip.getHostAddress();
        return (ip instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
