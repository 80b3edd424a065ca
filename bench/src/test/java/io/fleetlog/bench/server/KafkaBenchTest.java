package io.fleetlog.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seconds-long smoke of the scale-out benchmark: every configuration runs, stores all, prints its
 * latency quantiles and the CPU of each component, each measured (positive).
 */
class KafkaBenchTest {
    @Test
    void benchmarkRunsSmallAndPrintsATable() throws Exception {
        ServerBench.quietLogs();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<String[]> rows = new KafkaBench(
                        Map.of("samples", "8000", "vehicles", "2", "batch", "500"),
                        new PrintStream(buf, true, StandardCharsets.UTF_8))
                .run();
        String table = buf.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| measurement");
        for (String what : List.of("single process", "1 replica + sink", "2 replicas + sink")) {
            assertThat(rows)
                    .anySatisfy(
                            r -> assertThat(r[0]).isEqualTo("frames stored in PostgreSQL, end to end (" + what + ")"));
            assertPositive(rows, "capture-to-stored latency p50 (" + what + ")");
            assertPositive(rows, "capture-to-stored latency p99 (" + what + ")");
            assertPositive(rows, "CPU per million frames: edges (clients) (" + what + ")");
        }
        assertPositive(rows, "CPU per million frames: server (ingest and store writes) (single process)");
        for (String what : List.of("1 replica + sink", "2 replicas + sink")) {
            assertPositive(rows, "CPU per million frames: broker (" + what + ")");
            assertPositive(rows, "CPU per million frames: sink (PostgreSQL writes) (" + what + ")");
        }
        assertPositive(rows, "CPU per million frames: ingest replica (1 replica + sink)");
        assertPositive(rows, "CPU per million frames: ingest replicas (2 replicas + sink)");
        double p50 = value(rows, "capture-to-stored latency p50 (1 replica + sink)");
        double p99 = value(rows, "capture-to-stored latency p99 (1 replica + sink)");
        assertThat(p99).as("p99 ≥ p50").isGreaterThanOrEqualTo(p50);
    }

    private static void assertPositive(List<String[]> rows, String name) {
        assertThat(value(rows, name)).as(name).isPositive();
    }

    private static double value(List<String[]> rows, String name) {
        return rows.stream()
                .filter(r -> r[0].equals(name))
                .map(r -> Double.parseDouble(r[1].replace(",", "")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + name + "'"));
    }
}
