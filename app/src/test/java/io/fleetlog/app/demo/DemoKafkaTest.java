package io.fleetlog.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.app.Main;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on Kafka (issue 17): {@code fleetlog demo --bus kafka --replicas 2}, in this JVM as
 * {@code ./run_fleet.sh} runs it — a real KRaft broker, two ingest replicas, one sink into SQLite,
 * four cars with their scripted dead zones spread over the replicas — and its continuity report,
 * read from the store after the sink drained, finds every captured frame stored once, in order; twice
 * on one store and data directory.
 */
class DemoKafkaTest {
    @TempDir
    Path dir;

    @Test
    void twoReplicasAndASinkStoreEveryCapturedFrameOnceRunAfterRun() throws Exception {
        // The second run keeps the first's store and spools (as ./run_fleet.sh's data/demo) with a new
        // broker and topic: the sink's stored offsets of the first topic must not apply, the seqs go on,
        // and its capture clock starts after the first run's (which ran ahead of the wall clock).
        for (int run = 1; run <= 2; run++) {
            Path report = dir.resolve("r" + run + ".json");
            int exit = Main.run(
                    "demo",
                    "--bus",
                    "kafka",
                    "--replicas",
                    "2",
                    "--vehicles",
                    "4",
                    "--duration",
                    "30",
                    "--speed",
                    "max",
                    "--port",
                    "0",
                    "--db",
                    "jdbc:sqlite:" + dir.resolve("fleet.db"),
                    "--data-dir",
                    dir.toString(),
                    "--report",
                    report.toString());
            JsonNode r = new ObjectMapper().readTree(report.toFile());
            assertThat(exit).as("run " + run + ": " + r).isZero();
            assertThat(r.get("ok").asBoolean()).isTrue();
            assertThat(r.at("/run/bus").asText()).isEqualTo("kafka");
            assertThat(r.at("/run/replicas").asInt()).isEqualTo(2);
            assertThat(r.at("/run/sink_stored_everything").asBoolean()).isTrue();
            assertThat(r.get("vehicles")).hasSize(4);
            for (JsonNode v : r.get("vehicles")) {
                String vin = "run " + run + " " + v.get("vin").asText();
                // 30 s of capture, a frame per simulator period, through at least one dead zone
                long frames = 30_000 / io.fleetlog.sim.drive.DriveSimulator.PERIOD_MS;
                assertThat(v.get("captured").asLong()).as(vin).isEqualTo(frames);
                assertThat(v.get("stored").asLong()).as(vin).isEqualTo(frames);
                assertThat(v.get("outages").asLong()).as(vin + " dead zones").isPositive();
                assertThat(v.get("missing").asLong()).as(vin).isZero();
                assertThat(v.get("duplicated").asLong()).as(vin).isZero();
                assertThat(v.get("out_of_order").asLong()).as(vin).isZero();
                assertThat(v.get("unexpected").asLong()).as(vin).isZero();
            }
        }
    }

    @Test
    void busOptionsAreCheckedWithClearErrors() {
        DemoCommand c = new DemoCommand();
        assertThat(c.replicaCount()).isZero(); // no --bus: the demo as before
        c.replicas = 2;
        assertThatThrownBy(c::replicaCount).hasMessage("--replicas 2 needs --bus kafka");
        c.bus = "rabbit";
        assertThatThrownBy(c::replicaCount).hasMessage("--bus 'rabbit' is not known (only 'kafka')");
        c.bus = "kafka";
        assertThat(c.replicaCount()).isEqualTo(2);
        c.replicas = null;
        assertThat(c.replicaCount()).as("default").isEqualTo(2);
        c.replicas = 9;
        assertThatThrownBy(c::replicaCount).hasMessage("--replicas 9 must be between 1 and 8");
        c.replicas = 0;
        assertThatThrownBy(c::replicaCount).hasMessage("--replicas 0 must be between 1 and 8");
        assertThat(Main.run("demo", "--replicas", "3", "--port", "0", "--data-dir", "unused"))
                .as("exit code of a refused option")
                .isEqualTo(2);
    }
}
