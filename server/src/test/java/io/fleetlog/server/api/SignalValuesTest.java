package io.fleetlog.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.server.api.SignalValues.Selection;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SignalValuesTest {
    private static final Catalogue CAT = Catalogue.builtin();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Frame sparse() {
        return Frame.builder(1_700_000_000_000L)
                .number(CAT.id("VehicleSpeed"), 65.5)
                .omitted()
                .integer(
                        CAT.id("Gear"),
                        CAT.get("Gear").type() instanceof io.fleetlog.catalog.EnumType e
                                ? e.byName("D").orElseThrow().code()
                                : -1)
                .bool(CAT.id("Locked"), true)
                .string(CAT.id("Version"), "2024.8, \"beta\"")
                .unavailable(CAT.id("Soc"))
                .position(CAT.id("Location"), 37.5, -122.25)
                .build();
    }

    @Test
    void jsonNamesEveryTypeTheDocumentedWayAndLeavesOutWhatWasNotCaptured() throws Exception {
        Selection sel = Selection.parse(CAT, "VehicleSpeed,gear,Locked,Version,Soc,Location,Power");
        StringWriter out = new StringWriter();
        try (var g = JSON.getFactory().createGenerator(out)) {
            SignalValues.writeJson(g, sel, 42, sparse());
        }
        JsonNode n = JSON.readTree(out.toString());
        assertThat(n.get("seq").asLong()).isEqualTo(42);
        JsonNode v = n.get("values");
        assertThat(v.get("VehicleSpeed").asDouble()).isEqualTo(65.5);
        assertThat(v.get("Gear").asText()).isEqualTo("D");
        assertThat(v.get("Locked").asBoolean()).isTrue();
        assertThat(v.get("Version").asText()).isEqualTo("2024.8, \"beta\"");
        assertThat(v.get("Soc").isNull()).isTrue();
        assertThat(v.get("Location").get("lon").asDouble()).isEqualTo(-122.25);
        assertThat(v.has("Power")).as("not captured: no key").isFalse();
        assertThat(n.get("reconstructed").toString()).isEqualTo("[\"VehicleSpeed\"]");
        // the same values through the map the live feed uses
        JsonNode live = JSON.valueToTree(SignalValues.values(sel, sparse()));
        assertThat(live).isEqualTo(v);
    }

    @Test
    void csvHasOneCellPerSignalEmptyNotCapturedNaUnavailableAndQuotedStrings() {
        Selection sel = Selection.parse(CAT, "Power,VehicleSpeed,Gear,Locked,Version,Soc,Location");
        assertThat(SignalValues.csvHeader(sel))
                .isEqualTo("vin,seq,capture_time,Power,VehicleSpeed,Gear,Locked,Version,Soc,Location,reconstructed");
        StringBuilder b = new StringBuilder();
        SignalValues.csvLine(b, sel, "5YJ3E1EA7KF000001", 42, sparse());
        assertThat(b.toString())
                .isEqualTo("5YJ3E1EA7KF000001,42,2023-11-14T22:13:20.000Z,,65.5,D,true,\"2024.8, \"\"beta\"\"\",NA,"
                        + "37.5 -122.25,VehicleSpeed\n");
    }

    @Test
    void aSelectionRefusesUnknownRepeatedAndEmptyNames() {
        assertThatThrownBy(() -> Selection.parse(CAT, "Soc,Nope")).hasMessageStartingWith("unknown signal 'Nope'");
        assertThatThrownBy(() -> Selection.parse(CAT, "Soc,soc")).hasMessageContaining("named twice");
        assertThatThrownBy(() -> Selection.parse(CAT, "Soc,,Power")).hasMessageContaining("an empty name");
        assertThat(Selection.parse(CAT, null).size()).isEqualTo(CAT.size());
        Selection gear = Selection.parse(CAT, "Gear");
        assertThat(gear.touches(sparse())).isTrue();
        assertThat(gear.touches(Frame.builder(0).number(CAT.id("Soc"), 1).build()))
                .isFalse();
    }

    /** The old per-frame path: header and rows built as Strings, as csvLine gives them. */
    private static String csvByLines(Selection sel, String vin, java.util.List<Frame> frames) {
        StringBuilder b = new StringBuilder(SignalValues.csvHeader(sel)).append('\n');
        for (int j = 0; j < frames.size(); j++) {
            SignalValues.csvLine(b, sel, vin, j * 7L - 3, frames.get(j));
        }
        return b.toString();
    }

    private static String csvByWriter(Selection sel, String vin, java.util.List<Frame> frames) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        CsvWriter w = new CsvWriter(bytes, sel);
        w.header();
        for (int j = 0; j < frames.size(); j++) {
            w.row(vin, j * 7L - 3, frames.get(j));
        }
        w.flush();
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theCsvWriterWritesExactlyTheBytesOfCsvLineForEveryKindOfCell() throws Exception {
        java.util.Random r = new java.util.Random(16);
        int speed = CAT.id("VehicleSpeed");
        int power = CAT.id("Power");
        int location = CAT.id("Location");
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(
                0.0,
                -0.0,
                1.0,
                -1.0,
                40.0,
                0.5,
                -0.25,
                0.001,
                -0.001,
                0.000999,
                0.0012345678,
                9_999_999.0,
                9_999_999.999999,
                1e7,
                -1e7,
                1e7 + 0.5,
                123_456_789.123,
                1e-3 + Math.ulp(1e-3),
                1e7 - Math.ulp(1e7),
                1e-300,
                -1e300,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                0.1,
                0.2,
                0.3,
                0.1 + 0.2,
                2.675,
                1.005,
                9.995,
                99.99,
                65.5,
                1234.567891,
                0.123457,
                0.1234567));
        for (int j = 0; j < 20_000; j++) {
            double unit = Math.pow(10, -r.nextInt(9)); // values at a resolution of 1 .. 1e-8
            values.add(Math.round((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9)) / unit) * unit);
            values.add((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(20) - 6)); // arbitrary bits
            values.add(Double.longBitsToDouble(r.nextLong())); // any finite double
        }
        values.removeIf(v -> !Double.isFinite(v));
        java.util.List<Frame> frames = new java.util.ArrayList<>();
        long t = -86_400_000L * 400 - 1; // before 1970, then across second, day and year boundaries
        for (int j = 0; j < values.size(); j++) {
            t += j % 97 == 0 ? 31_536_000_123L : r.nextInt(1500);
            Frame.Builder b = Frame.builder(t)
                    .number(speed, values.get(j))
                    .position(location, values.get(j) % 90, values.get((j + 1) % values.size()) % 180);
            if (j % 3 == 0) {
                b.number(power, -values.get(j)).omitted();
            } else if (j % 3 == 1) {
                b.unavailable(power);
            }
            b.integer(CAT.id("Gear"), r.nextInt(8) - 1); // known codes, unknown and negative ones
            if (j % 5 == 0) {
                b.bool(CAT.id("Locked"), r.nextBoolean());
                b.integer(CAT.id("ChargeLimitSoc"), r.nextLong());
                b.integer(CAT.size() + 3, r.nextLong()); // an id past the catalogue: no column
            }
            frames.add(b.build());
        }
        frames.add(sparse());
        frames.add(Frame.builder(Long.MAX_VALUE / 1_000_000)
                .string(CAT.id("Version"), "NA")
                .build());
        frames.add(Frame.builder(0).string(CAT.id("Version"), "").build());
        frames.add(Frame.builder(1).string(CAT.id("Version"), "é ü \r\n x").build());
        frames.add(Frame.builder(2).build());
        for (String signals : java.util.Arrays.asList(
                null, "Power,VehicleSpeed,Gear,Locked,Version,Soc,Location", "Location,Soc", "Version")) {
            Selection sel = Selection.parse(CAT, signals);
            assertThat(csvByWriter(sel, "5YJ3E1EA7KF000001", frames))
                    .as("signals=" + signals)
                    .isEqualTo(csvByLines(sel, "5YJ3E1EA7KF000001", frames));
        }
    }

    @Test
    void theCsvWriterPassesRowsLongerThanItsBufferThrough() throws Exception {
        Selection sel = Selection.parse(CAT, "Version,VehicleSpeed");
        String big = "x,\"".repeat(60_000); // 180,000 characters, quoted and doubled
        java.util.List<Frame> frames = new java.util.ArrayList<>();
        for (int j = 0; j < 5; j++) {
            frames.add(Frame.builder(j).number(CAT.id("VehicleSpeed"), j + 0.5).build());
            frames.add(Frame.builder(j).string(CAT.id("Version"), big).build());
        }
        assertThat(csvByWriter(sel, "V", frames)).isEqualTo(csvByLines(sel, "V", frames));
    }
}
