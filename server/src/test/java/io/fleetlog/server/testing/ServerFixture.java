package io.fleetlog.server.testing;

import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Starts a real server on 127.0.0.1, port 0, on a SQLite file, with tokens for two test VINs. */
public final class ServerFixture implements AutoCloseable {
    public static final String TOKEN_A = "token-a-secret";
    public static final String TOKEN_B = "token-b-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final FleetServer server;
    public final String base;

    private ServerFixture(FleetServer server) {
        this.server = server;
        this.base = server.baseUrl();
    }

    public static TokenStore tokens() {
        return TokenStore.demo(Map.of(Samples.VIN_A, TOKEN_A, Samples.VIN_B, TOKEN_B));
    }

    public static ServerConfig config(Path dir) {
        return ServerConfig.defaults(tokens()).withDb("jdbc:sqlite:" + dir.resolve("fleetlog.db"));
    }

    public static ServerFixture start(ServerConfig config) {
        return new ServerFixture(FleetServer.start(config));
    }

    public static ServerFixture start(ServerConfig config, SampleStore store) {
        return new ServerFixture(FleetServer.start(config, store));
    }

    public static ServerFixture start(Path dir) {
        return start(config(dir), Stores.open(config(dir).dbUrl()));
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code condition} until it holds or {@code timeoutMs} passed; returns whether it held. */
    public static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.close();
    }
}
