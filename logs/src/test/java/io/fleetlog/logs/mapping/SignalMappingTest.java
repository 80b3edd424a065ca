package io.fleetlog.logs.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.logs.RealData;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import io.fleetlog.sample.Field;
import java.io.StringReader;
import java.util.HexFormat;
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

    @Test
    void convertsUnitsFromTheDbcAndEvaluatesExpressions() throws Exception {
        SignalMapping m = SignalMapping.parse("""
                # a comment
                speed = Speed.Kph   # km/h in the DBC
                power = Batt.Volt * Batt.Curr / 1000
                odometer = OdoKm
                soc = (Batt.Volt - 300) * 2 [%]
                """, "m.txt");
        BoundMapping b = m.bind(dbc());
        double[] slots = b.newSlots();
        double[] out = new double[Field.COUNT];
        b.values(slots, out);
        assertThat(out).containsOnly(Double.NaN);
        assertThat(b.apply(306, false, HexFormat.of().parseHex("7096AEFF5C26FF0F"), 8, slots))
                .isTrue();
        assertThat(b.apply(599, false, new byte[] {0, (byte) 0x40, 0x1F, 0, 0, 0, 0, 0}, 8, slots))
                .isTrue();
        assertThat(b.apply(950, false, new byte[] {(byte) 0x40, (byte) 0x42, 0x0F, 0}, 4, slots))
                .isTrue();
        assertThat(b.apply(0x123, false, new byte[8], 8, slots)).isFalse();
        b.values(slots, out);
        assertThat(out[Field.POWER.ordinal()]).isCloseTo(385.12 * 8.2 / 1000, within(1e-9));
        // 0x1F4 = 500 raw → 500 × 0.08 − 40 = 0 km/h; 0x40 0x1F → raw bits 12..23 = 0x1F4
        assertThat(out[Field.SPEED.ordinal()]).isCloseTo(0.0, within(1e-9));
        assertThat(out[Field.ODOMETER.ordinal()]).isCloseTo(1000.0 / Units.KM_PER_MILE, within(1e-9));
        assertThat(out[Field.SOC.ordinal()]).isCloseTo((385.12 - 300) * 2, within(1e-9));
        assertThat(out[Field.HEADING.ordinal()]).isNaN();
    }

    @Test
    void errorsNameTheMappingLine() throws Exception {
        assertThatThrownBy(() -> SignalMapping.parse("speed = Speed.Kph\nsped = x\n", "m.txt"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("m.txt:2: unknown field 'sped'");
        assertThatThrownBy(() -> SignalMapping.parse("speed = Speed.Kph *\n", "m.txt"))
                .hasMessage("m.txt:1: column 12 of 'Speed.Kph *': expected a number, signal or '(' but the line ends");
        assertThatThrownBy(() -> SignalMapping.parse("speed = a\nspeed = b\n", "m.txt"))
                .hasMessage("m.txt:2: speed is already mapped at line 1");
        assertThatThrownBy(() -> SignalMapping.parse("power = a [V]\n", "m.txt"))
                .hasMessageStartingWith("m.txt:1: unit 'V' cannot be converted to kW (power)");
        assertThatThrownBy(
                        () -> SignalMapping.parse("speed = Nope.Kph\n", "m.txt").bind(dbc()))
                .hasMessage("m.txt:1: t.dbc has no message 'Nope'");
        assertThatThrownBy(
                        () -> SignalMapping.parse("\n\nspeed = Volt\n", "m.txt").bind(dbc()))
                .hasMessage("m.txt:3: signal 'Volt' is in several messages ([Batt, Speed]); write message.signal");
        assertThatThrownBy(() ->
                        SignalMapping.parse("power = Batt.Volt\n", "m.txt").bind(dbc()))
                .hasMessageStartingWith("m.txt:1: unit 'V' cannot be converted to kW (power)")
                .hasMessageEndingWith("(use [unit] to state the unit)");
    }

    @Test
    void unitsConvertToFieldUnits() {
        assertThat(Units.factor("KPH", Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("km/h", Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("kph", Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("km", Field.ODOMETER)).isEqualTo(1 / 1.609344);
        assertThat(Units.factor("W", Field.POWER)).isEqualTo(0.001);
        assertThat(Units.factor("ft", Field.ELEVATION)).isEqualTo(0.3048);
        assertThat(Units.factor("", Field.SOC)).isEqualTo(1.0);
        assertThatThrownBy(() -> Units.factor("furlong", Field.ODOMETER))
                .hasMessageStartingWith("unit 'furlong' cannot be converted to mi (odometer); known:");
    }

    @Test
    void builtInModel3MappingBindsToItsSubsetDbc() throws Exception {
        BoundMapping b = SignalMapping.model3().bind(SignalMapping.model3Dbc());
        for (Field f : Field.values()) {
            assertThat(b.maps(f)).as(f.key()).isTrue();
        }
        assertThat(b.factor(Field.SPEED)).isEqualTo(1 / 1.609344);
        assertThat(b.factor(Field.POWER)).isEqualTo(0.001);
        assertThat(b.factor(Field.ODOMETER)).isEqualTo(1 / 1.609344);
    }

    @Test
    void builtInSubsetMatchesTheRealModel3Dbc() throws Exception {
        Dbc real = Dbc.parse(RealData.file(RealData.MODEL3_DBC));
        Dbc subset = SignalMapping.model3Dbc();
        SignalMapping.model3().bind(real); // every signal of the built-in mapping is in the real file
        assertThat(subset.messages()).hasSize(7);
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
