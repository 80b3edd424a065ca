package io.fleetlog.edge.can;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capture times for live CAN input that never run backwards and follow the wall clock forward.
 *
 * <p>Every frame comes with a raw wall-clock time (candump's kernel timestamp, or the edge's wall
 * clock when an SLCAN frame is read) and the monotonic time it was read ({@link System#nanoTime()},
 * injected). The capture time is {@code raw + offset}, never less than the previous capture time. The
 * offset starts at 0 (or just enough to stay after {@code floor}, the spool's newest capture time
 * after a restart) and changes only at a clock step:
 *
 * <ul>
 *   <li><b>backward step</b> (raw time falls by more than {@link #BACKWARD_STEP_MICROS}): the wall
 *       clock is not followed back; the capture time continues from the previous one by the monotonic
 *       time elapsed between the two reads (at least 1 µs), and the offset keeps that timeline;
 *   <li><b>forward step</b> (raw time advances more than {@link #FORWARD_STEP_MICROS} beyond the
 *       monotonic time elapsed): the wall clock is followed forward, the offset drops to what keeps
 *       the capture time after the previous one (0 when the clock simply moved ahead);
 *   <li>while the offset is positive (after a backward step), the first raw time at or after the
 *       previous capture time re-anchors to the wall clock (offset 0).
 * </ul>
 *
 * Consequences (docs/edge.md, "The clock rule"): the spool and the server never see time go back and
 * never get two samples at one time from a step; after a forward step (NTP setting a clock that was
 * behind at boot) capture times are right from the step on, earlier ones stay as early as the clock
 * was; after a backward step capture times stay ahead by the step until the wall clock catches up or
 * a forward step comes. A recording piped faster than real time with a gap longer than {@link
 * #FORWARD_STEP_MICROS} counts as a forward step but keeps its times. Not thread-safe (the capture
 * thread); the counters are read from others.
 */
public final class CaptureClock {
    private static final Logger log = LoggerFactory.getLogger(CaptureClock.class);

    /** A raw time this far before the previous one (µs) is a backward clock step, not frame jitter. */
    public static final long BACKWARD_STEP_MICROS = 50_000;
    /** A raw time advance this far beyond the monotonic elapsed time (µs) is a forward clock step. */
    public static final long FORWARD_STEP_MICROS = 2_000_000;

    private final long floorMicros;
    private boolean started;
    private long offsetMicros;
    private long lastMicros;
    private long lastRawMicros;
    private long lastMonoNanos;
    private volatile long forwardSteps;
    private volatile long backwardSteps;
    private volatile long offsetNow;

    /**
     * @param floorMillis capture times are after this (the spool's newest sample, ms since the epoch),
     *     or {@code -1} for none
     */
    public CaptureClock(long floorMillis) {
        this.floorMicros = floorMillis < 0 ? Long.MIN_VALUE : floorMillis * 1000 + 999;
    }

    /** The capture time (µs since the epoch) of a frame read at {@code monoNanos} with raw time {@code rawMicros}. */
    public long map(long rawMicros, long monoNanos) {
        if (!started) {
            started = true;
            offsetMicros = floorMicros == Long.MIN_VALUE ? 0 : Math.max(0, floorMicros + 1 - rawMicros);
            lastMicros = rawMicros + offsetMicros;
        } else {
            long elapsedMicros = Math.max(1, (monoNanos - lastMonoNanos) / 1000);
            long rawDelta = rawMicros - lastRawMicros;
            if (rawDelta < -BACKWARD_STEP_MICROS) {
                backwardSteps++;
                offsetMicros = lastMicros + elapsedMicros - rawMicros;
                log.warn(
                        "edge_clock_step_backward raw_step_ms={} capture_offset_ms={} (capture time keeps running forward)",
                        rawDelta / 1000,
                        offsetMicros / 1000);
            } else if (rawDelta - elapsedMicros > FORWARD_STEP_MICROS) {
                forwardSteps++;
                offsetMicros = Math.max(0, lastMicros + elapsedMicros - rawMicros);
                log.info(
                        "edge_clock_step_forward raw_step_ms={} elapsed_ms={} capture_offset_ms={}",
                        rawDelta / 1000,
                        elapsedMicros / 1000,
                        offsetMicros / 1000);
            } else if (offsetMicros > 0 && rawMicros >= lastMicros) {
                offsetMicros = 0; // the wall clock caught up with the timeline kept since a backward step
                log.info("edge_clock_reanchored capture_offset_ms=0");
            }
            lastMicros = Math.max(lastMicros, rawMicros + offsetMicros);
        }
        lastRawMicros = rawMicros;
        lastMonoNanos = monoNanos;
        offsetNow = offsetMicros;
        return lastMicros;
    }

    /** Forward clock steps seen. */
    public long forwardSteps() {
        return forwardSteps;
    }

    /** Backward clock steps seen (and not followed). */
    public long backwardSteps() {
        return backwardSteps;
    }

    /** Capture time minus raw time now, µs (positive after a backward step). */
    public long offsetMicros() {
        return offsetNow;
    }
}
