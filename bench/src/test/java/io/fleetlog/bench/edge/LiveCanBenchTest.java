package io.fleetlog.bench.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seconds-long smoke of the live-CAN edge CPU benchmark command. */
class LiveCanBenchTest {
    @TempDir
    Path dir;

    @Test
    void aLiveEdgeAt2000FramesPerSecondDeliversEverythingAndItsCpuIsReported() throws Exception {
        LiveCanBench.Result r = LiveCanBench.run(2_000, 2, 1, dir);
        assertThat(r.totalFrames()).isEqualTo(6_000);
        assertThat(r.frames()).isEqualTo(4_000);
        assertThat(r.samples())
                .as("50 Hz samples of a 3 s drive, all acknowledged")
                .isBetween(140L, 151L);
        assertThat(r.cpuSeconds()).isPositive();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        LiveCanBench.print(new PrintStream(b, true, StandardCharsets.UTF_8), r, 2_000, 2, 1);
        assertThat(b.toString(StandardCharsets.UTF_8))
                .contains("CPU µs per frame")
                .contains("2,000 frames/s");
    }
}
