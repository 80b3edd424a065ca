package io.fleetlog.logs.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.logs.RealData;
import java.io.StringReader;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbcTest {
    static final String SMALL = """
            VERSION ""

            NS_ :
            \tCM_
            \tBA_DEF_
            \tVAL_

            BS_:

            BU_: ECU Logger

            BO_ 306 Batt: 8 ECU
             SG_ Volt : 0|16@1+ (0.01,0) [0|655.35] "V"  Logger
             SG_ Curr : 16|16@1- (-0.1,0) [-3276.7|3276.7] "A"  Logger,ECU
             SG_ Hours : 48|12@1+ (1,0) [0|4095] "Min" Logger

            BO_ 1045 Speed: 8 ECU
             SG_ VehSpeed : 7|16@0+ (0.01,0) [0|655.35] "kph" Logger

            BO_ 2566844926 Ext: 8 ECU
             SG_ Index M : 0|2@1+ (1,0) [0|3] "" Logger
             SG_ A m0 : 8|8@1+ (1,0) [0|255] "" Logger
             SG_ B m1 : 8|8@1- (0.5,10) [0|0] "" Logger

            CM_ SG_ 306 Volt "multi
            line; comment with ; inside";
            BA_DEF_ BO_  "GenMsgCycleTime" INT 0 10000;
            BA_ "GenMsgCycleTime" BO_ 306 10;
            VAL_ 306 Hours 4095 "SNA" 0 "ZERO" ;
            """;

    @Test
    void parsesMessagesSignalsMultiplexingAndValueTables() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(SMALL.replace("\n", "\r\n")), "small.dbc");
        assertThat(dbc.messages()).hasSize(3);
        assertThat(dbc.signalCount()).isEqualTo(7);
        DbcMessage batt = dbc.message(306, false).orElseThrow();
        assertThat(batt.name()).isEqualTo("Batt");
        assertThat(batt.dlc()).isEqualTo(8);
        assertThat(batt.transmitter()).isEqualTo("ECU");
        DbcSignal curr = batt.signal("Curr").orElseThrow();
        assertThat(curr.signed()).isTrue();
        assertThat(curr.byteOrder()).isEqualTo(ByteOrder.INTEL);
        assertThat(curr.factor()).isEqualTo(-0.1);
        assertThat(curr.receivers()).containsExactly("Logger", "ECU");
        assertThat(batt.signal("Hours").orElseThrow().valueTable()).containsEntry(4095L, "SNA");
        DbcMessage ext = dbc.message(0x18FEF1FEL, true).orElseThrow();
        assertThat(ext.extended()).isTrue();
        assertThat(ext.signal("Index").orElseThrow().multiplex()).isEqualTo(Multiplex.MULTIPLEXOR);
        assertThat(ext.signal("B").orElseThrow().multiplexValue()).isEqualTo(1);
        assertThat(dbc.message("Speed")
                        .orElseThrow()
                        .signal("VehSpeed")
                        .orElseThrow()
                        .byteOrder())
                .isEqualTo(ByteOrder.MOTOROLA);
    }

    @Test
    void decodesMultiplexedSignalsOnlyForTheirMultiplexorValue() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(SMALL), "small.dbc");
        Map<String, Double> m0 = dbc.decode(0x18FEF1FEL, true, new byte[] {0, 42, 0, 0, 0, 0, 0, 0}, 8);
        assertThat(m0).containsOnlyKeys("Index", "A").containsEntry("A", 42.0);
        Map<String, Double> m1 = dbc.decode(0x18FEF1FEL, true, new byte[] {1, (byte) 0xFE, 0, 0, 0, 0, 0, 0}, 8);
        assertThat(m1).containsOnlyKeys("Index", "B").containsEntry("B", 9.0);
        assertThat(dbc.decode(0x18FEF1FEL, false, new byte[8], 8)).isEmpty();
        byte[] encoded = dbc.encode("Ext", Map.of("Index", 1.0, "B", 9.0));
        assertThat(encoded[0]).isEqualTo((byte) 1);
        assertThat(encoded[1]).isEqualTo((byte) 0xFE);
        assertThatThrownBy(() -> dbc.encode("Ext", Map.of("Index", 0.0, "B", 9.0)))
                .hasMessageContaining("B (m1) needs multiplexor Index = 1");
    }

    @Test
    void motorolaSignalReadsBigEndianBytes() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(SMALL), "small.dbc");
        byte[] data = HexFormat.of().parseHex("0ADC000000000000"); // 0x0ADC = 2780 → 27.80 km/h
        assertThat(dbc.decode(1045, false, data, 8).get("VehSpeed")).isCloseTo(27.80, within(1e-9));
    }

    @Test
    void valueTableSnaDecodesAsUnavailable() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(SMALL), "small.dbc");
        byte[] data = HexFormat.of().parseHex("70 96 AE FF 5C 26 FF 0F".replace(" ", ""));
        assertThat(dbc.decode(306, false, data, 8).get("Hours")).isNaN();
    }

    @Test
    void shortFramesLeaveOutSignalsThatDoNotFit() throws Exception {
        Dbc dbc = Dbc.parse(new StringReader(SMALL), "small.dbc");
        assertThat(dbc.decode(306, false, new byte[] {1, 0, 2, 0}, 4)).containsOnlyKeys("Volt", "Curr");
    }

    @Test
    void errorsNameFileAndLine() {
        assertThatThrownBy(() ->
                        Dbc.parse(new StringReader("VERSION \"\"\n\nBO_ 1 X: 8 A\n SG_ broken : 1|x@1+\n"), "bad.dbc"))
                .isInstanceOf(DbcException.class)
                .hasMessageStartingWith("bad.dbc:4: malformed SG_");
        assertThatThrownBy(() -> Dbc.parse(
                        new StringReader("BO_ 1 X: 8 A\n SG_ s : 60|8@1+ (1,0) [0|1] \"\" A\nCM_ \"open\n"), "t.dbc"))
                .isInstanceOf(DbcException.class)
                .hasMessage(
                        "t.dbc:3: statement 'CM_ \"open' is not terminated by ';' before the end of the file (a quoted string is still open)");
        assertThatThrownBy(() -> Dbc.parse(new StringReader("BO_ 1 X: 8 A\nBO_ 1 Y: 8 A\n"), "d.dbc"))
                .hasMessage("d.dbc:2: message id 1 (Y) is already defined at line 1");
        assertThatThrownBy(() -> Dbc.parse(new StringReader(" SG_ s : 0|8@1+ (1,0) [0|1] \"\" A\n"), "o.dbc"))
                .hasMessage("o.dbc:1: SG_ before any BO_ message");
        assertThatThrownBy(() ->
                        Dbc.parse(new StringReader("BO_ 1 X: 8 A\n SG_ s : 500|64@1+ (1,0) [0|1] \"\" A\n"), "r.dbc"))
                .hasMessageStartingWith("r.dbc:2: signal s: 64 bits from start bit 500");
        assertThatThrownBy(() -> Dbc.parse(new StringReader("hello world\n"), "u.dbc"))
                .hasMessage("u.dbc:1: unknown statement 'hello world'");
        assertThatThrownBy(() -> Dbc.parse(new StringReader("\nBO_ x\n")))
                .hasMessageStartingWith("<reader>:2: malformed BO_");
    }

    @Test
    void hugeValueTableNumbersAreLocatedErrors() {
        assertThatThrownBy(() -> Dbc.parse(
                        new StringReader(
                                "BO_ 1 M: 8 A\n SG_ s : 0|8@1+ (1,0) [0|1] \"\" A\nVAL_ 1 s 9999999999999999999 \"x\" ;\n"),
                        "v.dbc"))
                .hasMessage("v.dbc:3: VAL_ value 9999999999999999999 does not fit 64 bits");
    }

    @Test
    void loadsTheRealModel3DbcAndDecodesTheSanityFrame() throws Exception {
        Dbc dbc = Dbc.parse(RealData.file(RealData.MODEL3_DBC));
        assertThat(dbc.messages()).hasSize(148);
        assertThat(dbc.signalCount()).isEqualTo(3172);
        byte[] frame = HexFormat.of().parseHex("7096AEFF5C26FF0F");
        Map<String, Double> v = dbc.decode(0x132, false, frame, 8);
        assertThat(v.get("BattVoltage132")).isCloseTo(385.12, within(1e-9));
        assertThat(v.get("SmoothBattCurrent132")).isCloseTo(8.2, within(1e-9));
        assertThat(v.get("RawBattCurrent132")).isCloseTo(9.0, within(1e-9));
        // 4095 is the raw value; the real DBC has no value table for it, so it decodes as a number.
        assertThat(v.get("ChargeHoursRemaining132")).isEqualTo(4095.0);
        assertThat(dbc.decode(io.fleetlog.logs.candump.CanFrame.data(0, "can0", 0x132, false, frame)))
                .isEqualTo(v);
        DbcMessage counters = dbc.message("ID3F2BMSCounters").orElseThrow();
        assertThat(counters.multiplexor()).isPresent();
        assertThat(dbc.message(0x528, false)
                        .orElseThrow()
                        .signal("UnixTimeSeconds528")
                        .orElseThrow()
                        .byteOrder())
                .isEqualTo(ByteOrder.MOTOROLA);
    }
}
