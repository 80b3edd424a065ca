package io.fleetlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.codec.v2.Gap;
import io.fleetlog.frame.Frame;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.GapReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's seq and time rules over decoded batches, step by step, without a server. */
class ContinuityTest {
    static final long T = 1_764_180_000_000L;

    private static DecodedFrames batch(long first, Gap gap, long... times) {
        List<Frame> frames = new ArrayList<>();
        for (long t : times) {
            frames.add(Frame.builder(t).number(0, 1.0).build());
        }
        return new DecodedFrames(frames, first, first + times.length - 1, 0, gap, null, times.length);
    }

    private static Batch wire(long first, long firstTime, boolean gap, long dropped) {
        Batch.Builder b =
                Batch.newBuilder().setFirstSeq(first).setFirstTimeMs(firstTime).setCount(1);
        if (gap) {
            b.setGap(true).setDropped(dropped).setGapReason(GapReason.DROPPED);
        }
        return b.build();
    }

    @Test
    void aBatchThatFollowsIsAcceptedAndMovesTheRuleOn() throws Exception {
        Continuity c = new Continuity(10, T);
        DecodedFrames d = batch(10, Gap.NONE, T, T, T + 20);
        c.checkBefore(wire(10, T, false, 0));
        assertThat(c.check(d)).isZero();
        c.accepted(d);
        assertThat(c.expected()).isEqualTo(13);
        assertThatThrownBy(() -> c.check(batch(13, Gap.NONE, T + 19)))
                .isInstanceOf(WireException.class)
                .hasMessageContaining("TIME_BACKWARDS: seq 13: capture time " + (T + 19) + " ms is 1 ms before")
                .hasMessageContaining("previous sample's " + (T + 20) + " ms");
    }

    @Test
    void aJumpMustBeDeclaredAndIsReportedAsSkipped() throws Exception {
        Continuity c = new Continuity(10, Long.MIN_VALUE);
        assertThatThrownBy(() -> c.checkBefore(wire(15, T, false, 0)))
                .hasMessageContaining("SEQ_NOT_FOLLOWING: batch first seq 15 jumps 5 seqs past 9 (undeclared gap");
        assertThatThrownBy(() -> c.checkBefore(wire(15, T, true, 4))).hasMessageContaining("but declares 4 dropped");
        c.checkBefore(wire(15, T, true, 5));
        assertThat(c.check(batch(15, Gap.dropped(7), T))).isEqualTo(5);
        assertThatThrownBy(() -> c.check(batch(15, Gap.NONE, T))).hasMessageContaining("undeclared gap");
        assertThat(c.expected()).as("checks change nothing").isEqualTo(10);
    }

    @Test
    void timeRunsForwardFromTheStoredFrameButAnOverlappingResendIsComparedInstead() throws Exception {
        Continuity c = new Continuity(100, T);
        assertThatThrownBy(() -> c.checkBefore(wire(100, T - 1, false, 0))).hasMessageContaining("seq 100");
        assertThatThrownBy(() -> c.checkBefore(wire(120, T - 5, true, 20))).hasMessageContaining("TIME_BACKWARDS");
        // a resend starting below the expected seq: its stored part is compared exactly, not checked here
        c.checkBefore(wire(90, T - 200, false, 0));
        assertThat(c.check(batch(90, Gap.NONE, T - 200, T - 180))).isZero();
        // but inside a batch time never goes back
        assertThatThrownBy(() -> c.check(batch(90, Gap.NONE, T - 200, T - 220)))
                .hasMessageContaining("seq 91: capture time " + (T - 220));
    }
}
