package io.fleetlog.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.demo.Demo;
import io.fleetlog.app.report.FleetReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo fleet of five vehicles, each with its scripted dead zones (a tunnel, a parking garage
 * whose connection is reset, a long rural gap), 600 s of capture at {@code --speed max}: the
 * continuity report — every car's drive regenerated from its seed and joined with the store — shows
 * nothing missing, duplicated, out of order or beyond its bound, and every car was cut off at least once.
 */
class FaultScriptedDeadZonesTest {
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void fiveVehiclesThroughTheirScriptedDeadZonesLoseNothing() throws Exception {
        Demo.Options o = new Demo.Options(
                5,
                Duration.ofSeconds(600),
                Double.POSITIVE_INFINITY,
                "127.0.0.1",
                0,
                "jdbc:sqlite:" + dir.resolve("fleet.db"),
                dir,
                42,
                true,
                null);
        FleetReport report;
        try (Demo demo = Demo.start(o)) {
            FaultRig.await("the fleet to finish and drain", TIMEOUT, () -> {
                demo.monitor(System.nanoTime());
                return demo.finished();
            });
            report = demo.report();
        }
        String json = report.json().toString();
        assertThat(report.total("captured")).as(json).isEqualTo(5L * 600 * 50);
        assertThat(report.total("missing")).as(json).isZero();
        assertThat(report.total("duplicated")).as(json).isZero();
        assertThat(report.total("out_of_order")).as(json).isZero();
        assertThat(report.total("unexpected")).as(json).isZero();
        assertThat(report.total("stored")).as(json).isEqualTo(report.total("captured"));
        assertThat(report.ok()).as(json).isTrue();
        List<?> vehicles = (List<?>) report.json().get("vehicles");
        assertThat(vehicles).hasSize(5);
        for (Object v : vehicles) {
            Map<?, ?> m = (Map<?, ?>) v;
            assertThat(((Number) m.get("outages")).longValue())
                    .as("outages of %s", m.get("vin"))
                    .isGreaterThanOrEqualTo(1);
            Map<?, ?> signals = (Map<?, ?>) m.get("signals");
            assertThat(signals).as("signals of %s", m.get("vin")).hasSizeGreaterThanOrEqualTo(20);
            signals.forEach((signal, e) -> {
                Map<?, ?> r = (Map<?, ?>) e;
                for (String k : List.of("over_bound", "lost", "invented")) {
                    assertThat(((Number) r.get(k)).longValue())
                            .as("%s of %s: %s", signal, m.get("vin"), k)
                            .isZero();
                }
            });
        }
    }
}
