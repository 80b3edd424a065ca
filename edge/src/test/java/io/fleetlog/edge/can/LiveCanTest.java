package io.fleetlog.edge.can;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.sample.Sample;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveCanTest {
    private static final long S = 1_000_000_000L;

    /** 0x257 (DI_speed in the built-in Model 3 subset) every 20 ms from {@code fromMs}, {@code n} frames. */
    private static String frames(long fromMs, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long ms = fromMs + 20L * i;
            b.append(String.format("(%d.%03d000) can0 257#0000000000000000%n", ms / 1000, ms % 1000));
        }
        return b.toString();
    }

    @Test
    void aSilentBusIsOneCountedEventPerSilenceNotAnEnd() throws Exception {
        long[] now = {0};
        PipedWriter feed = new PipedWriter();
        PipedReader in = new PipedReader(feed, 1 << 16);
        try (LiveCan live = LiveCan.open(
                new CandumpReader(in, "stdin", null),
                new CaptureClock(-1),
                () -> now[0],
                Duration.ofSeconds(5),
                "stdin",
                LogOptions.defaults())) {
            assertThat(live.live()).isTrue();
            feed.write(frames(1_764_000_000_000L, 3));
            feed.flush();
            Sample s = live.next();
            assertThat(s).isNotNull();
            assertThat(live.runOnce(4 * S)).as("4 s quiet is not yet a silence").isFalse();
            assertThat(live.runOnce(6 * S)).isTrue();
            assertThat(live.runOnce(7 * S)).as("one silence, counted once").isFalse();
            assertThat(live.stats().silences()).isEqualTo(1);
            assertThat(live.stats().silentNow()).isTrue();
            now[0] = 8 * S;
            feed.write(frames(1_764_000_008_000L, 3));
            feed.flush();
            assertThat(live.next()).as("the bus came back: samples flow again").isNotNull();
            assertThat(live.stats().silentNow()).isFalse();
            assertThat(live.runOnce(14 * S)).isTrue();
            assertThat(live.stats().silences()).isEqualTo(2);
            feed.close();
            while (live.next() != null) {
                // the end of input delivers the last tick, then ends
            }
            assertThat(live.stats().ended()).isTrue();
            assertThat(live.runOnce(100 * S)).as("no silence after the end").isFalse();
            assertThat(live.stats().frames()).isEqualTo(6);
        }
    }

    @Test
    void malformedLinesAreCountedWithTheirLineNumbers() throws Exception {
        String text = frames(1_764_000_000_000L, 2) + "garbage\n" + frames(1_764_000_000_040L, 2);
        try (LiveCan live = LiveCan.open(
                new CandumpReader(new StringReader(text), "stdin", null),
                new CaptureClock(-1),
                System::nanoTime,
                Duration.ofSeconds(5),
                "stdin",
                LogOptions.defaults())) {
            int n = 0;
            while (live.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(4);
            assertThat(live.stats().malformed()).isEqualTo(1);
            assertThat(live.problems()).isEqualTo(1);
            assertThat(live.stats().line()).contains("1 malformed lines");
        }
    }
}
