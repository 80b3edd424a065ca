package io.fleetlog.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seconds-long smoke of the scale-out benchmark: every configuration runs, stores all, prints. */
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
        }
    }
}
