package io.fleetlog.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.Main;
import io.fleetlog.app.cli.ReplayCommand;
import io.fleetlog.app.report.Continuity;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.LogSources;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.source.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1 and the replay findings: {@code fleetlog replay} against a real server (port 0)
 * must end with the log stored or fail loudly. Logs are candump files written from the simulator, so
 * the test needs no real data.
 */
class ReplayIntegrityTest {
    private static final String VIN = "5YJ3E1EA0KF000316";
    private static final String TOKEN = "replay-integrity-token";
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_764_000_000_000L; // a multiple of 20 ms: the 50 Hz grid lines up

    @TempDir
    Path tmp;

    String out = "";
    String err = "";

    FleetServer server() {
        return FleetServer.start(ServerConfig.defaults(TokenStore.demo(Map.of(VIN, TOKEN)))
                .withDb("jdbc:sqlite:" + tmp.resolve("store.db")));
    }

    /** A candump log of a simulated drive starting at {@code t0}. */
    Path log(String name, long seed, long t0, Duration drive) throws IOException {
        Path log = tmp.resolve(name);
        try (CandumpWriter w = CandumpWriter.create(log)) {
            new Model3CanEncoder("can0").writeLog(new DriveSimulator(VehicleModel.MODEL3, seed, t0, drive), w);
        }
        return log;
    }

    static List<Sample> decoded(Path log) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (Source s = LogSources.open(log, "candump", LogOptions.defaults()).source()) {
            for (Sample x; (x = s.next()) != null; ) {
                out.add(x);
            }
        }
        return out;
    }

    static List<Sample> stored(FleetServer server) {
        List<Sample> out = new ArrayList<>();
        server.store().scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }

    /** The token in a file, as the CLI reads it (never on the command line: issue 12, item 11). */
    Path tokenFile() {
        try {
            Path p = Files.writeString(tmp.resolve("token"), TOKEN);
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the CLI, capturing what it prints; returns the exit code. */
    int run(String... args) {
        PrintStream o = System.out;
        PrintStream e = System.err;
        ByteArrayOutputStream ob = new ByteArrayOutputStream();
        ByteArrayOutputStream eb = new ByteArrayOutputStream();
        System.setOut(new PrintStream(ob, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(eb, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
            out = ob.toString(StandardCharsets.UTF_8);
            err = eb.toString(StandardCharsets.UTF_8);
        }
    }

    int replay(FleetServer server, Path log, Path spoolDir) {
        return run(
                "replay",
                "--input",
                log.toString(),
                "--format",
                "candump",
                "--vin",
                VIN,
                "--server",
                server.baseUrl(),
                "--token-file",
                tokenFile().toString(),
                "--speed",
                "max",
                "--spool-dir",
                spoolDir.toString());
    }

    /**
     * 1a: before the fix the second (older) log was "resumed" past its end: "replayed 0 samples", exit
     * 0. Now it is another log (another content hash), so it is captured in full; the server refuses
     * time running backwards for one vehicle (issue 12 item 4), so it cannot be stored after the newer
     * one: replay says so, sets the samples aside visibly and exits non-zero. Nothing of the newer log
     * is touched.
     */
    @Test
    void aSecondOlderLogOnTheSameSpoolIsNotSkippedButRefusedLoudly() throws Exception {
        Path newer = log("newer.candump", 1, T0 + HOUR, Duration.ofSeconds(20));
        Path older = log("older.candump", 2, T0, Duration.ofSeconds(10));
        Path spool = tmp.resolve("spool");
        try (FleetServer server = server()) {
            assertThat(replay(server, newer, spool)).as(err).isZero();
            assertThat(replay(server, older, spool)).as(err).isEqualTo(1);
            assertThat(err.toString())
                    .contains("set aside")
                    .contains("time may not run backwards")
                    .contains("Replay older logs first");
            assertThat(out.toString()).doesNotContain("replayed 0 samples");
            assertThat(stored(server)).hasSize(decoded(newer).size());
            // a log that is newer than what is stored still appends on the same spool
            Path later = log("later.candump", 3, T0 + 2 * HOUR, Duration.ofSeconds(10));
            assertThat(replay(server, later, spool)).as(err).isZero();
            assertThat(stored(server))
                    .hasSize(decoded(newer).size() + decoded(later).size());
        }
    }

    /** 1b: before the fix the edge acked the server's seqs and deleted the new log's samples. */
    @Test
    void aFreshSpoolDirForAVinTheServerHoldsStoresTheLogAfterIt() throws Exception {
        Path first = log("first.candump", 1, T0, Duration.ofSeconds(20));
        Path second = log("second.candump", 2, T0 + HOUR, Duration.ofSeconds(20));
        try (FleetServer server = server()) {
            assertThat(replay(server, first, tmp.resolve("spool-a"))).as(err).isZero();
            assertThat(replay(server, second, tmp.resolve("spool-b"))).as(err).isZero();
            assertThat(out).contains("never sent").contains("nothing was deleted");
            List<Sample> a = decoded(first);
            List<Sample> b = decoded(second);
            List<Sample> stored = stored(server);
            assertThat(stored).hasSize(a.size() + b.size());
            Continuity c = new Continuity(io.fleetlog.catalog.Catalogue.builtin())
                    .compare(
                            b.iterator(),
                            stored.subList(a.size(), stored.size()),
                            List.<Sample>of().iterator());
            assertThat(c.perfect()).as("the second log, stored after the first").isTrue();
        }
    }

    @Test
    void theSameLogReplayedAgainOnItsSpoolIsNotStoredTwice() throws Exception {
        Path log = log("drive.candump", 3, T0, Duration.ofSeconds(20));
        Path spool = tmp.resolve("spool");
        try (FleetServer server = server()) {
            assertThat(replay(server, log, spool)).as(err).isZero();
            assertThat(replay(server, log, spool)).as(err).isZero();
            assertThat(out).contains("already holds the first");
            assertThat(stored(server)).hasSize(decoded(log).size());
        }
    }

    /** A crash after the spool committed part of the log: exactly the rest is captured. */
    @Test
    void aReplayInterruptedAfterCommittingSamplesResumesExactlyAfterThem() throws Exception {
        Path log = log("drive.candump", 4, T0, Duration.ofSeconds(20));
        List<Sample> all = decoded(log);
        Path spoolDir = tmp.resolve("spool");
        try (Spool s = Spools.open(Spools.fileFor(spoolDir, VIN), SpoolConfig.defaults())) {
            s.resumeSource(ReplayCommand.sourceId(log, "candump", LogOptions.defaults()));
            s.append(all.subList(0, 333));
        }
        try (FleetServer server = server()) {
            assertThat(replay(server, log, spoolDir)).as(err).isZero();
            Continuity c = new Continuity(io.fleetlog.catalog.Catalogue.builtin())
                    .compare(all.iterator(), stored(server), List.<Sample>of().iterator());
            assertThat(c.missing()).isZero();
            assertThat(c.duplicated()).isZero();
            assertThat(c.perfect()).isTrue();
        }
    }

    /** Smaller finding: a candump that yields no frame exited 0. */
    @Test
    void aCandumpThatYieldsNoSampleExitsNonZeroNamingTheFile() throws Exception {
        Path junk = tmp.resolve("junk.candump");
        Files.writeString(junk, "this is not a candump\nneither is this\n");
        try (FleetServer server = server()) {
            assertThat(replay(server, junk, tmp.resolve("spool"))).isEqualTo(1);
            assertThat(err).contains("junk.candump yielded no samples");
            assertThat(stored(server)).isEmpty();
        }
    }

    /** Item 5 in the CLI: samples set aside during a replay make it fail, naming them. */
    @Test
    void samplesSetAsideDuringAReplayMakeItExitNonZeroNamingThem() throws Exception {
        Path log = log("drive.candump", 5, T0 + HOUR, Duration.ofSeconds(20));
        Path spoolDir = tmp.resolve("spool");
        Path file = Spools.fileFor(spoolDir, VIN);
        try (Spool s = Spools.open(file, SpoolConfig.defaults())) {
            s.append(decoded(log("earlier.candump", 6, T0, Duration.ofSeconds(20))));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "UPDATE samples SET data = substr(data, 1, 200) || x'7f' || substr(data, 202) WHERE first_seq = 0");
        }
        try (FleetServer server = server()) {
            assertThat(replay(server, log, spoolDir)).isEqualTo(1);
            assertThat(err)
                    .contains("512 samples were set aside")
                    .contains("quarantined seqs 0..511")
                    .contains("checksum mismatch")
                    .contains("fleetlog inspect");
            assertThat(run("inspect", file.toString())).isZero();
            assertThat(out).contains("quarantined    512").contains("set aside    quarantined seqs 0..511");
        }
    }

    /** Smaller finding: a truncated spool printed a 40-line stack trace. */
    @Test
    void aTruncatedSpoolGivesOneClearLineAndANonZeroExit() throws Exception {
        Path spoolDir = tmp.resolve("spool");
        Path file = Spools.fileFor(spoolDir, VIN);
        try (Spool s = Spools.open(file, SpoolConfig.defaults())) {
            s.append(decoded(log("drive.candump", 7, T0, Duration.ofSeconds(20))));
        }
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length / 2));
        assertThat(run("inspect", file.toString())).isEqualTo(2);
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(err).contains(file.toAbsolutePath().toString()).doesNotContain("\tat ");
        try (FleetServer server = server()) {
            Path log = tmp.resolve("drive.candump");
            assertThat(replay(server, log, spoolDir)).isEqualTo(2);
            assertThat(err.strip().lines()).hasSize(1);
            assertThat(err).contains(file.toAbsolutePath().toString());
            assertThat(run(
                            "edge",
                            "--vin",
                            VIN,
                            "--server",
                            server.baseUrl(),
                            "--token-file",
                            tokenFile().toString(),
                            "--spool-dir",
                            spoolDir.toString(),
                            "--duration",
                            "1"))
                    .isEqualTo(2);
            assertThat(err.strip().lines()).hasSize(1);
            assertThat(err)
                    .startsWith("fleetlog edge: ")
                    .contains(file.toAbsolutePath().toString());
        }
    }
}
