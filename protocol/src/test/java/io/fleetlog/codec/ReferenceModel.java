package io.fleetlog.codec;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.Arrays;

/**
 * DESIGN's seed scheme written out as plainly as possible, independent of the codec's code: the
 * oracle the property tests compare the real encoder's decisions with. Per field: on a keyframe or
 * when {@code |x − p| > T} send {@code x} (quantised to the wire resolution), else omit it and
 * reconstruct {@code p}; then {@code p ← 0.3·r + 0.7·p} (on the circle for heading).
 */
final class ReferenceModel {
    /** What the scheme does with one sample. Masks have bit {@code f.ordinal()}. */
    record Step(boolean keyframe, double[] reconstruction, int sentMask, int flaggedMask, int omittedMask) {}

    private final CodecConfig config;
    private final double[] p = new double[Field.COUNT];
    private boolean started;
    private long lastKeyframeMs;

    ReferenceModel(CodecConfig config) {
        this.config = config;
        Arrays.fill(p, Double.NaN);
    }

    Step step(Sample s) {
        long t = s.captureTimeMs();
        long interval = config.keyframeInterval().toMillis();
        boolean key = !started || t - lastKeyframeMs >= interval || t < lastKeyframeMs;
        started = true;
        if (key) {
            lastKeyframeMs = t;
        }
        double[] r = new double[Field.COUNT];
        int sent = 0;
        int flagged = 0;
        int omitted = 0;
        for (Field f : Field.values()) {
            int i = f.ordinal();
            double x = s.get(f);
            if (Double.isNaN(x)) {
                r[i] = Double.NaN;
                if (key || !Double.isNaN(p[i])) {
                    flagged |= 1 << i;
                }
            } else if (!key && !Double.isNaN(p[i]) && f.distance(x, p[i]) <= config.threshold(f)) {
                r[i] = p[i];
                omitted |= 1 << i;
            } else {
                r[i] = f.quantise(x);
                sent |= 1 << i;
            }
            p[i] = smooth(f, p[i], r[i]);
        }
        return new Step(key, r, sent, flagged, omitted);
    }

    double[] state() {
        return p.clone();
    }

    private static double smooth(Field f, double old, double r) {
        if (Double.isNaN(old) || Double.isNaN(r)) {
            return r;
        }
        if (!f.circular()) {
            return 0.3 * r + 0.7 * old;
        }
        // The shorter way round; at the antipode (|d| = 180, up to rounding of d + 180) the way is a
        // convention, and this is the codec's: d - 360 * floor((d + 180) / 360), in [-180, 180).
        // (Two formulas that differ in the last bit there move p by 0.3 * 360 = 108 degrees.)
        double d = r - old;
        d -= 360.0 * Math.floor((d + 180.0) / 360.0);
        return f.normalise(old + 0.3 * d);
    }
}
