package io.fleetlog.server.testing;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import java.util.ArrayList;
import java.util.List;

/** Deterministic sample streams for tests: a smooth drive at 50 Hz. */
public final class Samples {
    public static final long T0 = 1_764_180_000_000L; // 2025-11-26T18:00:00Z
    public static final long PERIOD_MS = 20;
    public static final String VIN_A = Vin.withCheckDigit("5YJ3E1EA0KF000001");
    public static final String VIN_B = Vin.withCheckDigit("5YJYGDEE0MF000002");

    private Samples() {}

    public static List<String> vins(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Vin.withCheckDigit(String.format("5YJ3E1EA0KF%06d", i + 100)));
        }
        return out;
    }

    /** {@code n} samples from {@code firstSeq}, the first captured at {@code t0}, 20 ms apart. */
    public static List<Sample> drive(long firstSeq, int n, long t0) {
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = firstSeq + i;
            out.add(sample(seq, t0 + i * PERIOD_MS));
        }
        return out;
    }

    /** The sample of {@code seq} in a drive; values depend on seq only, quantised to the wire resolution. */
    public static Sample sample(long seq, long t) {
        double x = seq / 50.0;
        double[] v = new double[Field.COUNT];
        v[Field.SPEED.ordinal()] = 40 + 20 * Math.sin(x / 10);
        v[Field.POWER.ordinal()] = 15 + 30 * Math.sin(x / 3);
        v[Field.SOC.ordinal()] = 80 - x / 1000;
        v[Field.HEADING.ordinal()] = (x * 3) % 360;
        v[Field.ODOMETER.ordinal()] = 1000 + x * 0.015;
        v[Field.LATITUDE.ordinal()] = 37.4 + x * 1e-5;
        v[Field.LONGITUDE.ordinal()] = -122.1 + x * 1e-5;
        v[Field.ELEVATION.ordinal()] = 12 + Math.sin(x / 50);
        for (Field f : Field.values()) {
            v[f.ordinal()] = f.quantise(v[f.ordinal()]);
        }
        return new Sample(seq, t, v);
    }
}
