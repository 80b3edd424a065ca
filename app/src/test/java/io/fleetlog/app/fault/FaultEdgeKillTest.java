package io.fleetlog.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.fault.FaultRig.ChildJvm;
import io.fleetlog.edge.spool.SpoolException;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge runs as a child JVM ({@code fleetlog edge}) and is killed with SIGKILL deep inside a dead
 * zone, with a large backlog in its spool; restarted with the same arguments (same {@code --start}) on
 * the same spool directory, it sends the backlog, resumes the drive after the spool's newest committed
 * sample and finishes. The store then holds exactly the whole simulated drive.
 */
class FaultEdgeKillTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final VehicleModel MODEL = VehicleModel.MODELS_PLAID;
    static final String VIN = DriveSimulator.vin(MODEL, 8_001);
    static final long SEED = 81;
    static final Duration DRIVE = Duration.ofSeconds(300);
    static final long BACKLOG = 2_500; // 50 s of capture at 50 Hz, buffered in the dead zone

    @TempDir
    Path dir;

    @Test
    void edgeKilledInADeadZoneResumesAndLosesNothing() throws Exception {
        String token = "edge-kill-token";
        ServerConfig sc = ServerConfig.defaults(TokenStore.demo(Map.of(VIN, token)))
                .withBind("127.0.0.1")
                .withPort(0)
                .withDb("jdbc:sqlite:" + dir.resolve("server.db"));
        Path spoolDir = dir.resolve("spool");
        Path spoolFile = Spools.fileFor(spoolDir, VIN);
        try (FleetServer server = FleetServer.start(sc)) {
            String[] edgeArgs = {
                "edge",
                "--vin",
                VIN,
                "--model",
                MODEL.key(),
                "--server",
                server.baseUrl(),
                "--token-file",
                java.nio.file.Files.writeString(dir.resolve("token"), token).toString(),
                "--spool-dir",
                spoolDir.toString(),
                "--speed",
                "50",
                "--duration",
                Long.toString(DRIVE.toSeconds()),
                "--outages",
                "20-280",
                "--seed",
                Long.toString(SEED),
                "--start",
                START.toString()
            };
            SpoolStats atKill;
            try (ChildJvm edge = ChildJvm.start(dir.resolve("edge-1.log"), edgeArgs)) {
                FaultRig.await("a backlog of " + BACKLOG + " samples in the dead zone", Duration.ofSeconds(60), () -> {
                    if (!edge.process().isAlive()) {
                        throw new AssertionError("the edge exited before the kill: " + edge.output());
                    }
                    // Open the spool only once the child has created it ("fleetlog edge:" is printed
                    // after the agents opened their spools): two processes creating one file race.
                    return edge.output().contains("fleetlog edge:") && depth(spoolFile) >= BACKLOG;
                });
                edge.kill(); // SIGKILL mid-write: whatever was in the group-commit window is gone
                atKill = Spools.inspect(spoolFile);
            }
            // (Whether the child connected before its dead zone began depends on how fast a fresh JVM
            // opens its first WebSocket on a loaded box; the scenario holds either way.)
            long storedAtKill = server.store().count(VIN);
            assertThat(atKill.depth())
                    .as("the backlog survived the kill: " + atKill)
                    .isGreaterThanOrEqualTo(BACKLOG);
            assertThat(atKill.newestTimeMs())
                    .as("killed mid-drive")
                    .isLessThan(START.toEpochMilli() + DRIVE.toMillis() - DriveSimulator.PERIOD_MS);

            try (ChildJvm edge = ChildJvm.start(dir.resolve("edge-2.log"), edgeArgs)) {
                assertThat(edge.process().waitFor(90, TimeUnit.SECONDS))
                        .as("the restarted edge finishes its drive and drains")
                        .isTrue();
                assertThat(edge.process().exitValue()).as(edge.output()).isZero();
            }
            assertThat(Spools.inspect(spoolFile).depth())
                    .as("nothing left on the edge")
                    .isZero();
            FaultRig.assertPerfect(
                    FaultRig.compare(server.store(), VIN, FaultRig.drive(MODEL, SEED, START.toEpochMilli(), DRIVE)),
                    VIN + " killed with " + atKill + ", stored at the kill " + storedAtKill);
        }
    }

    /**
     * The edge dies right after everything was acknowledged (the spool drained empty) — here: it
     * finished, and runs again with the same arguments. The spool's newest committed capture time must
     * survive the empty spool, or the restarted drive is captured again under new seqs (duplicates).
     */
    @Test
    void edgeRestartedWithAnEmptySpoolCapturesNothingTwice() throws Exception {
        String token = "edge-rerun-token";
        String vin = DriveSimulator.vin(MODEL, 8_002);
        Duration drive = Duration.ofSeconds(60);
        ServerConfig sc = ServerConfig.defaults(TokenStore.demo(Map.of(vin, token)))
                .withBind("127.0.0.1")
                .withPort(0)
                .withDb("jdbc:sqlite:" + dir.resolve("server.db"));
        Path spoolDir = dir.resolve("spool");
        try (FleetServer server = FleetServer.start(sc)) {
            String[] edgeArgs = {
                "edge",
                "--vin",
                vin,
                "--model",
                MODEL.key(),
                "--server",
                server.baseUrl(),
                "--token-file",
                java.nio.file.Files.writeString(dir.resolve("token"), token).toString(),
                "--spool-dir",
                spoolDir.toString(),
                "--speed",
                "max",
                "--duration",
                Long.toString(drive.toSeconds()),
                "--seed",
                Long.toString(SEED),
                "--start",
                START.toString()
            };
            for (int run = 1; run <= 2; run++) {
                try (ChildJvm edge = ChildJvm.start(dir.resolve("edge-" + run + ".log"), edgeArgs)) {
                    assertThat(edge.process().waitFor(60, TimeUnit.SECONDS))
                            .as("run %d finishes", run)
                            .isTrue();
                    assertThat(edge.process().exitValue()).as(edge.output()).isZero();
                }
                assertThat(Spools.inspect(Spools.fileFor(spoolDir, vin)).depth())
                        .as("spool drained after run %d", run)
                        .isZero();
            }
            FaultRig.assertPerfect(
                    FaultRig.compare(server.store(), vin, FaultRig.drive(MODEL, SEED, START.toEpochMilli(), drive)),
                    vin + " run twice");
        }
    }

    /** The spool's committed depth, or 0 while the child holds a lock. */
    private static long depth(Path spoolFile) {
        try {
            return Spools.inspect(spoolFile).depth();
        } catch (SpoolException e) {
            return 0; // the child is creating it or busy: poll again
        }
    }
}
