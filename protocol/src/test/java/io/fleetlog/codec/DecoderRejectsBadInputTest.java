package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fleetlog.codec.WireException.Kind;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.Batch;
import io.fleetlog.wire.v1.Envelope;
import io.fleetlog.wire.v1.Hello;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the server half: every problem raises a {@link WireException} of the right kind
 * whose message names it, no sample of the bad message comes out, and the connection state is as
 * if the message never arrived (the next good batch decodes exactly as it would have).
 */
class DecoderRejectsBadInputTest {
    static final long T0 = 1_700_000_000_000L;

    /** Three good consecutive batches of one connection (seqs 100..129), encoded. */
    static List<byte[]> goodBatches() {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        List<byte[]> out = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int k = b * 10 + i;
                samples.add(new Sample(100 + k, T0 + 20L * k, new double[] {
                    60 + k * 0.7,
                    20 - k * 1.9,
                    80 - k * 0.01,
                    350 + k * 3,
                    1000 + k * 0.01,
                    37 + k * 1e-5,
                    -122 - k * 1e-5,
                    k % 4 == 0 ? Double.NaN : 10 + k
                }));
            }
            out.add(encoder.encode(samples).bytes());
        }
        return out;
    }

    static Batch batch(byte[] bytes) throws WireException {
        return Wire.parse(bytes, Wire.DEFAULT_MAX_MESSAGE_BYTES).getBatch();
    }

    /** The second good batch, changed by {@code edit}. */
    static Batch secondBatchEdited(UnaryOperator<Batch.Builder> edit) throws WireException {
        return edit.apply(batch(goodBatches().get(1)).toBuilder()).build();
    }

    static Batch.Builder editSample(Batch.Builder b, int i, UnaryOperator<io.fleetlog.wire.v1.Sample.Builder> edit) {
        return b.setSamples(i, edit.apply(b.getSamples(i).toBuilder()));
    }

    /**
     * Feeds the first good batch, then {@code bad}, which must fail with {@code kind} and a message
     * containing {@code words}; then checks that the state is untouched and that the next good
     * batch decodes bit for bit as on a connection that never saw {@code bad}.
     */
    static void rejectedWithoutHarm(Batch bad, Kind kind, String... words) throws WireException {
        List<byte[]> good = goodBatches();
        BatchDecoder decoder = new BatchDecoder(1000);
        BatchDecoder witness = new BatchDecoder(1000);
        decoder.decode(batch(good.get(0)));
        witness.decode(batch(good.get(0)));
        double[] stateBefore = decoder.predictorState();
        CompressionStats statsBefore = decoder.stats();

        WireException e = catchThrowableOfType(WireException.class, () -> decoder.decode(bad));
        assertThat(e).as("decoding the bad batch fails").isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).contains(words);

        assertThat(CodecLawsTest.bits(decoder.predictorState())).isEqualTo(CodecLawsTest.bits(stateBefore));
        assertThat(decoder.nextSeq()).isEqualTo(110);
        assertThat(decoder.stats()).usingRecursiveComparison().isEqualTo(statsBefore);
        assertThat(decoder.decode(batch(good.get(1))).samples())
                .isEqualTo(witness.decode(batch(good.get(1))).samples());
        assertThat(CodecLawsTest.bits(decoder.predictorState()))
                .isEqualTo(CodecLawsTest.bits(witness.predictorState()));
    }

    @Test
    void everyTruncationOfAValidMessageIsRejected() throws WireException {
        for (byte[] full : List.of(goodBatches().get(0), WireFormatTest.bytes())) {
            for (int len = 0; len < full.length; len++) {
                byte[] prefix = Arrays.copyOf(full, len);
                WireException e = catchThrowableOfType(
                        WireException.class, () -> Wire.parse(prefix, Wire.DEFAULT_MAX_MESSAGE_BYTES));
                assertThat(e).as("prefix of %d of %d bytes", len, full.length).isNotNull();
                if (len == 0) {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.getMessage()).contains("holds no known message");
                } else {
                    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
                    assertThat(e.getMessage()).contains("message of " + len + " bytes is not a fleetlog.v1 envelope");
                }
            }
        }
    }

    @Test
    void randomBytesAreMalformed() {
        byte[] junk = new byte[64];
        new SplittableRandom(7).nextBytes(junk);
        assertThatThrownBy(() -> Wire.parse(junk, 1024))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isIn(Kind.MALFORMED, Kind.INVALID))
                .hasMessageContaining("64 bytes");
    }

    /**
     * Arbitrary bytes never escape as anything but a WireException, never disturb the connection,
     * and whatever does decode obeys the sample model (consecutive seqs, values in range).
     */
    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    void arbitraryBytesNeverCrashTheDecoder(@ForAll @Size(max = 200) byte[] junk) throws WireException {
        BatchDecoder decoder = new BatchDecoder(1000);
        decoder.decode(batch(goodBatches().get(0)));
        try {
            Envelope e = Wire.parse(junk, Wire.DEFAULT_MAX_MESSAGE_BYTES);
            if (e.hasBatch()) {
                DecodedBatch out = decoder.decode(e.getBatch());
                for (int i = 0; i < out.samples().size(); i++) {
                    Sample s = out.samples().get(i);
                    assertThat(s.seq()).isEqualTo(out.firstSeq() + i);
                    s.validate();
                }
            }
        } catch (WireException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            assertThat(decoder.nextSeq()).isEqualTo(110);
        }
    }

    @Test
    void messagesOverTheByteLimitAreRefusedBeforeParsing() {
        byte[] big = new byte[5000];
        assertThatThrownBy(() -> Wire.parse(big, 4096))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("message of 5000 bytes exceeds the limit of 4096");
        assertThatThrownBy(() -> Wire.parse(big, 100, 4097, 4096)).hasMessageContaining("4097 bytes");
    }

    @Test
    void anEnvelopeWithoutAMessageIsInvalid() {
        byte[] unknownFieldOnly = {(byte) 0x40, 0x01}; // field 8, varint 1
        assertThatThrownBy(() -> Wire.parse(unknownFieldOnly, 100))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("holds no known message");
    }

    @Test
    void helloWithAnotherProtocolVersionIsUnsupported() throws WireException {
        Hello good = Hello.newBuilder()
                .setProtocolVersion(Wire.PROTOCOL_VERSION)
                .setVin("5YJ3E1EA2KF317000")
                .setModel("model3")
                .build();
        assertThat(Wire.checkHello(good)).isSameAs(good);
        for (int version : new int[] {0, 2, 99}) {
            Hello bad = good.toBuilder().setProtocolVersion(version).build();
            assertThatThrownBy(() -> Wire.checkHello(bad))
                    .isInstanceOfSatisfying(
                            WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_VERSION))
                    .hasMessageContaining("protocol version " + version + " is not supported")
                    .hasMessageContaining("speaks 1");
        }
        Hello masked = good.toBuilder().setVin("5YJ3E1EA1JFXXXXXX").build();
        assertThatThrownBy(() -> Wire.checkHello(masked))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("5YJ3E1EA1JFXXXXXX")
                .hasMessageContaining("masked");
    }

    @Test
    void overlappingBatchIsRefused() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> b.setFirstSeq(105)), Kind.SEQ_NOT_FOLLOWING, "first seq 105", "109", "overlap");
        rejectedWithoutHarm(secondBatchEdited(b -> b.setFirstSeq(100).setGap(true)), Kind.SEQ_NOT_FOLLOWING, "overlap");
    }

    @Test
    void undeclaredForwardJumpIsRefused() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> b.setFirstSeq(120)), Kind.SEQ_NOT_FOLLOWING, "first seq 120", "undeclared gap");
    }

    @Test
    void declaredGapIsAcceptedAndReported() throws WireException {
        List<byte[]> good = goodBatches();
        BatchDecoder decoder = new BatchDecoder(1000);
        decoder.decode(batch(good.get(0)));
        DecodedBatch out = decoder.decode(
                secondBatchEdited(b -> b.setFirstSeq(125).setGap(true).setDropped(15)));
        assertThat(out.skippedBefore()).isEqualTo(15);
        assertThat(out.firstSeq()).isEqualTo(125);
        assertThat(out.samples().get(0).seq()).isEqualTo(125);
        assertThat(decoder.nextSeq()).isEqualTo(135);
        // A gap flag on a batch that does follow is harmless.
        assertThat(decoder.decode(batch(good.get(2)).toBuilder()
                                .setFirstSeq(135)
                                .setGap(true)
                                .build())
                        .skippedBefore())
                .isZero();
    }

    /** Issue 12 item 2: a gap is bounded by what the edge declares it dropped. */
    @Test
    void aDeclaredGapLargerThanTheDeclaredDropCountIsRefused() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> b.setFirstSeq(125).setGap(true)),
                Kind.SEQ_NOT_FOLLOWING,
                "jumps 15 seqs past 109 but declares 0 dropped");
        rejectedWithoutHarm(
                secondBatchEdited(
                        b -> b.setFirstSeq(1_000_000_000_000_000L).setGap(true).setDropped(15)),
                Kind.SEQ_NOT_FOLLOWING,
                "declares 15 dropped");
    }

    /** Issue 12 item 2: the first batch of a connection may not jump past the stored seq undeclared. */
    @Test
    void withExpectTheFirstBatchMustDeclareAJumpPastTheStoredSeq() throws WireException {
        Batch first = batch(goodBatches().get(0)); // seqs 100..109
        BatchDecoder d = new BatchDecoder(1000);
        d.expect(50, Long.MIN_VALUE);
        assertThatThrownBy(() -> d.decode(first))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SEQ_NOT_FOLLOWING))
                .hasMessageContaining("jumps 50 seqs past 49")
                .hasMessageContaining("undeclared gap");
        assertThat(d.nextSeq()).isEqualTo(-1);
        assertThatThrownBy(() ->
                        d.decode(first.toBuilder().setGap(true).setDropped(49).build()))
                .hasMessageContaining("declares 49 dropped");
        DecodedBatch ok = d.decode(first.toBuilder().setGap(true).setDropped(50).build());
        assertThat(ok.skippedBefore()).isEqualTo(50);
        // a first batch overlapping the store is the caller's to compare; the decoder takes it
        BatchDecoder overlap = new BatchDecoder(1000);
        overlap.expect(105, Long.MIN_VALUE);
        assertThat(overlap.decode(first).skippedBefore()).isZero();
    }

    /** Issue 12 item 4: with the server's rules, capture time may not run backwards. */
    @Test
    void withExpectTimeRunningBackwardsIsRefusedNamingTheSeqAndTimes() throws WireException {
        Batch first = batch(goodBatches().get(0)); // seqs 100..109 from T0 + 2000, 20 ms apart
        Batch backwards = first.toBuilder()
                .setSamples(4, first.getSamples(4).toBuilder().setDtMs(-100))
                .build();
        BatchDecoder plain = new BatchDecoder(1000);
        assertThat(plain.decode(backwards).samples())
                .as("the wire format allows it")
                .hasSize(10);
        BatchDecoder d = new BatchDecoder(1000);
        d.expect(100, Long.MIN_VALUE);
        assertThatThrownBy(() -> d.decode(backwards))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIME_BACKWARDS))
                .hasMessageContaining("seq 104")
                .hasMessageContaining("before the previous sample's");
        // against the stored sample before the first new seq
        BatchDecoder after = new BatchDecoder(1000);
        long firstTime = first.getFirstTimeMs();
        after.expect(100, firstTime + 1);
        assertThatThrownBy(() -> after.decode(first))
                .hasMessageContaining("seq 100: capture time " + firstTime + " ms is 1 ms before");
        // from batch to batch
        BatchDecoder chain = new BatchDecoder(1000);
        chain.expect(100, Long.MIN_VALUE);
        chain.decode(first);
        Batch earlier = batch(goodBatches().get(1)).toBuilder()
                .setFirstTimeMs(firstTime)
                .build();
        assertThatThrownBy(() -> chain.decode(earlier)).hasMessageContaining("seq 110");
        assertThat(chain.nextSeq()).isEqualTo(110);
    }

    @Test
    void emptyBatchIsInvalid() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(Batch.Builder::clearSamples), Kind.INVALID, "batch at seq 110 has no samples");
    }

    @Test
    void batchOverTheSampleLimitIsTooLarge() throws WireException {
        Batch ten = batch(goodBatches().get(0));
        assertThatThrownBy(() -> new BatchDecoder(9).decode(ten))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("batch of 10 samples exceeds the limit of 9");
        assertThat(new BatchDecoder(10).decode(ten).samples()).hasSize(10);
        assertThatThrownBy(() -> new BatchDecoder(0)).hasMessageContaining("maxSamples 0");
    }

    @Test
    void firstSeqBeyondTheSignedRangeIsOutOfRange() throws WireException {
        Batch huge = batch(goodBatches().get(0)).toBuilder().setFirstSeq(-5).build(); // 2^64 - 5 unsigned
        assertThatThrownBy(() -> new BatchDecoder(100).decode(huge))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUT_OF_RANGE))
                .hasMessageContaining("first seq 18446744073709551611 is out of range");
        Batch last = batch(goodBatches().get(0)).toBuilder()
                .setFirstSeq(Long.MAX_VALUE - 9)
                .build();
        assertThatThrownBy(() -> new BatchDecoder(100).decode(last)).hasMessageContaining("out of range");
    }

    @Test
    void valueDecodingOutOfRangeIsRefused() throws WireException {
        // speed is predicted near 66 mph; +500 mph more is beyond the field's 500 mph.
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 3, s -> s.setSpeed(50_000))),
                Kind.OUT_OF_RANGE,
                "seq 113",
                "speed",
                "is outside [-500.0, 500.0]");
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 0, s -> s.setSoc(-9_000))), Kind.OUT_OF_RANGE, "seq 110: soc");
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 9, s -> s.setOdometer(Long.MAX_VALUE))),
                Kind.OUT_OF_RANGE,
                "seq 119: odometer overflows");
    }

    @Test
    void absurdCaptureTimesAreRefused() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> b.setFirstTimeMs(0)), Kind.OUT_OF_RANGE, "seq 110", "capture time 0 ms");
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 4, s -> s.setDtMs(Long.MAX_VALUE / 2))),
                Kind.OUT_OF_RANGE,
                "seq 114: capture time");
        rejectedWithoutHarm(
                secondBatchEdited(b -> b.setFirstTimeMs(BatchDecoder.MAX_TIME_MS)),
                Kind.OUT_OF_RANGE,
                "not believable");
    }

    @Test
    void aTimeDeltaOnTheFirstSampleIsInvalid() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 0, s -> s.setDtMs(5))),
                Kind.INVALID,
                "seq 110: the first sample of a batch carries dt_ms 5");
        // An explicit 0 says the same as the definition and is accepted.
        BatchDecoder decoder = new BatchDecoder(100);
        decoder.decode(batch(goodBatches().get(0)));
        assertThat(decoder.decode(secondBatchEdited(b -> editSample(b, 0, s -> s.setDtMs(0))))
                        .samples()
                        .get(1)
                        .captureTimeMs())
                .isEqualTo(T0 + 20 * 11);
    }

    @Test
    void valueBothSentAndFlaggedUnavailableIsInvalid() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 2, s -> s.setPower(10).setUnavailable(2))),
                Kind.INVALID,
                "seq 112: power is both sent and flagged unavailable");
    }

    @Test
    void unavailableBitsOfUnknownFieldsAreInvalid() throws WireException {
        rejectedWithoutHarm(
                secondBatchEdited(b -> editSample(b, 5, s -> s.setUnavailable(1 << 8))),
                Kind.INVALID,
                "seq 115: unavailable mask 0x100 names unknown fields");
    }
}
