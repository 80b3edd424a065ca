package io.fleetlog.logs.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.RealData;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import io.fleetlog.sample.Field;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalMappingTest {
    static final String DBC = """
            BO_ 306 Batt: 8 ECU
             SG_ Volt : 0|16@1+ (0.01,0) [0|655.35] "V"  Logger
             SG_ Curr : 16|16@1- (-0.1,0) [-3276.7|3276.7] "A"  Logger
            BO_ 599 Speed: 8 ECU
             SG_ Kph : 12|12@1+ (0.08,-40) [-40|287.6] "KPH" Logger
             SG_ Volt : 0|8@1+ (1,0) [0|255] "V" Logger
            BO_ 950 Odo: 4 ECU
             SG_ OdoKm : 0|32@1+ (0.001,0) [0|4294967.294] "KM" Logger
            """;

    static Dbc dbc() throws Exception {
        return Dbc.parse(new StringReader(DBC), "t.dbc");
    }

    static final Catalogue CAT = Catalogue.builtin();

    /** Captures whatever arrived into a frame at t = 0; problems go to {@code problems}. */
    static Frame capture(BoundMapping b, double[] slots, boolean[] arrived, List<String> problems) {
        Frame.Builder f = Frame.builder(0);
        b.capture(slots, arrived, f, problems::add);
        return f.build();
    }

    static double number(Frame f, String signal) {
        int i = f.indexOf(CAT.id(signal));
        assertThat(i).as(signal + " captured").isGreaterThanOrEqualTo(0);
        return f.number(i);
    }

    @Test
    void convertsUnitsFromTheDbcAndEvaluatesExpressions() throws Exception {
        SignalMapping m = SignalMapping.parse("""
                # a comment
                speed = Speed.Kph   # km/h in the DBC
                power = Batt.Volt * Batt.Curr / 1000
                odometer = OdoKm
                soc = (Batt.Volt - 300) / 2 [%]
                """, "m.txt");
        BoundMapping b = m.bind(dbc());
        double[] slots = b.newSlots();
        boolean[] arrived = b.newArrived();
        List<String> problems = new ArrayList<>();
        assertThat(capture(b, slots, arrived, problems).isEmpty()).isTrue();
        assertThat(b.apply(306, false, HexFormat.of().parseHex("7096AEFF5C26FF0F"), 8, slots, arrived))
                .isTrue();
        Frame batt = capture(b, slots, arrived, problems);
        // only what the battery message carries is captured: power and soc, not speed or odometer
        assertThat(batt.size()).isEqualTo(2);
        assertThat(number(batt, "Power")).isCloseTo(385.12 * 8.2 / 1000, within(1e-9));
        assertThat(number(batt, "Soc")).isCloseTo((385.12 - 300) / 2, within(1e-9));
        assertThat(b.apply(599, false, new byte[] {0, (byte) 0x40, 0x1F, 0, 0, 0, 0, 0}, 8, slots, arrived))
                .isTrue();
        assertThat(b.apply(950, false, new byte[] {(byte) 0x40, (byte) 0x42, 0x0F, 0}, 4, slots, arrived))
                .isTrue();
        assertThat(b.apply(0x123, false, new byte[8], 8, slots, arrived)).isFalse();
        Frame f = capture(b, slots, arrived, problems);
        assertThat(f.size()).isEqualTo(2);
        // 0x1F4 = 500 raw → 500 × 0.08 − 40 = 0 km/h; 0x40 0x1F → raw bits 12..23 = 0x1F4
        assertThat(number(f, "VehicleSpeed")).isCloseTo(0.0, within(1e-9));
        assertThat(number(f, "Odometer")).isCloseTo(1000.0 / Units.KM_PER_MILE, within(1e-9));
        assertThat(f.indexOf(CAT.id("GpsHeading"))).isEqualTo(-1);
        assertThat(problems).isEmpty();
    }

    static final String STATES_DBC = """
            BO_ 280 Drive: 8 ECU
             SG_ Gear : 21|3@1+ (1,0) [0|7] "" Logger
             SG_ Brake : 19|2@1+ (1,0) [0|2] "" Logger
             SG_ Charge : 0|3@1+ (1,0) [0|7] "" Logger
             SG_ Lat : 32|16@1- (0.01,0) [-90|90] "deg" Logger
             SG_ Lon : 48|16@1- (0.01,0) [-180|180] "deg" Logger
             SG_ Cells : 8|8@1+ (1,0) [0|255] "" Logger
             SG_ Cabin : 24|8@1+ (1,-40) [-40|215] "degF" Logger
            VAL_ 280 Gear 4 "DI_GEAR_D" 0 "DI_GEAR_INVALID" 3 "DI_GEAR_N" 1 "DI_GEAR_P" 2 "DI_GEAR_R" 5 "DI_GEAR_X" 7 "DI_GEAR_SNA" ;
            VAL_ 280 Brake 2 "INVALID" 0 "OFF" 1 "ON" ;
            VAL_ 280 Charge 0 "BMS_DISCONNECTED" 3 "BMS_CHARGING" 4 "BMS_ABOUT_TO_CHARGE" ;
            """;

    static byte[] drive(int gear, int brake, int charge, double lat, double lon, int cells, int cabinRaw) {
        byte[] d = new byte[8];
        d[0] = (byte) charge;
        d[1] = (byte) cells;
        d[2] = (byte) ((brake << 3) | (gear << 5));
        d[3] = (byte) cabinRaw;
        short la = (short) Math.round(lat * 100);
        short lo = (short) Math.round(lon * 100);
        d[4] = (byte) la;
        d[5] = (byte) (la >> 8);
        d[6] = (byte) lo;
        d[7] = (byte) (lo >> 8);
        return d;
    }

    @Test
    void valueTablesBecomeEnumsBooleansAndLocationsAnyType() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(STATES_DBC), "s.dbc");
        BoundMapping b = SignalMapping.parse("""
                        Gear = Drive.Gear
                        BrakePedal = Brake
                        DetailedChargeState = Charge {0=Disconnected, 3=charging, 4=Starting, 6=unavailable}
                        Location = Lat, Lon
                        ChargerPhases = Cells / 10
                        InsideTemp = Cabin
                        """, "s.mapping").bind(dbc);
        double[] slots = b.newSlots();
        boolean[] arrived = b.newArrived();
        List<String> problems = new ArrayList<>();
        b.apply(280, false, drive(4, 1, 4, 37.5, -122.25, 30, 72 + 40), 8, slots, arrived);
        Frame f = capture(b, slots, arrived, problems);
        EnumType gear = (EnumType) CAT.get("Gear").type();
        EnumType charge = (EnumType) CAT.get("DetailedChargeState").type();
        assertThat(f.integer(f.indexOf(CAT.id("Gear"))))
                .isEqualTo(gear.byName("D").orElseThrow().code());
        assertThat(f.integer(f.indexOf(CAT.id("BrakePedal")))).isEqualTo(1);
        assertThat(f.integer(f.indexOf(CAT.id("DetailedChargeState"))))
                .isEqualTo(charge.byName("Starting").orElseThrow().code());
        assertThat(f.position(f.indexOf(CAT.id("Location"))).latitude()).isCloseTo(37.5, within(1e-9));
        assertThat(f.position(f.indexOf(CAT.id("Location"))).longitude()).isCloseTo(-122.25, within(1e-9));
        assertThat(f.integer(f.indexOf(CAT.id("ChargerPhases")))).isEqualTo(3);
        assertThat(number(f, "InsideTemp")).isCloseTo((72 - 32) * 5 / 9.0, within(1e-9));
        assertThat(problems).isEmpty();

        // SNA and INVALID (by the table) are unavailable; a raw value without a name is a problem naming it
        b.apply(280, false, drive(5, 2, 1, 0, 0, 35, 0), 8, slots, arrived);
        Frame g = capture(b, slots, arrived, problems);
        assertThat(g.unavailable(g.indexOf(CAT.id("Gear")))).isTrue();
        assertThat(g.unavailable(g.indexOf(CAT.id("BrakePedal")))).isTrue();
        assertThat(g.unavailable(g.indexOf(CAT.id("DetailedChargeState")))).isTrue();
        assertThat(g.unavailable(g.indexOf(CAT.id("ChargerPhases")))).isTrue();
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("Gear raw value 5 ('DI_GEAR_X') has no Gear value"))
                .anySatisfy(p -> assertThat(p).contains("Charge raw value 1 has no DetailedChargeState value"))
                .anySatisfy(p -> assertThat(p).contains("ChargerPhases 3.5 is not a whole number"));
        b.apply(280, false, drive(7, 0, 6, 0, 0, 30, 0), 8, slots, arrived);
        Frame h = capture(b, slots, arrived, problems);
        assertThat(h.unavailable(h.indexOf(CAT.id("Gear")))).isTrue(); // DI_GEAR_SNA
        assertThat(h.integer(h.indexOf(CAT.id("BrakePedal")))).isZero();
        assertThat(h.unavailable(h.indexOf(CAT.id("DetailedChargeState")))).isTrue(); // 6=unavailable
        assertThat(problems).hasSize(3);
    }

    @Test
    void enumAndTypeErrorsNameTheLine() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(STATES_DBC), "s.dbc");
        assertThatThrownBy(
                        () -> SignalMapping.parse("Gear = Cells\n", "e.mapping").bind(dbc))
                .hasMessageStartingWith("e.mapping:1: Gear is an enum but Cells has no value table");
        assertThatThrownBy(() ->
                        SignalMapping.parse("Gear = Charge\n", "e.mapping").bind(dbc))
                .hasMessageStartingWith("e.mapping:1: no value of Charge's table");
        assertThatThrownBy(() -> SignalMapping.parse("\nGear = Drive.Gear {4=Drive}\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:2: Gear has no value 'Drive'");
        assertThatThrownBy(() -> SignalMapping.parse("Gear = Drive.Gear + 1\n", "e.mapping"))
                .hasMessage("e.mapping:1: Gear: a value list needs a single DBC signal, not an expression");
        assertThatThrownBy(() -> SignalMapping.parse("Version = Cells\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:1: Version is a string signal");
        assertThatThrownBy(() -> SignalMapping.parse("Location = Lat\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:1: Location is a location");
        assertThatThrownBy(() -> SignalMapping.parse("latitude = Lat\n", "e.mapping"))
                .hasMessage("e.mapping:1: Location: longitude is not mapped (a location needs both)");
        assertThatThrownBy(() -> SignalMapping.parse("BrakePedal = Brake {1=yes}\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:1: BrakePedal is a boolean");
        assertThatThrownBy(() -> SignalMapping.parse("Soc = Cells {1=x}\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:1: Soc: a value list {raw=name} is only for enum and boolean");
        assertThatThrownBy(() -> SignalMapping.parse("InsideTemp = Cells [mph]\n", "e.mapping"))
                .hasMessageStartingWith("e.mapping:1: unit 'mph' cannot be converted to degC; known: degc");
    }

    @Test
    void explicitListOverridesTheTableAndRoundTripsThroughTheEncoder() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(STATES_DBC), "s.dbc");
        BoundMapping b = SignalMapping.parse("Gear = Drive.Gear {1=P, 2=R, 3=N, 4=D, 5=D}\n", "l.mapping")
                .bind(dbc);
        double[] slots = b.newSlots();
        boolean[] arrived = b.newArrived();
        b.apply(280, false, drive(5, 0, 0, 0, 0, 0, 0), 8, slots, arrived);
        Frame f = capture(b, slots, arrived, new ArrayList<>());
        assertThat(f.integer(0)).isEqualTo(5); // catalogue code of D
        Model3CanEncoder enc = new Model3CanEncoder(b, "can0");
        var frames = enc.encode(new io.fleetlog.sample.Sample(-1, f));
        assertThat(frames).hasSize(1);
        assertThat(dbc.decode(frames.get(0)).get("Gear")).isEqualTo(4.0); // first raw value of D
    }

    @Test
    void errorsNameTheMappingLine() throws Exception {
        assertThatThrownBy(() -> SignalMapping.parse("speed = Speed.Kph\nsped = x\n", "m.txt"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("m.txt:2: unknown signal 'sped'");
        assertThatThrownBy(() -> SignalMapping.parse("speed = Speed.Kph *\n", "m.txt"))
                .hasMessage("m.txt:1: column 12 of 'Speed.Kph *': expected a number, signal or '(' but the line ends");
        assertThatThrownBy(() -> SignalMapping.parse("speed = a\nspeed = b\n", "m.txt"))
                .hasMessage("m.txt:2: VehicleSpeed is already mapped at line 1");
        assertThatThrownBy(() -> SignalMapping.parse("power = a [V]\n", "m.txt"))
                .hasMessageStartingWith("m.txt:1: unit 'V' cannot be converted to kW; known: kw, w, mw");
        assertThatThrownBy(
                        () -> SignalMapping.parse("speed = Nope.Kph\n", "m.txt").bind(dbc()))
                .hasMessage("m.txt:1: t.dbc has no message 'Nope'");
        assertThatThrownBy(
                        () -> SignalMapping.parse("\n\nspeed = Volt\n", "m.txt").bind(dbc()))
                .hasMessage("m.txt:3: signal 'Volt' is in several messages ([Batt, Speed]); write message.signal");
        assertThatThrownBy(() ->
                        SignalMapping.parse("power = Batt.Volt\n", "m.txt").bind(dbc()))
                .hasMessageStartingWith("m.txt:1: Power: unit 'V' cannot be converted to kW")
                .hasMessageEndingWith("(use [unit] to state the unit)");
    }

    @Test
    void unitsConvertToFieldUnits() {
        assertThat(Units.factor("KPH", Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("km/h", Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("kph", Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("km", Field.ODOMETER)).isCloseTo(1 / 1.609344, within(1e-15));
        assertThat(Units.conversion("°F", "degC").apply(212)).isCloseTo(100, within(1e-12));
        assertThat(Units.conversion("psi", "bar").apply(42)).isCloseTo(2.8958, within(1e-4));
        assertThat(Units.conversion("KWh", "kWh")).isEqualTo(Units.Conversion.IDENTITY);
        assertThat(Units.factor("W", Field.POWER)).isEqualTo(0.001);
        assertThat(Units.factor("ft", Field.ELEVATION)).isEqualTo(0.3048);
        assertThat(Units.factor("", Field.SOC)).isEqualTo(1.0);
        assertThatThrownBy(() -> Units.factor("furlong", Field.ODOMETER))
                .hasMessageStartingWith("unit 'furlong' cannot be converted to mi (odometer); known:");
    }

    @Test
    void builtInModel3MappingBindsToItsSubsetDbc() throws Exception {
        BoundMapping b = SignalMapping.model3().bind(SignalMapping.model3Dbc());
        for (String s : List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation")) {
            assertThat(b.maps(s)).as(s).isTrue();
        }
        assertThat(b.signals()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(b.conversion("VehicleSpeed").factor()).isEqualTo(1 / 1.609344);
        assertThat(b.conversion("Power").factor()).isEqualTo(0.001);
        assertThat(b.conversion("Odometer").factor()).isCloseTo(1 / 1.609344, within(1e-15));
        assertThat(b.conversion("OutsideTemp")).isEqualTo(Units.Conversion.IDENTITY);
    }

    @Test
    void builtInSubsetMatchesTheRealModel3Dbc() throws Exception {
        Dbc real = Dbc.parse(RealData.file(RealData.MODEL3_DBC));
        Dbc subset = SignalMapping.model3Dbc();
        SignalMapping.model3().bind(real); // every signal of the built-in mapping is in the real file
        assertThat(subset.messages()).hasSize(18);
        for (DbcMessage m : subset.messages()) {
            DbcMessage r = real.message(m.id(), m.extended()).orElseThrow();
            assertThat(r.name()).isEqualTo(m.name());
            assertThat(r.dlc()).isEqualTo(m.dlc());
            for (DbcSignal s : m.signals()) {
                assertThat(r.signal(s.name()).orElseThrow().toString()).isEqualTo(s.toString());
            }
        }
    }
}
