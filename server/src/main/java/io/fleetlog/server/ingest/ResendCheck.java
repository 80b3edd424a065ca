package io.fleetlog.server.ingest;

import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.DecodedBatch;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.wire.v1.Hello;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a resend with what is stored (issue 12 item 3), for one connection. A seq the server
 * acknowledged must be stored with the same capture time, and each value within {@link #tolerance}
 * of the stored one (unavailable where the stored one is unavailable). Reads only the resent seq
 * range ({@link SampleStore#stored}); in normal operation nothing is resent, so nothing is read.
 * Not thread-safe (one connection's handler); throws what the store throws.
 */
final class ResendCheck {
    private final SampleStore store;
    private final String vin;
    private final double[] tolerance;

    ResendCheck(SampleStore store, String vin, Hello hello) {
        this.store = store;
        this.vin = vin;
        this.tolerance = tolerances(hello);
    }

    /**
     * Per field, how far a resend's reconstruction may differ from the stored one: each is within
     * the codec's bound of the captured value, so twice the larger of the default bound and the one
     * the edge declared in Hello (a small epsilon for floating-point rounding).
     */
    static double[] tolerances(Hello hello) {
        CodecConfig defaults = CodecConfig.defaults();
        double[] t = new double[Field.COUNT];
        for (Field f : Field.values()) {
            double declared = 0;
            if (hello.getThresholdsCount() == Field.COUNT) {
                double d = hello.getThresholds(f.ordinal());
                declared = d >= 0 && Double.isFinite(d) ? Math.max(d, f.resolution() / 2) : 0;
            }
            t[f.ordinal()] = 2 * Math.max(defaults.bound(f), declared) + 1e-9;
        }
        return t;
    }

    /**
     * Compares the part of {@code d} at or below {@code storedUpTo} (the stored seq at Welcome) with
     * the store. Returns what differs first, with the numbers, or null when the resend agrees.
     */
    String compare(DecodedBatch d, long storedUpTo) {
        List<Sample> in = d.samples();
        int n = (int) (Math.min(d.lastSeq(), storedUpTo) - d.firstSeq() + 1);
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            minT = Math.min(minT, in.get(i).captureTimeMs());
            maxT = Math.max(maxT, in.get(i).captureTimeMs());
        }
        Map<Long, Sample> stored = new HashMap<>();
        for (Sample s : store.stored(vin, d.firstSeq(), d.firstSeq() + n - 1, minT, maxT)) {
            stored.put(s.seq(), s);
        }
        for (int i = 0; i < n; i++) {
            Sample x = in.get(i);
            Sample s = stored.get(x.seq());
            if (s == null) {
                return "seq " + x.seq() + " captured at " + x.captureTimeMs() + " ms: the server holds no sample of"
                        + " that seq at that time (another capture time, a recorded gap, or purged) though it stored"
                        + " up to " + storedUpTo;
            }
            String differs = differs(x, s);
            if (differs != null) {
                return differs;
            }
        }
        return null;
    }

    private String differs(Sample x, Sample s) {
        for (Field f : Field.values()) {
            double a = x.get(f);
            double b = s.get(f);
            if (Double.isNaN(a) != Double.isNaN(b) || (!Double.isNaN(a) && f.distance(a, b) > tolerance[f.ordinal()])) {
                return "seq " + x.seq() + ": " + f.key() + " " + a + " " + f.unit() + " differs from the stored " + b
                        + " by more than " + Math.round(tolerance[f.ordinal()] * 1e6) / 1e6 + " " + f.unit();
            }
        }
        return null;
    }
}
