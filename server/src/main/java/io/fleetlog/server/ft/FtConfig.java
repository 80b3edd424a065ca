package io.fleetlog.server.ft;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the Tesla Fleet Telemetry listener listens and how it treats a car's pace. It always speaks
 * mutual TLS with the server's identity and client CA ({@link io.fleetlog.server.ServerConfig#tls()}
 * must name one).
 *
 * @param bind address to listen on ({@code 127.0.0.1} unless told otherwise; {@code 0.0.0.0} for all)
 * @param port TCP port, 0 = any free port (see {@link FtListener#port()})
 * @param rateLimit messages one connection may send per {@code rateInterval}; a message over it
 *     waits for its turn before it is handled (the connection is slowed, nothing is dropped), counted
 *     and logged once per burst. 0 = no limit.
 * @param rateInterval the rate limit's window
 * @param arrivalGap a car silent for longer than this (no record arrived) gets an {@code ARRIVAL_GAP}
 *     vehicle event when its next record arrives
 * @param tls the listener's own identity and client CA, or null to use the server's ({@link
 *     io.fleetlog.server.ServerConfig#tls()}); lets the HTTP port stay plain (the demo) or use another
 *     certificate than the cars see
 */
public record FtConfig(
        String bind,
        int port,
        int rateLimit,
        Duration rateInterval,
        Duration arrivalGap,
        io.fleetlog.server.tls.TlsConfig tls) {
    /** Default: 1,000 messages per 30 s per connection (the reference server's example configuration). */
    public static final int DEFAULT_RATE_LIMIT = 1000;

    public static final Duration DEFAULT_RATE_INTERVAL = Duration.ofSeconds(30);

    public static final Duration DEFAULT_ARRIVAL_GAP = Duration.ofSeconds(60);

    public FtConfig {
        Objects.requireNonNull(bind, "fleetTelemetry.bind");
        Objects.requireNonNull(rateInterval, "fleetTelemetry.rateInterval");
        Objects.requireNonNull(arrivalGap, "fleetTelemetry.arrivalGap");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("fleetTelemetry.bind '" + bind + "' is empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("fleetTelemetry.port " + port + " is outside 0..65535");
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("fleetTelemetry.rateLimit " + rateLimit + " is negative");
        }
        if (rateInterval.isNegative() || rateInterval.isZero()) {
            throw new IllegalArgumentException("fleetTelemetry.rateInterval " + rateInterval + " is not positive");
        }
        if (arrivalGap.isNegative() || arrivalGap.isZero()) {
            throw new IllegalArgumentException("fleetTelemetry.arrivalGap " + arrivalGap + " is not positive");
        }
        if (tls != null && tls.clientCa() == null) {
            throw new IllegalArgumentException("fleetTelemetry.tls needs a client CA (cars present certificates)");
        }
    }

    /** On {@code port} of {@code bind}, with the default rate limit and gap threshold. */
    public FtConfig(String bind, int port) {
        this(bind, port, DEFAULT_RATE_LIMIT, DEFAULT_RATE_INTERVAL, DEFAULT_ARRIVAL_GAP, null);
    }

    /** On {@code port} of 127.0.0.1. */
    public static FtConfig onPort(int port) {
        return new FtConfig("127.0.0.1", port);
    }

    public FtConfig withRateLimit(int messages, Duration interval) {
        return new FtConfig(bind, port, messages, interval, arrivalGap, tls);
    }

    public FtConfig withArrivalGap(Duration gap) {
        return new FtConfig(bind, port, rateLimit, rateInterval, gap, tls);
    }

    /** With its own TLS identity and client CA instead of the server's. */
    public FtConfig withTls(io.fleetlog.server.tls.TlsConfig own) {
        return new FtConfig(bind, port, rateLimit, rateInterval, arrivalGap, own);
    }
}
