package io.fleetlog.logs;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Options of {@link LogSources#open}; {@code null} means "not given" (the format's default).
 *
 * @param dbc candump: the DBC file (default: the built-in Model 3 subset)
 * @param mapping candump: a signal-mapping file (default: the built-in Model 3 mapping); csv: the
 *     column-mapping file (required)
 * @param iface candump: the interface to read (default: all)
 * @param vehicle teslafi/teslamate/csv: the car to read from a multi-car file (vehicle id or VIN)
 * @param zone CSV formats: the zone of local times (default America/Los_Angeles for Tessie and
 *     TeslaFi, UTC for TeslaMate, the mapping's {@code time.zone} for csv)
 * @param resampleHz candump: the sample rate (default 50); CSV formats: resample to this rate
 *     (default 0 = each row at its own time)
 * @param maxGap the longest gap bridged (candump default 1 s, CSV resampling default 60 s)
 */
public record LogOptions(
        Path dbc, Path mapping, String iface, String vehicle, ZoneId zone, double resampleHz, Duration maxGap) {
    /** Default longest gap bridged by CSV resampling. */
    public static final Duration CSV_MAX_GAP = Duration.ofSeconds(60);
    /** Default longest silence between CAN frames that samples are still made through. */
    public static final Duration CAN_MAX_GAP = Duration.ofSeconds(1);

    public LogOptions {
        if (!(resampleHz >= 0 && resampleHz <= 1000)) {
            throw new IllegalArgumentException("resampleHz " + resampleHz + " is outside [0, 1000]");
        }
        if (maxGap != null && (maxGap.isNegative() || maxGap.isZero())) {
            throw new IllegalArgumentException("maxGap " + maxGap + " must be positive");
        }
    }

    /** Nothing given. */
    public static LogOptions defaults() {
        return new LogOptions(null, null, null, null, null, 0, null);
    }

    public LogOptions withDbc(Path p) {
        return new LogOptions(p, mapping, iface, vehicle, zone, resampleHz, maxGap);
    }

    public LogOptions withMapping(Path p) {
        return new LogOptions(dbc, p, iface, vehicle, zone, resampleHz, maxGap);
    }

    public LogOptions withInterface(String name) {
        return new LogOptions(dbc, mapping, name, vehicle, zone, resampleHz, maxGap);
    }

    public LogOptions withVehicle(String id) {
        return new LogOptions(dbc, mapping, iface, id, zone, resampleHz, maxGap);
    }

    public LogOptions withZone(ZoneId z) {
        return new LogOptions(dbc, mapping, iface, vehicle, z, resampleHz, maxGap);
    }

    public LogOptions withResample(double hz, Duration gap) {
        return new LogOptions(dbc, mapping, iface, vehicle, zone, hz, gap);
    }
}
