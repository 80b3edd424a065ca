package io.fleetlog.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.report.FleetReport;
import io.fleetlog.server.store.VehicleEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo with simulated Fleet Telemetry cars beside an edge car (issue 15, item 5): over mutual
 * TLS with the demo's own CA, through their dead zones and dropped connections, every record a car
 * sent is stored once, in order, and the continuity report says so.
 */
class DemoFleetTelemetryTest {
    @TempDir
    Path dir;

    @Test
    void fleetTelemetryCarsThroughDeadZonesAndDroppedLinksLoseNothing() throws Exception {
        Demo.Options o = new Demo.Options(
                1,
                Duration.ofSeconds(900),
                Double.POSITIVE_INFINITY,
                "127.0.0.1",
                0,
                "jdbc:sqlite:" + dir.resolve("fleet.db"),
                dir,
                7,
                true,
                null,
                null,
                2);
        FleetReport report;
        List<FtDemoCar> cars;
        try (Demo demo = Demo.start(o)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!demo.finished()) {
                assertThat(System.nanoTime())
                        .as("the fleet finishes within 3 minutes")
                        .isLessThan(deadline);
                demo.monitor(System.nanoTime());
                Thread.sleep(100);
            }
            report = demo.report();
            cars = demo.ftCarsForTest();
            for (FtDemoCar c : cars) {
                // the car met its dead zone and dropped links: it connected more than once and resent
                var stats = c.stats();
                assertThat(stats.connects()).as(c.vin + " connections").isGreaterThan(1);
                assertThat(stats.outages()).as(c.vin + " dead zones").isPositive();
                // the server saw it come and go
                List<VehicleEvent> events = demo.server().store().events(c.vin, Long.MIN_VALUE, Long.MAX_VALUE);
                assertThat(events.stream()
                                .filter(e -> e.kind() == VehicleEvent.Kind.ONLINE)
                                .count())
                        .isGreaterThan(1);
            }
        }
        assertThat(report.ok()).as(String.valueOf(report.json())).isTrue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> vehicles =
                (List<Map<String, Object>>) report.json().get("vehicles");
        List<Map<String, Object>> ft = vehicles.stream()
                .filter(v -> "fleet-telemetry".equals(v.get("model")))
                .toList();
        assertThat(ft).hasSize(2);
        for (Map<String, Object> v : ft) {
            assertThat(((Number) v.get("captured")).longValue()).isGreaterThan(800); // a record per second of drive
            assertThat(v.get("stored")).isEqualTo(v.get("captured"));
            assertThat(((Number) v.get("missing")).longValue()).isZero();
            assertThat(((Number) v.get("duplicated")).longValue()).isZero();
            assertThat(((Number) v.get("out_of_order")).longValue()).isZero();
        }
    }
}
