package io.fleetlog.bench.peer;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.source.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's workload: a fleet of vehicles, each capturing {@code samplesPerVehicle} samples at
 * 50 Hz, identical for both stacks.
 *
 * <p>{@link #source(int)} returns a fresh deterministic source per vehicle (the same seed gives the
 * same samples), so both stacks and both runs of a crashed child capture exactly the same content.
 * Validated in the constructor.
 */
record Workload(List<String> vins, long samplesPerVehicle, long startEpochMs, long seed) {

    /** Capture period of the fleet: 50 Hz. */
    static final long PERIOD_MS = 20;

    /** Samples per second per vehicle. */
    static final long HZ = 1000 / PERIOD_MS;

    private static final String[] PREFIXES = {"5YJ3E1EA0KF", "7SAYGDEE0NF", "5YJSA1E60MF", "5YJXCBE20LF", "5YJ3E1EB0NF"
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
            String prefix = PREFIXES[i % PREFIXES.length];
            vins.add(Vin.withCheckDigit(prefix + String.format("%06d", 100 + i)));
        }
        return new Workload(vins, capture.toMillis() / PERIOD_MS, 1_764_000_000_000L, seed);
    }

    int vehicles() {
        return vins.size();
    }

    long total() {
        return samplesPerVehicle * vins.size();
    }

    /** Seconds of capture time per vehicle. */
    double captureSeconds() {
        return samplesPerVehicle / (double) HZ;
    }

    /** The same workload with another number of samples per vehicle. */
    Workload withSamplesPerVehicle(long n) {
        return new Workload(vins, n, startEpochMs, seed);
    }

    /** A fresh source of vehicle {@code index}'s samples; seqs are 1, 2, … in capture order. */
    Source source(int index) {
        return new SyntheticDrive(vins.get(index), samplesPerVehicle, startEpochMs, seed * 1_000_003L + index);
    }

    /**
     * A smooth deterministic drive: speed and power oscillate, charge falls, the car moves along its
     * heading. Every value is within its field's range.
     */
    private static final class SyntheticDrive implements Source {
        private final String vin;
        private final long count;
        private final long startMs;
        private final double phase;
        private long produced;
        private double odometer = 12_345.678;
        private double latitude = 37.39;
        private double longitude = -122.15;

        SyntheticDrive(String vin, long count, long startMs, long seed) {
            this.vin = vin;
            this.count = count;
            this.startMs = startMs;
            this.phase = (seed % 997) / 997.0 * 2 * Math.PI;
        }

        @Override
        public Sample next() {
            if (produced >= count) {
                return null;
            }
            long i = produced++;
            double t = i * PERIOD_MS / 1000.0;
            double speed = Math.max(0, 35 + 30 * Math.sin(t / 40 + phase) + 3 * Math.sin(t * 1.7));
            double power = speed * 0.9 + 25 * Math.cos(t / 9 + phase);
            double soc = Math.max(5, 90 - t / 600.0);
            double heading = Field.HEADING.normalise(90 + 60 * Math.sin(t / 120 + phase));
            double step = speed / 3600.0 * PERIOD_MS / 1000.0;
            odometer += step;
            latitude += step / 69.0 * Math.cos(Math.toRadians(heading));
            longitude += step / 54.6 * Math.sin(Math.toRadians(heading));
            double elevation = 30 + 20 * Math.sin(t / 300 + phase);
            double[] v = {speed, power, soc, heading, odometer, latitude, longitude, elevation};
            for (Field f : Field.values()) {
                v[f.ordinal()] = f.quantise(v[f.ordinal()]);
            }
            return new Sample(i + 1, startMs + i * PERIOD_MS, v);
        }

        @Override
        public String describe() {
            return "synthetic drive of " + vin + ", " + count + " samples at 50 Hz";
        }
    }
}
