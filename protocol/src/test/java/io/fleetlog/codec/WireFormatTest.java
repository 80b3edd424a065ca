package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.Batch;
import io.fleetlog.wire.v1.Envelope;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The wire format is pinned: one known batch must encode to exactly these bytes, and whatever the
 * hand-rolled encoder writes is the canonical protobuf encoding of the generated {@code Envelope}.
 */
class WireFormatTest {
    static final double NA = Double.NaN;
    static final long T0 = 1_700_000_000_000L;

    /**
     * Three samples at 50 Hz from seq 42 under the default thresholds: a keyframe with elevation
     * unavailable, then speed and SoC omitted (within 2 mph / 0.5 %), power sent, heading 359° →
     * 6° sent as a wrapped delta, elevation still unavailable (not flagged again), then elevation
     * available, the time delta unchanged (not repeated).
     */
    static List<Sample> goldenSamples() {
        return List.of(
                new Sample(42, T0, new double[] {65.43, 12.5, 80.0, 359.0, 12345.678, 37.7749295, -122.4194155, NA}),
                new Sample(43, T0 + 20, new double[] {65.9, 30.0, 80.1, 6.0, 12345.678, 37.7749295, -122.4194155, NA}),
                new Sample(
                        44, T0 + 40, new double[] {70.0, 30.0, 80.1, 6.0, 12345.679, 37.7749301, -122.4194160, 12.3}));
    }

    /** Hand-checked: 1a 46 = Envelope.batch (70 bytes); 08 2a first_seq 42; 10 … first_time_ms; 1a 20 …. */
    static final String GOLDEN_HEX =
            "1a46082a1080d095ffbc311a20109e6618c41320807d28c701309c85e30b38defc9fe80240d5e1bd8f0978"
                    + "80011a08082818ac1b28f80a1a0f1092071892133002380c4009489c13";

    static byte[] bytes() {
        return HexFormat.of().parseHex(GOLDEN_HEX);
    }

    @Test
    void knownBatchEncodesToPinnedBytes() {
        EncodedBatch encoded = new BatchEncoder(CodecConfig.defaults()).encode(goldenSamples());
        assertThat(HexFormat.of().formatHex(encoded.bytes())).isEqualTo(GOLDEN_HEX);
    }

    @Test
    void knownBatchDecodesFieldByField() throws WireException {
        byte[] bytes = HexFormat.of().parseHex(GOLDEN_HEX);
        Batch batch = Wire.parse(bytes, 1024).getBatch();
        assertThat(batch.getFirstSeq()).isEqualTo(42);
        assertThat(batch.getFirstTimeMs()).isEqualTo(T0);
        assertThat(batch.getGap()).isFalse();
        io.fleetlog.wire.v1.Sample s0 = batch.getSamples(0);
        io.fleetlog.wire.v1.Sample s1 = batch.getSamples(1);
        io.fleetlog.wire.v1.Sample s2 = batch.getSamples(2);
        // Keyframe: everything sent against a zero base, elevation flagged (bit 7).
        assertThat(s0.hasDtMs()).isFalse();
        assertThat(s0.getSpeed()).isEqualTo(6543);
        // 359° against the zero base is sent as -1° (heading deltas wrap into [-180°, 180°)).
        assertThat(s0.getHeading()).isEqualTo(-100);
        assertThat(s0.getLatitude()).isEqualTo(377749295);
        assertThat(s0.getUnavailable()).isEqualTo(1 << Field.ELEVATION.ordinal());
        // Speed, SoC, odometer, position omitted; heading 359 → 6 is +7° on the circle.
        assertThat(s1.getDtMs()).isEqualTo(20);
        assertThat(s1.hasSpeed()).isFalse();
        assertThat(s1.hasSoc()).isFalse();
        assertThat(s1.hasOdometer()).isFalse();
        assertThat(s1.getPower()).isEqualTo(3000 - 1250);
        assertThat(s1.getHeading()).isEqualTo(700);
        assertThat(s1.getUnavailable()).isZero();
        assertThat(s1.hasElevation()).isFalse();
        // Same delta as before: dt not repeated. Elevation now available, against a zero base.
        assertThat(s2.hasDtMs()).isFalse();
        assertThat(s2.getElevation()).isEqualTo(1230);
        // Predictions: speed stayed 65.43 (omitted), power 0.3·30 + 0.7·12.5 = 17.75 kW.
        assertThat(s2.getSpeed()).isEqualTo(7000 - 6543);
        assertThat(s2.getPower()).isEqualTo(3000 - 1775);
        assertThat(s2.hasHeading()).as("6° vs prediction 1.1°: within 5°").isFalse();

        BatchDecoder decoder = new BatchDecoder(10);
        List<Sample> out = decoder.decode(batch).samples();
        assertThat(out).extracting(Sample::seq).containsExactly(42L, 43L, 44L);
        assertThat(out).extracting(Sample::captureTimeMs).containsExactly(T0, T0 + 20, T0 + 40);
        assertThat(out.get(0).values())
                .containsExactly(65.43, 12.5, 80.0, 359.0, 12345.678, 37.7749295, -122.4194155, NA);
        assertThat(out.get(0).omittedMask()).isZero();
        assertThat(out.get(1).get(Field.HEADING)).isEqualTo(6.0);
        assertThat(out.get(1).get(Field.SPEED)).isEqualTo(65.43);
        assertThat(out.get(1).available(Field.ELEVATION)).isFalse();
        assertThat(out.get(1).omitted(Field.ELEVATION))
                .as("unavailable is not omitted")
                .isFalse();
        assertThat(out.get(1).omitted(Field.SPEED)).isTrue();
        assertThat(out.get(1).omitted(Field.POWER)).isFalse();
        assertThat(out.get(2).get(Field.ELEVATION)).isEqualTo(12.3);
    }

    @Test
    void encoderOutputIsTheCanonicalEncodingOfTheGeneratedMessage() throws Exception {
        byte[] bytes =
                new BatchEncoder(CodecConfig.defaults()).encode(goldenSamples()).bytes();
        Envelope parsed = Envelope.parseFrom(bytes);
        assertThat(parsed.getMsgCase()).isEqualTo(Envelope.MsgCase.BATCH);
        assertThat(parsed.toByteArray()).isEqualTo(bytes);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void everyEncodedBatchReserialisesToTheSameBytes(@ForAll("streams") StreamCase c) throws Exception {
        BatchEncoder encoder = new BatchEncoder(c.config());
        for (StreamCase.Planned planned : c.batches()) {
            byte[] bytes = encoder.encode(planned.samples()).bytes();
            assertThat(Envelope.parseFrom(bytes).toByteArray()).isEqualTo(bytes);
        }
    }

    @Provide
    net.jqwik.api.Arbitrary<StreamCase> streams() {
        return new CodecLawsTest().streams();
    }
}
