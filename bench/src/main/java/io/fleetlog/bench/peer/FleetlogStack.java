package io.fleetlog.bench.peer;

import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * fleetlog's side of the comparison: {@link FleetlogFleet} (spool + uplink per vehicle) → {@link Link}
 * → {@link FleetServer} (port 0, 127.0.0.1) storing into its SQLite store (wrapped in a
 * {@link TallyingStore}). Everything under {@code dir}; {@link #close()} stops it all.
 */
final class FleetlogStack implements Stack {

    /** The environment variable that passes vehicle tokens to an {@link EdgeProcess} child. */
    static final String TOKENS_ENV = "FLEETLOG_BENCH_TOKENS";

    private final Path dir;
    private final TokenStore tokenStore = TokenStore.inMemory();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Tally tally = new Tally();
    private final FleetServer server;
    private final Link link;
    private final SpoolConfig spoolConfig;
    private final List<AutoCloseable> fleets = new ArrayList<>();

    private FleetlogStack(Path dir, SpoolConfig spoolConfig) throws Exception {
        this.dir = dir;
        this.spoolConfig = spoolConfig;
        String url = storeUrl(dir);
        this.server = FleetServer.start(
                ServerConfig.defaults(tokenStore).withPort(0).withDb(url), new TallyingStore(Stores.open(url), tally));
        try {
            this.link = new FaultProxyLink(server.port());
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    static boolean available() {
        return true;
    }

    /** Starts the server and the link under {@code dir}, vehicles with {@link SpoolConfig#defaults()}. */
    static FleetlogStack start(Path dir) throws Exception {
        return new FleetlogStack(dir, SpoolConfig.defaults());
    }

    static FleetlogStack start(Path dir, SpoolConfig spoolConfig) throws Exception {
        return new FleetlogStack(dir, spoolConfig);
    }

    /** The SQLite store both stacks write to: {@code dir/store.db}. */
    static String storeUrl(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("store.db").toAbsolutePath();
    }

    @Override
    public String name() {
        return "fleetlog";
    }

    @Override
    public String describe() {
        return "edge spool (SQLite WAL, synchronous=" + spoolConfig.synchronous() + ", group commit "
                + spoolConfig.groupCommitInterval().toMillis() + " ms / " + spoolConfig.groupCommitSamples()
                + " samples, bound " + spoolConfig.maxSamples() + " samples per vehicle, " + spoolConfig.fullPolicy()
                + " when full) → uplink (WebSocket, protobuf batches, predictive compression, reconnect backoff ≤ "
                + FleetlogFleet.BACKOFF.cap().toMillis() + " ms) → FleetServer → SQLite store (synchronous=FULL),"
                + " ack after commit";
    }

    @Override
    public Path edgeStateDir() {
        return dir.resolve("vehicles");
    }

    @Override
    public Link link() {
        return link;
    }

    @Override
    public Tally stored() {
        return tally;
    }

    @Override
    public Capture connect(Workload workload) throws Exception {
        FleetlogFleet fleet = FleetlogFleet.connect(
                workload,
                baseUrlThroughLink(),
                tokensFor(workload),
                dir.resolve("vehicles"),
                spoolConfig,
                Duration.ofSeconds(30));
        fleets.add(fleet);
        return fleet;
    }

    @Override
    public List<String> edgeProcessArgs(Workload workload, Path stateDir) {
        return EdgeProcess.args("fleetlog", baseUrlThroughLink(), stateDir, workload);
    }

    @Override
    public Map<String, String> edgeProcessEnv(Workload workload) {
        return Map.of(
                TOKENS_ENV,
                tokensFor(workload).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")));
    }

    /** The child-process side: the vehicles of {@code workload} against {@code target}. */
    static Capture childEdge(String target, Path stateDir, Workload workload) throws InterruptedException {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String pair : System.getenv().getOrDefault(TOKENS_ENV, "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                tokens.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return FleetlogFleet.connect(
                workload, target, tokens, stateDir, SpoolConfig.defaults(), Duration.ofSeconds(60));
    }

    private synchronized Map<String, String> tokensFor(Workload workload) {
        for (String vin : workload.vins()) {
            tokens.computeIfAbsent(vin, tokenStore::add);
        }
        return Map.copyOf(tokens);
    }

    private String baseUrlThroughLink() {
        return "http://127.0.0.1:" + link.port();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable f : fleets) {
            f.close();
        }
        link.close();
        server.close();
    }
}
