package io.fleetlog.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.store.StoreLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seconds-long smoke of the store benchmark: every configuration runs, checks its frames, prints a row. */
class StoreBenchTest {
    @Test
    void benchmarkRunsSmallAndPrintsATable() throws Exception {
        ServerBench.quietLogs();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StoreBench b = new StoreBench(
                Map.of("minutes", "2", "vehicles", "1", "batch", "500"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<StoreBench.Result> results = b.run();
        System.out.print(buf.toString(StandardCharsets.UTF_8));
        assertThat(results).hasSize(8);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.frames()).isEqualTo(6000);
            assertThat(r.ingestPerSecond()).isPositive();
            assertThat(r.bytesPerFrame()).isPositive();
        });
        // chunks are smaller than rows on every store and workload, even for two minutes of data
        for (StoreBench.Result r : results) {
            if (r.layout() == StoreLayout.CHUNKS) {
                StoreBench.Result rows = results.stream()
                        .filter(x -> x.store().equals(r.store())
                                && x.workload().equals(r.workload())
                                && x.layout() == StoreLayout.ROWS)
                        .findFirst()
                        .orElseThrow();
                assertThat(r.bytesPerFrame()).as(r.toString()).isLessThan(rows.bytesPerFrame());
            }
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("| store | workload | layout |");
    }
}
