package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.codec.StreamCase.Shape;
import io.fleetlog.codec.StreamCase.Timing;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.Envelope;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The codec's laws (DESIGN invariant 4), checked on every field of every sample of 10,000 generated
 * connections: reconstruction within {@link CodecConfig#bound} of the capture, exact on keyframes,
 * encoder and decoder predictors bit-identical after every batch, seq and capture time exact,
 * omitted/unavailable reported as they happened, and every decision the same as DESIGN's scheme
 * written out plainly ({@link ReferenceModel}).
 */
class CodecLawsTest {

    /**
     * The error comparison itself is computed in double precision: {@code |x − r|} of a value near
     * 10^7 (odometer) or a heading near ±10^6 carries a rounding error of a few ulp. The law is
     * checked up to that rounding and not a bit more.
     */
    static double slack(double x, double r) {
        return 4 * Math.ulp(Math.max(360, Math.max(Math.abs(x), Math.abs(r))));
    }

    @Property(tries = 10_000, edgeCases = EdgeCasesMode.NONE)
    void everyFieldOfEverySampleObeysTheErrorLaw(@ForAll("streams") StreamCase c) throws WireException {
        CodecConfig config = c.config();
        BatchEncoder encoder = new BatchEncoder(config);
        BatchDecoder decoder = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        BatchDecoder bytesDecoder = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        ReferenceModel model = new ReferenceModel(config);
        long expectedNext = -1;
        for (StreamCase.Planned planned : c.batches()) {
            List<Sample> in = planned.samples();
            EncodedBatch encoded = encoder.encode(in);
            assertThat(encoded.gap()).as("gap flag").isEqualTo(planned.droppedBefore() > 0);
            Envelope envelope = Wire.parse(encoded.bytes(), Wire.DEFAULT_MAX_MESSAGE_BYTES);
            DecodedBatch out = decoder.decode(envelope.getBatch());
            DecodedBatch fromBytes = bytesDecoder.decode(encoded.bytes());
            assertThat(fromBytes).as("decode(byte[]) and decode(Batch) agree").isEqualTo(out);

            assertThat(out.firstSeq()).isEqualTo(in.get(0).seq());
            assertThat(out.lastSeq()).isEqualTo(in.get(in.size() - 1).seq());
            assertThat(out.skippedBefore()).isEqualTo(expectedNext < 0 ? 0 : planned.droppedBefore());
            assertThat(out.samples()).hasSameSizeAs(in);
            for (int i = 0; i < in.size(); i++) {
                Sample x = in.get(i);
                Sample r = out.samples().get(i);
                ReferenceModel.Step step = model.step(x);
                checkSample(x, r, step, config, encoder.wasKeyframe(i));
                checkWire(envelope.getBatch().getSamples(i), step, x);
            }
            assertThat(bits(decoder.predictorState()))
                    .as("decoder predictor after batch at seq %d", in.get(0).seq())
                    .isEqualTo(bits(encoder.predictorState()));
            assertNear(model.state(), decoder.predictorState());
            assertThat(bits(bytesDecoder.predictorState())).isEqualTo(bits(decoder.predictorState()));
            expectedNext = out.lastSeq() + 1;
        }
        assertThat(decoder.nextSeq()).isEqualTo(expectedNext);
        checkStats(encoder.stats(), decoder.stats());
        checkStats(encoder.stats(), bytesDecoder.stats());
    }

    /**
     * Plain comparisons first and AssertJ only to report a failure: this runs for every field of
     * about 1.5 million samples.
     */
    private static void checkSample(Sample x, Sample r, ReferenceModel.Step step, CodecConfig config, boolean key) {
        long seq = x.seq();
        check(r.seq() == seq, () -> "seq " + r.seq() + " decoded for " + seq);
        check(
                r.captureTimeMs() == x.captureTimeMs(),
                () -> "seq " + seq + ": capture time " + r.captureTimeMs() + " decoded for " + x.captureTimeMs());
        check(key == step.keyframe(), () -> "seq " + seq + ": keyframe " + key + ", DESIGN says " + step.keyframe());
        // latitude and longitude are one location signal: omitted as a whole
        int latLon = (1 << Field.LATITUDE.ordinal()) | (1 << Field.LONGITUDE.ordinal());
        int expectedMask = (step.omittedMask() & latLon) != 0 ? step.omittedMask() | latLon : step.omittedMask();
        check(
                r.omittedMask() == expectedMask,
                () -> "seq " + seq + ": omitted mask 0x" + Integer.toHexString(r.omittedMask()) + ", expected 0x"
                        + Integer.toHexString(expectedMask));
        for (Field f : Field.values()) {
            double xv = x.get(f);
            double rv = r.get(f);
            if (Double.isNaN(xv)) {
                check(
                        Double.doubleToRawLongBits(rv) == Double.doubleToRawLongBits(Double.NaN),
                        () -> "seq " + seq + ": unavailable " + f.key() + " decoded as " + rv);
                continue;
            }
            double bound = key ? f.resolution() / 2 : config.bound(f);
            check(
                    f.distance(xv, rv) <= bound + slack(xv, rv),
                    () -> "seq " + seq + ": " + f.key() + " captured " + xv + ", reconstructed " + rv + ", error "
                            + f.distance(xv, rv) + " > bound " + bound + (key ? " (keyframe)" : ""));
            check(f.inRange(rv), () -> "seq " + seq + ": " + f.key() + " " + rv + " out of range");
            double expected = step.reconstruction()[f.ordinal()];
            check(
                    Math.abs(rv - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
                    () -> "seq " + seq + ": " + f.key() + " " + rv + ", DESIGN's scheme gives " + expected);
        }
    }

    private static void check(boolean ok, java.util.function.Supplier<String> problem) {
        if (!ok) {
            org.assertj.core.api.Assertions.fail(problem.get());
        }
    }

    /** The wire carries exactly the fields the scheme sends and flags exactly the unavailable ones. */
    private static void checkWire(io.fleetlog.wire.v1.Sample wire, ReferenceModel.Step step, Sample x) {
        int present = (wire.hasSpeed() ? 1 : 0)
                | (wire.hasPower() ? 2 : 0)
                | (wire.hasSoc() ? 4 : 0)
                | (wire.hasHeading() ? 8 : 0)
                | (wire.hasOdometer() ? 16 : 0)
                | (wire.hasLatitude() ? 32 : 0)
                | (wire.hasLongitude() ? 64 : 0)
                | (wire.hasElevation() ? 128 : 0);
        int flagged = wire.getUnavailable();
        check(
                present == step.sentMask(),
                () -> "seq " + x.seq() + ": fields sent 0x" + Integer.toHexString(present)
                        + ", DESIGN's scheme sends 0x" + Integer.toHexString(step.sentMask()));
        check(
                flagged == step.flaggedMask(),
                () -> "seq " + x.seq() + ": unavailable flags 0x" + Integer.toHexString(flagged) + ", expected 0x"
                        + Integer.toHexString(step.flaggedMask()));
    }

    private static void checkStats(CompressionStats enc, CompressionStats dec) {
        assertThat(dec.samples()).isEqualTo(enc.samples());
        assertThat(dec.batches()).isEqualTo(enc.batches());
        assertThat(dec.bytes()).as("bytes counted by both sides").isEqualTo(enc.bytes());
        assertThat(dec.sent()).isEqualTo(enc.sent());
        assertThat(dec.omitted()).isEqualTo(enc.omitted());
        assertThat(dec.unavailable()).isEqualTo(enc.unavailable());
        // The decoder sees a keyframe as a sample with every field sent or flagged, which a
        // non-keyframe may also be.
        assertThat(dec.keyframes()).isGreaterThanOrEqualTo(enc.keyframes());
    }

    static long[] bits(double[] state) {
        return Arrays.stream(state).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private static void assertNear(double[] model, double[] actual) {
        for (int f = 0; f < Field.COUNT; f++) {
            if (Double.isNaN(model[f])) {
                assertThat(actual[f]).as("prediction of %s", Field.of(f).key()).isNaN();
            } else {
                assertThat(Field.of(f).distance(model[f], actual[f]))
                        .as("prediction of %s as DESIGN's scheme", Field.of(f).key())
                        .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(model[f])));
            }
        }
    }

    @Provide
    Arbitrary<StreamCase> streams() {
        Arbitrary<Shape[]> shapes =
                Arbitraries.of(Shape.class).array(Shape[].class).ofSize(Field.COUNT);
        Arbitrary<double[]> thresholds = Arbitraries.integers()
                .between(0, 5)
                .array(int[].class)
                .ofSize(Field.COUNT)
                .flatMap(kinds -> Arbitraries.doubles()
                        .between(0, 1)
                        .array(double[].class)
                        .ofSize(Field.COUNT)
                        .map(u -> thresholds(kinds, u)));
        Arbitrary<Long> keyframeMs = Arbitraries.oneOf(
                Arbitraries.of(1L, 20L, 1_000L, 30_000L, 3_600_000L),
                Arbitraries.longs().between(1, 120_000));
        Arbitrary<Long> firstSeq =
                Arbitraries.oneOf(Arbitraries.of(0L, 1L), Arbitraries.longs().between(0, Long.MAX_VALUE / 2));
        return Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.integers().between(1, 300),
                        shapes,
                        thresholds,
                        keyframeMs,
                        Arbitraries.of(Timing.class),
                        firstSeq,
                        Arbitraries.integers().between(1, 120))
                .flatAs((seed, length, sh, th, key, timing, seq, maxBatch) -> Arbitraries.integers()
                        .between(0, 50)
                        .map(gap -> new StreamCase(seed, length, sh, th, key, timing, seq, maxBatch, gap)));
    }

    /** Per field: lossless, the seed default, below half a resolution step, or anything up to a big share. */
    private static double[] thresholds(int[] kinds, double[] u) {
        double[] t = new double[Field.COUNT];
        for (Field f : Field.values()) {
            int i = f.ordinal();
            double largest = f.circular() ? 179.99 : (f.max() - f.min()) / 20;
            t[i] = switch (kinds[i]) {
                case 0 -> 0;
                case 1 -> f.defaultThreshold();
                case 2 -> f.resolution() * u[i] / 2;
                case 3 -> f.resolution() * (1 + 100 * u[i]);
                case 4 -> largest * u[i];
                default -> f.circular() ? 179.99 : Math.max(f.defaultThreshold(), 10 * u[i]);
            };
        }
        return t;
    }
}
