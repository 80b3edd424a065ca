package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.codec.WireException.Kind;
import io.fleetlog.wire.v1.Batch;
import io.fleetlog.wire.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchDecoder#decode(byte[])} reads canonical batches straight from the bytes and hands
 * everything else to the generated parser. Differential test: connections of good and damaged
 * messages (bit flips, truncation, inserted bytes, unknown and repeated fields, fields out of order,
 * re-encoded edits of values, seqs and times) go through both routes — bytes, and {@link Wire#parse}
 * then {@link BatchDecoder#decode(Batch)} — and must give the same samples or the same error, and
 * leave the same state.
 */
class DecoderRoutesAgreeTest {

    /** What one route made of one message. */
    record Outcome(DecodedBatch batch, Kind kind, String message) {}

    static Outcome viaBytes(BatchDecoder d, byte[] m) {
        try {
            return new Outcome(d.decode(m), null, null);
        } catch (WireException e) {
            return new Outcome(null, e.kind(), e.getMessage());
        }
    }

    static Outcome viaParser(BatchDecoder d, byte[] m) {
        try {
            Envelope e = Wire.parse(m, Wire.DEFAULT_MAX_MESSAGE_BYTES);
            if (!e.hasBatch()) {
                return new Outcome(
                        null,
                        Kind.INVALID,
                        "INVALID: expected a batch, got " + e.getMsgCase() + " (" + m.length + " bytes)");
            }
            return new Outcome(d.decode(e.getBatch()), null, null);
        } catch (WireException e) {
            return new Outcome(null, e.kind(), e.getMessage());
        }
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void bothRoutesAgreeOnGoodAndDamagedMessages(
            @ForAll("streams") StreamCase c, @ForAll long mutationSeed, @ForAll @IntRange(max = 100) int damagePercent)
            throws Exception {
        SplittableRandom rnd = new SplittableRandom(mutationSeed);
        BatchEncoder encoder = new BatchEncoder(c.config());
        BatchDecoder bytes = new BatchDecoder(300);
        BatchDecoder parser = new BatchDecoder(300);
        for (StreamCase.Planned planned : c.batches()) {
            byte[] m = encoder.encode(planned.samples()).bytes();
            if (rnd.nextInt(100) < damagePercent) {
                m = damage(m, rnd);
            }
            byte[] message = m;
            Outcome a = viaBytes(bytes, message);
            Outcome b = viaParser(parser, message);
            assertThat(a).as(() -> "message " + hex(message)).isEqualTo(b);
            assertThat(CodecLawsTest.bits(bytes.predictorState()))
                    .isEqualTo(CodecLawsTest.bits(parser.predictorState()));
            assertThat(bytes.nextSeq()).isEqualTo(parser.nextSeq());
            CompressionStats sa = bytes.stats();
            CompressionStats sb = parser.stats();
            // Bytes differ for non-canonical messages: the byte route counts what arrived.
            assertThat(new long[] {sa.samples(), sa.keyframes(), sa.batches()})
                    .isEqualTo(new long[] {sb.samples(), sb.keyframes(), sb.batches()});
            assertThat(sa.sent()).isEqualTo(sb.sent());
            assertThat(sa.omitted()).isEqualTo(sb.omitted());
            assertThat(sa.unavailable()).isEqualTo(sb.unavailable());
        }
    }

    @Provide
    net.jqwik.api.Arbitrary<StreamCase> streams() {
        return new CodecLawsTest().streams();
    }

    /** One of many kinds of damage, some of which still leave a decodable batch. */
    static byte[] damage(byte[] m, SplittableRandom rnd) throws Exception {
        Batch batch = Envelope.parseFrom(m).getBatch();
        int n = batch.getSamplesCount();
        int i = rnd.nextInt(n);
        return switch (rnd.nextInt(14)) {
            case 0 -> flipBit(m, rnd);
            case 1 -> Arrays.copyOf(m, rnd.nextInt(m.length));
            case 2 -> insert(m, rnd.nextInt(m.length + 1), randomBytes(rnd, 1 + rnd.nextInt(3)));
            case 3 -> concat(m, new byte[] {(byte) 0x40, 0x01}); // unknown envelope field
            case 4 -> concat(m, m); // two batch fields: protobuf merges them
            case 5 -> envelope(batch.toBuilder().setVin("5YJ3E1EA2KF317000").build()); // field 4
            case 6 ->
                envelope(batch.toBuilder()
                        .setFirstSeq(batch.getFirstSeq() + rnd.nextInt(5) - 2)
                        .setGap(rnd.nextBoolean())
                        .build());
            case 7 ->
                envelope(batch.toBuilder()
                        .setSamples(i, batch.getSamples(i).toBuilder().setDtMs(rnd.nextLong(-100, 1_000_000_000L)))
                        .build());
            case 8 ->
                envelope(batch.toBuilder()
                        .setSamples(
                                i,
                                batch.getSamples(i).toBuilder()
                                        .setSpeed(rnd.nextLong(-60_000, 60_000))
                                        .setUnavailable(rnd.nextInt(4) == 0 ? rnd.nextInt(1 << 9) : 0))
                        .build());
            case 9 -> envelope(batch.toBuilder().addSamples(batch.getSamples(i)).build());
            case 10 -> gapFirst(batch); // Batch fields out of number order
            case 11 -> envelope(batch.toBuilder().setFirstTimeMs(rnd.nextLong()).build());
            case 12 ->
                Envelope.newBuilder()
                        .setHeartbeat(io.fleetlog.wire.v1.Heartbeat.newBuilder().setSentTimeMs(5))
                        .build()
                        .toByteArray();
            default -> unknownFieldFirst(batch);
        };
    }

    @Test
    void encoderOutputTakesTheDirectRouteAndOtherFormsDoNot() throws Exception {
        BatchDecoder d = new BatchDecoder(10);
        byte[] m = WireFormatTest.bytes();
        Batch batch = Envelope.parseFrom(m).getBatch();
        assertThat(d.loadCanonical(m)).isTrue();
        assertThat(d.loadCanonical(envelope(batch)))
                .as("generated serialisation")
                .isTrue();
        assertThat(d.loadCanonical(gapFirst(batch))).isFalse();
        assertThat(d.loadCanonical(unknownFieldFirst(batch))).isFalse();
        assertThat(d.loadCanonical(concat(m, m))).isFalse();
        assertThat(d.loadCanonical(Arrays.copyOf(m, m.length - 1))).isFalse();
        assertThat(d.loadCanonical(
                        envelope(batch.toBuilder().setVin("5YJ3E1EA2KF317000").build())))
                .isFalse();
        assertThat(new BatchDecoder(2).loadCanonical(m))
                .as("over the sample limit")
                .isFalse();
        StreamCase c = new StreamCase(
                7,
                300,
                new StreamCase.Shape[] {
                    StreamCase.Shape.NOISE,
                    StreamCase.Shape.TOGGLING,
                    StreamCase.Shape.RAMP,
                    StreamCase.Shape.AROUND_WRAP,
                    StreamCase.Shape.STEPS,
                    StreamCase.Shape.EXTREMES,
                    StreamCase.Shape.WALK,
                    StreamCase.Shape.UNAVAILABLE
                },
                CodecConfig.defaults().thresholds(),
                1000,
                StreamCase.Timing.IRREGULAR,
                0,
                100,
                20);
        BatchEncoder encoder = new BatchEncoder(c.config());
        for (StreamCase.Planned p : c.batches()) {
            assertThat(new BatchDecoder(100)
                            .loadCanonical(encoder.encode(p.samples()).bytes()))
                    .isTrue();
        }
    }

    @Test
    void canonicalAndNonCanonicalFormsOfOneBatchDecodeAlike() throws Exception {
        byte[] m = WireFormatTest.bytes();
        Batch batch = Envelope.parseFrom(m).getBatch();
        for (byte[] variant : List.of(m, gapFirst(batch), unknownFieldFirst(batch))) {
            BatchDecoder d = new BatchDecoder(10);
            assertThat(d.decode(variant)).isEqualTo(new BatchDecoder(10).decode(batch));
        }
        assertThat(viaBytes(
                                new BatchDecoder(10),
                                Envelope.newBuilder()
                                        .setAck(io.fleetlog.wire.v1.Ack.newBuilder()
                                                .setSeq(3))
                                        .build()
                                        .toByteArray())
                        .message())
                .isEqualTo("INVALID: expected a batch, got ACK (4 bytes)");
        BatchDecoder small = new BatchDecoder(10, 50);
        assertThat(viaBytes(small, m).message()).isEqualTo("TOO_LARGE: message of 72 bytes exceeds the limit of 50");
        assertThat(viaBytes(new BatchDecoder(2), m).message())
                .isEqualTo("TOO_LARGE: batch of 3 samples exceeds the limit of 2");
    }

    /** The batch with its gap field written before the others (valid protobuf, not canonical). */
    static byte[] gapFirst(Batch batch) throws Exception {
        return wrap(concat(
                new byte[] {(byte) 0x28, 0x01},
                batch.toBuilder().clearGap().build().toByteArray()));
    }

    /** The batch preceded by an unknown field 6 (varint 7), which protobuf skips. */
    static byte[] unknownFieldFirst(Batch batch) throws Exception {
        return wrap(concat(new byte[] {(byte) 0x30, 0x07}, batch.toByteArray()));
    }

    /** An Envelope whose batch field holds {@code body} as it is. */
    static byte[] wrap(byte[] body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(out);
        o.writeTag(3, 2);
        o.writeUInt32NoTag(body.length);
        o.writeRawBytes(body);
        o.flush();
        return out.toByteArray();
    }

    static byte[] envelope(Batch b) {
        return Envelope.newBuilder().setBatch(b).build().toByteArray();
    }

    static byte[] flipBit(byte[] m, SplittableRandom rnd) {
        byte[] c = m.clone();
        int bit = rnd.nextInt(c.length * 8);
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        return c;
    }

    static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static byte[] insert(byte[] m, int at, byte[] extra) {
        return concat(concat(Arrays.copyOf(m, at), extra), Arrays.copyOfRange(m, at, m.length));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static String hex(byte[] m) {
        return java.util.HexFormat.of().formatHex(m);
    }
}
