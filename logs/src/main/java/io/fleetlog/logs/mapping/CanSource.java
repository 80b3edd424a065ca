package io.fleetlog.logs.mapping;

import io.fleetlog.logs.Problems;
import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.time.Duration;

/**
 * Samples assembled from a CAN log at a fixed rate (default 50 Hz) through a DBC signal mapping.
 *
 * <p>Frames arrive asynchronously, each message at its own rate. The source keeps the latest value
 * of every mapped signal (unavailable until first seen; a value-table "SNA" makes it unavailable
 * again) and emits one sample per tick of a grid aligned to the epoch (at 50 Hz: every 20 ms on
 * multiples of 20 ms, the first tick at or after the first frame). A sample at tick T holds every
 * frame timestamped ≤ T; its capture time is T from the log's timestamps, never the clock. Ticks
 * where no mapped field is available yet are not emitted. Where the log has a gap longer than
 * {@code maxGap} (default 1 s) between frames, no ticks are made up inside the gap: the grid resumes
 * at the first frame after it. A frame that goes back in time is applied at the current tick.
 *
 * <p>Values outside a field's range become NaN and count as {@link #problems()}, as do the log's bad
 * lines. Not thread-safe; never sleeps.
 */
public final class CanSource implements Source {
    /**
     * @param rateHz samples per second of capture time (1–1000)
     * @param maxGap the longest silence between frames that ticks are still emitted through
     */
    public record Options(double rateHz, Duration maxGap) {
        public static final Options DEFAULT = new Options(50, Duration.ofSeconds(1));

        public Options {
            if (!(rateHz >= 1 && rateHz <= 1000)) {
                throw new IllegalArgumentException("rateHz " + rateHz + " is outside [1, 1000]");
            }
            if (maxGap.isNegative() || maxGap.isZero()) {
                throw new IllegalArgumentException("maxGap " + maxGap + " must be positive");
            }
        }
    }

    private final CandumpReader frames;
    private final BoundMapping mapping;
    private final String describe;
    private final long periodUs;
    private final long maxGapUs;
    private final double[] slots;
    private final double[] values = new double[Field.COUNT];
    private final Problems rangeProblems;
    private CanFrame pending;
    private boolean eof;
    private long nextTick = Long.MIN_VALUE;
    private long lastFrameUs = Long.MIN_VALUE;
    private boolean dirty;
    private long mappedFrames;

    public CanSource(CandumpReader frames, BoundMapping mapping, Options options, String describe) {
        this.frames = frames;
        this.mapping = mapping;
        this.describe = describe;
        this.periodUs = Math.round(1_000_000 / options.rateHz());
        this.maxGapUs = options.maxGap().toNanos() / 1000;
        this.slots = mapping.newSlots();
        this.rangeProblems = new Problems(frames.problems().file());
    }

    @Override
    public Sample next() throws IOException {
        while (true) {
            if (pending == null && !eof) {
                pending = frames.next();
                eof = pending == null;
            }
            if (nextTick == Long.MIN_VALUE) {
                if (pending == null) {
                    return null;
                }
                nextTick = ceilToGrid(pending.timeMicros());
            }
            if (pending != null && pending.timeMicros() <= nextTick) {
                apply(pending);
                pending = null;
                continue;
            }
            long tick = nextTick;
            if (pending == null) { // end of the log: one last tick holds the frames after the previous one
                if (!dirty) {
                    return null;
                }
                nextTick += periodUs;
            } else if (pending.timeMicros() - lastFrameUs > maxGapUs) {
                nextTick = ceilToGrid(pending.timeMicros()); // a gap: do not make up ticks inside it
                if (!dirty) {
                    continue;
                }
            } else {
                nextTick += periodUs;
            }
            dirty = false;
            Sample s = sample(tick);
            if (s != null) {
                return s;
            }
        }
    }

    private void apply(CanFrame f) {
        if (f.kind() != CanFrame.Kind.REMOTE && mapping.apply(f.id(), f.extended(), f.data(), f.data().length, slots)) {
            mappedFrames++;
        }
        lastFrameUs = Math.max(lastFrameUs, f.timeMicros());
        dirty = true;
    }

    private Sample sample(long tickUs) {
        mapping.values(slots, values);
        boolean any = false;
        for (Field f : Field.values()) {
            double v = values[f.ordinal()];
            if (Double.isNaN(v)) {
                continue;
            }
            v = f.normalise(v);
            if (!Double.isFinite(v) || !f.inRange(v)) {
                rangeProblems.add(
                        frames.line(),
                        f.key() + " " + v + " " + f.unit() + " at " + tickUs / 1000 + " ms is outside [" + f.min()
                                + ", " + f.max() + "]; sent as unavailable");
                v = Double.NaN;
            }
            values[f.ordinal()] = v;
            any |= !Double.isNaN(v);
        }
        return any ? new Sample(-1, Math.floorDiv(tickUs, 1000), values.clone()) : null;
    }

    private long ceilToGrid(long us) {
        return Math.floorDiv(us + periodUs - 1, periodUs) * periodUs;
    }

    @Override
    public String describe() {
        return describe;
    }

    /** Bad log lines plus out-of-range values. */
    @Override
    public long problems() {
        return frames.problems().count() + rangeProblems.count();
    }

    /** Frames that carried at least one mapped signal. */
    public long mappedFrames() {
        return mappedFrames;
    }

    /** The underlying frame reader (for its counters). */
    public CandumpReader frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }
}
