package io.fleetlog.sim;

import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated fleet: {@code vehicles} cars cycling Model 3, Model Y, Model S Plaid, Model X, each with
 * its own VIN, seed and spool, all driving from {@code startEpochMs} for {@code duration} (null =
 * endless) at {@code speed}, with the same dead-zone schedule. Validated on construction.
 */
public record FleetConfig(
        int vehicles,
        String server,
        String token,
        Path spoolDir,
        double speed,
        Duration duration,
        OutageSchedule outages,
        Duration minOutageWall,
        long seed,
        long startEpochMs,
        SpoolConfig spool) {

    private static final VehicleModel[] ORDER = {
        VehicleModel.MODEL3, VehicleModel.MODELY, VehicleModel.MODELS_PLAID, VehicleModel.MODELX
    };

    public FleetConfig {
        if (vehicles < 1 || vehicles > 1_000) {
            throw new IllegalArgumentException("vehicles " + vehicles + " must be between 1 and 1000");
        }
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("server must be a URL like http://host:port");
        }
        if (spoolDir == null) {
            throw new IllegalArgumentException("spoolDir must not be null");
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed " + speed + " must be > 0 (or max)");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration " + duration + " must be positive (or null = endless)");
        }
        outages = outages == null ? OutageSchedule.none() : outages;
        minOutageWall = minOutageWall == null ? Duration.ZERO : minOutageWall;
        spool = spool == null ? SpoolConfig.defaults() : spool;
    }

    /** One vehicle of the fleet: how to build its simulator again (the continuity report re-runs it). */
    public record Vehicle(int index, VehicleModel model, String vin, String name, long seed) {
        public DriveSimulator simulator(long startEpochMs, Duration duration) {
            return new DriveSimulator(model, seed, startEpochMs, duration);
        }
    }

    /** The vehicles in order: models cycle, VIN index counts per model, seed = fleet seed + index. */
    public List<Vehicle> fleet() {
        List<Vehicle> out = new ArrayList<>();
        int[] perModel = new int[VehicleModel.values().length];
        for (int i = 0; i < vehicles; i++) {
            VehicleModel m = ORDER[i % ORDER.length];
            int n = perModel[m.ordinal()]++;
            out.add(new Vehicle(i, m, DriveSimulator.vin(m, n), m.displayName() + " #" + (n + 1), seed + i));
        }
        return out;
    }
}
