package io.fleetlog.bench.fleet;

import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.Stores;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleetlog server for one benchmark: 127.0.0.1, a free port, a fresh embedded SQLite store in
 * {@code dir}, the benchmark fleet's tokens, and a {@link TimedStore} in front of the store.
 */
final class BenchServer implements AutoCloseable {
    private final FleetServer server;
    private final TimedStore store;

    private BenchServer(FleetServer server, TimedStore store) {
        this.server = server;
        this.store = store;
    }

    static BenchServer start(Path dir, List<BenchVehicle> fleet, TimedStore.CommitListener listener) {
        Map<String, String> tokens = new LinkedHashMap<>();
        fleet.forEach(v -> tokens.put(v.vin(), v.token()));
        String db = "jdbc:sqlite:" + dir.resolve("server.db");
        ServerConfig config = ServerConfig.defaults(TokenStore.demo(tokens)).withDb(db);
        TimedStore store = new TimedStore(Stores.open(db), listener);
        return new BenchServer(FleetServer.start(config, store), store);
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** Samples stored for the fleet (committed). */
    long stored(List<BenchVehicle> fleet) {
        long n = 0;
        for (BenchVehicle v : fleet) {
            n += server.store().count(v.vin());
        }
        return n;
    }

    /** Wall time, in seconds, during which the store had an append in progress. */
    double storeBusySeconds() {
        return store.busyNanos() / 1e9;
    }

    @Override
    public void close() {
        server.close();
    }
}
