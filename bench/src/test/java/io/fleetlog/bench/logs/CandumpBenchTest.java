package io.fleetlog.bench.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandumpBenchTest {
    @Test
    void benchRunsEveryStageOnBothLogs() throws Exception {
        Path dir = Path.of(System.getProperty("fleetlog.realData", "../../shared/data/real"));
        assumeTrue(Files.isReadable(dir.resolve(CandumpBench.FORD)), "real data not present: " + dir);
        List<CandumpBench.Row> rows = CandumpBench.run(dir, new CandumpBench.Timing(0, 1, 0));
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).frames()).isEqualTo(41_250);
        assertThat(rows.get(2).samples()).isBetween(1040L, 1046L);
        assertThat(rows.get(5).samples()).isEqualTo(30_000);
        assertThat(rows).allSatisfy(r -> assertThat(r.framesPerSecond()).isPositive());
    }
}
