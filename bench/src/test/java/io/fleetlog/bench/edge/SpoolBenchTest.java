package io.fleetlog.bench.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.edge.spool.SpoolConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seconds-long smoke of the spool benchmark command. */
class SpoolBenchTest {
    @TempDir
    Path dir;

    @Test
    void benchmarkAppendsAndDrainsEverySampleAndPrintsATable() throws Exception {
        List<SpoolBench.Result> r = SpoolBench.run(50_000, SpoolConfig.Synchronous.FULL, 4096, 1000, 2000, dir);
        assertThat(r).hasSize(2);
        assertThat(r).allSatisfy(x -> {
            assertThat(x.samples()).isEqualTo(50_000);
            assertThat(x.perSecond()).isPositive();
            assertThat(x.cpuSeconds()).isPositive();
        });
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SpoolBench.print(
                new PrintStream(b, true, StandardCharsets.UTF_8),
                r,
                50_000,
                SpoolConfig.Synchronous.FULL,
                4096,
                1000,
                2000);
        assertThat(b.toString(StandardCharsets.UTF_8))
                .contains("append (group commit)")
                .contains("samples/s");
        assertThat(dir.toFile().list()).isEmpty();
    }
}
