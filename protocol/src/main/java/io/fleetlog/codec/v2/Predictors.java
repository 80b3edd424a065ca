package io.fleetlog.codec.v2;

import io.fleetlog.codec.CodecConfig;
import java.util.Arrays;

/**
 * The per-connection prediction of every slot of a layout; the encoder and the decoder each own one
 * and feed it the same reconstructions in the same order, so the two stay bit-identical.
 *
 * <ul>
 *   <li>float: {@code p ← α·r + (1−α)·p} (α = {@link CodecConfig#ALPHA}), exactly v1's
 *       {@code io.fleetlog.codec.Predictor}; an angle is smoothed on the circle and kept in [0, 360);
 *   <li>location: latitude as a float (then clamped to [−90, 90] so that rounding never leaves the
 *       globe), longitude the same while the step does not cross the antimeridian (so both are v1's
 *       latitude and longitude predictions, bit for bit), and on the circle, kept in [−180, 180), when
 *       it does;
 *   <li>integer, enum, boolean, string: the last value (sent on change).
 * </ul>
 *
 * NaN / unknown means "no prediction": start of the connection, or the signal was last captured
 * unavailable. Not thread-safe.
 */
final class Predictors {
    private static final double ALPHA = CodecConfig.ALPHA;

    final double[] p; // float, angle, latitude
    final double[] q; // longitude
    final long[] last; // integer, enum code, boolean 0/1
    final boolean[] known;
    final String[] str;

    Predictors(int n) {
        p = new double[n];
        q = new double[n];
        Arrays.fill(p, Double.NaN);
        Arrays.fill(q, Double.NaN);
        last = new long[n];
        known = new boolean[n];
        str = new String[n];
    }

    private Predictors(Predictors o) {
        p = o.p.clone();
        q = o.q.clone();
        last = o.last.clone();
        known = o.known.clone();
        str = o.str.clone();
    }

    Predictors copy() {
        return new Predictors(this);
    }

    /** Whether slot {@code s} (of kind {@code kind}) has a prediction. */
    boolean has(int kind, int s) {
        return switch (kind) {
            case Slots.FLOAT, Slots.ANGLE, Slots.LOCATION -> !Double.isNaN(p[s]);
            case Slots.STRING -> str[s] != null;
            default -> known[s];
        };
    }

    /** Forgets slot {@code s}: it was captured unavailable. */
    void forget(int s) {
        p[s] = Double.NaN;
        q[s] = Double.NaN;
        known[s] = false;
        str[s] = null;
    }

    void updateFloat(int s, double r) {
        double old = p[s];
        if (Double.isNaN(r) || Double.isNaN(old)) {
            p[s] = r;
        } else {
            p[s] = ALPHA * r + (1 - ALPHA) * old;
        }
    }

    void updateAngle(int s, double r) {
        double old = p[s];
        if (Double.isNaN(r) || Double.isNaN(old)) {
            p[s] = r;
        } else {
            double d = r - old;
            d -= 360.0 * Math.floor((d + 180.0) / 360.0);
            p[s] = Slots.normaliseAngle(old + ALPHA * d);
        }
    }

    void updateLocation(int s, double lat, double lon) {
        double oldLat = p[s];
        if (Double.isNaN(oldLat)) {
            p[s] = lat;
            q[s] = lon;
            return;
        }
        p[s] = Math.max(-90.0, Math.min(90.0, ALPHA * lat + (1 - ALPHA) * oldLat));
        double oldLon = q[s];
        double d = lon - oldLon;
        if (d >= -180.0 && d < 180.0) {
            // the short way does not cross the antimeridian: v1's arithmetic, bit for bit
            q[s] = ALPHA * lon + (1 - ALPHA) * oldLon;
            return;
        }
        d -= 360.0 * Math.floor((d + 180.0) / 360.0);
        double l = oldLon + ALPHA * d;
        if (l >= 180.0) {
            l -= 360.0;
        } else if (l < -180.0) {
            l += 360.0;
        }
        q[s] = l;
    }

    void setLast(int s, long v) {
        last[s] = v;
        known[s] = true;
    }

    PredictorState snapshot() {
        int n = p.length;
        long[] bits = new long[4 * n];
        for (int s = 0; s < n; s++) {
            bits[4 * s] = Double.doubleToRawLongBits(p[s]);
            bits[4 * s + 1] = Double.doubleToRawLongBits(q[s]);
            bits[4 * s + 2] = last[s];
            bits[4 * s + 3] = known[s] ? 1 : 0;
        }
        return new PredictorState(bits, str.clone());
    }
}
