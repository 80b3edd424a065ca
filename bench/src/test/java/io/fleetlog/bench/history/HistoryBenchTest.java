package io.fleetlog.bench.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seconds-long smoke of the history benchmark: it loads, charts, exports, measures and prints a table. */
class HistoryBenchTest {
    @Test
    void benchmarkRunsSmallOnBothStoresAndPrintsATable() throws Exception {
        HistoryBench.quiet();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        HistoryBench b = new HistoryBench(
                Map.of("hours", "0.25", "hz", "20", "batch", "5000", "points", "50", "repeat", "2"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String[]> rows = b.run();
        String table = buf.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| measurement").contains("sqlite").contains("postgresql");
        // 15 min at 50 points: 18 s buckets, served from the 10 s rollups
        assertThat(rows).anySatisfy(r -> assertThat(r[0]).contains("source 10s (postgresql), median"));
        assertThat(rows).anySatisfy(r -> {
            assertThat(r[0]).startsWith("rollup bytes per frame (sqlite)");
            assertThat(Double.parseDouble(r[1].replace(",", ""))).isPositive();
        });
    }
}
