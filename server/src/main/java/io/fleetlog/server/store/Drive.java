package io.fleetlog.server.store;

import java.util.Objects;

/**
 * One drive of one vehicle, derived from its stored frames ({@code io.fleetlog.server.trips}); keyed
 * by {@code (vin, startMs)}. A value that could not be derived (no such signal in the drive's
 * frames) is NaN, stored as SQL NULL. Energy is the battery energy used in kWh, positive when the
 * drive consumed energy; {@code energySource} says how it was found: {@code power} (integrated
 * Power), {@code soc} (state-of-charge delta, no usable Power), {@code power+soc} (both, for
 * different spans) or {@code none}. See docs/drives.md.
 */
public record Drive(
        String vin,
        long startMs,
        long endMs,
        double startLat,
        double startLon,
        double endLat,
        double endLon,
        double startOdometerMi,
        double endOdometerMi,
        double energyKwh,
        String energySource,
        double maxSpeedMph,
        double meanSpeedMph,
        double elevationGainM,
        double elevationLossM,
        double startSoc,
        double endSoc,
        double backfillFraction) {

    public static final double KM_PER_MI = 1.609344;

    public Drive {
        Objects.requireNonNull(vin, "vin");
        Objects.requireNonNull(energySource, "energySource");
        if (endMs < startMs) {
            throw new IllegalArgumentException(
                    "drive of " + vin + " ends at " + endMs + " before its start " + startMs);
        }
    }

    /** Odometer delta, miles (NaN without an odometer). */
    public double distanceMi() {
        return endOdometerMi - startOdometerMi;
    }

    public double distanceKm() {
        return distanceMi() * KM_PER_MI;
    }

    public double durationS() {
        return (endMs - startMs) / 1000.0;
    }

    /** Energy per distance, Wh/mi; NaN when the drive covered no distance or its energy is unknown. */
    public double whPerMi() {
        double d = distanceMi();
        return d > 0 ? energyKwh * 1000 / d : Double.NaN;
    }

    public double whPerKm() {
        double d = distanceKm();
        return d > 0 ? energyKwh * 1000 / d : Double.NaN;
    }
}
