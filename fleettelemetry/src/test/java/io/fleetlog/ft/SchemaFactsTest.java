package io.fleetlog.ft;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.Signal;
import io.fleetlog.ft.proto.Field;
import io.fleetlog.ft.proto.Value;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spot checks of the protocol's numbers (issue 15) and of the built-in catalogue's names against them. */
class SchemaFactsTest {

    @Test
    void fieldNumbersAreTheProtocols() {
        assertThat(Arrays.stream(Field.values()).filter(f -> f != Field.UNRECOGNIZED && f.getNumber() != 0))
                .hasSize(259);
        assertThat(Field.VehicleSpeed.getNumber()).isEqualTo(4);
        assertThat(Field.Odometer.getNumber()).isEqualTo(5);
        assertThat(Field.PackVoltage.getNumber()).isEqualTo(6);
        assertThat(Field.PackCurrent.getNumber()).isEqualTo(7);
        assertThat(Field.Soc.getNumber()).isEqualTo(8);
        assertThat(Field.Gear.getNumber()).isEqualTo(10);
        assertThat(Field.Location.getNumber()).isEqualTo(21);
        assertThat(Field.GpsHeading.getNumber()).isEqualTo(23);
        assertThat(Field.RatedRange.getNumber()).isEqualTo(32);
        assertThat(Field.BatteryLevel.getNumber()).isEqualTo(42);
        assertThat(Field.InsideTemp.getNumber()).isEqualTo(85);
        assertThat(Field.OutsideTemp.getNumber()).isEqualTo(86);
        assertThat(Field.DetailedChargeState.getNumber()).isEqualTo(179);
    }

    @Test
    void valueHas53CasesWithTheProtocolsNumbers() {
        List<Value.ValueCase> cases = Arrays.stream(Value.ValueCase.values())
                .filter(c -> c != Value.ValueCase.VALUE_NOT_SET)
                .toList();
        assertThat(cases).hasSize(53);
        assertThat(Value.ValueCase.STRING_VALUE.getNumber()).isEqualTo(1);
        assertThat(Value.ValueCase.LOCATION_VALUE.getNumber()).isEqualTo(7);
        assertThat(Value.ValueCase.SHIFT_STATE_VALUE.getNumber()).isEqualTo(9);
        assertThat(Value.ValueCase.INVALID.getNumber()).isEqualTo(10);
        assertThat(Value.ValueCase.DOOR_VALUE.getNumber()).isEqualTo(21);
        assertThat(Value.ValueCase.SUNROOF_INSTALLED_STATE_VALUE.getNumber()).isEqualTo(54);
    }

    @Test
    void everyBuiltInSignalButFleetlogsOwnIsAFleetTelemetryField() {
        for (Signal s : Catalogue.builtin().signals()) {
            String base =
                    s.name().contains(".") ? s.name().substring(0, s.name().indexOf('.')) : s.name();
            if (s.name().equals("Power") || s.name().equals("Elevation")) {
                continue;
            }
            assertThat(Arrays.stream(Field.values()).map(Field::name))
                    .as("built-in signal %s", s.name())
                    .contains(base);
        }
    }
}
