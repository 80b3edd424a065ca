package io.fleetlog.logs.candump;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.logs.RealData;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandumpReaderTest {
    static List<CanFrame> readAll(CandumpReader r) throws IOException {
        List<CanFrame> out = new ArrayList<>();
        for (CanFrame f; (f = r.next()) != null; ) {
            out.add(f);
        }
        return out;
    }

    static CandumpReader reader(String text, String iface) {
        return new CandumpReader(new StringReader(text), "test.log", iface);
    }

    @Test
    void readsStandardExtendedRemoteAndFdFrames() throws IOException {
        String log = """
                (1487342025.615950) can0 187#E21408C800100300
                (1487342025.6) can0 18FEF1FE#0a0B.0c
                (1487342026) can1 123#R
                (1487342026.123456789) can1 7ff#r5
                (1487342027.000001) can0 1A2##3001122334455667788990011
                (1487342027.000002) can0 100#
                (1487342027.000003) can0 101#1122334455667788_C R

                """;
        CandumpReader r = reader(log, null);
        List<CanFrame> frames = readAll(r);
        assertThat(r.problems().count()).isZero();
        assertThat(frames).hasSize(7);
        CanFrame f0 = frames.get(0);
        assertThat(f0.timeMicros()).isEqualTo(1_487_342_025_615_950L);
        assertThat(f0.id()).isEqualTo(0x187);
        assertThat(f0.extended()).isFalse();
        assertThat(f0.hex()).isEqualTo("E21408C800100300");
        CanFrame f1 = frames.get(1);
        assertThat(f1.timeMicros()).isEqualTo(1_487_342_025_600_000L);
        assertThat(f1.extended()).isTrue();
        assertThat(f1.id()).isEqualTo(0x18FEF1FEL);
        assertThat(f1.hex()).isEqualTo("0A0B0C");
        assertThat(frames.get(2).kind()).isEqualTo(CanFrame.Kind.REMOTE);
        assertThat(frames.get(2).iface()).isEqualTo("can1");
        assertThat(frames.get(3).dlc()).isEqualTo(5);
        assertThat(frames.get(3).timeMicros()).isEqualTo(1_487_342_026_123_456L);
        CanFrame fd = frames.get(4);
        assertThat(fd.kind()).isEqualTo(CanFrame.Kind.FD);
        assertThat(fd.fdFlags()).isEqualTo(3);
        assertThat(fd.data()).hasSize(12);
        assertThat(frames.get(5).data()).isEmpty();
        assertThat(frames.get(6).data()).hasSize(8);
        assertThat(r.interfaces()).containsExactly("can0", "can1");
    }

    @Test
    void choosesOneInterfaceAndCountsTheOthers() throws IOException {
        String log = "(1.0) can0 001#01\n(1.1) can1 002#02\n(1.2) can0 003#03\n";
        CandumpReader r = reader(log, "can1");
        assertThat(readAll(r)).extracting(CanFrame::id).containsExactly(2L);
        assertThat(r.otherInterface()).isEqualTo(2);
        assertThat(r.problems().count()).isZero();
    }

    @Test
    void badLinesAreSkippedCountedAndLocated() throws IOException {
        String log = """
                (1.0) can0 001#01
                garbage
                (1.1) can0 12#01
                (1.2) can0 800#01
                (1.3) can0 001#0
                (1.4) can0 001#112233445566778899
                (x.5) can0 001#01
                (1.6) can0 001##011223344556677889900
                (1.7) can0 001#01 extra
                (1.8) can0 20000080#0000000000000000
                (1.9) can0 002#02
                """;
        CandumpReader r = reader(log, null);
        assertThat(readAll(r)).extracting(CanFrame::id).containsExactly(1L, 2L);
        assertThat(r.errorFrames()).isEqualTo(1);
        assertThat(r.problems().count()).isEqualTo(8);
        assertThat(r.problems().first())
                .containsExactly(
                        "test.log:2: expected '(timestamp) interface ID#DATA', got 'garbage'",
                        "test.log:3: CAN ID '12' must have 3 (standard) or 8 (extended) hex digits",
                        "test.log:4: CAN ID 800 is out of range",
                        "test.log:5: data '0' has an odd number of hex digits",
                        "test.log:6: data has more than 8 bytes",
                        "test.log:7: timestamp 'x.5' is not seconds[.fraction]",
                        "test.log:8: CAN FD frame has 10 bytes; valid lengths are 0-8, 12, 16, 20, 24, 32, 48, 64",
                        "test.log:9: unexpected text after the frame: 'extra'");
    }

    @Test
    void writerOutputReadsBackIdentically() throws IOException {
        List<CanFrame> frames = List.of(
                CanFrame.data(1_700_000_000_000_001L, "can0", 0x132, false, new byte[] {1, 2, 3}),
                CanFrame.data(1_700_000_000_020_000L, "vcan1", 0x1234567, true, new byte[8]),
                new CanFrame(1_700_000_000_040_000L, "can0", 0x7FF, false, CanFrame.Kind.REMOTE, 0, new byte[0], 4),
                new CanFrame(1_700_000_000_060_000L, "can0", 0x10, false, CanFrame.Kind.FD, 1, new byte[16], 16));
        StringWriter out = new StringWriter();
        try (CandumpWriter w = new CandumpWriter(out)) {
            for (CanFrame f : frames) {
                w.write(f);
            }
        }
        assertThat(out.toString())
                .startsWith("(1700000000.000001) can0 132#010203\n(1700000000.020000) vcan1 01234567#");
        assertThat(readAll(reader(out.toString(), null))).isEqualTo(frames);
    }

    @Test
    void readsTheRealFordFusionLog() throws IOException {
        try (CandumpReader r = CandumpReader.open(RealData.file(RealData.FORD_CANDUMP), null)) {
            List<CanFrame> frames = readAll(r);
            assertThat(frames).hasSize(41_250);
            assertThat(r.problems().count()).isZero();
            assertThat(r.interfaces()).containsExactly("can0");
            assertThat(frames.get(0).toString()).isEqualTo("(1487342025.615950) can0 187#E21408C800100300");
            assertThat(frames.stream().filter(f -> f.id() == 0x415).count()).isBetween(1000L, 1100L);
        }
    }
}
