package io.fleetlog.server.ft;

import java.util.Objects;

/**
 * Where the Tesla Fleet Telemetry listener listens. It always speaks mutual TLS with the server's
 * identity and client CA ({@link io.fleetlog.server.ServerConfig#tls()} must name one).
 *
 * @param bind address to listen on ({@code 127.0.0.1} unless told otherwise; {@code 0.0.0.0} for all)
 * @param port TCP port, 0 = any free port (see {@link FtListener#port()})
 */
public record FtConfig(String bind, int port) {
    public FtConfig {
        Objects.requireNonNull(bind, "fleetTelemetry.bind");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("fleetTelemetry.bind '" + bind + "' is empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("fleetTelemetry.port " + port + " is outside 0..65535");
        }
    }

    /** On {@code port} of 127.0.0.1. */
    public static FtConfig onPort(int port) {
        return new FtConfig("127.0.0.1", port);
    }
}
