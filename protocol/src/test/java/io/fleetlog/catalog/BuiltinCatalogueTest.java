package io.fleetlog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The built-in catalogue: loads, is big enough, and carries today's eight fields unchanged. */
class BuiltinCatalogueTest {

    private final Catalogue builtin = Catalogue.builtin();

    @Test
    void loadsWithAtLeastFortySignals() {
        assertThat(builtin.size()).isGreaterThanOrEqualTo(40);
        assertThat(builtin.hash()).hasSize(64).matches("[0-9a-f]+");
        assertThat(builtin.shortId()).isEqualTo(builtin.hash().substring(0, 16));
    }

    @Test
    void holdsTheSignalsTheIssueNames() {
        for (String name : List.of(
                "VehicleSpeed",
                "Odometer",
                "Soc",
                "Location",
                "GpsHeading",
                "Gear",
                "DetailedChargeState",
                "PackVoltage",
                "PackCurrent",
                "InsideTemp",
                "OutsideTemp",
                "TpmsPressureFl",
                "TpmsPressureFr",
                "TpmsPressureRl",
                "TpmsPressureRr",
                "RatedRange",
                "EstBatteryRange",
                "IdealBatteryRange",
                "ChargerPhases",
                "ACChargingPower",
                "DCChargingPower",
                "ChargeLimitSoc",
                "BatteryLevel",
                "EnergyRemaining",
                "Locked",
                "SentryMode",
                "DoorState.DriverFront",
                "Version",
                "FastChargerPresent",
                "ChargePortDoorOpen",
                "CruiseSetSpeed",
                "BrakePedal",
                "PedalPosition",
                "LateralAcceleration",
                "LongitudinalAcceleration",
                "HvacPower",
                "ClimateKeeperMode",
                "Power",
                "Elevation")) {
            assertThat(builtin.find(name)).as(name).isPresent();
        }
    }

    @Test
    void vssPathsFindTheirSignals() {
        assertThat(builtin.get("Vehicle.Speed").name()).isEqualTo("VehicleSpeed");
        assertThat(builtin.get("vehicle.traveleddistance").name()).isEqualTo("Odometer");
        assertThat(builtin.get("Vehicle.CurrentLocation").name()).isEqualTo("Location");
        assertThat(builtin.get("Vehicle.Cabin.HVAC.AmbientAirTemperature").name())
                .isEqualTo("InsideTemp");
        assertThat(builtin.get("Vehicle.Exterior.AirTemperature").name()).isEqualTo("OutsideTemp");
    }

    @Test
    void gearIsTheProtosShiftState() {
        EnumType gear = (EnumType) builtin.get("Gear").type();
        assertThat(gear.byName("P").orElseThrow().code()).isEqualTo(2);
        assertThat(gear.byName("D").orElseThrow().code()).isEqualTo(5);
        assertThat(gear.byCode(6).orElseThrow().name()).isEqualTo("SNA");
    }

    @ParameterizedTest
    @EnumSource(Field.class)
    void everyLegacyFieldMapsToASignalWithTheSameResolutionRangeAndBound(Field field) {
        LegacyFields.Mapping m = LegacyFields.of(field);
        Signal s = builtin.get(field.key());
        assertThat(s.name())
                .as("the key '%s' finds the mapped signal", field.key())
                .isEqualTo(m.signal());
        assertThat(s.bound()).isEqualTo(field.defaultThreshold());
        switch (s.type()) {
            case FloatType f -> {
                assertThat(m.part()).isEqualTo(LegacyFields.Part.VALUE);
                assertThat(f.unit()).isEqualTo(field.unit());
                assertThat(f.resolution()).isEqualTo(field.resolution());
                assertThat(f.min()).isEqualTo(field.min());
                assertThat(f.max()).isEqualTo(field.max());
                assertThat(f.circular()).isEqualTo(field.circular());
                for (double v : new double[] {field.min(), field.max(), 0.005, -0.015, 123.4567891, 359.996}) {
                    if (field.inRange(v)) {
                        assertThat(f.toUnits(v)).as("units of %s", v).isEqualTo(field.toUnits(v));
                        assertThat(f.quantise(v)).as("quantised %s", v).isEqualTo(field.quantise(v));
                    }
                }
            }
            case LocationType l -> {
                assertThat(m.part()).isIn(LegacyFields.Part.LATITUDE, LegacyFields.Part.LONGITUDE);
                assertThat(l.resolution()).isEqualTo(field.resolution());
                assertThat(field.unit()).isEqualTo("deg");
                double limit = m.part() == LegacyFields.Part.LATITUDE ? 90 : 180;
                assertThat(field.min()).isEqualTo(-limit);
                assertThat(field.max()).isEqualTo(limit);
                assertThat(l.toUnits(-limit)).isEqualTo(field.toUnits(-limit));
                assertThat(l.toUnits(12.345678949)).isEqualTo(field.toUnits(12.345678949));
            }
            default -> throw new AssertionError(field + " maps to a " + s.type().keyword() + " signal");
        }
    }

    @Test
    void wireIdsAreDenseInFileOrder() {
        for (int id = 0; id < builtin.size(); id++) {
            Signal s = builtin.signal(id);
            assertThat(builtin.id(s.name())).isEqualTo(id);
            for (String a : s.aliases()) {
                assertThat(builtin.id(a)).isEqualTo(id);
            }
        }
        assertThat(builtin.id("VehicleSpeed")).isZero();
    }

    @Test
    void builtinTextIsAlreadyCanonicalAfterOneRoundTrip() throws Exception {
        Catalogue again = CatalogueFormat.parse(builtin.toText(), "canonical");
        assertThat(again).isEqualTo(builtin);
        assertThat(again.hash()).isEqualTo(builtin.hash());
    }
}
