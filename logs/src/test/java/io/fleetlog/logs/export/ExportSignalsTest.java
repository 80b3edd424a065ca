package io.fleetlog.logs.export;

import static io.fleetlog.logs.export.ExportSourcesTest.drain;
import static io.fleetlog.logs.export.ExportSourcesTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.RealData;
import io.fleetlog.logs.mapping.Units;
import io.fleetlog.sample.Sample;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every export column with a catalogue signal becomes that signal, sparsely (empty cell = not captured). */
class ExportSignalsTest {
    static final Catalogue CAT = Catalogue.builtin();

    static int at(Frame f, String signal) {
        int i = f.indexOf(CAT.id(signal));
        assertThat(i).as(signal + " captured in " + f).isGreaterThanOrEqualTo(0);
        return i;
    }

    static double number(Frame f, String signal) {
        return f.number(at(f, signal));
    }

    static long code(String signal, String value) {
        return ((EnumType) CAT.get(signal).type()).byName(value).orElseThrow().code();
    }

    static Set<String> captured(List<Sample> samples) {
        Set<String> names = new TreeSet<>();
        for (Sample s : samples) {
            for (int i = 0; i < s.frame().size(); i++) {
                names.add(CAT.signal(s.frame().id(i)).name());
            }
        }
        return names;
    }

    @Test
    void realTessieDriveCarriesEveryColumnWithACatalogueSignal() throws IOException {
        try (CsvSource src = TessieCsvSource.open(RealData.file(RealData.TESSIE_CSV), null)) {
            List<Sample> s = drain(src);
            assertThat(src.problems()).isZero();
            assertThat(s).hasSize(122);
            // Est. Battery Range and Charger Phases are empty in every row: not captured, not invented
            assertThat(captured(s))
                    .containsExactlyInAnyOrder(
                            "VehicleSpeed",
                            "Power",
                            "Soc",
                            "Odometer",
                            "Location",
                            "Elevation",
                            "Gear",
                            "DetailedChargeState",
                            "BatteryLevel",
                            "RatedRange",
                            "IdealBatteryRange",
                            "ChargeRateMilePerHour",
                            "ChargeAmps",
                            "ChargerVoltage",
                            "HvacPower",
                            "BatteryHeaterOn",
                            "InsideTemp",
                            "OutsideTemp",
                            "Locked",
                            "SentryMode");
            Frame first = s.get(0).frame();
            assertThat(first.size()).isEqualTo(20);
            assertThat(first.integer(at(first, "Gear"))).isEqualTo(code("Gear", "D"));
            assertThat(first.integer(at(first, "DetailedChargeState")))
                    .isEqualTo(code("DetailedChargeState", "Disconnected"));
            assertThat(number(first, "InsideTemp")).isCloseTo((65 - 32) * 5 / 9.0, within(1e-9));
            assertThat(number(first, "OutsideTemp")).isCloseTo((37 - 32) * 5 / 9.0, within(1e-9));
            assertThat(number(first, "RatedRange")).isEqualTo(97.13);
            assertThat(number(first, "BatteryLevel")).isEqualTo(34);
            assertThat(first.integer(at(first, "Locked"))).isEqualTo(1);
            assertThat(first.integer(at(first, "BatteryHeaterOn"))).isZero();
            assertThat(first.integer(at(first, "HvacPower"))).isEqualTo(code("HvacPower", "On"));
            assertThat(first.integer(at(first, "SentryMode"))).isEqualTo(code("SentryMode", "Off"));
            assertThat(first.position(at(first, "Location")).latitude()).isEqualTo(38.627872);
            Set<Long> gears = new TreeSet<>();
            s.forEach(x -> gears.add(x.frame().integer(at(x.frame(), "Gear"))));
            assertThat(gears).containsExactlyInAnyOrder(code("Gear", "D"), code("Gear", "P"), code("Gear", "R"));
        }
    }

    @Test
    void teslaFiRowsCarryStatesTemperaturesAndStrings() throws IOException {
        try (CsvSource src = TeslaFiCsvSource.open(fixture("teslafi-two-cars.csv"), null, "1111")) {
            List<Sample> s = drain(src);
            Frame f = s.get(0).frame();
            assertThat(f.integer(at(f, "Gear"))).isEqualTo(code("Gear", "D"));
            assertThat(number(f, "RatedRange")).isEqualTo(200);
            assertThat(number(f, "BatteryLevel")).isEqualTo(80);
            assertThat(number(f, "InsideTemp")).isEqualTo(21.5);
            assertThat(number(f, "OutsideTemp")).isEqualTo(12);
            assertThat(f.integer(at(f, "Locked"))).isZero();
            assertThat(f.string(at(f, "Version"))).isEqualTo("2024.8.7 abc");
            assertThat(f.string(at(f, "VehicleName"))).isEqualTo("Blue");
            assertThat(f.indexOf(CAT.id("TpmsPressureFl"))).isEqualTo(-1); // empty cell: not captured
            assertThat(src.emptyRows()).isEqualTo(2); // asleep rows have only a name: no data
        }
    }

    @Test
    void syntheticTeslaFiChargingColumnsMapWithUnitsAndValueNames() throws IOException {
        String csv = """
                Date,vehicle_id,vin,speed,battery_level,odometer,latitude,longitude,charging_state,charge_limit_soc,\
                tpms_pressure_fl,fast_charger_type,charge_port_latch,df,is_climate_on,time_to_full_charge,charger_phases
                2024-03-10 13:00:00,1,,0,50,100,37.7,-122.4,Charging,80,2.9,Supercharger,Engaged,1,True,1.25,3
                2024-03-10 13:00:10,1,,0,51,100,37.7,-122.4,Flying,80.5,2.9,<invalid>,engaged,0,False,1.2,
                2024-03-10 13:00:20,1,,0,52,100,37.7,,Complete,,,,,,,,
                """;
        try (CsvSource src = new CsvSource(new StringReader(csv), "fi.csv", TeslaFiCsvSource.mapping(null), null)) {
            List<Sample> s = drain(src);
            assertThat(s).hasSize(3);
            Frame a = s.get(0).frame();
            assertThat(a.integer(at(a, "DetailedChargeState"))).isEqualTo(code("DetailedChargeState", "Charging"));
            assertThat(a.integer(at(a, "ChargeLimitSoc"))).isEqualTo(80);
            assertThat(number(a, "TpmsPressureFl")).isEqualTo(2.9);
            assertThat(a.integer(at(a, "FastChargerType"))).isEqualTo(code("FastChargerType", "Supercharger"));
            assertThat(a.integer(at(a, "ChargePortLatch"))).isEqualTo(code("ChargePortLatch", "Engaged"));
            assertThat(a.integer(at(a, "DoorState.DriverFront"))).isEqualTo(1);
            assertThat(a.integer(at(a, "HvacPower"))).isEqualTo(code("HvacPower", "On"));
            assertThat(number(a, "TimeToFullCharge")).isEqualTo(1.25);
            assertThat(a.integer(at(a, "ChargerPhases"))).isEqualTo(3);
            Frame b = s.get(1).frame();
            assertThat(b.unavailable(at(b, "DetailedChargeState"))).isTrue(); // 'Flying': a problem
            assertThat(b.unavailable(at(b, "ChargeLimitSoc"))).isTrue(); // 80.5 is not whole
            assertThat(b.unavailable(at(b, "FastChargerType"))).isTrue(); // <invalid>: unavailable, no problem
            assertThat(b.integer(at(b, "ChargePortLatch"))).isEqualTo(code("ChargePortLatch", "Engaged"));
            assertThat(b.indexOf(CAT.id("ChargerPhases"))).isEqualTo(-1);
            Frame c = s.get(2).frame();
            assertThat(c.unavailable(at(c, "Location"))).isTrue(); // half a position
            assertThat(c.size()).isEqualTo(5); // speed, soc, odometer, location, charge state
            assertThat(src.problemLog().first())
                    .containsExactly("fi.csv:3: DetailedChargeState 'Flying' is not a value of DetailedChargeState"
                            + " [Unknown, Disconnected, NoPower, Starting, Charging, Complete, Stopped];"
                            + " ChargeLimitSoc '80.5' is not a whole number (sent as unavailable)");
        }
    }

    @Test
    void teslaMatePositionsCarryRangesTemperaturesAndTyres() throws IOException {
        try (CsvSource src = TeslaMateCsvSource.open(fixture("teslamate-positions.csv"), null, "1")) {
            Frame f = drain(src).get(0).frame();
            assertThat(number(f, "RatedRange")).isCloseTo(352.3 / Units.KM_PER_MILE, within(1e-9));
            assertThat(number(f, "IdealBatteryRange")).isCloseTo(350.12 / Units.KM_PER_MILE, within(1e-9));
            assertThat(number(f, "EstBatteryRange")).isCloseTo(330.5 / Units.KM_PER_MILE, within(1e-9));
            assertThat(number(f, "InsideTemp")).isEqualTo(22.1);
            assertThat(number(f, "OutsideTemp")).isEqualTo(18.5);
            assertThat(number(f, "TpmsPressureRr")).isEqualTo(2.9);
            assertThat(number(f, "BatteryLevel")).isEqualTo(81);
            assertThat(f.integer(at(f, "HvacPower"))).isEqualTo(code("HvacPower", "On"));
            assertThat(f.integer(at(f, "BatteryHeaterOn"))).isZero();
            assertThat(src.problems()).isZero();
        }
    }

    @Test
    void genericMappingTakesAnyCatalogueSignal() throws IOException {
        ColumnMapping m = ColumnMapping.parse("""
                time = t
                time.format = epoch-s
                VehicleSpeed = v [km/h]
                latitude = lat
                longitude = lon
                Gear = g {park=P, drive=D, ?=unavailable}
                Locked = lk
                InsideTemp = temp [°F]
                Version = sw
                """, "any.mapping");
        String csv = """
                t,v,lat,lon,g,lk,temp,sw
                100,36,1.5,2.5,park,yes,212,v1
                101,,,,drive,,,
                102,,,,?,maybe,,
                103,,,,,,,
                """;
        try (CsvSource src = new CsvSource(new StringReader(csv), "any.csv", m, null)) {
            List<Sample> s = drain(src);
            assertThat(s).hasSize(3);
            Frame a = s.get(0).frame();
            assertThat(number(a, "VehicleSpeed")).isCloseTo(36 / Units.KM_PER_MILE, within(1e-9));
            assertThat(a.position(at(a, "Location")).longitude()).isEqualTo(2.5);
            assertThat(a.integer(at(a, "Gear"))).isEqualTo(code("Gear", "P"));
            assertThat(a.integer(at(a, "Locked"))).isEqualTo(1);
            assertThat(number(a, "InsideTemp")).isCloseTo(100, within(1e-9));
            assertThat(a.string(at(a, "Version"))).isEqualTo("v1");
            Frame b = s.get(1).frame();
            assertThat(b.size()).isEqualTo(1);
            assertThat(b.integer(at(b, "Gear"))).isEqualTo(code("Gear", "D"));
            Frame c = s.get(2).frame();
            assertThat(c.unavailable(at(c, "Gear"))).isTrue();
            assertThat(c.unavailable(at(c, "Locked"))).isTrue();
            assertThat(src.problemLog().first())
                    .containsExactly("any.csv:4: Locked 'maybe' is not true or false (sent as unavailable)");
            assertThat(src.emptyRows()).isEqualTo(1);
        }
    }

    @Test
    void genericMappingErrorsNameTheLine() {
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nGear = g [mph]\n", "e.mapping"))
                .hasMessage("e.mapping:2: Gear is enum: a factor or unit only applies to numbers");
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nGear = g {x=Flying}\n", "e.mapping"))
                .hasMessage("e.mapping:2: Gear has no value 'Flying'");
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nSoc = s {1=x}\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:2: Soc: a value list");
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nlatitude = a\n", "e.mapping"))
                .hasMessage("e.mapping:2: longitude is not mapped (a location needs both)");
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nLocation = a\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:2: Location is a location");
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nspeed = a\nVehicleSpeed = b\n", "e.mapping"))
                .hasMessage("e.mapping:3: VehicleSpeed is already mapped at line 2");
        assertThatThrownBy(() -> ColumnMapping.parse("time = t\nWarpFactor = a\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:2: unknown signal 'WarpFactor'");
    }
}
