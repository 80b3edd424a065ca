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
}
