package io.fleetlog.bench.fleet;

import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.LogSources;
import io.fleetlog.logs.OpenedLog;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The drives of benchmark 3, deterministic on every machine.
 *
 * <p>The simulated drives are stretches of the demo's {@link DriveSimulator} route (Model 3, seed
 * {@link #SEED}, the first hours of capture time): <b>highway</b> is the longest run of
 * samples at ≥ {@link #HIGHWAY_MPH} mph, <b>city</b> the longest run at ≤ {@link #CITY_MPH} mph that
 * includes a stop (the simulator's city roads have 25 and 35 mph limits, its hills 40 and 50, its
 * highways 65 and 70). Each is cut to at most {@code maxSeconds} and renumbered from seq 0. The real
 * drive is the Tessie export of a Model Y (one sample per CSV row, as {@code fleetlog replay} sends it
 * without resampling).
 */
final class Drives {
    static final VehicleModel MODEL = VehicleModel.MODEL3;
    static final long SEED = 1;
    static final double HIGHWAY_MPH = 55;
    static final double CITY_MPH = 38;
    static final String TESSIE_FILE = "tesla_modely_tessie_2024-03-10_kirkwood_to_jackson.csv";

    private Drives() {}

    static String simulatedVin() {
        return DriveSimulator.vin(MODEL, 0);
    }

    /** The highway and city stretches of one simulated drive. */
    record Simulated(List<Sample> highway, List<Sample> city) {}

    /**
     * Simulates {@code scan} of capture time once and picks both stretches from it, each cut to
     * {@code maxSeconds}.
     */
    static Simulated simulated(Duration scan, int maxSeconds) {
        DriveSimulator sim = new DriveSimulator(MODEL, SEED, BenchVehicle.START_EPOCH_MS, scan);
        List<Sample> all = new ArrayList<>((int) sim.sampleCount());
        for (Sample s; (s = sim.next()) != null; ) {
            all.add(s);
        }
        int max = maxSeconds * DriveSimulator.RATE_HZ;
        return new Simulated(
                stretch(all, speed -> speed >= HIGHWAY_MPH, false, max),
                stretch(all, speed -> speed <= CITY_MPH, true, max));
    }

    /** The real Tessie drive from {@code fleetlog.realData}, or empty when the file is not there. */
    static Optional<List<Sample>> tessie() throws IOException {
        Path file = Path.of(System.getProperty("fleetlog.realData", "../shared/data/real"), TESSIE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        OpenedLog log = LogSources.open(file, "tessie", LogOptions.defaults());
        try (Source source = log.source()) {
            return Optional.of(renumbered(source, Integer.MAX_VALUE));
        }
    }

    static Path tessiePath() {
        return Path.of(System.getProperty("fleetlog.realData", "../shared/data/real"), TESSIE_FILE);
    }

    /** The longest run of samples whose speed passes {@code test} (and that stops, if asked). */
    private static List<Sample> stretch(List<Sample> all, DoublePredicate test, boolean mustStop, int max) {
        int bestStart = -1;
        int bestLength = 0;
        int start = -1;
        boolean stopped = false;
        for (int i = 0; i < all.size(); i++) {
            double speed = all.get(i).get(Field.SPEED);
            if (test.test(speed)) {
                if (start < 0) {
                    start = i;
                    stopped = false;
                }
                stopped |= speed == 0;
            } else {
                start = -1;
            }
            if (start >= 0 && (stopped || !mustStop) && i + 1 - start > bestLength) {
                bestStart = start;
                bestLength = i + 1 - start;
            }
        }
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < Math.min(bestLength, max); i++) {
            out.add(all.get(bestStart + i).withSeq(i));
        }
        return out;
    }

    private static List<Sample> renumbered(Source source, long max) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (Sample s; out.size() < max && (s = source.next()) != null; ) {
            out.add(s.withSeq(out.size()));
        }
        return out;
    }
}
