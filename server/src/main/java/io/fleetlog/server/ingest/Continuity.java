package io.fleetlog.server.ingest;

import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.frame.Frame;
import java.util.List;

/**
 * The server's sequence and time rules for one connection's decoded batches, on top of what the
 * {@link io.fleetlog.codec.v2.FrameDecoder} checks (batches following each other on the connection):
 *
 * <ul>
 *   <li>every seq below {@link #expected()} is stored or a recorded gap; a batch starting after it
 *       must declare the jump (gap, {@code dropped} ≥ the jump), which is then recorded as a gap;
 *   <li>capture time never decreases: not within a batch, and not from the newest stored frame (or
 *       the previous accepted batch) to the batch — except for a batch that overlaps the store, whose
 *       stored part is compared exactly instead ({@link ResendCheck});
 * </ul>
 *
 * <p>{@link #checkBefore} runs on the parsed batch before it is decoded, so what it refuses (a seq
 * jump, a first frame earlier than the stored ones) leaves the decoder as it was; {@link #check} runs
 * on the decoded frames (time running backwards inside the batch). A batch refused there was decoded
 * — the decoder moved on, as the edge's encoder did — so the next batch on the connection jumps past
 * {@link #expected()} and must declare it (the edge reconnects after a Reject anyway). Neither check
 * changes anything; {@link #accepted} moves the rule past a batch handed to the store. Not
 * thread-safe.
 */
final class Continuity {
    private long expected;
    private long notBeforeMs;

    /**
     * @param expected the stored seq + 1 at Welcome
     * @param notBeforeMs the newest stored capture time, Long.MIN_VALUE when none
     */
    Continuity(long expected, long notBeforeMs) {
        this.expected = expected;
        this.notBeforeMs = notBeforeMs;
    }

    long expected() {
        return expected;
    }

    /**
     * Checks what can be checked before decoding: the jump past {@link #expected()} (must be declared
     * by {@code gap} and at most {@code dropped}), and the first frame's capture time.
     *
     * @throws WireException {@code SEQ_NOT_FOLLOWING} or {@code TIME_BACKWARDS}
     */
    void checkBefore(io.fleetlog.wire.v2.Batch b) throws WireException {
        long first = b.getFirstSeq();
        if (first < 0) {
            return; // above 2^63: the decoder refuses it as out of range
        }
        if (first > expected) {
            checkJump(first, b.getGap(), b.getDropped());
        }
        if (first >= expected && b.getFirstTimeMs() < notBeforeMs) {
            throw backwards(first, b.getFirstTimeMs(), notBeforeMs);
        }
    }

    private void checkJump(long first, boolean gap, long dropped) throws WireException {
        long jump = first - expected;
        if (!gap) {
            throw new WireException(
                    WireException.Kind.SEQ_NOT_FOLLOWING,
                    "batch first seq " + first + " jumps " + jump + " seqs past " + (expected - 1)
                            + " (undeclared gap: the batch does not set gap)");
        }
        if (Long.compareUnsigned(jump, dropped) > 0) {
            throw new WireException(
                    WireException.Kind.SEQ_NOT_FOLLOWING,
                    "batch first seq " + first + " jumps " + jump + " seqs past " + (expected - 1) + " but declares "
                            + Long.toUnsignedString(dropped) + " dropped");
        }
    }

    private static WireException backwards(long seq, long t, long previous) {
        return new WireException(
                WireException.Kind.TIME_BACKWARDS,
                "seq " + seq + ": capture time " + t + " ms is " + (previous - t) + " ms before the previous sample's "
                        + previous + " ms (time may not run backwards)");
    }

    /**
     * Checks a decoded batch.
     *
     * @return how many seqs right before the batch it skips (0 when it follows or overlaps)
     * @throws WireException {@code SEQ_NOT_FOLLOWING} for an undeclared or too large jump, {@code
     *     TIME_BACKWARDS} naming the seq and both times
     */
    long check(DecodedFrames d) throws WireException {
        long first = d.firstSeq();
        long skipped = 0;
        if (first > expected) {
            checkJump(first, d.gap().isGap(), d.gap().dropped());
            skipped = first - expected;
        }
        long previous = first >= expected ? notBeforeMs : Long.MIN_VALUE;
        List<Frame> frames = d.frames();
        for (int i = 0; i < frames.size(); i++) {
            long t = frames.get(i).timeMs();
            if (t < previous) {
                throw backwards(first + i, t, previous);
            }
            previous = t;
        }
        return skipped;
    }

    /** The batch was handed to the store. */
    void accepted(DecodedFrames d) {
        expected = Math.max(expected, d.lastSeq() + 1);
        notBeforeMs =
                Math.max(notBeforeMs, d.frames().get(d.frames().size() - 1).timeMs());
    }
}
