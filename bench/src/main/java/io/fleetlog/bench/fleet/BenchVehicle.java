package io.fleetlog.bench.fleet;

import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.util.ArrayList;
import java.util.List;

/**
 * One vehicle of the benchmark fleet: models cycle Model 3, Model Y, Model S Plaid, Model X (as in
 * the demo), each with its own VIN, drive seed and a benchmark-only token derived from the VIN (so a
 * child JVM derives the same token without being handed it).
 */
record BenchVehicle(int index, VehicleModel model, String vin, long seed) {

    /** 2025-11-26T00:00:00Z, capture time of every simulated drive's first sample. */
    static final long START_EPOCH_MS = 1_764_115_200_000L;

    private static final VehicleModel[] ORDER = {
        VehicleModel.MODEL3, VehicleModel.MODELY, VehicleModel.MODELS_PLAID, VehicleModel.MODELX
    };

    /** The token this vehicle authenticates with (benchmark servers only). */
    String token() {
        return "bench-" + vin;
    }

    /** The first {@code n} vehicles; seeds 1..n. */
    static List<BenchVehicle> fleet(int n) {
        if (n < 1 || n > 100) {
            throw new IllegalArgumentException("vehicles " + n + " must be between 1 and 100");
        }
        List<BenchVehicle> out = new ArrayList<>();
        int[] perModel = new int[VehicleModel.values().length];
        for (int i = 0; i < n; i++) {
            VehicleModel m = ORDER[i % ORDER.length];
            out.add(new BenchVehicle(i, m, DriveSimulator.vin(m, perModel[m.ordinal()]++), i + 1L));
        }
        return out;
    }
}
