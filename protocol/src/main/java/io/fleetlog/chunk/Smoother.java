package io.fleetlog.chunk;

import io.fleetlog.codec.CodecConfig;

/**
 * A replica of the v2 codec's per-signal prediction ({@code io.fleetlog.codec.v2.Predictors}): an
 * omitted value the server reconstructed is that prediction, so a chunk stores it as "predicted" (no
 * bytes) when replaying the same smoothing over the column gives the same bits, and as raw bits
 * otherwise. A mismatch (a chunk starting mid-connection, a different predictor) only costs bytes:
 * encoder and decoder of a chunk run this same code, so the decoded value is always what was encoded.
 *
 * <p>{@code p ← α·r + (1−α)·p} for every value r in row order (an angle on the circle, kept in [0,
 * 360); a location's longitude the short way round); unknown (NaN) at the start and after an
 * unavailable entry, when the first value is taken as is. Not thread-safe.
 */
final class Smoother {
    private static final double ALPHA = CodecConfig.ALPHA;

    enum Shape {
        FLOAT,
        ANGLE,
        LOCATION
    }

    private final Shape shape;
    double p = Double.NaN; // float, angle, latitude
    double q = Double.NaN; // longitude

    Smoother(Shape shape) {
        this.shape = shape;
    }

    boolean known() {
        return !Double.isNaN(p);
    }

    void forget() {
        p = Double.NaN;
        q = Double.NaN;
    }

    /** Whether {@code v} is the prediction, bit for bit. */
    boolean predicts(double v) {
        return known() && Double.doubleToRawLongBits(p) == Double.doubleToRawLongBits(v);
    }

    boolean predicts(double lat, double lon) {
        return predicts(lat) && Double.doubleToRawLongBits(q) == Double.doubleToRawLongBits(lon);
    }

    /** Feeds value {@code r} (latitude {@code r}, longitude {@code s} for a location). */
    void update(double r, double s) {
        if (Double.isNaN(p)) {
            p = r;
            q = s;
            return;
        }
        switch (shape) {
            case FLOAT -> p = ALPHA * r + (1 - ALPHA) * p;
            case ANGLE -> {
                double d = r - p;
                d -= 360.0 * Math.floor((d + 180.0) / 360.0);
                p = normaliseAngle(p + ALPHA * d);
            }
            case LOCATION -> updateLocation(r, s);
        }
    }

    private void updateLocation(double lat, double lon) {
        p = Math.max(-90.0, Math.min(90.0, ALPHA * lat + (1 - ALPHA) * p));
        double d = lon - q;
        if (d >= -180.0 && d < 180.0) {
            q = ALPHA * lon + (1 - ALPHA) * q;
            return;
        }
        d -= 360.0 * Math.floor((d + 180.0) / 360.0);
        double l = q + ALPHA * d;
        if (l >= 180.0) {
            l -= 360.0;
        } else if (l < -180.0) {
            l += 360.0;
        }
        q = l;
    }

    private static double normaliseAngle(double v) {
        if (v >= 0 && v < 360.0) {
            return v;
        }
        double x = v % 360.0;
        if (x < 0) {
            x += 360.0;
        }
        return x >= 360.0 ? 0.0 : x;
    }
}
