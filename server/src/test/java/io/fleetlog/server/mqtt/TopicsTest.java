package io.fleetlog.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {
    static final Catalogue CAT = Catalogue.builtin();
    static final String VIN = "5YJ3E1EA0KF000001";
    static final MqttConfig CONFIG = MqttConfig.of("tcp://127.0.0.1:1883").withNamespace("ns1");

    static Frame charging() {
        return Frame.builder(1_764_180_000_000L)
                .number(CAT.id("VehicleSpeed"), 0)
                .number(CAT.id("Odometer"), 1000)
                .number(CAT.id("Soc"), 79.5)
                .number(CAT.id("BatteryLevel"), 80.4)
                .number(CAT.id("RatedRange"), 250)
                .number(CAT.id("InsideTemp"), 20.84)
                .integer(CAT.id("Gear"), 2) // P
                .integer(CAT.id("DetailedChargeState"), 4) // Charging
                .number(CAT.id("DCChargingPower"), 151.26)
                .bool(CAT.id("Locked"), true)
                .position(CAT.id("Location"), 37.4, -122.1)
                .build();
    }

    static Frame driving() {
        return Frame.builder(1_764_180_000_000L)
                .number(CAT.id("VehicleSpeed"), 62.14)
                .number(CAT.id("Power"), 31.6)
                .integer(CAT.id("Gear"), 5) // D
                .unavailable(CAT.id("OutsideTemp"))
                .build();
    }

    static VehicleView view(Frame f, VehicleView.State state) {
        return new VehicleView(VIN, 3, "Blue", "Model 3", CAT, f, 42, state, 1_764_180_000_000L);
    }

    @Test
    void teslaMateTopicsUseTeslaMateNamesAndUnits() {
        Map<String, String> m = Topics.teslaMate(CONFIG, view(charging(), VehicleView.State.ONLINE), "T");
        String r = "teslamate/ns1/cars/3/";
        assertThat(m)
                .containsEntry(r + "odometer", "1609.34") // 1000 mi
                .containsEntry(r + "rated_battery_range_km", "402.34") // 250 mi
                .containsEntry(r + "battery_level", "80")
                .containsEntry(r + "usable_battery_level", "80") // 79.5 rounds half up
                .containsEntry(r + "inside_temp", "20.8")
                .containsEntry(r + "shift_state", "P")
                .containsEntry(r + "charging_state", "Charging")
                .containsEntry(r + "plugged_in", "true")
                .containsEntry(r + "charger_power", "151.3")
                .containsEntry(r + "locked", "true")
                .containsEntry(r + "state", "charging")
                .containsEntry(r + "model", "3")
                .containsEntry(r + "display_name", "Blue")
                .containsEntry(r + "latitude", "37.4")
                .containsEntry(r + "location", "{\"latitude\":37.4,\"longitude\":-122.1}");
    }

    @Test
    void drivingIsItsOwnStateAndSpeedIsKilometresPerHour() {
        Map<String, String> m = Topics.teslaMate(CONFIG, view(driving(), VehicleView.State.ONLINE), "T");
        assertThat(m)
                .containsEntry("teslamate/ns1/cars/3/speed", "100") // 62.14 mph
                .containsEntry("teslamate/ns1/cars/3/power", "32")
                .containsEntry("teslamate/ns1/cars/3/state", "driving")
                .doesNotContainKey("teslamate/ns1/cars/3/outside_temp"); // unavailable: not published
        assertThat(Topics.teslaMate(CONFIG, view(driving(), VehicleView.State.OFFLINE), "T"))
                .containsEntry("teslamate/ns1/cars/3/state", "offline");
    }

    @Test
    void fleetlogTopicsCarryCatalogueNamesAndUnitsAndTheState() {
        Map<String, String> m = Topics.fleetlog(CONFIG, view(driving(), VehicleView.State.DRAINING));
        String r = "fleetlog/ns1/vehicles/" + VIN + "/";
        assertThat(m)
                .containsEntry(r + "VehicleSpeed", "62.14")
                .containsEntry(r + "Gear", "D")
                .containsEntry(r + "OutsideTemp", "") // captured unavailable: the retained value is cleared
                .containsEntry(r + "state", "draining")
                .containsEntry(r + "availability", "online")
                .containsEntry(r + "seq", "42")
                .containsEntry(r + "captured_at", "2025-11-26T18:00:00Z");
        assertThat(Topics.fleetlog(CONFIG, view(null, VehicleView.State.OFFLINE)))
                .containsEntry(r + "availability", "offline")
                .doesNotContainKey(r + "seq");
    }

    @Test
    void discoveryConfigIsOneDeviceWithItsMainSensors() throws Exception {
        JsonNode j = new ObjectMapper().readTree(Discovery.config(CONFIG, view(charging(), VehicleView.State.ONLINE)));
        assertThat(Discovery.topic(CONFIG, VIN)).isEqualTo("homeassistant/device/fleetlog_ns1_" + VIN + "/config");
        assertThat(j.at("/device/identifiers/0").asText()).isEqualTo("fleetlog_ns1_" + VIN);
        assertThat(j.at("/origin/name").asText()).isEqualTo("fleetlog");
        assertThat(j.at("/availability_mode").asText()).isEqualTo("all");
        assertThat(j.at("/availability/0/topic").asText()).isEqualTo("fleetlog/ns1/status");
        assertThat(j.at("/availability/1/topic").asText()).isEqualTo("fleetlog/ns1/vehicles/" + VIN + "/availability");
        JsonNode speed = j.at("/components/speed");
        assertThat(speed.get("platform").asText()).isEqualTo("sensor");
        assertThat(speed.get("unique_id").asText()).isEqualTo("fleetlog_ns1_" + VIN + "_speed");
        assertThat(speed.get("state_topic").asText()).isEqualTo("fleetlog/ns1/vehicles/" + VIN + "/VehicleSpeed");
        assertThat(speed.get("unit_of_measurement").asText()).isEqualTo("mph");
        assertThat(speed.get("device_class").asText()).isEqualTo("speed");
        assertThat(j.at("/components/inside_temp/unit_of_measurement").asText()).isEqualTo("°C");
        assertThat(j.at("/components/location/platform").asText()).isEqualTo("device_tracker");
        assertThat(j.at("/components/locked/payload_on").asText()).isEqualTo("false");
    }

    @Test
    void unitsConvertOnlyWithinAFamily() {
        assertThat(Values.convert(100, "km/h", "mph")).isCloseTo(62.137, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(Values.convert(68, "degF", "degC")).isCloseTo(20, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Values.convert(1, "mi", "kW")).isNull();
        assertThat(Values.convert(1, "furlong", "km")).isNull();
        assertThat(Values.format(-0.0001, 0)).isEqualTo("0");
        assertThat(Values.format(1200, 2)).isEqualTo("1200");
    }

    @Test
    void configRejectsWhatWouldLeakOrBreakTopics() {
        assertThatThrownBy(() -> MqttConfig.of("tcp://user:secret@127.0.0.1"))
                .hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> MqttConfig.of("http://127.0.0.1")).hasMessageContaining("tcp://");
        assertThatThrownBy(() -> MqttConfig.of("tcp://127.0.0.1").withNamespace("a/#"))
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> MqttConfig.of("tcp://127.0.0.1").withDiscoveryPrefix("ha/+"))
                .hasMessageContaining("discoveryPrefix");
        assertThat(MqttConfig.of("tcp://127.0.0.1").broker()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(MqttConfig.of("tcp://h").withCredentials("u", "pw").toString())
                .doesNotContain("pw");
    }
}
