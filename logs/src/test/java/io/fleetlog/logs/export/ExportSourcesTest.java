package io.fleetlog.logs.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.logs.LogFileException;
import io.fleetlog.logs.RealData;
import io.fleetlog.logs.mapping.Units;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportSourcesTest {
    static Path fixture(String name) {
        try {
            return Path.of(ExportSourcesTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Sample> drain(Source s) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (Sample x; (x = s.next()) != null; ) {
            out.add(x);
        }
        return out;
    }

    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void tessieExportGives122SamplesAtTheirOwnTimes() throws IOException {
        try (CsvSource src = TessieCsvSource.open(RealData.file(RealData.TESSIE_CSV), null)) {
            List<Sample> s = drain(src);
            assertThat(src.problems()).isZero();
            assertThat(src.emptyRows()).isZero();
            assertThat(s).hasSize(122);
            Sample first = s.getFirst();
            assertThat(first.captureTimeMs()).isEqualTo(ms("2024-03-10T20:34:28Z")); // 13:34:28 PDT
            assertThat(first.get(Field.SPEED)).isEqualTo(63);
            assertThat(first.get(Field.POWER)).isEqualTo(30);
            assertThat(first.get(Field.SOC)).isEqualTo(34);
            assertThat(first.get(Field.ODOMETER)).isEqualTo(4573.53);
            assertThat(first.get(Field.LATITUDE)).isEqualTo(38.627872);
            assertThat(first.get(Field.LONGITUDE)).isEqualTo(-120.20625);
            assertThat(first.get(Field.ELEVATION)).isEqualTo(2268);
            assertThat(first.get(Field.HEADING)).isNaN();
            Sample second = s.get(1);
            assertThat(second.get(Field.POWER)).isEqualTo(-43); // regeneration stays negative
            Sample last = s.getLast();
            assertThat(last.captureTimeMs()).isEqualTo(ms("2024-03-10T21:25:11Z"));
            assertThat(last.get(Field.SPEED)).isZero();
            assertThat(last.get(Field.POWER)).isEqualTo(2);
            assertThat(last.get(Field.SOC)).isEqualTo(32);
            assertThat(last.get(Field.ODOMETER)).isEqualTo(4618.46);
            assertThat(last.get(Field.LATITUDE)).isEqualTo(38.347977);
            assertThat(last.get(Field.LONGITUDE)).isEqualTo(-120.776634);
            assertThat(last.get(Field.ELEVATION)).isEqualTo(363);
            assertThat(s.get(2).captureTimeMs() - s.get(1).captureTimeMs()).isEqualTo(374_000); // the 374 s gap
            for (Sample x : s) {
                x.validate();
            }
        }
    }

    @Test
    void tessieMetricHeadersConvertAndUtcHeaderSwitchesZone() throws IOException {
        String csv = "\"Timestamp (UTC)\",\"Speed (km/h)\",\"Power (kW)\",\"Battery Level (%)\",\"Odometer (km)\","
                + "\"Latitude\",\"Longitude\",\"Elevation (m)\"\n"
                + "\"2024-11-03 01:30:00\",100,10,50,1609.344,1,2,3";
        List<Sample> s = drain(new CsvSource(new StringReader(csv), "t.csv", TessieCsvSource.mapping(null), null));
        assertThat(s).hasSize(1);
        assertThat(s.get(0).captureTimeMs()).isEqualTo(ms("2024-11-03T01:30:00Z"));
        assertThat(s.get(0).get(Field.SPEED)).isCloseTo(100 / Units.KM_PER_MILE, within(1e-9));
        assertThat(s.get(0).get(Field.ODOMETER)).isCloseTo(1000, within(1e-9));
    }

    @Test
    void tessieHeaderAbbreviationPicksTheOffsetInTheAutumnOverlap() throws IOException {
        // 01:30 on 2024-11-03 happens twice in Los Angeles: first PDT (−7), then PST (−8)
        String header = "\"Timestamp (%s)\",\"Speed (mph)\",\"Power (kW)\",\"Battery Level (%%)\",\"Odometer (mi)\","
                + "\"Latitude\",\"Longitude\",\"Elevation (m)\"\n";
        String row = "\"2024-11-03 01:30:00\",1,1,1,1,1,1,1\n";
        Sample pdt = drain(new CsvSource(
                        new StringReader(header.formatted("PDT") + row), "a.csv", TessieCsvSource.mapping(null), null))
                .get(0);
        Sample pst = drain(new CsvSource(
                        new StringReader(header.formatted("PST") + row), "b.csv", TessieCsvSource.mapping(null), null))
                .get(0);
        assertThat(pdt.captureTimeMs()).isEqualTo(ms("2024-11-03T08:30:00Z"));
        assertThat(pst.captureTimeMs()).isEqualTo(ms("2024-11-03T09:30:00Z"));
    }

    @Test
    void teslaFiSelectsOneCarSkipsAsleepRowsAndLocatesBadRows() throws IOException {
        Path file = fixture("teslafi-two-cars.csv");
        assertThat(CsvSource.vehicles(file, TeslaFiCsvSource.mapping(null)))
                .containsExactly(Map.entry("1111", "5YJ3E1EA0KF000316"), Map.entry("2222", "5YJYGDEE1LFXXXXXX"));
        try (CsvSource src = TeslaFiCsvSource.open(file, ZoneId.of("America/Los_Angeles"), "1111")) {
            List<Sample> s = drain(src);
            assertThat(s)
                    .extracting(Sample::captureTimeMs)
                    .containsExactly(
                            ms("2024-03-10T20:00:00Z"),
                            ms("2024-03-10T20:00:30Z"),
                            ms("2024-03-10T20:02:00Z"),
                            ms("2024-03-10T20:03:00Z"));
            assertThat(s.get(0).get(Field.HEADING)).isEqualTo(359);
            assertThat(s.get(0).get(Field.ELEVATION)).isEqualTo(15);
            assertThat(s.get(1).get(Field.POWER)).isEqualTo(35);
            assertThat(s.get(2).get(Field.SPEED)).isNaN(); // "abc": this value unavailable, the row kept
            assertThat(s.get(2).get(Field.POWER)).isEqualTo(-20);
            assertThat(src.emptyRows()).isEqualTo(2);
            assertThat(src.otherVehicleRows()).isEqualTo(2);
            assertThat(src.problemLog().first())
                    .containsExactly(
                            "teslafi-two-cars.csv:7: VehicleSpeed 'abc' is not a number (sent as unavailable)",
                            "teslafi-two-cars.csv:8: time: 'not a date' is not a date-time (yyyy-MM-dd HH:mm:ss[.SSS][offset] or M/d/yyyy h:mm:ss a)");
            assertThat(src.vin()).contains("5YJ3E1EA0KF000316");
            assertThat(Vin.isValid(src.vin().orElseThrow())).isTrue();
        }
        try (CsvSource src = TeslaFiCsvSource.open(file, null, "5YJYGDEE1LFXXXXXX")) {
            assertThat(drain(src)).hasSize(2);
            assertThatThrownBy(() -> Vin.check(src.vin().orElseThrow())).hasMessageContaining("masked");
        }
    }

    @Test
    void teslaMatePositionsConvertKilometres() throws IOException {
        try (CsvSource src = TeslaMateCsvSource.open(fixture("teslamate-positions.csv"), null, "1")) {
            List<Sample> s = drain(src);
            assertThat(s).hasSize(4);
            assertThat(src.otherVehicleRows()).isEqualTo(1);
            assertThat(s.get(0).captureTimeMs()).isEqualTo(ms("2023-06-01T08:00:00.123Z"));
            assertThat(s.get(3).captureTimeMs()).isEqualTo(ms("2023-06-01T08:00:15Z"));
            assertThat(s.get(1).get(Field.SPEED)).isCloseTo(32 / Units.KM_PER_MILE, within(1e-9));
            assertThat(s.get(0).get(Field.ODOMETER)).isCloseTo(10_000, within(1e-9));
            assertThat(s.get(2).get(Field.POWER)).isEqualTo(-12);
            assertThat(s.get(0).get(Field.SOC)).isEqualTo(81);
            assertThat(s.get(0).get(Field.HEADING)).isNaN();
            assertThat(src.problems()).isZero();
        }
    }

    @Test
    void genericCsvWithAMappingFile() throws IOException {
        ColumnMapping m = ColumnMapping.parse("""
                # my logger
                time = t_ms
                time.format = epoch-ms
                speed = "v (m/s)" [m/s]
                odometer = odo_m * 0.001 [km]
                heading = hdg [rad]
                """, "my.mapping");
        String csv =
                "t_ms,v (m/s),odo_m,hdg\n1000,10,1609.344,3.14159265358979\n2000,,,\n3000,20,3218.688,-1.5707963267949\n1500,1,1,1\n";
        CsvSource src = new CsvSource(new StringReader(csv), "my.csv", m, null);
        List<Sample> s = drain(src);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).get(Field.SPEED)).isCloseTo(22.369362920544, within(1e-9));
        assertThat(s.get(0).get(Field.ODOMETER)).isCloseTo(1, within(1e-12));
        assertThat(s.get(0).get(Field.HEADING)).isCloseTo(180, within(1e-9));
        assertThat(s.get(1).get(Field.HEADING)).isCloseTo(270, within(1e-9));
        assertThat(src.emptyRows()).isEqualTo(1);
        assertThat(src.problemLog().first()).containsExactly("my.csv:5: time 1500 is before the previous row's");
    }

    @Test
    void mappingAndHeaderErrorsAreLocated() {
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nspeed = v [furlong/h]\n", "m.txt"))
                .hasMessageStartingWith("m.txt:2: unit 'furlong/h' cannot be converted to mph; known: mph, mi/h, km/h");
        assertThatThrownBy(() -> ColumnMapping.parse("speed = v\n", "m.txt"))
                .hasMessage("m.txt:1: no 'time = <column>' line");
        assertThatThrownBy(() -> new CsvSource(
                        new StringReader("a,b\n1,2\n"),
                        "x.csv",
                        ColumnMapping.parse("time = a\nspeed = c\n", "m.txt"),
                        null))
                .isInstanceOf(LogFileException.class)
                .hasMessage("x.csv:1: no column 'c' (mapping m.txt); the header has a, b");
        assertThatThrownBy(() -> new CsvSource(new StringReader(""), "e.csv", TessieCsvSource.mapping(null), null))
                .hasMessage("e.csv:1: the file is empty (no header)");
    }

    @Test
    void quotedFieldsWithCommasAndLineBreaksAndShortRows() throws IOException {
        ColumnMapping m = ColumnMapping.parse("time = t\ntime.format = epoch-s\nspeed = v\n", "m");
        String csv = "\uFEFFt,note,v\r\n1,\"a, \"\"quoted\"\"\nnote\",5\r\n2,x\r\n3,y,7\r\n4,\"open,8";
        CsvSource src = new CsvSource(new StringReader(csv), "q.csv", m, null);
        List<Sample> s = drain(src);
        assertThat(s).extracting(x -> x.get(Field.SPEED)).containsExactly(5.0, 7.0);
        assertThat(src.problemLog().first())
                .containsExactly(
                        "q.csv:4: row has 2 fields, the header has 3",
                        "q.csv:6: a quoted field is not closed before the end of the file");
    }

    @Test
    void resamplerFillsTheGridButNeverBridgesLongGaps() throws IOException {
        List<Sample> in = List.of(
                new Sample(-1, 1_000, new double[] {10, 0, 50, 350, 1, 0, 0, 0}),
                new Sample(-1, 1_100, new double[] {20, Double.NaN, 50, 10, 1, 0, 0, 0}),
                new Sample(-1, 5_000, new double[] {30, 1, 50, 20, 1, 0, 0, 0}));
        Resampler r = new Resampler(ExportSourcesTestSupport.of(in), 50, java.time.Duration.ofSeconds(1));
        List<Sample> out = drain(r);
        assertThat(out)
                .extracting(Sample::captureTimeMs)
                .containsExactly(1_000L, 1_020L, 1_040L, 1_060L, 1_080L, 1_100L, 5_000L);
        Sample mid = out.get(3); // 1060: 60 % of the way
        assertThat(mid.get(Field.SPEED)).isCloseTo(16, within(1e-9));
        assertThat(mid.get(Field.POWER)).isNaN();
        assertThat(mid.get(Field.HEADING)).isCloseTo(2, within(1e-9)); // 350 → 10 passes north
        assertThat(out.get(6)).isSameAs(in.get(2));
    }
}
