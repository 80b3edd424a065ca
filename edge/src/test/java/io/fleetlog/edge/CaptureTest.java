package io.fleetlog.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.edge.can.CaptureClock;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture step driven with an injected clock: no threads, no sleeps. */
class CaptureTest {
    static final long T0 = 1_764_000_000_000L;

    @TempDir
    Path dir;

    Spool spool;

    @BeforeEach
    void open() {
        spool = Spools.open(
                dir.resolve("v.spool"),
                SpoolConfig.defaults()
                        .withGroupCommit(Duration.ofSeconds(10), 1_000_000)
                        .withSynchronous(SpoolConfig.Synchronous.OFF));
    }

    @AfterEach
    void close() {
        spool.close();
    }

    /** A recording: {@code n} samples 20 ms apart from {@link #T0}; throws at sample {@code failAt}. */
    static final class Recording implements Source {
        final TestDrive drive = new TestDrive(7, T0);
        final List<Sample> given = new ArrayList<>();
        final int n;
        final int failAt;
        final boolean live;

        Recording(int n, int failAt, boolean live) {
            this.n = n;
            this.failAt = failAt;
            this.live = live;
        }

        @Override
        public Sample next() throws IOException {
            if (given.size() == failAt) {
                throw new IOException("line " + (failAt + 1) + ": unreadable");
            }
            if (given.size() == n) {
                return null;
            }
            Sample s = drive.next();
            given.add(s);
            return s;
        }

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public String describe() {
            return "recording of " + n;
        }
    }

    static Instant at(long ms) {
        return Instant.ofEpochMilli(ms);
    }

    List<Sample> spooled() {
        spool.flush();
        return spool.peek(0, 1_000_000);
    }

    @Test
    void samplesAreCommittedWhenTheInjectedClockReachesTheirCaptureTime() throws Exception {
        Recording r = new Recording(100, -1, false);
        Capture c = new Capture(r, spool, 500);
        Capture.Step st = c.step(at(T0 - 1));
        assertThat(st.committed()).isZero();
        assertThat(st.heldCaptureMs()).as("the first sample is read and held").isEqualTo(T0);
        assertThat(spool.nextSeq()).isZero();

        st = c.step(at(T0 + 100)); // t0, +20, ... +100: six samples due
        assertThat(st.committed()).isEqualTo(6);
        assertThat(st.heldCaptureMs()).isEqualTo(T0 + 120);
        assertThat(c.captured()).isEqualTo(6);
        assertThat(c.firstCaptureMs()).isEqualTo(T0);
        assertThat(c.lastCaptureMs()).isEqualTo(T0 + 100);

        st = c.step(at(T0 + 119));
        assertThat(st.committed()).isZero();

        st = c.step(Instant.MAX);
        assertThat(st.committed()).isEqualTo(94);
        assertThat(st.ended()).isTrue();
        assertThat(c.step(Instant.MAX).committed()).as("nothing after the end").isZero();
        assertThat(spooled())
                .extracting(Sample::captureTimeMs)
                .containsExactlyElementsOf(
                        r.given.stream().map(Sample::captureTimeMs).toList());
    }

    @Test
    void aClockGoingBackwardsCommitsNothingNewAndNeverReordersTheSpool() throws Exception {
        Recording r = new Recording(50, -1, false);
        Capture c = new Capture(r, spool, 500);
        assertThat(c.step(at(T0 + 200)).committed()).isEqualTo(11);
        assertThat(c.step(at(T0 + 200 - 3_600_000)).committed())
                .as("an hour back")
                .isZero();
        assertThat(c.step(at(T0 + 100)).committed()).isZero();
        assertThat(c.step(at(T0 + 400)).committed()).isEqualTo(10);
        assertThat(c.step(at(T0 + 3_600_000)).committed())
                .as("an hour ahead: the rest")
                .isEqualTo(29);

        List<Sample> s = spooled();
        assertThat(s).hasSize(50);
        for (int i = 0; i < s.size(); i++) {
            assertThat(s.get(i).seq()).isEqualTo(i);
            assertThat(s.get(i).captureTimeMs())
                    .as("seq %d", i)
                    .isEqualTo(r.given.get(i).captureTimeMs());
        }
    }

    @Test
    void theEndsOfTimeAreEveryAndNoCaptureTime() throws Exception {
        Capture c = new Capture(new Recording(10, -1, false), spool, 500);
        assertThat(c.step(Instant.MIN).committed()).isZero();
        assertThat(c.step(Instant.MAX).committed()).isEqualTo(10);
    }

    @Test
    void aStepCommitsAtMostOneChunk() throws Exception {
        Capture c = new Capture(new Recording(1_200, -1, false), spool, 500);
        assertThat(c.step(Instant.MAX).committed()).isEqualTo(500);
        assertThat(c.step(Instant.MAX).committed()).isEqualTo(500);
        Capture.Step last = c.step(Instant.MAX);
        assertThat(last.committed()).isEqualTo(200);
        assertThat(last.ended()).isTrue();
        assertThat(spool.nextSeq()).isEqualTo(1_200);
    }

    @Test
    void aLiveSampleIsCommittedAsSoonAsItIsRead() throws Exception {
        Capture c = new Capture(new Recording(3, -1, true), spool, 500);
        assertThat(c.step(Instant.MAX).committed()).isEqualTo(1);
        assertThat(spool.nextSeq()).isEqualTo(1);
        assertThat(c.step(Instant.MAX).committed()).isEqualTo(1);
        assertThat(c.step(Instant.MAX).committed()).isEqualTo(1);
        assertThat(c.step(Instant.MAX).ended()).isTrue();
    }

    /**
     * A live bus whose wall clock jumps an hour back, then two hours ahead, mid-drive: the frames are
     * stamped by the edge's {@link CaptureClock} (raw wall time, injected monotonic time) and the
     * capture step commits them as they come; the spool's capture times never go back.
     */
    @Test
    void liveFramesStampedAcrossClockJumpsReachTheSpoolInOrder() throws Exception {
        CaptureClock clock = new CaptureClock(-1);
        TestDrive drive = new TestDrive(3, T0);
        long hourUs = 3_600_000_000L;
        Source bus = new Source() {
            int i;

            @Override
            public Sample next() {
                if (i == 300) {
                    return null;
                }
                long trueUs = (T0 + i * 20L) * 1000;
                long raw = trueUs + (i >= 100 ? -hourUs : 0) + (i >= 200 ? 2 * hourUs : 0);
                long mono = i * 20_000_000L;
                i++;
                Sample s = drive.next();
                double[] v = s.values();
                return new Sample(0, clock.map(raw, mono) / 1000, v);
            }

            @Override
            public boolean live() {
                return true;
            }

            @Override
            public String describe() {
                return "bus";
            }
        };
        Capture c = new Capture(bus, spool, 500);
        while (!c.step(Instant.MAX).ended()) {
            // one frame per step
        }
        List<Sample> s = spooled();
        assertThat(s).hasSize(300);
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.get(i).captureTimeMs())
                    .as("seq %d", i)
                    .isGreaterThan(s.get(i - 1).captureTimeMs());
        }
        assertThat(clock.backwardSteps()).isEqualTo(1);
        assertThat(clock.forwardSteps()).isEqualTo(1);
    }

    @Test
    void whatWasReadBeforeASourceErrorIsCommitted() throws Exception {
        Capture c = new Capture(new Recording(100, 30, false), spool, 500);
        assertThatThrownBy(() -> c.step(Instant.MAX))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("line 31");
        assertThat(c.captured()).isEqualTo(30);
        assertThat(spooled()).hasSize(30);
    }

    @Test
    void aStopEndsTheCaptureAtTheNextStepWithoutCommittingTheHeldSample() throws Exception {
        Capture c = new Capture(new Recording(100, -1, false), spool, 500);
        c.step(at(T0 + 40));
        c.stop();
        Capture.Step st = c.step(Instant.MAX);
        assertThat(st.ended()).isTrue();
        assertThat(st.committed()).isZero();
        assertThat(c.captured()).isEqualTo(3);
    }
}
