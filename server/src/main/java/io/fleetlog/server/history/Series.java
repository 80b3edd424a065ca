package io.fleetlog.server.history;

import io.fleetlog.frame.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of a chart query ({@code GET /api/vehicles/{vin}/series}): which source serves a
 * range at a number of points ({@link #plan}), and the merge of raw values or rollup buckets into at
 * most that many output buckets ({@link Accumulator}), each with min and max so a spike in a bucket is
 * never averaged away. Pure; an accumulator is not thread-safe.
 */
public final class Series {
    /** Most points per signal a request may ask for. */
    public static final int MAX_POINTS = 10_000;

    /**
     * Widest range served from raw frames (6 h: about 1.1 M frames at 50 Hz, what one /samples request
     * may return). A longer range whose points would need buckets under 10 s is served from the 10 s
     * rollups with fewer points than asked.
     */
    public static final long MAX_RAW_RANGE_MS = 6 * 3_600_000L;

    private Series() {}

    /** Where a signal's points come from. */
    public enum Source {
        RAW(1, "raw"),
        TEN_SECONDS(Step.TEN_SECONDS.ms(), "10s"),
        ONE_MINUTE(Step.ONE_MINUTE.ms(), "1m");

        private final long ms;
        private final String label;

        Source(long ms, String label) {
            this.ms = ms;
            this.label = label;
        }

        public long ms() {
            return ms;
        }

        public String label() {
            return label;
        }

        /** The rollup tier of this source (null for raw). */
        public Step step() {
            return this == TEN_SECONDS ? Step.TEN_SECONDS : this == ONE_MINUTE ? Step.ONE_MINUTE : null;
        }

        /** The next coarser source, null after 1 min. */
        public Source coarser() {
            return this == RAW ? TEN_SECONDS : this == TEN_SECONDS ? ONE_MINUTE : null;
        }
    }

    /**
     * A query's layout: {@code buckets} output buckets of {@code widthMs} from {@code startMs} (the
     * range's start rounded down to the source's step, so rollup buckets never straddle two outputs).
     */
    public record Plan(Source source, long startMs, long toMs, long widthMs, int buckets) {
        public int index(long tMs) {
            return (int) ((tMs - startMs) / widthMs);
        }
    }

    /**
     * The coarsest source whose step still gives at least {@code points} buckets over {@code [from,
     * to)}: raw when the output buckets are narrower than 10 s (and the range at most {@link
     * #MAX_RAW_RANGE_MS}), 10 s when narrower than 1 min, else 1 min.
     */
    public static Plan plan(long fromMs, long toMs, int points) {
        if (fromMs >= toMs || points < 1) {
            throw new IllegalArgumentException("empty range " + fromMs + ".." + toMs + " or points " + points);
        }
        long wanted = ceilDiv(toMs - fromMs, points);
        Source s = wanted >= Source.ONE_MINUTE.ms
                ? Source.ONE_MINUTE
                : wanted >= Source.TEN_SECONDS.ms || toMs - fromMs > MAX_RAW_RANGE_MS ? Source.TEN_SECONDS : Source.RAW;
        return plan(s, fromMs, toMs, points);
    }

    /** The layout of {@code source} over the range (at most {@code points} buckets). */
    public static Plan plan(Source source, long fromMs, long toMs, int points) {
        long start = Math.floorDiv(fromMs, source.ms) * source.ms;
        long span = toMs - start;
        long width = source.ms * ceilDiv(span, (long) points * source.ms);
        return new Plan(source, start, toMs, width, (int) ceilDiv(span, width));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** One output point: bucket start, values merged, min, max, mean and last (by time, seq). */
    public record Point(long t, long count, double min, double max, double mean, double last) {}

    /**
     * Merges values or buckets of one signal into a plan's output buckets, in place (primitive arrays
     * per output bucket, nothing allocated per value): the arithmetic of {@link Bucket#merge}.
     */
    public static final class Accumulator {
        private final Plan plan;
        private final boolean[] present;
        private final long[] count;
        private final double[] sum;
        private final double[] min;
        private final double[] max;
        private final long[] lastMs;
        private final long[] lastSeq;
        private final double[] last;

        public Accumulator(Plan plan) {
            this.plan = plan;
            int n = plan.buckets();
            present = new boolean[n];
            count = new long[n];
            sum = new double[n];
            min = new double[n];
            max = new double[n];
            lastMs = new long[n];
            lastSeq = new long[n];
            last = new double[n];
        }

        public Plan plan() {
            return plan;
        }

        /** A raw value captured at {@code tMs} (ignored outside the plan's range). */
        public void add(long tMs, long seq, double v) {
            add(tMs, 1, v, v, v, tMs, seq, v);
        }

        /** The signal's value in a raw frame, when it holds a number, an integer, an enum or a boolean. */
        public void add(long seq, Frame f, int signalId) {
            int i = f.indexOf(signalId);
            if (i < 0 || f.unavailable(i)) {
                return;
            }
            switch (f.kind(i)) {
                case NUMBER -> add(f.timeMs(), seq, f.number(i));
                case INTEGER -> add(f.timeMs(), seq, f.integer(i));
                default -> {} // strings and positions have no chart
            }
        }

        /** A rollup bucket, placed by its start. */
        public void add(Bucket b) {
            add(b.startMs(), b.count(), b.sum(), b.min(), b.max(), b.lastMs(), b.lastSeq(), b.last());
        }

        private void add(long startMs, long n, double s, double lo, double hi, long lMs, long lSeq, double l) {
            if (startMs < plan.startMs() || startMs >= plan.toMs()) {
                return;
            }
            int k = plan.index(startMs);
            if (!present[k]) {
                present[k] = true;
                count[k] = n;
                sum[k] = s;
                min[k] = lo;
                max[k] = hi;
                lastMs[k] = lMs;
                lastSeq[k] = lSeq;
                last[k] = l;
                return;
            }
            count[k] += n;
            sum[k] += s;
            min[k] = Math.min(min[k], lo);
            max[k] = Math.max(max[k], hi);
            if (lMs > lastMs[k] || (lMs == lastMs[k] && lSeq > lastSeq[k])) {
                lastMs[k] = lMs;
                lastSeq[k] = lSeq;
                last[k] = l;
            }
        }

        public boolean isEmpty() {
            for (boolean p : present) {
                if (p) {
                    return false;
                }
            }
            return true;
        }

        /** The non-empty output buckets, oldest first. */
        public List<Point> points() {
            List<Point> pts = new ArrayList<>();
            for (int k = 0; k < present.length; k++) {
                if (present[k]) {
                    pts.add(new Point(
                            plan.startMs() + k * plan.widthMs(), count[k], min[k], max[k], sum[k] / count[k], last[k]));
                }
            }
            return pts;
        }
    }
}
