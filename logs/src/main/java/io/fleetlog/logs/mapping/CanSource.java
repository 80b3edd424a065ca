package io.fleetlog.logs.mapping;

import io.fleetlog.frame.Frame;
import io.fleetlog.logs.Problems;
import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CanFrames;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.time.Duration;

/**
 * Sparse samples assembled from a CAN log on a fixed grid (default 50 Hz) through a DBC signal
 * mapping.
 *
 * <p>Frames arrive asynchronously, each message at its own rate. The source keeps the latest value
 * of every DBC signal the mapping reads and emits one sample per tick of a grid aligned to the epoch
 * (at 50 Hz: every 20 ms on multiples of 20 ms, the first tick at or after the first frame). The
 * sample at tick T holds exactly the catalogue signals whose message arrived since the previous
 * tick (up to T, from the log's timestamps, never the clock), so each signal comes at its bus rate
 * (at most the grid's); a signal computed from several DBC signals is captured when any of their
 * messages arrives, from the latest values of all. A value-table "SNA" makes a signal unavailable.
 * Ticks where nothing mapped arrived are not emitted. Where the log has a gap longer than
 * {@code maxGap} (default 1 s) between frames, no ticks are made up inside the gap: the grid resumes
 * at the first frame after it. A frame that goes back in time is applied at the current tick.
 *
 * <p>Values outside a signal's range, non-whole integers and enum values without a name are
 * captured as unavailable and count as {@link #problems()} ({@code file:line: …}), as do the log's
 * bad lines. Not thread-safe; never sleeps (it blocks only while its {@link CanFrames} blocks, as a
 * live input does between frames).
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

    private final CanFrames frames;
    private final BoundMapping mapping;
    private final String describe;
    private final long periodUs;
    private final long maxGapUs;
    private final double[] slots;
    private final boolean[] arrived;
    private final Problems rangeProblems;
    private CanFrame pending;
    private boolean eof;
    private long nextTick = Long.MIN_VALUE;
    private long lastFrameUs = Long.MIN_VALUE;
    private boolean dirty;
    private long mappedFrames;

    public CanSource(CanFrames frames, BoundMapping mapping, Options options, String describe) {
        this.frames = frames;
        this.mapping = mapping;
        this.describe = describe;
        this.periodUs = Math.round(1_000_000 / options.rateHz());
        this.maxGapUs = options.maxGap().toNanos() / 1000;
        this.slots = mapping.newSlots();
        this.arrived = mapping.newArrived();
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
        if (f.kind() != CanFrame.Kind.REMOTE
                && mapping.apply(f.id(), f.extended(), f.data(), f.data().length, slots, arrived)) {
            mappedFrames++;
        }
        lastFrameUs = Math.max(lastFrameUs, f.timeMicros());
        dirty = true;
    }

    private Sample sample(long tickUs) {
        long timeMs = Math.floorDiv(tickUs, 1000);
        Frame.Builder b = Frame.builder(timeMs);
        int n = mapping.capture(
                slots,
                arrived,
                b,
                p -> rangeProblems.add(frames.line(), p.replaceFirst(";", " at " + timeMs + " ms;")));
        return n == 0 ? null : new Sample(-1, b.build());
    }

    private long ceilToGrid(long us) {
        return Math.floorDiv(us + periodUs - 1, periodUs) * periodUs;
    }

    @Override
    public String describe() {
        return describe;
    }

    /** Bad log lines plus values that could not be used (out of range, unnamed enum values, …). */
    @Override
    public long problems() {
        return frames.problems().count() + rangeProblems.count();
    }

    /** Frames that carried at least one mapped signal. */
    public long mappedFrames() {
        return mappedFrames;
    }

    /** The underlying frame reader (for its counters). */
    public CanFrames frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }
}
