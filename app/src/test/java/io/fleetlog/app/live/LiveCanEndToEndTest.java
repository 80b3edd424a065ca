package io.fleetlog.app.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetlog.app.report.Continuity;
import io.fleetlog.catalog.Catalogue;
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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's acceptance for live candump input: a real {@code fleetlog edge --can -} child process
 * reads candump lines from its standard input — a simulated Model 3 drive and the real Ford Fusion
 * log, at full speed and at the log's own pace — into a real server on a free port; the store is
 * compared with what the piped lines decode to (the {@code replay} decoder), signal by signal within
 * the signals' bounds. Closing standard input mid-drive delivers everything piped and exits 0.
 */
class LiveCanEndToEndTest {
    static final String VIN = "5YJ3E1EB4PF100001";
    static final String TOKEN = "live-can-test-token";
    private static final Path FORD = Path.of(System.getProperty("fleetlog.realData", "../../shared/data/real"))
            .resolve("ford_fusion_2017-02-17_acc_30_to_80kmh.candump");
    /** The verified Ford Fusion speed signal (PROVENANCE.md): 0x415 bytes 0–1 big-endian × 0.01 km/h. */
    private static final String FORD_DBC = """
            VERSION ""
            BU_: XXX
            BO_ 1045 BrakeSysFeatures: 8 XXX
             SG_ Veh_V_ActlBrk : 7|16@0+ (0.01,0) [0|655.35] "kph" XXX
            """;

    @TempDir
    Path tmp;

    static FleetServer server(Path dir) {
        return FleetServer.start(ServerConfig.defaults(TokenStore.demo(Map.of(VIN, TOKEN)))
                .withDb("jdbc:sqlite:" + dir.resolve("store.db")));
    }

    static List<Sample> stored(FleetServer server) {
        List<Sample> out = new ArrayList<>();
        server.store().scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }

    static List<Sample> decode(Path candump, LogOptions o) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (Source s = LogSources.open(candump, "candump", o).source()) {
            for (Sample x; (x = s.next()) != null; ) {
                out.add(x);
            }
        }
        return out;
    }

    /** Asserts the store holds exactly {@code expected}: each signal within its bound, nothing more, in order. */
    static void assertStoredAsDecoded(List<Sample> expected, List<Sample> stored) {
        Continuity c = new Continuity(Catalogue.builtin())
                .compare(expected.iterator(), stored, List.<Sample>of().iterator());
        for (Continuity.SignalResult r : c.signals()) {
            assertThat(r.ok())
                    .as(
                            "%s: %d of %d beyond its bound %s, %d lost, %d invented",
                            r.signal().name(), r.overBound(), r.compared(), r.bound(), r.lost(), r.invented())
                    .isTrue();
        }
        assertThat(c.missing()).isZero();
        assertThat(c.duplicated()).isZero();
        assertThat(c.outOfOrder()).isZero();
        assertThat(c.unexpected()).isZero();
        assertThat(c.perfect()).isTrue();
        assertThat(stored).hasSameSizeAs(expected);
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).captureTimeMs())
                    .as("stored timeline strictly increasing at %d", i)
                    .isGreaterThan(stored.get(i - 1).captureTimeMs());
        }
    }

    /** A simulated Model 3 drive as candump lines, starting at {@code t0Ms}. */
    private List<String> model3Lines(long t0Ms, Duration drive) throws IOException {
        Path log = tmp.resolve("model3-" + t0Ms + ".candump");
        try (CandumpWriter w = CandumpWriter.create(log)) {
            new Model3CanEncoder("can0").writeLog(new DriveSimulator(VehicleModel.MODEL3, 42, t0Ms, drive), w);
        }
        return Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    }

    /** {@code fleetlog edge --can - ARGS} in a child JVM; returns its exit code after the lines are piped. */
    private int pipeToEdge(FleetServer server, List<String> lines, boolean realTime, List<String> more)
            throws IOException, InterruptedException {
        Path conf = Files.writeString(
                tmp.resolve("edge.conf"),
                "# written by LiveCanEndToEndTest\nserver = " + server.baseUrl() + "\ntoken-file = token\n"
                        + "spool-dir = spool\n");
        Files.writeString(tmp.resolve("token"), TOKEN);
        List<String> args = new ArrayList<>(List.of("edge", "--config", conf.toString(), "--can", "-", "--vin", VIN));
        args.addAll(more);
        Path out = tmp.resolve("edge.log");
        Process p = EdgeChild.start(out, args);
        try {
            pipe(p.getOutputStream(), lines, realTime);
        } catch (IOException e) {
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the edge stopped reading its stdin; output:\n" + Files.readString(out), e);
        }
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        String output = Files.readString(out);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended)
                .as("edge exits after its stdin closed; output:%n%s", output)
                .isTrue();
        assertThat(output).contains("input ended; everything captured is acknowledged");
        System.out.println(output.lines()
                .filter(x -> x.contains("input:") || x.contains("captured"))
                .reduce("", (a, b) -> a + b + "\n"));
        return p.exitValue();
    }

    /** Writes the lines to the child's stdin (at their own pace when {@code realTime}), then closes it. */
    private static void pipe(OutputStream child, List<String> lines, boolean realTime)
            throws IOException, InterruptedException {
        try (OutputStream stdin = child) {
            long firstUs = -1;
            long startNanos = System.nanoTime();
            StringBuilder chunk = new StringBuilder();
            for (String l : lines) {
                if (realTime) {
                    long us = micros(l);
                    firstUs = firstUs < 0 ? us : firstUs;
                    long wait = (us - firstUs) * 1000 - (System.nanoTime() - startNanos);
                    if (wait > 2_000_000) {
                        stdin.write(chunk.toString().getBytes(StandardCharsets.ISO_8859_1));
                        stdin.flush();
                        chunk.setLength(0);
                        TimeUnit.NANOSECONDS.sleep(wait); // the test plays candump: frames at their own pace
                    }
                }
                chunk.append(l).append('\n');
            }
            stdin.write(chunk.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static long micros(String candumpLine) {
        int close = candumpLine.indexOf(')');
        String ts = candumpLine.substring(1, close);
        int dot = ts.indexOf('.');
        return Long.parseLong(ts.substring(0, dot)) * 1_000_000 + Long.parseLong(ts.substring(dot + 1));
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(tmp.resolve(name), lines, StandardCharsets.ISO_8859_1);
    }

    @Test
    void simulatedModel3AtFullSpeedIsStoredAsReplayDecodesIt() throws Exception {
        long t0 = 1_764_000_000_000L;
        List<String> lines = model3Lines(t0, Duration.ofSeconds(60));
        List<Sample> expected = decode(write("piped.candump", lines), LogOptions.defaults());
        try (FleetServer server = server(tmp)) {
            assertThat(pipeToEdge(server, lines, false, List.of())).isZero();
            assertStoredAsDecoded(expected, stored(server));
            assertThat(expected.size()).isGreaterThan(2_900);
        }
    }

    @Test
    void simulatedModel3AtRealTimeStdinClosedMidDriveDeliversEverythingPiped() throws Exception {
        long now = System.currentTimeMillis();
        long t0 = now - now % 20;
        List<String> all = model3Lines(t0, Duration.ofSeconds(10));
        List<String> piped = all.subList(0, all.size() * 3 / 10); // 3 s of the 10 s drive, then stdin closes
        List<Sample> expected = decode(write("piped.candump", piped), LogOptions.defaults());
        try (FleetServer server = server(tmp)) {
            assertThat(pipeToEdge(server, piped, true, List.of())).isZero();
            assertStoredAsDecoded(expected, stored(server));
            assertThat(expected.size()).isGreaterThan(140);
        }
    }

    private List<String> fordArgs() throws IOException {
        Path dbc = Files.writeString(tmp.resolve("ford.dbc"), FORD_DBC);
        Path mapping = Files.writeString(tmp.resolve("ford.mapping"), "speed = BrakeSysFeatures.Veh_V_ActlBrk\n");
        return List.of("--dbc", dbc.toString(), "--mapping", mapping.toString(), "--model", "ford-fusion");
    }

    private static void assumeFord() {
        if (!Files.isReadable(FORD)) {
            System.err.println(
                    "SKIPPED: real data not present: " + FORD.toAbsolutePath().normalize());
        }
        assumeTrue(Files.isReadable(FORD), "real data not present: " + FORD);
    }

    @Test
    void realFordCandumpAtFullSpeedIsStoredAsReplayDecodesIt() throws Exception {
        assumeFord();
        List<String> args = fordArgs();
        List<String> lines = Files.readAllLines(FORD, StandardCharsets.ISO_8859_1);
        List<Sample> expected = decode(
                FORD, LogOptions.defaults().withDbc(tmp.resolve("ford.dbc")).withMapping(tmp.resolve("ford.mapping")));
        try (FleetServer server = server(tmp)) {
            assertThat(pipeToEdge(server, lines, false, args)).isZero();
            assertStoredAsDecoded(expected, stored(server));
            assertThat(expected).hasSize(1_044);
        }
    }

    @Test
    void realFordCandumpAtItsOwnPaceStdinClosedMidDriveDeliversEverythingPiped() throws Exception {
        assumeFord();
        List<String> args = fordArgs();
        List<String> all = Files.readAllLines(FORD, StandardCharsets.ISO_8859_1);
        long firstUs = micros(all.get(0));
        List<String> piped = all.stream()
                .filter(l -> micros(l) - firstUs < 3_000_000)
                .toList(); // the first 3 s (about 5,900 frames, 1,974 frames/s), then stdin closes
        List<Sample> expected = decode(
                write("piped.candump", piped),
                LogOptions.defaults().withDbc(tmp.resolve("ford.dbc")).withMapping(tmp.resolve("ford.mapping")));
        try (FleetServer server = server(tmp)) {
            assertThat(pipeToEdge(server, piped, true, args)).isZero();
            assertStoredAsDecoded(expected, stored(server));
            assertThat(expected.size()).isGreaterThan(140);
        }
    }
}
