package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edge half refuses what it cannot encode with an {@link IllegalArgumentException} naming the
 * problem, and a refused batch leaves no trace: the next good batch encodes to the same bytes as on
 * a connection that never saw the bad one.
 */
class EncoderRejectsBadInputTest {
    static final long T0 = 1_700_000_000_000L;

    static Sample sample(long seq, double speed) {
        return new Sample(seq, T0 + 20 * seq, new double[] {speed, 10, 50, 90, 100, 37, -122, 5});
    }

    static List<Sample> run(long first, int n) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(sample(first + i, 30 + 3 * i));
        }
        return out;
    }

    /** Encodes seqs 0..4, tries {@code bad}, then encodes 5..9 and compares with a clean connection. */
    static void refusedWithoutHarm(List<Sample> bad, String... words) {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        BatchEncoder witness = new BatchEncoder(CodecConfig.defaults());
        encoder.encode(run(0, 5));
        witness.encode(run(0, 5));
        double[] stateBefore = encoder.predictorState();
        CompressionStats statsBefore = encoder.stats();

        assertThatThrownBy(() -> encoder.encode(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(words);

        assertThat(CodecLawsTest.bits(encoder.predictorState())).isEqualTo(CodecLawsTest.bits(stateBefore));
        assertThat(encoder.stats()).usingRecursiveComparison().isEqualTo(statsBefore);
        EncodedBatch next = encoder.encode(run(5, 5));
        assertThat(next.gap()).isFalse();
        assertThat(next.bytes()).isEqualTo(witness.encode(run(5, 5)).bytes());
    }

    @Test
    void nonConsecutiveSeqsAreRefused() {
        List<Sample> holes = new ArrayList<>(run(5, 3));
        holes.add(sample(9, 40));
        refusedWithoutHarm(holes, "seq 9 at position 3 does not follow 7", "consecutive");
        refusedWithoutHarm(List.of(sample(6, 1), sample(5, 1)), "seq 5 at position 1 does not follow 6");
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheField() {
        List<Sample> bad = new ArrayList<>(run(5, 3));
        bad.add(new Sample(8, T0, new double[] {30, 10, 101, 90, 100, 37, -122, 5}));
        refusedWithoutHarm(bad, "seq 8", "soc 101.0 %", "outside [0.0, 100.0]");
        // a sample cannot even hold an infinite value
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Sample(5, T0, new double[] {Double.POSITIVE_INFINITY, 10, 50, 90, 100, 37, -122, 5}))
                .hasMessage("speed Infinity mph is not a value");
        refusedWithoutHarm(
                List.of(new Sample(5, T0, new double[] {30, 10, 50, 90, 100, 91, -122, 5})), "latitude 91.0 deg");
    }

    @Test
    void aBatchStartingBeforeWhatWasSentIsRefused() {
        refusedWithoutHarm(run(3, 4), "batch starts at seq 3 but this connection already sent up to 4");
        refusedWithoutHarm(run(0, 1), "already sent up to 4");
    }

    @Test
    void emptyBatchesAndNegativeSeqsAreRefused() {
        refusedWithoutHarm(List.of(), "at least one sample");
        BatchEncoder fresh = new BatchEncoder(CodecConfig.defaults());
        assertThatThrownBy(() -> fresh.encode(run(-1, 2))).hasMessageContaining("seq -1 is negative");
    }

    @Test
    void aBatchReachingTheEndOfTheSeqRangeIsRefused() {
        BatchEncoder fresh = new BatchEncoder(CodecConfig.defaults());
        List<Sample> last = List.of(sample(Long.MAX_VALUE - 1, 1), sample(Long.MAX_VALUE, 1));
        assertThatThrownBy(() -> fresh.encode(last)).hasMessageContaining("seq " + Long.MAX_VALUE + " is out of range");
        // The last decodable seq is Long.MAX_VALUE - 1.
        EncodedBatch ok = fresh.encode(List.of(sample(Long.MAX_VALUE - 1, 1)));
        assertThat(ok.lastSeq()).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void aForwardJumpIsSentAsADeclaredGap() throws WireException {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        BatchDecoder decoder = new BatchDecoder(100);
        decoder.decode(Wire.parse(encoder.encode(run(0, 5)).bytes(), 1 << 20).getBatch());
        EncodedBatch jumped = encoder.encode(run(12, 3));
        assertThat(jumped.gap()).isTrue();
        DecodedBatch out = decoder.decode(Wire.parse(jumped.bytes(), 1 << 20).getBatch());
        assertThat(out.skippedBefore()).isEqualTo(7);
        assertThat(out.samples().get(0).seq()).isEqualTo(12);
        assertThat(out.samples().get(0).get(Field.SPEED)).isEqualTo(30);
        assertThat(Wire.parse(jumped.bytes(), 1 << 20).getBatch().getDropped()).isEqualTo(7);
    }

    /** Issue 12 item 2: the edge's first batch after Welcome declares what it skips past the stored seq. */
    @Test
    void aFirstBatchAfterTheExpectedSeqDeclaresTheSkippedSeqs() throws WireException {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        encoder.expect(10);
        EncodedBatch first = encoder.encode(run(25, 3));
        assertThat(first.gap()).isTrue();
        assertThat(Wire.parse(first.bytes(), 1 << 20).getBatch().getDropped()).isEqualTo(15);
        BatchDecoder decoder = new BatchDecoder(100);
        decoder.expect(10, Long.MIN_VALUE);
        assertThat(decoder.decode(first.bytes()).skippedBefore())
                .as("canonical route reads dropped")
                .isEqualTo(15);
        BatchEncoder exact = new BatchEncoder(CodecConfig.defaults());
        exact.expect(25);
        assertThat(exact.encode(run(25, 3)).gap()).isFalse();
    }
}
