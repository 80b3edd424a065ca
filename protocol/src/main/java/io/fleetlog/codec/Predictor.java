package io.fleetlog.codec;

import io.fleetlog.sample.Field;
import java.util.Arrays;

/**
 * The per-connection prediction of every field: exponential smoothing of reconstructions,
 * {@code p ← α·r + (1−α)·p}, on the circle for heading. NaN means "no prediction" (start of a
 * connection, or the sensor was unavailable). The encoder and the decoder each own one and feed it
 * the same reconstructions in the same order, so the two stay bit-identical. Not thread-safe.
 */
public final class Predictor {
    private final double[] p = new double[Field.COUNT];

    public Predictor() {
        Arrays.fill(p, Double.NaN);
    }

    public double get(int field) {
        return p[field];
    }

    /** Feeds the reconstruction {@code r} of {@code field} (NaN: unavailable, forget the prediction). */
    void update(int field, double r) {
        double old = p[field];
        if (Double.isNaN(r) || Double.isNaN(old)) {
            p[field] = r;
        } else if (field == Field.HEADING.ordinal()) {
            double d = r - old;
            d -= 360.0 * Math.floor((d + 180.0) / 360.0);
            p[field] = Field.HEADING.normalise(old + CodecConfig.ALPHA * d);
        } else {
            p[field] = CodecConfig.ALPHA * r + (1 - CodecConfig.ALPHA) * old;
        }
    }

    /** The quantised prediction the wire deltas are taken against (0 without a prediction). */
    long baseUnits(Field f) {
        double v = p[f.ordinal()];
        return Double.isNaN(v) ? 0 : f.toUnits(v);
    }

    /** An independent predictor with the same state. */
    Predictor copy() {
        Predictor c = new Predictor();
        System.arraycopy(p, 0, c.p, 0, p.length);
        return c;
    }

    /** A copy of the state, for comparisons in tests and diagnostics. */
    public double[] snapshot() {
        return p.clone();
    }
}
