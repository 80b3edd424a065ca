package io.fleetlog.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSourcesTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(LogSourcesTest.class.getResource("export/" + name).toURI());
    }

    static List<Sample> drain(Source s) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (Sample x; (x = s.next()) != null; ) {
            out.add(x);
        }
        s.close();
        return out;
    }

    @Test
    void tessieHasNoVinSoOneMustBeGiven() throws IOException {
        OpenedLog log = LogSources.open(RealData.file(RealData.TESSIE_CSV), "tessie", LogOptions.defaults());
        assertThat(drain(log.source())).hasSize(122);
        assertThat(log.vin()).isEmpty();
        assertThatThrownBy(() -> log.vinOr(null))
                .hasMessageStartingWith("the log has no VIN")
                .hasMessageEndingWith("--vin");
        assertThat(log.vinOr("5YJ3E1EA0KF000316")).isEqualTo("5YJ3E1EA0KF000316");
        assertThatThrownBy(() -> log.vinOr("5YJ3E1EA1KF000316")).hasMessageStartingWith("--vin: invalid VIN");
    }

    @Test
    void tessieResampledTo50HzNeverBridgesTheLongGaps() throws IOException {
        OpenedLog log = LogSources.open(
                RealData.file(RealData.TESSIE_CSV),
                LogFormat.TESSIE,
                LogOptions.defaults().withResample(50, Duration.ofSeconds(60)));
        List<Sample> s = drain(log.source());
        // 3043 s of drive, of which 1269 s lie in the eight gaps over 60 s: (3043 − 1269) s × 50 Hz ≈ 88,700
        assertThat(s.size()).isBetween(88_000, 89_500);
        long gapStart = java.time.Instant.parse("2024-03-10T20:34:41Z").toEpochMilli();
        long gapEnd = java.time.Instant.parse("2024-03-10T20:40:55Z").toEpochMilli();
        assertThat(s).noneMatch(x -> x.captureTimeMs() > gapStart && x.captureTimeMs() < gapEnd);
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.get(i).captureTimeMs()).isGreaterThan(s.get(i - 1).captureTimeMs());
        }
    }

    @Test
    void teslaFiMultiCarFileNeedsAVehicleAndMaskedVinsAreRefused() throws Exception {
        Path file = fixture("teslafi-two-cars.csv");
        assertThatThrownBy(() -> LogSources.open(file, "teslafi", LogOptions.defaults()))
                .hasMessage("teslafi-two-cars.csv holds 2 vehicles: 1111 (VIN 5YJ3E1EA0KF000316), "
                        + "2222 (VIN 5YJYGDEE1LFXXXXXX); choose one with --vehicle");
        assertThatThrownBy(() ->
                        LogSources.open(file, "teslafi", LogOptions.defaults().withVehicle("3333")))
                .hasMessageStartingWith("--vehicle 3333 is not in teslafi-two-cars.csv");
        OpenedLog masked =
                LogSources.open(file, "teslafi", LogOptions.defaults().withVehicle("2222"));
        assertThat(masked.vin()).contains("5YJYGDEE1LFXXXXXX");
        assertThatThrownBy(() -> masked.vinOr(null))
                .hasMessageContaining("masked")
                .hasMessageContaining("--vin");
        assertThat(masked.vinOr("5YJ3E1EA0KF000316")).isEqualTo("5YJ3E1EA0KF000316");
        OpenedLog good = LogSources.open(file, "teslafi", LogOptions.defaults().withVehicle("5YJ3E1EA0KF000316"));
        assertThat(good.vinOr(null)).isEqualTo("5YJ3E1EA0KF000316");
        assertThat(drain(good.source())).hasSize(4);
        assertThat(good.source().problems()).isEqualTo(2);
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        Path any = dir.resolve("x");
        assertThatThrownBy(() ->
                        LogSources.open(any, "tessie", LogOptions.defaults().withDbc(any)))
                .hasMessage("--format tessie: --dbc (only for candump)");
        assertThatThrownBy(() -> LogSources.open(any, "csv", LogOptions.defaults()))
                .hasMessage("--format csv: missing --mapping (--format csv needs a column-mapping file)");
        assertThatThrownBy(() -> LogSources.open(
                        any,
                        "candump",
                        LogOptions.defaults().withZone(java.time.ZoneOffset.UTC).withVehicle("1")))
                .hasMessage(
                        "--format candump: --zone (candump timestamps are epoch seconds); --vehicle (a candump log is one vehicle)");
        assertThatThrownBy(() -> LogSources.open(any, "mdf4", LogOptions.defaults()))
                .hasMessage("unknown log format 'mdf4' (known: candump, tessie, teslafi, teslamate, csv)");
        assertThatThrownBy(() -> LogSources.open(any, "tessie", LogOptions.defaults()))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void candumpWithAUserDbcAndMapping() throws IOException {
        Path dbc = Files.writeString(
                dir.resolve("ford.dbc"),
                "BO_ 1045 Brake: 8 XXX\n SG_ Speed : 7|16@0+ (0.01,0) [0|655.35] \"km/h\" XXX\n");
        Path mapping = Files.writeString(dir.resolve("ford.mapping"), "speed = Brake.Speed\n");
        OpenedLog log = LogSources.open(
                RealData.file(RealData.FORD_CANDUMP),
                "candump",
                LogOptions.defaults().withDbc(dbc).withMapping(mapping).withInterface("can0"));
        assertThat(log.describe()).contains("ford.dbc").contains("ford.mapping").contains("can0");
        List<Sample> s = drain(log.source());
        assertThat(s).hasSizeGreaterThan(1000);
        assertThat(s.getLast().get(Field.SPEED)).isGreaterThan(45);
    }

    @Test
    void aForeignDbcWithoutMappingExplainsTheBuiltInMapping() throws IOException {
        Path dbc = Files.writeString(
                dir.resolve("ford.dbc"),
                "BO_ 1045 Brake: 8 XXX\n SG_ Speed : 7|16@0+ (0.01,0) [0|655.35] \"km/h\" XXX\n");
        Path log = Files.writeString(dir.resolve("x.log"), "(1.0) can0 415#0100\n");
        assertThatThrownBy(() ->
                        LogSources.open(log, "candump", LogOptions.defaults().withDbc(dbc)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("built-in model3.mapping:7: ford.dbc has no message 'ID257UIspeed' (the built-in Model 3 "
                        + "mapping needs the Model 3 DBC; pass --mapping for another vehicle)");
    }

    @Test
    void candumpDefaultsToTheBuiltInModel3DbcAndMapping() throws IOException {
        Path log = dir.resolve("sim.log");
        Model3CanEncoder enc = new Model3CanEncoder("can0");
        List<Sample> in = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            in.add(new Sample(
                    -1, 1_700_000_000_000L + 20L * i, new double[] {30 + i * 0.1, 20, 70, 90, 1000, 37.5, -122.1, 12}));
        }
        try (CandumpWriter w = CandumpWriter.create(log)) {
            enc.writeLog(io.fleetlog.logs.mapping.Model3RoundTripTest.of(in), w);
        }
        OpenedLog opened = LogSources.open(log, LogFormat.CANDUMP, LogOptions.defaults());
        List<Sample> out = drain(opened.source());
        assertThat(out).hasSize(100);
        assertThat(out.getLast().get(Field.SPEED)).isCloseTo(39.9, org.assertj.core.api.Assertions.within(0.05));
        // the position is sent at 1 Hz (samples 0 and 50); the frames between do not capture it
        assertThat(out).filteredOn(s -> s.available(Field.LATITUDE)).hasSize(2);
        assertThat(out.get(50).get(Field.LATITUDE)).isCloseTo(37.5, org.assertj.core.api.Assertions.within(1e-6));
    }
}
