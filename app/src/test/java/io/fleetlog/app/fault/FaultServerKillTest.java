package io.fleetlog.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.fault.FaultRig.ChildJvm;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.uplink.Backoff;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runs as a child JVM ({@code fleetlog server} on a SQLite file) and is killed with SIGKILL
 * while two vehicles stream to it, then restarted on the same port and file. The vehicles reconnect
 * and finish; the store then holds exactly what their simulators captured, and every seq a vehicle
 * had been acknowledged before the kill survived it (an ack is a statement about durability).
 */
class FaultServerKillTest {
    static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final Duration DRIVE = Duration.ofSeconds(120);
    static final double SPEED = 10;
    static final long ACKED_BEFORE_KILL = 1_000; // 20 s of capture at 50 Hz
    static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    record Car(VehicleModel model, String vin, long seed) {}

    @Test
    void killedServerLosesNothingItAckedAndTheStreamCompletesAfterRestart() throws Exception {
        List<Car> cars = List.of(
                new Car(VehicleModel.MODEL3, DriveSimulator.vin(VehicleModel.MODEL3, 7_001), 71),
                new Car(VehicleModel.MODELY, DriveSimulator.vin(VehicleModel.MODELY, 7_002), 72));
        Path tokensFile = dir.resolve("tokens");
        TokenStore tokens = TokenStore.load(tokensFile);
        Map<String, String> tokenOf = new LinkedHashMap<>();
        cars.forEach(c -> tokenOf.put(c.vin(), tokens.add(c.vin())));
        int port = FaultRig.freePort();
        String db = "jdbc:sqlite:" + dir.resolve("server.db");
        String[] serverArgs = {"server", "--port", Integer.toString(port), "--db", db, "--tokens", tokensFile.toString()
        };

        List<SimulatedVehicle> agents = new ArrayList<>();
        Map<String, Long> ackedAtKill = new LinkedHashMap<>();
        Map<String, AgentStats> finals = new LinkedHashMap<>();
        ChildJvm second = null;
        try (ChildJvm first = ChildJvm.start(dir.resolve("server-1.log"), serverArgs)) {
            awaitServer(first, port);
            for (Car c : cars) {
                UplinkConfig up = UplinkConfig.of(
                                "http://127.0.0.1:" + port, c.vin(), c.model().key(), tokenOf.get(c.vin()))
                        .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5));
                SimConfig ac = SimConfig.of(up, dir.resolve("spool"))
                        .withFaultProxy(false)
                        .withSpeed(SPEED);
                agents.add(SimulatedVehicle.simulated(ac, c.model(), c.seed(), START_MS, DRIVE));
            }
            agents.forEach(SimulatedVehicle::start);
            FaultRig.await(
                    "every vehicle to be acknowledged " + ACKED_BEFORE_KILL + " samples",
                    Duration.ofSeconds(60),
                    () -> agents.stream().allMatch(a -> a.stats().ackedSeq() >= ACKED_BEFORE_KILL));

            first.kill(); // SIGKILL: no shutdown hook, no clean close of SQLite
            for (SimulatedVehicle a : agents) {
                // No ack can arrive from a dead process: this is exactly what the vehicle was told is stored.
                ackedAtKill.put(a.vin(), a.stats().ackedSeq());
                assertThat(a.sourceDone()).as("the kill happens mid-drive").isFalse();
            }

            second = ChildJvm.start(dir.resolve("server-2.log"), serverArgs);
            awaitServer(second, port);
            for (SimulatedVehicle a : agents) {
                FaultRig.await(
                        "vehicle " + a.vin() + " to finish and drain after the restart",
                        Duration.ofSeconds(90),
                        () -> drained(a));
                finals.put(a.vin(), a.shutdown());
            }
            second.process().destroy(); // graceful: the store closes cleanly before we read it
            assertThat(second.process().waitFor(20, TimeUnit.SECONDS))
                    .as("server stops on SIGTERM")
                    .isTrue();
        } finally {
            agents.forEach(SimulatedVehicle::close);
            if (second != null) {
                second.close();
            }
        }

        try (SampleStore store = Stores.open(db)) {
            for (Car c : cars) {
                long acked = ackedAtKill.get(c.vin());
                AtomicLong keptAcked = new AtomicLong();
                store.scan(c.vin(), Long.MIN_VALUE, Long.MAX_VALUE, s -> {
                    if (s.seq() <= acked) {
                        keptAcked.incrementAndGet();
                    }
                });
                assertThat(keptAcked.get())
                        .as("samples of %s acked before the kill (seq 0..%d) still stored", c.vin(), acked)
                        .isEqualTo(acked + 1);
                FaultRig.assertPerfect(
                        FaultRig.compare(store, c.vin(), FaultRig.drive(c.model(), c.seed(), START_MS, DRIVE)),
                        c.vin() + " " + finals.get(c.vin()));
            }
        }
    }

    private static void awaitServer(ChildJvm server, int port) throws InterruptedException {
        FaultRig.await("the server child JVM to listen on " + port, STARTUP, () -> {
            if (!server.process().isAlive()) {
                throw new AssertionError("the server child JVM exited: " + server.output());
            }
            return FaultRig.listening(port);
        });
    }

    static boolean drained(SimulatedVehicle a) {
        try {
            return a.awaitDrained(Duration.ofMillis(100));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
