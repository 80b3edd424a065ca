package io.fleetlog.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seconds-long smoke of the server benchmark: it runs, verifies its counts, prints a table. */
class ServerBenchTest {
    @Test
    void benchmarkRunsSmallAndPrintsATable() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerBench b = new ServerBench(
                Map.of("samples", "20000", "vehicles", "2", "batch", "1000", "fleet", "20", "seconds", "2"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String[]> rows = b.run();
        String table = buf.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| measurement").contains("sqlite").contains("postgresql");
        assertThat(rows).anySatisfy(r -> assertThat(r[0]).startsWith("ingest end to end (WebSocket → sqlite"));
        assertThat(rows).anySatisfy(r -> {
            assertThat(r[0]).startsWith("fleet: samples stored / sent");
            assertThat(r[1]).isEqualTo("2,000");
        });
    }
}
