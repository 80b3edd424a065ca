package io.fleetlog.codec.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueArbitraries;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Position;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.codec.WireException;
import io.fleetlog.frame.Frame;
import io.fleetlog.wire.v2.Envelope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * DESIGN invariant 4 for the v2 codec, checked on every captured value of every frame of generated
 * connections over generated catalogues ({@link CatalogueArbitraries}: every type, random bounds,
 * resolutions, enum sizes and string lengths) with generated layouts, rates and value processes
 * ({@link FrameStreams}): every captured value reconstructed within its signal's bound, exact types
 * exact, unavailable stays unavailable, nothing invented for a signal not captured, the first value of
 * every signal in every keyframe period sent exactly, seqs and times exact, declared gaps reported, and
 * encoder and decoder predictors bit-identical after every batch.
 */
class FrameCodecLawsTest {

    @Provide
    Arbitrary<FrameStreams.Case> connections() {
        return CatalogueArbitraries.catalogues(12)
                .flatMap(c -> Arbitraries.longs().map(seed -> FrameStreams.generate(c, seed, 300)));
    }

    @Property(tries = 2_000, edgeCases = EdgeCasesMode.NONE)
    void everyCapturedValueIsReconstructedWithinItsBound(@ForAll("connections") FrameStreams.Case c)
            throws WireException, InvalidProtocolBufferException {
        FrameEncoder encoder = new FrameEncoder(c.layout(), c.keyframeInterval());
        FrameDecoder decoder = new FrameDecoder(c.layout());
        Keyframes keyframes = new Keyframes(c.keyframeInterval().toMillis());
        long expectedNext = -1;
        for (FrameStreams.Planned planned : c.batches()) {
            List<Frame> in = planned.frames();
            EncodedFrames encoded = encoder.encode(planned.firstSeq(), in, planned.gap());
            DecodedFrames out = decoder.decode(encoded.bytes());
            assertThat(Envelope.parseFrom(encoded.bytes()).toByteArray())
                    .as("the encoder writes the canonical encoding")
                    .isEqualTo(encoded.bytes());

            assertThat(out.firstSeq()).isEqualTo(planned.firstSeq());
            assertThat(out.lastSeq()).isEqualTo(planned.firstSeq() + in.size() - 1);
            assertThat(out.gap()).isEqualTo(planned.gap());
            assertThat(out.skippedBefore()).isEqualTo(expectedNext < 0 ? 0 : planned.firstSeq() - expectedNext);
            assertThat(out.frames()).hasSameSizeAs(in);
            assertThat(out.values()).isEqualTo(encoded.values());
            for (int i = 0; i < in.size(); i++) {
                checkFrame(c.layout().catalogue(), in.get(i), out.frames().get(i), keyframes, planned.firstSeq() + i);
            }
            assertThat(decoder.predictorState())
                    .as("predictors after the batch at seq %d", planned.firstSeq())
                    .isEqualTo(encoder.predictorState());
            expectedNext = planned.firstSeq() + in.size();
            assertThat(decoder.nextSeq()).isEqualTo(expectedNext);
        }
        FrameStats e = encoder.stats();
        FrameStats d = decoder.stats();
        assertThat(d.sent()).isEqualTo(e.sent());
        assertThat(d.omitted()).isEqualTo(e.omitted());
        assertThat(d.unavailable()).isEqualTo(e.unavailable());
        assertThat(d.bytes()).isEqualTo(e.bytes());
        assertThat(d.frames()).isEqualTo(e.frames());
    }

    /** The keyframe periods, written out independently of the encoder. */
    static final class Keyframes {
        private final long intervalMs;
        private int period;
        private long startMs;
        private final Map<Integer, Integer> keyedIn = new HashMap<>();

        Keyframes(long intervalMs) {
            this.intervalMs = intervalMs;
        }

        void frame(long t) {
            if (period == 0 || t - startMs >= intervalMs || t < startMs) {
                period++;
                startMs = t;
            }
        }

        /** Whether this is the signal's first captured value in the current period (and records it). */
        boolean firstValue(int id) {
            Integer p = keyedIn.put(id, period);
            return p == null || p != period;
        }
    }

    static void checkFrame(Catalogue cat, Frame x, Frame r, Keyframes keyframes, long seq) {
        assertThat(r.timeMs()).as("seq %d time", seq).isEqualTo(x.timeMs());
        assertThat(r.size())
                .as("seq %d: the signals captured, nothing invented (%s vs %s)", seq, x, r)
                .isEqualTo(x.size());
        keyframes.frame(x.timeMs());
        for (int j = 0; j < x.size(); j++) {
            int id = x.id(j);
            Signal s = cat.signal(id);
            String what = "seq " + seq + " " + s.name() + " (" + s.type() + ", bound " + s.bound() + ")";
            assertThat(r.id(j)).as(what).isEqualTo(id);
            if (x.unavailable(j)) {
                assertThat(r.unavailable(j)).as(what + " unavailable").isTrue();
                assertThat(r.omitted(j)).as(what).isFalse();
                continue;
            }
            boolean key = keyframes.firstValue(id);
            if (key) {
                assertThat(r.omitted(j))
                        .as(what + ": first value of a keyframe period is sent")
                        .isFalse();
            }
            switch (s.type()) {
                case FloatType f -> {
                    double xv = x.number(j);
                    double rv = r.number(j);
                    assertThat(s.withinBound(xv, rv))
                            .as("%s: captured %s, reconstructed %s", what, xv, rv)
                            .isTrue();
                    if (!r.omitted(j)) {
                        assertThat(rv).as(what + " sent at the resolution").isEqualTo(s.dequantise(s.quantise(xv)));
                    }
                }
                case LocationType l -> {
                    Position xp = x.position(j);
                    Position rp = r.position(j);
                    assertThat(s.withinBound(xp, rp))
                            .as(
                                    "%s: captured %s, reconstructed %s (%s m)",
                                    what, xp, rp, LocationType.distanceMetres(xp, rp))
                            .isTrue();
                    if (!r.omitted(j)) {
                        assertThat(LocationType.distanceMetres(xp, rp))
                                .as(what + " sent at the resolution")
                                .isLessThanOrEqualTo(l.halfStepMetres() * (1 + 1e-9));
                    }
                }
                case StringType st -> assertThat(r.string(j)).as(what).isEqualTo(x.string(j));
                default -> assertThat(r.integer(j)).as(what).isEqualTo(x.integer(j));
            }
        }
    }
}
