package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seconds-long run of the whole comparison, so the benchmark command cannot rot. */
class PeerComparisonSmokeTest {

    @TempDir
    Path work;

    @BeforeAll
    static void quiet() {
        PeerComparison.quietLogs();
    }

    @Test
    void bothStacksStoreEverythingAndTheTableHasAColumnEach() throws Exception {
        assumeTrue(
                Mosquitto.available(),
                "SKIPPED: " + Mosquitto.BINARY + " is missing (Debian package mosquitto); the MQTT peer needs it");
        Plan tiny = new Plan(
                2,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1), // warm-up: the untimed run before the timed one
                Duration.ofSeconds(2),
                1,
                null, // the capacity run is the dead-zone run with another length: covered above
                Duration.ofSeconds(2),
                null,
                Duration.ofSeconds(5));

        PeerComparison.Report report = PeerComparison.run(tiny, List.of("fleetlog", "mqtt"), work);

        List<String> expected = FleetlogStack.available() ? List.of("fleetlog", "MQTT peer") : List.of("MQTT peer");
        assertThat(report.results()).extracting(StackResult::stack).containsExactlyElementsOf(expected);
        for (StackResult r : report.results()) {
            assertThat(r.throughput().complete())
                    .as(r.stack() + " throughput complete")
                    .isTrue();
            assertThat(r.throughput().stored()).as(r.stack()).isEqualTo(200);
            assertThat(r.throughput().bytesUpPerSample()).as(r.stack()).isPositive();
            assertThat(r.deadZone().complete())
                    .as(r.stack() + " dead zone complete")
                    .isTrue();
            assertThat(r.deadZone().lost())
                    .as(r.stack() + " lost in the dead zone")
                    .isZero();
            assertThat(r.crash().accepted())
                    .as(r.stack() + " accepted before the kill")
                    .isEqualTo(200);
            assertThat(r.crash().stored())
                    .as(r.stack() + " stored after the restart")
                    .isEqualTo(200);
        }
        String header = report.table()
                .lines()
                .filter(l -> l.startsWith("| Measurement"))
                .findFirst()
                .orElseThrow();
        expected.forEach(name -> assertThat(header).contains("| " + name));
        if (expected.size() == 2) {
            assertThat(header).contains("fleetlog / MQTT peer");
        }
    }
}
