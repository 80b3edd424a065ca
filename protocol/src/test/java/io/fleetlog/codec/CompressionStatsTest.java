package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompressionStatsTest {

    @Test
    void emptyStatsAreZero() {
        CompressionStats s = CompressionStats.empty();
        assertThat(s.samples()).isZero();
        assertThat(s.bytesPerSample()).isZero();
        assertThat(s.omittedShare()).isZero();
    }

    @Test
    void encoderCountsSentOmittedUnavailableKeyframesAndBytes() {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        EncodedBatch b = encoder.encode(WireFormatTest.goldenSamples());
        CompressionStats s = encoder.stats();
        assertThat(s.samples()).isEqualTo(3);
        assertThat(s.batches()).isEqualTo(1);
        assertThat(s.keyframes()).isEqualTo(1);
        assertThat(s.bytes()).isEqualTo(b.bytes().length);
        assertThat(s.bytesPerSample()).isEqualTo(b.bytes().length / 3.0);
        // speed: key, omitted, sent; soc: key, omitted, omitted; elevation: flagged, still NaN, sent.
        assertThat(s.sent(Field.SPEED)).isEqualTo(2);
        assertThat(s.omitted(Field.SPEED)).isEqualTo(1);
        assertThat(s.sent(Field.SOC)).isEqualTo(1);
        assertThat(s.omitted(Field.SOC)).isEqualTo(2);
        assertThat(s.unavailable(Field.ELEVATION)).isEqualTo(1);
        assertThat(s.omitted(Field.ELEVATION))
                .as("continued unavailability is not re-flagged")
                .isEqualTo(1);
        assertThat(s.sent(Field.ELEVATION)).isEqualTo(1);
        long omitted = 0;
        for (Field f : Field.values()) {
            omitted += s.omitted(f);
            assertThat(s.sent(f) + s.omitted(f) + s.unavailable(f)).isEqualTo(3);
        }
        assertThat(s.omittedShare()).isEqualTo(omitted / 24.0);
    }

    @Test
    void plusAddsEveryCounter() {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        encoder.encode(WireFormatTest.goldenSamples());
        CompressionStats one = encoder.stats();
        CompressionStats two = one.plus(one);
        assertThat(two.samples()).isEqualTo(6);
        assertThat(two.keyframes()).isEqualTo(2);
        assertThat(two.batches()).isEqualTo(2);
        assertThat(two.bytes()).isEqualTo(2 * one.bytes());
        for (Field f : Field.values()) {
            assertThat(two.sent(f)).isEqualTo(2 * one.sent(f));
            assertThat(two.omitted(f)).isEqualTo(2 * one.omitted(f));
            assertThat(two.unavailable(f)).isEqualTo(2 * one.unavailable(f));
        }
        assertThat(CompressionStats.empty().plus(one))
                .usingRecursiveComparison()
                .isEqualTo(one);
    }

    @Test
    void snapshotsDoNotChangeAfterwards() {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        encoder.encode(List.of(new Sample(0, 1_700_000_000_000L, new double[8])));
        CompressionStats before = encoder.stats();
        encoder.encode(List.of(new Sample(1, 1_700_000_000_020L, new double[8])));
        assertThat(before.samples()).isEqualTo(1);
        assertThat(encoder.stats().samples()).isEqualTo(2);
    }
}
