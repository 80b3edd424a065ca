package io.fleetlog.server.ft;

import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.server.tls.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server with the Fleet Telemetry listener in its own JVM, for the SIGKILL test:
 * {@code FtCrashServerMain DB_URL PORT_FILE CERT KEY CA}; writes the listener's port, runs until killed.
 */
public final class FtCrashServerMain {
    private FtCrashServerMain() {}

    public static void main(String[] args) throws Exception {
        FleetServer s = FleetServer.start(ServerConfig.defaults(ServerFixture.tokens())
                .withDb(args[0])
                .withTls(TlsConfig.of(Path.of(args[2]), Path.of(args[3])).withClientCa(Path.of(args[4])))
                .withFleetTelemetry(FtConfig.onPort(0)));
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(s.fleetTelemetry().port()));
        Files.move(tmp, Path.of(args[1]));
        Thread.currentThread().join();
    }
}
