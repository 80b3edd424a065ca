package io.fleetlog.edge.uplink;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Vin;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of one vehicle's uplink, validated on construction (messages name field and value). The
 * token is never printed by {@link #toString()}.
 *
 * @param server the server's base URL ({@code http://host:port} or {@code https://…}); the WebSocket
 *     URL is {@link #ingestUri()}
 * @param heartbeatTimeout the link is declared dead when nothing arrived for this long (a tunnel
 *     blackholes packets without closing the socket)
 * @param liveFlushInterval when caught up, a batch leaves at the latest this long after the previous
 *     one (at most 200 ms)
 * @param liveBatchSamples batch size when caught up
 * @param drainBatchSamples batch size while draining a backlog
 * @param maxInFlightBatches batches sent and not yet acknowledged
 * @param drainThresholdSamples unacknowledged samples above which the link counts as DRAINING
 * @param catalogue the vehicle's signal catalogue (null: {@link Catalogue#builtin()}); its hash goes
 *     in the Hello, its signals make the connection's frame layout
 */
public record UplinkConfig(
        URI server,
        String vin,
        String model,
        String name,
        String token,
        Catalogue catalogue,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration connectTimeout,
        Duration liveFlushInterval,
        Duration statusInterval,
        int liveBatchSamples,
        int drainBatchSamples,
        int maxInFlightBatches,
        int drainThresholdSamples,
        Backoff backoff) {

    public static final Duration MAX_LIVE_FLUSH = Duration.ofMillis(200);

    public UplinkConfig {
        ingestUri(server);
        Vin.check(vin);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        name = name == null ? "" : name;
        token = token == null ? "" : token;
        catalogue = catalogue == null ? Catalogue.builtin() : catalogue;
        positive("heartbeatInterval", heartbeatInterval);
        positive("heartbeatTimeout", heartbeatTimeout);
        positive("connectTimeout", connectTimeout);
        positive("liveFlushInterval", liveFlushInterval);
        positive("statusInterval", statusInterval);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout " + heartbeatTimeout
                    + " must be longer than heartbeatInterval " + heartbeatInterval);
        }
        if (liveFlushInterval.compareTo(MAX_LIVE_FLUSH) > 0) {
            throw new IllegalArgumentException("liveFlushInterval " + liveFlushInterval + " must be at most 200 ms");
        }
        range("liveBatchSamples", liveBatchSamples, 1, 65_536);
        range("drainBatchSamples", drainBatchSamples, 1, 65_536);
        range("maxInFlightBatches", maxInFlightBatches, 1, 1_024);
        range("drainThresholdSamples", drainThresholdSamples, 1, Integer.MAX_VALUE);
        if (backoff == null) {
            throw new IllegalArgumentException("backoff must not be null");
        }
    }

    /**
     * Defaults: heartbeat every 1 s, dead after 5 s of silence, connect timeout 5 s, live batches of
     * up to 50 samples flushed every 100 ms, drain batches of 2000, 8 batches in flight, DRAINING above
     * 250 unacknowledged samples (5 s at 50 Hz), status every 1 s, {@link Backoff#defaults()}.
     */
    public static UplinkConfig of(String serverBaseUrl, String vin, String model, String token) {
        return new UplinkConfig(
                parse(serverBaseUrl),
                vin,
                model,
                "",
                token,
                Catalogue.builtin(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                50,
                2_000,
                8,
                250,
                Backoff.defaults());
    }

    public UplinkConfig withName(String n) {
        return new UplinkConfig(
                server,
                vin,
                model,
                n,
                token,
                catalogue,
                heartbeatInterval,
                heartbeatTimeout,
                connectTimeout,
                liveFlushInterval,
                statusInterval,
                liveBatchSamples,
                drainBatchSamples,
                maxInFlightBatches,
                drainThresholdSamples,
                backoff);
    }

    public UplinkConfig withServer(URI s) {
        return new UplinkConfig(
                s,
                vin,
                model,
                name,
                token,
                catalogue,
                heartbeatInterval,
                heartbeatTimeout,
                connectTimeout,
                liveFlushInterval,
                statusInterval,
                liveBatchSamples,
                drainBatchSamples,
                maxInFlightBatches,
                drainThresholdSamples,
                backoff);
    }

    /**
     * The catalogue this vehicle's frames are encoded with (the built-in one, or the built-in one
     * extended by a user file: {@code CatalogueFormat.readOver}); the Hello names it by hash.
     */
    public UplinkConfig withCatalogue(Catalogue c) {
        return new UplinkConfig(
                server,
                vin,
                model,
                name,
                token,
                c,
                heartbeatInterval,
                heartbeatTimeout,
                connectTimeout,
                liveFlushInterval,
                statusInterval,
                liveBatchSamples,
                drainBatchSamples,
                maxInFlightBatches,
                drainThresholdSamples,
                backoff);
    }

    public UplinkConfig withHeartbeat(Duration interval, Duration timeout) {
        return new UplinkConfig(
                server,
                vin,
                model,
                name,
                token,
                catalogue,
                interval,
                timeout,
                connectTimeout,
                liveFlushInterval,
                statusInterval,
                liveBatchSamples,
                drainBatchSamples,
                maxInFlightBatches,
                drainThresholdSamples,
                backoff);
    }

    public UplinkConfig withConnectTimeout(Duration t) {
        return new UplinkConfig(
                server,
                vin,
                model,
                name,
                token,
                catalogue,
                heartbeatInterval,
                heartbeatTimeout,
                t,
                liveFlushInterval,
                statusInterval,
                liveBatchSamples,
                drainBatchSamples,
                maxInFlightBatches,
                drainThresholdSamples,
                backoff);
    }

    public UplinkConfig withBatches(Duration liveFlush, int live, int drain, int inFlight) {
        return new UplinkConfig(
                server,
                vin,
                model,
                name,
                token,
                catalogue,
                heartbeatInterval,
                heartbeatTimeout,
                connectTimeout,
                liveFlush,
                statusInterval,
                live,
                drain,
                inFlight,
                drainThresholdSamples,
                backoff);
    }

    public UplinkConfig withBackoff(Backoff b) {
        return new UplinkConfig(
                server,
                vin,
                model,
                name,
                token,
                catalogue,
                heartbeatInterval,
                heartbeatTimeout,
                connectTimeout,
                liveFlushInterval,
                statusInterval,
                liveBatchSamples,
                drainBatchSamples,
                maxInFlightBatches,
                drainThresholdSamples,
                b);
    }

    /** The WebSocket URL: {@code http://h:p/x} → {@code ws://h:p/x/ingest}, https → wss. */
    public URI ingestUri() {
        return ingestUri(server);
    }

    static URI parse(String base) {
        try {
            return new URI(base.trim());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("server '" + base + "' is not a URL like http://host:port");
        }
    }

    static URI ingestUri(URI base) {
        if (base == null || base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("server '" + base + "' is not a URL like http://host:port");
        }
        String scheme = switch (base.getScheme().toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("server '" + base + "' must start with http:// or https://");
        };
        String path = base.getPath() == null ? "" : base.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme, null, base.getHost(), base.getPort(), path + "/ingest", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("server '" + base + "': " + e.getMessage());
        }
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " " + d + " must be positive");
        }
    }

    private static void range(String field, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + " " + v + " must be between " + lo + " and " + hi);
        }
    }

    @Override
    public String toString() {
        return "UplinkConfig[server=" + server + ", vin=" + vin + ", model=" + model + ", token="
                + (token.isEmpty() ? "(none)" : "(set)") + ", heartbeat=" + heartbeatInterval + "/" + heartbeatTimeout
                + ", live=" + liveBatchSamples + "@" + liveFlushInterval + ", drain=" + drainBatchSamples
                + ", inFlight=" + maxInFlightBatches + ", catalogue=" + catalogue.shortId() + "]";
    }
}
