package io.fleetlog.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.Main;
import io.fleetlog.app.report.Continuity;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.edge.sim.DriveSimulator;
import io.fleetlog.edge.sim.VehicleModel;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.LogSources;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real logs through the real pipeline: {@code fleetlog replay} (spool, uplink, fault proxy with dead
 * zones) into a real server on a free port, then the store compared sample by sample with what the
 * log holds.
 */
class ReplayEndToEndTest {
    private static final String VIN = "5YJYGDEE0LF000001";
    private static final String TOKEN = "replay-test-token";
    private static final Path TESSIE = Path.of(System.getProperty("fleetlog.realData", "../../shared/data/real"))
            .resolve("tesla_modely_tessie_2024-03-10_kirkwood_to_jackson.csv");

    @TempDir
    Path tmp;

    private FleetServer server() {
        return FleetServer.start(ServerConfig.defaults(TokenStore.demo(Map.of(VIN, TOKEN)))
                .withDb("jdbc:sqlite:" + tmp.resolve("store.db")));
    }

    /** The token in a file, as {@code replay} reads it (never on the command line: issue 12, item 11). */
    private Path tokenFile() {
        try {
            return java.nio.file.Files.writeString(tmp.resolve("token"), TOKEN);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Sample> all(Source s) throws IOException {
        List<Sample> out = new ArrayList<>();
        try (s) {
            for (Sample x; (x = s.next()) != null; ) {
                out.add(x);
            }
        }
        return out;
    }

    private static List<Sample> stored(FleetServer server, String vin) {
        List<Sample> out = new ArrayList<>();
        server.store().scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }

    /** {@code fleetlog replay} of {@code input} into {@code server} as {@link #VIN}; the stored samples. */
    private List<Sample> replay(FleetServer server, Path input, String format, String outages, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "replay",
                "--input",
                input.toString(),
                "--format",
                format,
                "--vin",
                VIN,
                "--server",
                server.baseUrl(),
                "--token-file",
                tokenFile().toString(),
                "--speed",
                "max",
                "--outages",
                outages,
                "--spool-dir",
                tmp.resolve("spool").toString()));
        args.addAll(List.of(more));
        assertThat(Main.run(args.toArray(String[]::new)))
                .as("fleetlog replay exit code")
                .isZero();
        return stored(server, VIN);
    }

    private static Continuity continuity(List<Sample> captured, List<Sample> stored) {
        return new Continuity(io.fleetlog.catalog.Catalogue.builtin())
                .compare(captured.iterator(), stored, List.<Sample>of().iterator());
    }

    @Test
    void realTessieDriveReplaysThroughTwoDeadZonesWithNothingMissing() throws IOException {
        if (!java.nio.file.Files.isReadable(TESSIE)) {
            System.err.println(
                    "SKIPPED: real data not present: " + TESSIE.toAbsolutePath().normalize());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isReadable(TESSIE), "real data not present: " + TESSIE);
        List<Sample> rows =
                all(LogSources.open(TESSIE, "tessie", LogOptions.defaults()).source());
        assertThat(rows).hasSize(122);
        try (FleetServer server = server()) {
            List<Sample> stored = replay(server, TESSIE, "tessie", "600-900,1500-2100", "--model", "modely");
            Continuity c = continuity(rows, stored);
            assertThat(c.captured()).isEqualTo(122);
            assertThat(c.missing()).isZero();
            assertThat(c.duplicated()).isZero();
            assertThat(c.outOfOrder()).isZero();
            assertThat(c.unexpected()).isZero();
            assertThat(c.perfect()).as("every field within its threshold").isTrue();
            assertThat(stored.get(0).captureTimeMs())
                    .as("true capture time, 2024-03-10 13:34:28 PDT")
                    .isEqualTo(1_710_102_868_000L);
        }
    }

    @Test
    void simulatedModel3DriveRoundTripsThroughACandumpLogAndTheServer() throws IOException {
        long t0 = 1_764_000_000_000L; // a multiple of 20 ms: the 50 Hz CAN assembly grid lines up
        Duration drive = Duration.ofSeconds(120);
        List<Sample> sim = all(new DriveSimulator(VehicleModel.MODEL3, 42, t0, drive));
        Path log = tmp.resolve("model3.candump");
        Model3CanEncoder encoder = new Model3CanEncoder("can0");
        try (CandumpWriter w = CandumpWriter.create(log)) {
            assertThat(encoder.writeLog(new DriveSimulator(VehicleModel.MODEL3, 42, t0, drive), w))
                    .isEqualTo(sim.size());
        }
        assertThat(encoder.clamped()).as("simulated values fit the DBC signals").isZero();
        List<Sample> decoded =
                all(LogSources.open(log, "candump", LogOptions.defaults()).source());
        try (FleetServer server = server()) {
            List<Sample> stored = replay(server, log, "candump", "30-60");
            Continuity c = continuity(decoded, stored);
            assertThat(c.perfect())
                    .as("store equals the decoded log within the codec's bounds")
                    .isTrue();
            assertThat(stored).hasSameSizeAs(sim);
            // Where every CAN message was freshly sent, the store equals the simulation within the
            // codec bound plus half the DBC resolution.
            int period = 1;
            for (Field f : Field.values()) {
                period = lcm(period, encoder.every(f));
            }
            int checked = 0;
            for (int k = 0; k < sim.size(); k += period) {
                Sample s = sim.get(k);
                Sample r = stored.get(k);
                assertThat(r.captureTimeMs()).isEqualTo(s.captureTimeMs());
                for (Field f : Field.values()) {
                    double tolerance = CodecConfig.defaults().bound(f) + dbcResolution(f) / 2 + 1e-9;
                    assertThat(f.distance(r.get(f), s.get(f)))
                            .as("%s at sample %d", f.key(), k)
                            .isLessThanOrEqualTo(tolerance);
                }
                checked++;
            }
            assertThat(checked).isGreaterThan(50);
        }
    }

    /** The Model 3 DBC's resolution of each field, in fleetlog units (see Model3CanEncoder). */
    private static double dbcResolution(Field f) {
        return switch (f) {
            case SPEED -> 0.08 / 1.609344;
            case POWER -> (400 * 0.1 + 500 * 0.01) / 1000;
            case SOC -> 0.1;
            case HEADING -> 0.0078125;
            case ODOMETER -> 0.001 / 1.609344;
            case LATITUDE, LONGITUDE -> 1e-6;
            case ELEVATION -> 1;
        };
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
