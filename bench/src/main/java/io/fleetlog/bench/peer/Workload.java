package io.fleetlog.bench.peer;

import io.fleetlog.sample.Vin;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.source.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's workload: a fleet of simulated Teslas ({@link DriveSimulator}), each capturing
 * {@code samplesPerVehicle} samples at 50 Hz of the eight legacy fields, identical for both stacks.
 *
 * <p>{@link #source(int)} returns a fresh deterministic source per vehicle (model, seed and start
 * time fix every sample), so both stacks and both runs of a crashed child capture exactly the same
 * content. Validated in the constructor.
 */
record Workload(List<String> vins, long samplesPerVehicle, long startEpochMs, long seed) {

    /** Capture period of the fleet: 50 Hz. */
    static final long PERIOD_MS = DriveSimulator.PERIOD_MS;

    /** Samples per second per vehicle. */
    static final long HZ = DriveSimulator.RATE_HZ;

    /** The demo fleet's model mix: Model 3, Model Y, Model S Plaid, Model X, then again. */
    private static final VehicleModel[] MODELS = {
        VehicleModel.MODEL3, VehicleModel.MODELY, VehicleModel.MODELS_PLAID, VehicleModel.MODELX
    };

    Workload {
        vins = List.copyOf(vins);
        if (vins.isEmpty()) {
            throw new IllegalArgumentException("vins must not be empty");
        }
        if (samplesPerVehicle < 1) {
            throw new IllegalArgumentException("samplesPerVehicle must be >= 1, got " + samplesPerVehicle);
        }
        vins.forEach(Vin::check);
    }

    /** {@code vehicles} vehicles capturing {@code capture} of driving each at 50 Hz. */
    static Workload fleet(int vehicles, Duration capture, long seed) {
        if (vehicles < 1 || vehicles > 99_999) {
            throw new IllegalArgumentException("vehicles must be in [1, 99999], got " + vehicles);
        }
        List<String> vins = new ArrayList<>();
        for (int i = 0; i < vehicles; i++) {
            vins.add(DriveSimulator.vin(model(i), i));
        }
        return new Workload(vins, capture.toMillis() / PERIOD_MS, 1_764_000_000_000L, seed);
    }

    static VehicleModel model(int index) {
        return MODELS[index % MODELS.length];
    }

    int vehicles() {
        return vins.size();
    }

    long total() {
        return samplesPerVehicle * vins.size();
    }

    /**
     * A fresh source of vehicle {@code index}'s drive (its seqs are meaningless; stacks assign them),
     * restricted to the eight fields the peer's payload ({@link SamplePayload}) carries, so both stacks
     * move the same data (and the figures stay comparable with the first version's).
     */
    Source source(int index) {
        return io.fleetlog.source.OnlySignals.of(
                new DriveSimulator(
                        model(index), seed + index, startEpochMs, Duration.ofMillis(samplesPerVehicle * PERIOD_MS)),
                io.fleetlog.catalog.Catalogue.builtin(),
                io.fleetlog.source.OnlySignals.LEGACY);
    }
}
