package io.fleetlog.logs.export;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.time.Duration;

/**
 * Resamples a sparse source to a fixed rate by linear interpolation, without bridging gaps.
 *
 * <p>The output is every input sample unchanged, plus, between two consecutive input samples at
 * most {@code maxGap} apart, interpolated samples on the grid of multiples of the period (20 ms at
 * 50 Hz) strictly between them. Across a longer gap nothing is made up: the output jumps from one
 * real sample to the next. A field unavailable at either end is unavailable in between; heading is
 * interpolated along the shorter arc of the circle (350° → 10° passes 0°). Input rows are never
 * dropped or moved. Not thread-safe; never sleeps.
 */
public final class Resampler implements Source {
    private final Source in;
    private final long periodMs;
    private final long maxGapMs;
    private Sample a;
    private Sample b;
    private long grid;
    private boolean started;

    public Resampler(Source in, double rateHz, Duration maxGap) {
        if (!(rateHz > 0 && rateHz <= 1000)) {
            throw new IllegalArgumentException("resample rate " + rateHz + " Hz is outside (0, 1000]");
        }
        if (maxGap.isNegative()) {
            throw new IllegalArgumentException("maxGap " + maxGap + " is negative");
        }
        this.in = in;
        this.periodMs = Math.max(1, Math.round(1000 / rateHz));
        this.maxGapMs = maxGap.toMillis();
    }

    @Override
    public Sample next() throws IOException {
        if (!started) {
            started = true;
            a = in.next();
            return a;
        }
        if (a == null) {
            return null;
        }
        if (b == null) {
            b = in.next();
            if (b == null) {
                a = null;
                return null;
            }
            grid = Math.floorDiv(a.captureTimeMs(), periodMs) * periodMs + periodMs;
        }
        if (b.captureTimeMs() - a.captureTimeMs() <= maxGapMs && grid < b.captureTimeMs()) {
            Sample s = interpolate(a, b, grid);
            grid += periodMs;
            return s;
        }
        a = b;
        b = null;
        return a;
    }

    static Sample interpolate(Sample a, Sample b, long t) {
        double w = (double) (t - a.captureTimeMs()) / (b.captureTimeMs() - a.captureTimeMs());
        double[] v = new double[Field.COUNT];
        for (Field f : Field.values()) {
            double x = a.get(f);
            double y = b.get(f);
            if (f.circular()) {
                double d = ((y - x) % 360 + 540) % 360 - 180;
                v[f.ordinal()] = f.normalise(x + d * w);
            } else {
                v[f.ordinal()] = x + (y - x) * w;
            }
        }
        return new Sample(-1, t, v);
    }

    @Override
    public String describe() {
        return in.describe() + ", resampled every " + periodMs + " ms (gaps over " + maxGapMs / 1000.0
                + " s not bridged)";
    }

    @Override
    public long problems() {
        return in.problems();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
