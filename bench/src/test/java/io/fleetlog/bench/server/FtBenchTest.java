package io.fleetlog.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A seconds-long smoke of the Fleet Telemetry benchmark: cars connect over mTLS, records are acked and stored once. */
class FtBenchTest {
    @Test
    void benchmarkRunsSmallAndEveryAckedRecordIsStored() throws Exception {
        ServerBench.quietLogs();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        FtBench b = new FtBench(
                Map.of("cars", "5", "warmup", "1", "seconds", "2"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String[]> rows = b.run(); // throws when a store holds other than the acked records
        String table = buf.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| measurement").contains("sqlite, 5 cars").contains("postgresql, 5 cars");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r[0]).startsWith("Fleet Telemetry records acked after commit (sqlite");
            assertThat(Double.parseDouble(r[1].replace(",", ""))).isPositive();
        });
        assertThat(rows).anySatisfy(r -> {
            assertThat(r[0]).startsWith("  connections failed / error replies (sqlite");
            assertThat(r[1]).isEqualTo("0.0");
            assertThat(r[2]).isEqualTo("/ 0");
        });
    }
}
