package io.fleetlog.logs.export;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.frame.Frame;
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
 * real sample to the next. An interpolated sample holds only the float and location signals that
 * both neighbours captured with a value (built-in catalogue ids); enums, booleans, integers, strings
 * and unavailable values are never invented between rows. Circular signals (heading) are
 * interpolated along the shorter arc (350° → 10° passes 0°). Grid points where no signal can be
 * interpolated are left out. Input rows are never dropped or moved. Not thread-safe; never sleeps.
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
        while (b.captureTimeMs() - a.captureTimeMs() <= maxGapMs && grid < b.captureTimeMs()) {
            Sample s = interpolate(a, b, grid);
            grid += periodMs;
            if (s != null) {
                return s;
            }
        }
        a = b;
        b = null;
        return a;
    }

    private static final Catalogue CATALOGUE = Catalogue.builtin();

    /** The sample at {@code t} between {@code a} and {@code b}, or null when nothing can be interpolated. */
    static Sample interpolate(Sample a, Sample b, long t) {
        double w = (double) (t - a.captureTimeMs()) / (b.captureTimeMs() - a.captureTimeMs());
        Frame fa = a.frame();
        Frame fb = b.frame();
        Frame.Builder out = Frame.builder(t, fa.size());
        int n = 0;
        for (int i = 0; i < fa.size(); i++) {
            int id = fa.id(i);
            int j = fb.indexOf(id);
            if (j < 0 || fa.kind(i) != fb.kind(j)) {
                continue;
            }
            switch (fa.kind(i)) {
                case NUMBER -> {
                    double x = fa.number(i);
                    double y = fb.number(j);
                    boolean circular = id < CATALOGUE.size()
                            && CATALOGUE.signal(id).type() instanceof FloatType ft
                            && ft.circular();
                    if (circular) {
                        double d = ((y - x) % 360 + 540) % 360 - 180;
                        double v = (x + d * w) % 360;
                        out.number(id, v < 0 ? v + 360 : v);
                    } else {
                        out.number(id, x + (y - x) * w);
                    }
                    n++;
                }
                case POSITION -> {
                    out.position(
                            id,
                            fa.latitude(i) + (fb.latitude(j) - fa.latitude(i)) * w,
                            fa.longitude(i) + (fb.longitude(j) - fa.longitude(i)) * w);
                    n++;
                }
                default -> {} // never invented between rows
            }
        }
        return n == 0 ? null : new Sample(-1, out.build());
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
