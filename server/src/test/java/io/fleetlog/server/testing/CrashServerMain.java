package io.fleetlog.server.testing;

import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** A server in its own JVM for crash tests: {@code CrashServerMain DB_URL PORT_FILE}; runs until killed. */
public final class CrashServerMain {
    private CrashServerMain() {}

    public static void main(String[] args) throws Exception {
        FleetServer s =
                FleetServer.start(ServerConfig.defaults(ServerFixture.tokens()).withDb(args[0]));
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(s.port()));
        Files.move(tmp, Path.of(args[1]));
        Thread.currentThread().join();
    }
}
