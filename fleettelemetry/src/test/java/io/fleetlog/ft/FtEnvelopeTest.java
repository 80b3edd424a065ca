package io.fleetlog.ft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FtEnvelopeTest {

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] sample() {
        return TestFlatBuilder.streamEnvelope(
                b("tx-123"),
                b("V"),
                b("msg-9"),
                0xFFFF_FFF0L,
                b("vehicle_device.5YJ3E1EA7JF000001"),
                new byte[] {8, 1, 0, -1, 127},
                b("vehicle_device"),
                b("5YJ3E1EA7JF000001"),
                0x8000_0000_0000_0001L);
    }

    @Test
    void readsAStreamEnvelopeBuiltByTheTestEncoder() throws Exception {
        FtEnvelope e = FtEnvelope.parse(sample());
        assertThat(e.txidText()).isEqualTo("tx-123");
        assertThat(e.topicText()).isEqualTo("V");
        assertThat(e.messageType()).isEqualTo(FtEnvelope.TYPE_STREAM);
        assertThat(new String(e.messageId(), UTF_8)).isEqualTo("msg-9");
        FtStream s = e.requireStream();
        assertThat(s.createdAt()).isEqualTo(0xFFFF_FFF0L);
        assertThat(s.senderIdText()).isEqualTo("vehicle_device.5YJ3E1EA7JF000001");
        assertThat(s.payload()).containsExactly(8, 1, 0, -1, 127);
        assertThat(new String(s.deviceType(), UTF_8)).isEqualTo("vehicle_device");
        assertThat(new String(s.deviceId(), UTF_8)).isEqualTo("5YJ3E1EA7JF000001");
        assertThat(s.deliveredAtEpochMs()).isEqualTo(0x8000_0000_0000_0001L);
    }

    @Test
    void absentFieldsReadAsEmptyAndZero() throws Exception {
        TestFlatBuilder b = new TestFlatBuilder();
        b.startTable(6);
        int stream = b.endTable();
        int tx = b.bytes(b("t"));
        b.startTable(5);
        b.addRef(0, tx);
        b.addU8(2, 4);
        b.addRef(3, stream);
        FtEnvelope e = FtEnvelope.parse(b.finish(b.endTable()));
        assertThat(e.txidText()).isEqualTo("t");
        assertThat(e.topic()).isEmpty();
        assertThat(e.messageId()).isEmpty();
        assertThat(e.stream()).isEqualTo(new FtStream(0, null, null, null, null, 0));
    }

    @Test
    void writerStreamRoundTripsAndMatchesTheTestEncodersReading() throws Exception {
        FtStream s = new FtStream(1_733_000_000L, b("vehicle_device.X"), b("payload"), b("d"), b("X"), 42L);
        byte[] written = FtWriter.stream(b("tx"), b("V"), b("id"), s);
        FtEnvelope e = FtEnvelope.parse(written);
        assertThat(e.stream()).isEqualTo(s);
        assertThat(e)
                .isEqualTo(FtEnvelope.parse(TestFlatBuilder.streamEnvelope(
                        b("tx"),
                        b("V"),
                        b("id"),
                        1_733_000_000L,
                        b("vehicle_device.X"),
                        b("payload"),
                        b("d"),
                        b("X"),
                        42L)));
    }

    @Test
    void ackEchoesTxidAndTopicWithType5() throws Exception {
        byte[] ack = FtWriter.ack(b("tx-77"), b("V"));
        FtEnvelope e = FtEnvelope.parse(ack);
        assertThat(e.messageType()).isEqualTo(FtEnvelope.TYPE_ACK);
        assertThat(e.txidText()).isEqualTo("tx-77");
        assertThat(e.topicText()).isEqualTo("V");
        assertThat(e.stream()).isNull();
        assertThatThrownBy(e::requireStream)
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("message_type is 5");
        // Walk the bytes by hand: root offset -> table -> vtable slot 2 holds the union type byte.
        int table = u32(ack, 0);
        int vt = table - u32(ack, table);
        int typeOff = u16(ack, vt + 4 + 2 * 2);
        assertThat(ack[table + typeOff]).isEqualTo((byte) 5);
        int txOff = u16(ack, vt + 4);
        int txVec = table + txOff + u32(ack, table + txOff);
        assertThat(u32(ack, txVec)).isEqualTo(5);
        assertThat(new String(ack, txVec + 4, 5, UTF_8)).isEqualTo("tx-77");
    }

    @Test
    void errorReplyIsAStreamWhosePayloadIsTheText() throws Exception {
        FtEnvelope e = FtEnvelope.parse(FtWriter.error(b("tx-1"), "incorrect message format"));
        assertThat(e.messageType()).isEqualTo(FtEnvelope.TYPE_STREAM);
        assertThat(e.txidText()).isEqualTo("tx-1");
        assertThat(new String(e.requireStream().payload(), UTF_8)).isEqualTo("incorrect message format");
        FtEnvelope longOne = FtEnvelope.parse(FtWriter.error(b("t"), "x".repeat(5000)));
        assertThat(longOne.requireStream().payload()).hasSize(FtWriter.MAX_ERROR_BYTES);
    }

    @Test
    void emptyAndOversizedMessagesAreRefused() {
        assertThatThrownBy(() -> FtEnvelope.parse(new byte[0]))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("empty");
        byte[] big = Arrays.copyOf(sample(), 2 * 1024 * 1024);
        assertThatThrownBy(() -> FtEnvelope.parse(big))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("2097152 bytes")
                .hasMessageContaining("1000000");
    }

    @Test
    void everyTruncationGivesATypedError() {
        byte[] m = sample();
        for (int n = 1; n < m.length; n++) {
            byte[] cut = Arrays.copyOf(m, n);
            try {
                FtEnvelope.parse(cut);
                // A prefix may still read when the cut only removes trailing padding.
            } catch (FtFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThatThrownBy(() -> FtEnvelope.parse(Arrays.copyOf(m, m.length / 2)))
                .isInstanceOf(FtFormatException.class);
    }

    @Test
    void rootOffsetOutOfRangeIsNamed() {
        byte[] m = sample();
        put32(m, 0, 0x7FFF_FFF0);
        assertThatThrownBy(() -> FtEnvelope.parse(m))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("root offset")
                .hasMessageContaining("beyond");
    }

    @Test
    void hugeVectorLengthIsNamed() {
        byte[] m = sample();
        int table = u32(m, 0);
        int vt = table - u32(m, table);
        int txOff = u16(m, vt + 4);
        int txVec = table + txOff + u32(m, table + txOff);
        put32(m, txVec, 0xFFFF_FFFF);
        assertThatThrownBy(() -> FtEnvelope.parse(m))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("FlatbuffersEnvelope.txid")
                .hasMessageContaining("4294967295");
    }

    @Test
    void vtableAndFieldOffsetsOutOfRangeAreNamed() {
        byte[] m = sample();
        int table = u32(m, 0);
        put32(m, table, -100_000);
        assertThatThrownBy(() -> FtEnvelope.parse(m))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("vtable");
        byte[] m2 = sample();
        int vt = table - u32(m2, table);
        put16(m2, vt + 4 + 2 * 1, 60_000); // topic's field offset far past the table
        assertThatThrownBy(() -> FtEnvelope.parse(m2))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("FlatbuffersEnvelope.topic");
    }

    @Test
    void wrongUnionTypeAndMissingMessage() throws Exception {
        byte[] m = sample();
        int table = u32(m, 0);
        int vt = table - u32(m, table);
        m[table + u16(m, vt + 4 + 4)] = 7;
        FtEnvelope e = FtEnvelope.parse(m);
        assertThat(e.messageType()).isEqualTo(7);
        assertThatThrownBy(e::requireStream)
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("'tx-123'");
        byte[] m2 = sample();
        put16(m2, vt + 4 + 2 * 3, 0); // no message
        assertThatThrownBy(() -> FtEnvelope.parse(m2))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("message: absent");
    }

    @Property(tries = 3000)
    void randomBytesGiveAnEnvelopeOrATypedError(@ForAll @Size(min = 0, max = 300) byte[] bytes) {
        try {
            FtEnvelope.parse(bytes);
        } catch (FtFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 3000)
    void mutatedEnvelopesGiveAnEnvelopeOrATypedError(@ForAll("mutations") int[] flips) {
        byte[] m = sample();
        for (int i = 0; i + 1 < flips.length; i += 2) {
            m[Math.floorMod(flips[i], m.length)] = (byte) flips[i + 1];
        }
        try {
            FtEnvelope.parse(m);
        } catch (FtFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers()
                .between(0, 1 << 20)
                .array(int[].class)
                .ofMinSize(2)
                .ofMaxSize(12);
    }

    static int u32(byte[] m, int p) {
        return (m[p] & 0xFF) | (m[p + 1] & 0xFF) << 8 | (m[p + 2] & 0xFF) << 16 | (m[p + 3] & 0xFF) << 24;
    }

    static int u16(byte[] m, int p) {
        return (m[p] & 0xFF) | (m[p + 1] & 0xFF) << 8;
    }

    static void put32(byte[] m, int p, int v) {
        for (int i = 0; i < 4; i++) {
            m[p + i] = (byte) (v >> (8 * i));
        }
    }

    static void put16(byte[] m, int p, int v) {
        m[p] = (byte) v;
        m[p + 1] = (byte) (v >> 8);
    }
}
