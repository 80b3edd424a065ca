package io.fleetlog.codec;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One generated test case of the codec laws: a connection's stream of captured samples, how it is
 * cut into batches, which samples the edge drops between batches (drop-oldest gaps), and the codec
 * configuration. Everything is derived deterministically from the parameters, so a failing case is
 * reproduced by its {@link #toString()}.
 */
record StreamCase(
        long seed,
        int length,
        Shape[] shapes,
        double[] thresholds,
        long keyframeMs,
        Timing timing,
        long firstSeq,
        int maxBatch,
        int gapPercent) {

    /** How one field's values evolve over the stream. */
    enum Shape {
        CONSTANT,
        STEPS,
        RAMP,
        NOISE,
        WALK,
        EXTREMES,
        AROUND_WRAP,
        UNAVAILABLE,
        TOGGLING,
        SPARSE_UNAVAILABLE
    }

    /** How capture times advance. */
    enum Timing {
        FIFTY_HZ,
        JITTERED,
        IRREGULAR,
        WITH_JUMPS,
        SOMETIMES_BACKWARDS
    }

    /** A batch as the edge would send it, and the number of seqs dropped just before it. */
    record Planned(List<Sample> samples, long droppedBefore) {}

    CodecConfig config() {
        return new CodecConfig(thresholds, Duration.ofMillis(keyframeMs));
    }

    /** The captured samples, seqs consecutive from {@link #firstSeq}. */
    List<Sample> samples() {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] columns = new double[Field.COUNT][];
        for (Field f : Field.values()) {
            columns[f.ordinal()] = column(f, shapes[f.ordinal()], rnd.split());
        }
        long[] times = times(rnd.split());
        List<Sample> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            double[] v = new double[Field.COUNT];
            for (int f = 0; f < Field.COUNT; f++) {
                v[f] = columns[f][i];
            }
            out.add(new Sample(firstSeq + i, times[i], v));
        }
        return out;
    }

    /** The stream cut into batches of 1..maxBatch samples, with drop-oldest gaps between some. */
    List<Planned> batches() {
        List<Sample> all = samples();
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Planned> out = new ArrayList<>();
        int i = 0;
        long dropped = 0;
        while (i < all.size()) {
            if (!out.isEmpty() && rnd.nextInt(100) < gapPercent) {
                int drop = 1 + rnd.nextInt(Math.max(1, Math.min(40, all.size() - i)));
                if (i + drop < all.size()) {
                    i += drop;
                    dropped = drop;
                }
            }
            int n = 1 + rnd.nextInt(maxBatch);
            int end = Math.min(all.size(), i + n);
            out.add(new Planned(List.copyOf(all.subList(i, end)), dropped));
            dropped = 0;
            i = end;
        }
        return out;
    }

    private long[] times(SplittableRandom rnd) {
        long[] t = new long[length];
        t[0] = BatchDecoder.MIN_TIME_MS + 86_400_000L + (long) (rnd.nextDouble() * 5_000_000_000_000L);
        for (int i = 1; i < length; i++) {
            long dt = switch (timing) {
                case FIFTY_HZ -> 20;
                case JITTERED -> 18 + rnd.nextInt(5);
                case IRREGULAR -> rnd.nextInt(3) == 0 ? 0 : rnd.nextLong(1, 5_000);
                case WITH_JUMPS -> rnd.nextInt(20) == 0 ? rnd.nextLong(1, 7_200_000) : 20;
                case SOMETIMES_BACKWARDS -> rnd.nextInt(10) == 0 ? -rnd.nextLong(0, 40_000) : 20;
            };
            t[i] = t[i - 1] + dt;
        }
        return t;
    }

    private double[] column(Field f, Shape shape, SplittableRandom rnd) {
        double[] v = new double[length];
        double lo = f.circular() ? -720 : f.min();
        double hi = f.circular() ? 1080 : f.max();
        double span = hi - lo;
        double scaleOfChange = Math.max(thresholds[f.ordinal()], f.resolution()) * (0.1 + 4 * rnd.nextDouble());
        double x = lo + span * rnd.nextDouble();
        switch (shape) {
            case CONSTANT -> Arrays.fill(v, pick(f, rnd, x));
            case STEPS -> {
                for (int i = 0; i < length; i++) {
                    if (rnd.nextInt(50) == 0) {
                        x = rnd.nextBoolean() ? lo + span * rnd.nextDouble() : x + scaleOfChange * 3;
                    }
                    v[i] = x;
                }
            }
            case RAMP -> {
                double slope = scaleOfChange * (rnd.nextBoolean() ? 1 : -1) * (rnd.nextInt(4) == 0 ? 20 : 0.3);
                for (int i = 0; i < length; i++) {
                    v[i] = x + slope * i;
                }
            }
            case NOISE -> {
                for (int i = 0; i < length; i++) {
                    v[i] = x + rnd.nextGaussian() * scaleOfChange;
                }
            }
            case WALK, SPARSE_UNAVAILABLE, TOGGLING -> {
                boolean available = true;
                for (int i = 0; i < length; i++) {
                    x += rnd.nextGaussian() * scaleOfChange;
                    if (shape == Shape.TOGGLING && rnd.nextInt(8) == 0) {
                        available = !available;
                    }
                    boolean nan = shape == Shape.SPARSE_UNAVAILABLE ? rnd.nextInt(20) == 0 : !available;
                    v[i] = nan ? Double.NaN : x;
                }
            }
            case EXTREMES -> {
                for (int i = 0; i < length; i++) {
                    v[i] = extreme(f, rnd);
                }
            }
            case AROUND_WRAP -> {
                // Heading crossing 0/360 both ways; other fields hover around their minimum.
                double centre = f.circular() ? 360.0 * (rnd.nextInt(5) - 2) : f.min();
                for (int i = 0; i < length; i++) {
                    double amp = f.circular() ? 3 + 10 * rnd.nextDouble() : scaleOfChange;
                    v[i] = centre + Math.sin(i / 7.0) * amp + rnd.nextGaussian() * amp / 10;
                }
            }
            case UNAVAILABLE -> Arrays.fill(v, Double.NaN);
        }
        for (int i = 0; i < length; i++) {
            if (!Double.isNaN(v[i])) {
                v[i] = Math.min(f.max(), Math.max(f.min(), v[i]));
            }
        }
        return v;
    }

    private static double pick(Field f, SplittableRandom rnd, double x) {
        return rnd.nextInt(3) == 0 ? extreme(f, rnd) : x;
    }

    /** A value at or next to the field's limits (heading: its huge accepted range, or 0/360). */
    private static double extreme(Field f, SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> f.min();
            case 1 -> f.max();
            case 2 -> f.min() + f.resolution() * rnd.nextDouble() * 3;
            case 3 -> f.max() - f.resolution() * rnd.nextDouble() * 3;
            case 4 -> f.circular() ? 360 - 1e-9 : f.min() + f.resolution() / 2;
            default -> f.circular() ? 0.005 * rnd.nextInt(3) : f.max() - f.resolution() / 2;
        };
    }

    @Override
    public String toString() {
        return "StreamCase[seed=" + seed + ", length=" + length + ", shapes=" + Arrays.toString(shapes)
                + ", thresholds=" + Arrays.toString(thresholds) + ", keyframeMs=" + keyframeMs + ", timing="
                + timing + ", firstSeq=" + firstSeq + ", maxBatch=" + maxBatch + ", gapPercent=" + gapPercent
                + "]";
    }
}
