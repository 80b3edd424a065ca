package io.fleetlog.codec;

import io.fleetlog.sample.Field;
import java.time.Duration;
import java.util.Arrays;

/**
 * Predictive-compression settings: a threshold per field and the keyframe interval.
 *
 * <p>Validated on construction with the field name and value in the message. The smoothing factor
 * is fixed by DESIGN ({@link #ALPHA} = 0.3). The error bound of a field is {@link #bound}: its
 * threshold, or half its wire resolution when that is larger (a lossless field is exact at the wire
 * resolution).
 */
public record CodecConfig(double[] thresholds, Duration keyframeInterval) {

    /** Exponential-smoothing weight of the newest reconstruction: p ← α·r + (1−α)·p. */
    public static final double ALPHA = 0.3;

    public static final Duration DEFAULT_KEYFRAME_INTERVAL = Duration.ofSeconds(30);

    public CodecConfig {
        if (thresholds.length != Field.COUNT) {
            throw new IllegalArgumentException("expected " + Field.COUNT + " thresholds, got " + thresholds.length);
        }
        thresholds = thresholds.clone();
        for (Field f : Field.values()) {
            double t = thresholds[f.ordinal()];
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException(
                        "threshold." + f.key() + " = " + t + " must be a finite number >= 0 " + f.unit());
            }
            if (f.circular() && t >= 180) {
                throw new IllegalArgumentException(
                        "threshold." + f.key() + " = " + t + " must be below 180 deg (it is an angle on the circle)");
            }
        }
        if (keyframeInterval == null || keyframeInterval.isNegative() || keyframeInterval.isZero()) {
            throw new IllegalArgumentException("keyframe interval " + keyframeInterval + " must be positive");
        }
        if (keyframeInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("keyframe interval " + keyframeInterval + " must be at most 1 hour");
        }
    }

    /** The seed's defaults: speed 2 mph, power 5 kW, SoC 0.5 %, heading 5°, the rest lossless. */
    public static CodecConfig defaults() {
        double[] t = new double[Field.COUNT];
        for (Field f : Field.values()) {
            t[f.ordinal()] = f.defaultThreshold();
        }
        return new CodecConfig(t, DEFAULT_KEYFRAME_INTERVAL);
    }

    /** Every field lossless (at the wire resolution). */
    public static CodecConfig lossless() {
        return new CodecConfig(new double[Field.COUNT], DEFAULT_KEYFRAME_INTERVAL);
    }

    public double threshold(Field f) {
        return thresholds[f.ordinal()];
    }

    /** The largest reconstruction error the codec allows for {@code f}. */
    public double bound(Field f) {
        return Math.max(thresholds[f.ordinal()], f.resolution() / 2);
    }

    public CodecConfig withThreshold(Field f, double threshold) {
        double[] t = thresholds.clone();
        t[f.ordinal()] = threshold;
        return new CodecConfig(t, keyframeInterval);
    }

    public CodecConfig withKeyframeInterval(Duration interval) {
        return new CodecConfig(thresholds, interval);
    }

    /**
     * Applies overrides written as {@code speed=2,odometer=0.01} (as given on command lines).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public CodecConfig withThresholds(String spec) {
        CodecConfig c = this;
        if (spec == null || spec.isBlank()) {
            return c;
        }
        for (String entry : spec.split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("threshold '" + entry + "' is not of the form field=value");
            }
            String value = entry.substring(eq + 1).trim();
            double v;
            try {
                v = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threshold '" + entry.trim() + "': '" + value + "' is not a number");
            }
            c = c.withThreshold(Field.byKey(entry.substring(0, eq)), v);
        }
        return c;
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodecConfig c
                && Arrays.equals(c.thresholds, thresholds)
                && c.keyframeInterval.equals(keyframeInterval);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(thresholds) * 31 + keyframeInterval.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("CodecConfig[");
        for (Field f : Field.values()) {
            b.append(f.key()).append('=').append(thresholds[f.ordinal()]).append(", ");
        }
        return b.append("keyframe=").append(keyframeInterval).append(']').toString();
    }
}
