package io.fleetlog.edge.can;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptureClockTest {
    private static final long HOUR_US = 3_600_000_000L;
    private static final long T0 = 1_764_000_000_000_000L;
    private static final long TICK_US = 20_000;

    /** Maps 100 frames 20 ms apart whose raw clock steps by {@code stepUs} before frame 50. */
    private static long[] drive(CaptureClock c, long stepUs) {
        long[] out = new long[100];
        for (int i = 0; i < 100; i++) {
            long trueUs = T0 + i * TICK_US;
            long raw = trueUs + (i >= 50 ? stepUs : 0);
            out[i] = c.map(raw, i * TICK_US * 1000);
        }
        return out;
    }

    @Test
    void aSteadyClockIsTakenAsItIs() {
        CaptureClock c = new CaptureClock(-1);
        long[] t = drive(c, 0);
        for (int i = 0; i < t.length; i++) {
            assertThat(t[i]).isEqualTo(T0 + i * TICK_US);
        }
        assertThat(c.forwardSteps() + c.backwardSteps()).isZero();
    }

    @Test
    void aBackwardHourIsNotFollowedTheTimelineRunsOnByMonotonicTime() {
        CaptureClock c = new CaptureClock(-1);
        long[] t = drive(c, -HOUR_US);
        for (int i = 0; i < t.length; i++) {
            assertThat(t[i]).as("frame %d", i).isEqualTo(T0 + i * TICK_US);
        }
        assertThat(c.backwardSteps()).isEqualTo(1);
        assertThat(c.offsetMicros()).isEqualTo(HOUR_US);
    }

    @Test
    void aForwardHourIsFollowedWithoutGoingBack() {
        CaptureClock c = new CaptureClock(-1);
        long[] t = drive(c, HOUR_US);
        assertThat(t[49]).isEqualTo(T0 + 49 * TICK_US);
        assertThat(t[50]).isEqualTo(T0 + 50 * TICK_US + HOUR_US);
        assertThat(c.forwardSteps()).isEqualTo(1);
        assertThat(c.offsetMicros()).isZero();
    }

    @Test
    void aForwardStepAfterABackwardOneReturnsToTheWallClock() {
        CaptureClock c = new CaptureClock(-1);
        long mono = 0;
        long last = c.map(T0, mono);
        last = c.map(T0 - HOUR_US + TICK_US, mono += TICK_US * 1000); // back an hour
        assertThat(last).isEqualTo(T0 + TICK_US);
        long next = c.map(T0 + 2 * TICK_US, mono += TICK_US * 1000); // NTP puts it right again
        assertThat(next).isEqualTo(T0 + 2 * TICK_US);
        assertThat(c.offsetMicros()).isZero();
        assertThat(c.forwardSteps()).isEqualTo(1);
    }

    @Test
    void aRestartedEdgeCapturesAfterItsSpoolsNewestSample() {
        long newestMs = T0 / 1000 + 60_000; // the clock came back a minute behind what is spooled
        CaptureClock c = new CaptureClock(newestMs);
        long first = c.map(T0, 0);
        assertThat(first / 1000).isGreaterThan(newestMs);
        assertThat(c.map(T0 + TICK_US, TICK_US * 1000)).isEqualTo(first + TICK_US);
    }

    @Test
    void captureTimesNeverGoBackwardsWhateverTheClockDoes() {
        SplittableRandom r = new SplittableRandom(3);
        for (int run = 0; run < 200; run++) {
            CaptureClock c = new CaptureClock(r.nextBoolean() ? -1 : T0 / 1000);
            long raw = T0;
            long mono = 0;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < 500; i++) {
                long d = r.nextInt(10) == 0 ? r.nextLong(-2 * HOUR_US, 2 * HOUR_US) : r.nextLong(-3_000, 30_000);
                raw += d;
                mono += r.nextLong(0, 30_000_000);
                long t = c.map(raw, mono);
                assertThat(t).as("run %d frame %d", run, i).isGreaterThanOrEqualTo(last);
                last = t;
            }
        }
    }
}
