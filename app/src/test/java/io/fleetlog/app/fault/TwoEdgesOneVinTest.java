package io.fleetlog.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.uplink.Backoff;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3, end to end: two real edges (a cloned SD card) drive two different drives under one
 * VIN at the same time into one real server. Before, 3,000 of 6,000 samples were stored, the stored
 * track jumped from one drive to the other, both edges reported nothing buffered and the server
 * logged nothing. Now every captured sample is either stored or visibly set aside on its edge, no
 * stored sample is invented or mixed from the two drives, and both sides report the conflict.
 */
class TwoEdgesOneVinTest {
    static final long T0 = 1_764_180_000_000L;
    static final Duration DRIVE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void twoEdgesWithOneVinLoseNothingSilentlyAndBothSidesReportTheConflict() throws Exception {
        VehicleModel model = VehicleModel.MODEL3;
        String vin = DriveSimulator.vin(model, 0);
        TokenStore tokens = TokenStore.demo(Map.of(vin, "clone-token"));
        ServerConfig cfg = ServerConfig.defaults(tokens).withDb("jdbc:sqlite:" + dir.resolve("fleet.db"));
        AgentStats a;
        AgentStats b;
        List<Sample> stored = new ArrayList<>();
        List<VehicleEvent> events;
        try (FleetServer server = FleetServer.start(cfg);
                SimulatedVehicle first = SimulatedVehicle.simulated(config(server, vin, "a"), model, 1, T0, DRIVE);
                SimulatedVehicle second = SimulatedVehicle.simulated(config(server, vin, "b"), model, 2, T0, DRIVE)) {
            first.start();
            second.start();
            FaultRig.await(
                    "both edges to finish and empty their spools",
                    Duration.ofSeconds(90),
                    () -> first.stats().sourceDone()
                            && second.stats().sourceDone()
                            && first.stats().spoolDepth() == 0
                            && second.stats().spoolDepth() == 0);
            a = first.shutdown();
            b = second.shutdown();
            server.store().scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, stored::add);
            events = server.store().events(vin, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        long captured = a.captured() + b.captured();
        assertThat(captured).isEqualTo(2L * 60 * 50);
        String what = "stored " + stored.size() + ", edge a " + a + ", edge b " + b;
        // Nothing lost silently: every captured sample is stored or set aside, visibly, on its edge.
        assertThat(stored.size() + a.setAside() + b.setAside()).as(what).isEqualTo(captured);
        // No stored sample is invented or a mix of the two drives: each is one drive's, within bounds.
        Map<Long, Sample> driveA = byTime(new DriveSimulator(model, 1, T0, DRIVE));
        Map<Long, Sample> driveB = byTime(new DriveSimulator(model, 2, T0, DRIVE));
        for (Sample s : stored) {
            assertThat(matches(s, driveA.get(s.captureTimeMs())) || matches(s, driveB.get(s.captureTimeMs())))
                    .as("stored seq %d at %d is a sample of one of the two drives", s.seq(), s.captureTimeMs())
                    .isTrue();
        }
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).captureTimeMs())
                    .as(
                            "time never runs backwards in the stored track (seq %d)",
                            stored.get(i).seq())
                    .isGreaterThanOrEqualTo(stored.get(i - 1).captureTimeMs());
        }
        // Both sides say so: the edges count the conflict (renumbered or set aside), the server has
        // events beyond the plain link changes.
        assertThat(a.seqConflicts() + b.seqConflicts() + a.setAside() + b.setAside())
                .as("the edges report the conflict: " + what)
                .isPositive();
        assertThat(events.stream().map(VehicleEvent::kind))
                .as("the server recorded the conflict")
                .anyMatch(k -> k != VehicleEvent.Kind.ONLINE && k != VehicleEvent.Kind.OFFLINE);
    }

    private SimConfig config(FleetServer server, String vin, String spool) {
        UplinkConfig up = UplinkConfig.of(server.baseUrl(), vin, "model3", "clone-token")
                .withHeartbeat(Duration.ofMillis(200), Duration.ofMillis(1_000))
                .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.5));
        return SimConfig.of(up, dir.resolve(spool))
                .withSpool(SpoolConfig.defaults().withGroupCommit(Duration.ofMillis(20), 4096))
                .withSpeed(20);
    }

    private static Map<Long, Sample> byTime(DriveSimulator sim) {
        Map<Long, Sample> m = new HashMap<>();
        for (Sample s = sim.next(); s != null; s = sim.next()) {
            m.put(s.captureTimeMs(), s);
        }
        return m;
    }

    private static boolean matches(Sample stored, Sample captured) {
        if (captured == null) {
            return false;
        }
        for (Field f : Field.values()) {
            if (captured.available(f) != stored.available(f)) {
                return false;
            }
            if (captured.available(f)
                    && f.distance(captured.get(f), stored.get(f)) > f.defaultThreshold() + 0.5 / f.scale() + 1e-9) {
                return false;
            }
        }
        return true;
    }
}
