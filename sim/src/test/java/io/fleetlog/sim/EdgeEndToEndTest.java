package io.fleetlog.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.SameSample;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.uplink.Backoff;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sample.Sample;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.OutageSchedule;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets: agent → fault proxy → JDK WebSocket → test ingest server. */
class EdgeEndToEndTest {
    static final long T0 = 1_764_180_000_000L;

    @TempDir
    Path dir;

    TestIngestServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestIngestServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    /** Fast dead-link detection and reconnects, so outages of about a second are seen. */
    SimConfig config(String vin, VehicleModel model) {
        UplinkConfig up = UplinkConfig.of(server.baseUrl(), vin, model.key(), "token-" + vin)
                .withHeartbeat(Duration.ofMillis(150), Duration.ofMillis(600))
                .withConnectTimeout(Duration.ofSeconds(2))
                .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.5));
        return SimConfig.of(up, dir).withSpool(SpoolConfig.defaults().withGroupCommit(Duration.ofMillis(20), 4096));
    }

    @Test
    void aTenMinuteDriveWithThreeDeadZonesArrivesCompleteAndInOrder() throws Exception {
        VehicleModel model = VehicleModel.MODEL3;
        String vin = DriveSimulator.vin(model, 0);
        Duration drive = Duration.ofMinutes(10);
        SimConfig c = config(vin, model)
                .withSpeed(Double.POSITIVE_INFINITY)
                .withOutages(OutageSchedule.parse("120-180,300-330:reset,450-500"), Duration.ofMillis(1_500));
        AgentStats done;
        AtomicReference<SimulatedVehicle> self = new AtomicReference<>();
        // The car is online before it drives: at max speed the first tunnel comes milliseconds after
        // the start, and whether it is met online (and noticed by heartbeat) must not be a race.
        Source drivesOnceOnline = new OnlineFirst(new DriveSimulator(model, 42, T0, drive), self);
        try (SimulatedVehicle agent = SimulatedVehicle.create(c, drivesOnceOnline)) {
            self.set(agent);
            agent.start();
            assertThat(agent.awaitDrained(Duration.ofSeconds(60))).as("drained").isTrue();
            done = agent.shutdown();
        }
        assertThat(done.captured()).isEqualTo(30_000);
        assertThat(done.spoolDepth()).isZero();
        assertThat(done.outages()).isEqualTo(3);
        assertThat(done.outageSeconds()).isCloseTo(140, org.assertj.core.data.Offset.offset(1.0));
        // at max speed the drive between dead zones takes milliseconds: the link may not come back in
        // between, but the first tunnel, met online, must be noticed by heartbeat
        assertThat(done.heartbeatTimeouts())
                .as("a tunnel is noticed by heartbeat")
                .isGreaterThanOrEqualTo(1);
        assertThat(done.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(done.peakSpoolDepth()).as("backlog built up in a dead zone").isGreaterThan(1_000);
        // bytes sent into a tunnel by a connection that then gave up never reach the server, so the
        // proxy's count is what the link really carried
        assertThat(done.wireBytesSent()).isPositive().isLessThan(30_000L * 30);

        TreeMap<Long, Sample> stored = server.stored(vin);
        assertThat(stored.keySet()).hasSize(30_000);
        assertThat(stored.firstKey()).isZero();
        assertThat(stored.lastKey()).isEqualTo(29_999);
        List<Long> order = server.arrivalOrder(vin);
        for (int i = 1; i < order.size(); i++) {
            assertThat(order.get(i)).as("oldest first: arrival %d", i).isEqualTo(order.get(i - 1) + 1);
        }
        assertThat(server.conflicts.get()).isZero();
        assertWithinBounds(stored, new DriveSimulator(model, 42, T0, drive));
        assertThat(server.lastStatus(vin)).isNotNull();
    }

    @Test
    void at60xTheLinkRecoversBetweenDeadZonesAndEveryOneIsDetected() throws Exception {
        VehicleModel model = VehicleModel.MODELY;
        String vin = DriveSimulator.vin(model, 1);
        Duration drive = Duration.ofMinutes(10);
        SimConfig c = config(vin, model)
                .withSpeed(60)
                .withOutages(OutageSchedule.parse("120-180,300-330:reset,450-500"), Duration.ofMillis(900));
        AgentStats done;
        try (SimulatedVehicle agent =
                SimulatedVehicle.simulated(c, model, 43, T0, drive).start()) {
            assertThat(agent.awaitDrained(Duration.ofSeconds(60))).as("drained").isTrue();
            done = agent.shutdown();
        }
        assertThat(done.outages()).isEqualTo(3);
        assertThat(done.heartbeatTimeouts())
                .as("both tunnels noticed by heartbeat")
                .isGreaterThanOrEqualTo(2);
        assertThat(done.reconnects()).isGreaterThanOrEqualTo(3);
        TreeMap<Long, Sample> stored = server.stored(vin);
        assertThat(stored.keySet()).hasSize(30_000);
        assertThat(server.arrivalOrder(vin)).isSorted();
        assertThat(server.conflicts.get()).isZero();
        assertWithinBounds(stored, new DriveSimulator(model, 43, T0, drive));
    }

    static void assertWithinBounds(TreeMap<Long, Sample> stored, DriveSimulator rerun) throws Exception {
        long seq = 0;
        for (Sample c = rerun.next(); c != null; c = rerun.next(), seq++) {
            Sample r = stored.get(seq);
            assertThat(SameSample.lawBroken(Catalogue.builtin(), c.frame(), r.frame()))
                    .as("seq %d", seq)
                    .isNull();
        }
    }

    @Test
    void aRestartOnTheSameSpoolSendsTheBacklogFirstAndContinuesSeq() throws Exception {
        VehicleModel model = VehicleModel.MODELY;
        String vin = DriveSimulator.vin(model, 3);
        // first run: the whole drive in a dead zone, then a graceful close with everything buffered
        try (SimulatedVehicle a = SimulatedVehicle.simulated(
                config(vin, model).withSpeed(Double.POSITIVE_INFINITY), model, 1, T0, Duration.ofSeconds(60))) {
            a.deadZone(true);
            a.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!a.sourceDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            AgentStats s = a.shutdown();
            assertThat(s.captured()).isEqualTo(3_000);
            assertThat(s.spoolDepth()).as("still buffered").isEqualTo(3_000);
        }
        assertThat(server.stored(vin)).isEmpty();
        // second run on the same spool: the next drive continues seq after the backlog
        try (SimulatedVehicle b = SimulatedVehicle.simulated(
                        config(vin, model).withSpeed(Double.POSITIVE_INFINITY),
                        model,
                        2,
                        T0 + 60_000,
                        Duration.ofSeconds(60))
                .start()) {
            assertThat(b.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(b.stats().nextSeq()).isEqualTo(6_000);
        }
        TreeMap<Long, Sample> stored = server.stored(vin);
        assertThat(stored.keySet()).hasSize(6_000);
        assertThat(stored.lastKey()).isEqualTo(5_999);
        assertThat(stored.get(3_000L).captureTimeMs()).isEqualTo(T0 + 60_000);
        assertThat(server.arrivalOrder(vin)).isSorted();
    }

    @Test
    void rejectedBatchesAreMovedAsideAndTheRestArrives() throws Exception {
        VehicleModel model = VehicleModel.MODELX;
        String vin = DriveSimulator.vin(model, 0);
        server.rejectNext.set(1);
        try (SimulatedVehicle a = SimulatedVehicle.simulated(
                        config(vin, model).withSpeed(Double.POSITIVE_INFINITY), model, 9, T0, Duration.ofSeconds(60))
                .start()) {
            assertThat(a.awaitDrained(Duration.ofSeconds(30))).isTrue();
            AgentStats s = a.stats();
            assertThat(s.rejects()).isEqualTo(1);
            assertThat(s.rejectedSamples()).isPositive();
            assertThat(server.stored(vin).size() + s.rejectedSamples()).isEqualTo(3_000);
        }
    }

    @Test
    void aManualDeadZoneAndAServerCrashAreRiddenOut() throws Exception {
        VehicleModel model = VehicleModel.MODELS_PLAID;
        String vin = DriveSimulator.vin(model, 0);
        try (SimulatedVehicle a = SimulatedVehicle.simulated(
                        config(vin, model).withSpeed(50), model, 4, T0, Duration.ofSeconds(120))
                .start()) {
            awaitState(a, LinkState.ONLINE);
            a.deadZone(true);
            assertThat(a.inDeadZone()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (a.linkState() != LinkState.OFFLINE
                    && a.linkState() != LinkState.CONNECTING
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(a.stats().heartbeatTimeouts()).isGreaterThanOrEqualTo(1);
            a.deadZone(false);
            awaitState(a, LinkState.ONLINE);
            server.die();
            assertThat(a.awaitDrained(Duration.ofSeconds(30))).isTrue();
            AgentStats s = a.stats();
            assertThat(s.outages()).isEqualTo(1);
            assertThat(s.reconnects()).isGreaterThanOrEqualTo(2);
        }
        assertThat(server.stored(vin).keySet()).hasSize(6_000);
        assertThat(server.conflicts.get()).isZero();
    }

    static void awaitState(SimulatedVehicle a, LinkState s) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (a.linkState() != s && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(a.linkState()).isEqualTo(s);
    }

    /** A source that hands out its first sample only once the agent's link is up. */
    private static final class OnlineFirst implements Source {
        private final Source in;
        private final AtomicReference<SimulatedVehicle> agent;
        private boolean waited;

        OnlineFirst(Source in, AtomicReference<SimulatedVehicle> agent) {
            this.in = in;
            this.agent = agent;
        }

        @Override
        public Sample next() throws IOException {
            if (!waited) {
                waited = true;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (agent.get() == null || agent.get().linkState() != LinkState.ONLINE) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the link did not come up within 20 s");
                    }
                    try {
                        Thread.sleep(5); // polling the link state; the capture thread has nothing else to do
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the link", e);
                    }
                }
            }
            return in.next();
        }

        @Override
        public String describe() {
            return in.describe() + " (starts once online)";
        }
    }
}
