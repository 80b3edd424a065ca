package io.fleetlog.server.store;

import java.util.Objects;

/**
 * One charging session of one vehicle, derived from its stored frames ({@code
 * io.fleetlog.server.trips}); keyed by {@code (vin, startMs)}. {@code energyAddedKwh} is the energy the
 * charger delivered (integrated charger power, or the delta of the car's charging-energy counter when
 * it reports one); {@code kind} is {@code AC} or {@code DC}; {@code cost} is NaN when no tariff applies.
 * Unknown values are NaN, stored as SQL NULL. See docs/drives.md.
 */
public record Charge(
        String vin,
        long startMs,
        long endMs,
        double lat,
        double lon,
        double energyAddedKwh,
        double socFrom,
        double socTo,
        double peakPowerKw,
        double meanPowerKw,
        String kind,
        double cost,
        String currency,
        double backfillFraction) {

    public Charge {
        Objects.requireNonNull(vin, "vin");
        Objects.requireNonNull(kind, "kind");
        if (endMs < startMs) {
            throw new IllegalArgumentException(
                    "charge of " + vin + " ends at " + endMs + " before its start " + startMs);
        }
    }

    public double durationS() {
        return (endMs - startMs) / 1000.0;
    }

    /** The same session with a cost (a tariff is applied after detection). */
    public Charge withCost(double newCost, String newCurrency) {
        return new Charge(
                vin,
                startMs,
                endMs,
                lat,
                lon,
                energyAddedKwh,
                socFrom,
                socTo,
                peakPowerKw,
                meanPowerKw,
                kind,
                newCost,
                newCurrency,
                backfillFraction);
    }
}
