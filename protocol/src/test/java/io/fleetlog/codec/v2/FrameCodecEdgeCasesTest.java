package io.fleetlog.codec.v2;

import static io.fleetlog.codec.v2.TestCatalogue.ALL;
import static io.fleetlog.codec.v2.TestCatalogue.CATALOGUE;
import static io.fleetlog.codec.v2.TestCatalogue.COUNT;
import static io.fleetlog.codec.v2.TestCatalogue.GEAR;
import static io.fleetlog.codec.v2.TestCatalogue.HEADING;
import static io.fleetlog.codec.v2.TestCatalogue.LOC;
import static io.fleetlog.codec.v2.TestCatalogue.LOCKED;
import static io.fleetlog.codec.v2.TestCatalogue.SPEED;
import static io.fleetlog.codec.v2.TestCatalogue.TRAILER;
import static io.fleetlog.codec.v2.TestCatalogue.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Position;
import io.fleetlog.codec.WireException;
import io.fleetlog.frame.Frame;
import io.fleetlog.wire.v2.Hello;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Systematic edge inputs of the v2 codec (STYLE habit 10): NaN and infinities, range extremes, empty
 * frames, wrap-around of angles and of the antimeridian, the poles, keyframe timing, what the wire
 * costs, encoder refusals that change nothing, and the Hello's catalogue check.
 */
class FrameCodecEdgeCasesTest {
    private static final long T0 = 1_700_000_000_000L;

    private static List<Frame> roundTrip(FrameLayout layout, List<Frame> frames) throws WireException {
        FrameEncoder e = new FrameEncoder(layout);
        FrameDecoder d = new FrameDecoder(layout);
        DecodedFrames out = d.decode(e.encode(0, frames).bytes());
        assertThat(d.predictorState()).isEqualTo(e.predictorState());
        return out.frames();
    }

    @Test
    void nanAndInfinitiesAreNotValues() {
        assertThatThrownBy(() -> Frame.builder(T0).number(SPEED, Double.NaN))
                .hasMessageContaining(
                        "signal 0: NaN is not a value (a captured signal without a value is unavailable)");
        assertThatThrownBy(() -> Frame.builder(T0).number(SPEED, Double.POSITIVE_INFINITY))
                .hasMessageContaining("Infinity is not a value");
        assertThatThrownBy(() -> Frame.builder(T0).position(LOC, Double.NaN, 0)).hasMessageContaining("not a value");
        assertThatThrownBy(() -> Frame.builder(T0).number(SPEED, 1).number(SPEED, 2))
                .hasMessageContaining("signal 0 is set twice in one frame");
    }

    @Test
    void extremesOfEveryTypeRoundTripExactly() throws WireException {
        List<Frame> in = List.of(
                Frame.builder(T0)
                        .number(SPEED, -500)
                        .number(HEADING, -1_000_000)
                        .integer(GEAR, Integer.MAX_VALUE)
                        .bool(LOCKED, true)
                        .string(VERSION, "😀😀")
                        .position(LOC, -90, -180)
                        .integer(COUNT, -9_007_199_254_740_991L)
                        .position(TRAILER, 90, 180)
                        .build(),
                Frame.builder(T0 + 1)
                        .number(SPEED, 500)
                        .number(HEADING, 1_000_000)
                        .integer(GEAR, 2)
                        .bool(LOCKED, false)
                        .string(VERSION, "")
                        .position(LOC, 90, 180)
                        .integer(COUNT, 9_007_199_254_740_991L)
                        .position(TRAILER, -90, -180)
                        .build());
        List<Frame> out = roundTrip(ALL, in);
        Frame a = out.get(0);
        assertThat(a.number(0)).isEqualTo(-500);
        assertThat(a.number(1)).isEqualTo(80); // -1e6 on the circle
        assertThat(a.integer(2)).isEqualTo(Integer.MAX_VALUE);
        assertThat(a.integer(3)).isEqualTo(1);
        assertThat(a.string(4)).isEqualTo("😀😀");
        assertThat(a.latitude(5)).isEqualTo(-90);
        assertThat(a.longitude(5)).isEqualTo(-180);
        assertThat(a.integer(6)).isEqualTo(-9_007_199_254_740_991L);
        Frame b = out.get(1);
        assertThat(b.number(0)).isEqualTo(500);
        assertThat(b.number(1)).isEqualTo(280);
        assertThat(b.string(4)).isEmpty();
        assertThat(b.integer(6)).isEqualTo(9_007_199_254_740_991L);
        assertThat(b.longitude(5)).as("180 travels as -180, the same meridian").isEqualTo(-180);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < in.get(i).size(); j++) {
                assertThat(out.get(i).omitted(j)).isFalse();
            }
        }
    }

    @Test
    void framesWithNothingCapturedStayEmpty() throws WireException {
        List<Frame> in = List.of(
                Frame.builder(T0).build(),
                Frame.builder(T0 + 20).number(SPEED, 3).build(),
                Frame.builder(T0 + 40).build());
        List<Frame> out = roundTrip(ALL, in);
        assertThat(out.get(0).isEmpty()).isTrue();
        assertThat(out.get(1).size()).isEqualTo(1);
        assertThat(out.get(2).isEmpty())
                .as("nothing is invented for a signal not captured")
                .isTrue();
        assertThat(new FrameEncoder(FrameLayout.all(Catalogue.of(List.of())))
                        .encode(0, List.of(Frame.builder(T0).build()))
                        .frames())
                .isEqualTo(1);
    }

    @Test
    void aHeadingCrossingNorthTravelsTheShortWay() throws WireException {
        FrameLayout h = FrameLayout.of(CATALOGUE, HEADING);
        FrameEncoder e = new FrameEncoder(h);
        FrameDecoder d = new FrameDecoder(h);
        d.decode(e.encode(0, List.of(Frame.builder(T0).number(HEADING, 359.5).build()))
                .bytes());
        EncodedFrames next = e.encode(
                1, List.of(Frame.builder(T0 + 20).number(HEADING, 10.25).build()));
        // 1 flags byte + 2 bytes of delta (+1075 units), not a delta of -34925
        assertThat(FrameDecoderRejectsBadInputTest.blob(next.bytes())).hasSize(3);
        assertThat(d.decode(next.bytes()).frames().get(0).number(0)).isEqualTo(10.25);
    }

    @Test
    void aLocationCrossingTheAntimeridianOrAtAPoleIsOmittedWithinItsMetres() throws WireException {
        FrameLayout t = FrameLayout.of(CATALOGUE, TRAILER); // bound 5 m
        List<double[]> track = new ArrayList<>();
        track.add(new double[] {10, 179.99999});
        track.add(new double[] {10, -179.99999}); // 2.2 m east, across the antimeridian
        for (int i = 0; i < 60; i++) {
            track.add(new double[] {89.9999999, 0}); // the predictor converges on the pole
        }
        track.add(new double[] {89.9999999, 120}); // 1.9 cm away: the same place
        track.add(new double[] {-90, 0});
        List<Frame> in = new ArrayList<>();
        for (int i = 0; i < track.size(); i++) {
            in.add(Frame.builder(T0 + 20L * i)
                    .position(TRAILER, track.get(i)[0], track.get(i)[1])
                    .build());
        }
        List<Frame> out = roundTrip(t, in);
        for (int i = 0; i < track.size(); i++) {
            Position x = in.get(i).position(0);
            Position r = out.get(i).position(0);
            assertThat(CATALOGUE.signal(TRAILER).withinBound(x, r))
                    .as("frame %d: %s vs %s, %s m", i, x, r, LocationType.distanceMetres(x, r))
                    .isTrue();
        }
        int n = track.size();
        assertThat(out.get(1).omitted(0))
                .as("2.2 m across the antimeridian: within 5 m")
                .isTrue();
        assertThat(out.get(n - 2).omitted(0))
                .as("near the pole, 120 deg of longitude: the same place")
                .isTrue();
        assertThat(out.get(n - 1).omitted(0)).as("the other pole").isFalse();
    }

    @Test
    void everySignalIsKeyedOnItsFirstValueInEveryThirtySeconds() throws WireException {
        FrameLayout l = FrameLayout.of(CATALOGUE, SPEED, GEAR);
        FrameEncoder e = new FrameEncoder(l);
        FrameDecoder d = new FrameDecoder(l);
        long seq = 0;
        for (int second = 0; second < 95; second++) {
            List<Frame> batch = new ArrayList<>();
            for (int k = 0; k < 50; k++) {
                long t = T0 + second * 1000L + k * 20L;
                Frame.Builder b = Frame.builder(t).number(SPEED, 42.0);
                if (k == 25) {
                    b.integer(GEAR, 5); // 1 Hz, never at a period's first frame
                }
                batch.add(b.build());
            }
            d.decode(e.encode(seq, batch).bytes());
            seq += batch.size();
        }
        // periods start at 0, 30, 60 and 90 s: one value sent per period and signal, nothing else
        assertThat(e.stats().sent()).containsExactly(4, 4);
        assertThat(d.stats().sent()).containsExactly(4, 4);
        assertThat(d.stats().omitted()).containsExactly(95 * 50 - 4, 95 - 4);
    }

    @Test
    void aClockGoingBackwardsStartsAKeyframePeriod() throws WireException {
        FrameLayout l = FrameLayout.of(CATALOGUE, SPEED);
        List<Frame> in = List.of(
                Frame.builder(T0).number(SPEED, 10).build(),
                Frame.builder(T0 + 20).number(SPEED, 10.5).build(),
                Frame.builder(T0 - 5_000).number(SPEED, 10.5).build());
        List<Frame> out = roundTrip(l, in);
        assertThat(out.get(1).omitted(0)).isTrue();
        assertThat(out.get(2).omitted(0)).isFalse();
        assertThat(out.get(2).timeMs()).isEqualTo(T0 - 5_000);
    }

    @Test
    void unavailableIsFlaggedOnlyWhenThereWasAPrediction() throws WireException {
        FrameLayout l = FrameLayout.of(CATALOGUE, SPEED, VERSION);
        List<Frame> in = List.of(
                Frame.builder(T0).unavailable(SPEED).string(VERSION, "v1").build(),
                Frame.builder(T0 + 20).number(SPEED, 5).string(VERSION, "v1").build(),
                Frame.builder(T0 + 40).unavailable(SPEED).unavailable(VERSION).build(),
                Frame.builder(T0 + 60).unavailable(SPEED).unavailable(VERSION).build(),
                Frame.builder(T0 + 80).number(SPEED, 5).build());
        FrameEncoder e = new FrameEncoder(l);
        byte[] msg = e.encode(0, in).bytes();
        List<Frame> out = new FrameDecoder(l).decode(msg).frames();
        assertThat(out.get(0).unavailable(0)).isTrue();
        assertThat(out.get(1).omitted(1)).as("a string sent on change only").isTrue();
        assertThat(out.get(2).unavailable(0)).isTrue();
        assertThat(out.get(2).unavailable(1)).isTrue();
        assertThat(out.get(3).unavailable(0)).isTrue();
        assertThat(out.get(4).number(0)).isEqualTo(5);
        assertThat(out.get(4).size()).isEqualTo(1);
        assertThat(e.stats().unavailable()).containsExactly(3, 2);
    }

    @Test
    void theEncoderRefusesBadFramesAndChangesNothing() {
        FrameLayout l = FrameLayout.of(CATALOGUE, SPEED, GEAR, LOCKED, VERSION, LOC);
        FrameEncoder e = new FrameEncoder(l);
        FrameEncoder fresh = new FrameEncoder(l);
        Map<Frame, String> bad = new java.util.LinkedHashMap<>();
        bad.put(Frame.builder(T0).number(SPEED, 500.5).build(), "seq 7: Speed 500.5 mph is outside -500.0..500.0");
        bad.put(Frame.builder(T0).integer(SPEED, 5).build(), "seq 7: Speed needs a number, got INTEGER");
        bad.put(Frame.builder(T0).integer(GEAR, 6).build(), "seq 7: Gear: 6 is not one of its 5 enum codes");
        bad.put(Frame.builder(T0).integer(LOCKED, 2).build(), "seq 7: Locked: boolean 2 is not 0 or 1");
        bad.put(
                Frame.builder(T0).string(VERSION, "123456789").build(),
                "seq 7: Version: string of 9 UTF-8 bytes exceeds maxlength 8");
        bad.put(Frame.builder(T0).string(VERSION, "\ud83d").build(), "unpaired surrogate");
        bad.put(
                Frame.builder(T0).position(LOC, 91, 0).build(),
                "seq 7: Loc: latitude 91.0 must be a number in -90..90");
        bad.put(Frame.builder(T0).number(HEADING, 1).build(), "seq 7: signal id 1 is not in this connection's layout");
        bad.put(Frame.builder(0).number(SPEED, 1).build(), "seq 7: capture time 0 ms is not believable");
        for (Map.Entry<Frame, String> b : bad.entrySet()) {
            Frame good = Frame.builder(T0).number(SPEED, 1).build();
            assertThatThrownBy(() -> e.encode(6, List.of(good, b.getKey())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(b.getValue());
        }
        assertThatThrownBy(() -> e.encode(0, List.of())).hasMessageContaining("a batch needs at least one frame");
        assertThatThrownBy(() -> e.encode(-1, List.of(Frame.builder(T0).build())))
                .hasMessageContaining("out of range");
        Frame one = Frame.builder(T0).number(SPEED, 1).build();
        assertThat(e.encode(6, List.of(one)).bytes())
                .isEqualTo(fresh.encode(6, List.of(one)).bytes());
        assertThat(e.predictorState()).isEqualTo(fresh.predictorState());
        assertThatThrownBy(() -> e.encode(6, List.of(one))).hasMessageContaining("already sent up to 6");
        assertThatThrownBy(() -> e.encode(9, List.of(one)))
                .hasMessageContaining("batch starts at seq 9, 2 after the seq this connection expects next (7)");
        assertThat(e.encode(9, List.of(one), Gap.dropped(2)).gap()).isEqualTo(Gap.dropped(2));
        assertThatThrownBy(() -> new Gap(0, io.fleetlog.wire.v2.GapReason.DROPPED))
                .hasMessageContaining("at least 1");
    }

    @Test
    void theDemoLayoutCostsAboutTwoBytesAFrameBeyondItsValues() throws WireException {
        Catalogue b = Catalogue.builtin();
        FrameLayout demo = FrameLayout.ofNames(
                b, List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation"));
        assertThat(demo.size()).isEqualTo(7);
        FrameEncoder e = new FrameEncoder(demo);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(Frame.builder(T0 + 20L * i)
                    .number(demo.id(0), 65)
                    .number(demo.id(1), 20)
                    .number(demo.id(2), 80)
                    .number(demo.id(3), 90)
                    .number(demo.id(4), 12345.678)
                    .position(demo.id(5), 37.39, -122.08)
                    .number(demo.id(6), 40)
                    .build());
        }
        EncodedFrames enc = e.encode(0, frames);
        // a constant stream: flags + sent bitmap for the location's zero deltas (bound 0 at 1e-7°)
        assertThat(enc.bytes().length).isLessThan(50 * 6);
        assertThat(new FrameDecoder(demo).decode(enc.bytes()).frames()).hasSize(50);
    }

    @Test
    void theHelloNamesTheCatalogueAndTheServerRefusesOneItDoesNotHold() throws WireException {
        FrameLayout l = FrameLayout.of(CATALOGUE, SPEED, LOC);
        Hello hello = WireV2.hello("5YJ3E1EA2KF317000", "model3", "secret", "", l);
        Function<String, Optional<Catalogue>> known =
                h -> h.equals(CATALOGUE.hash()) ? Optional.of(CATALOGUE) : Optional.empty();
        assertThat(WireV2.checkHello(hello, known)).isEqualTo(l);
        Hello all = WireV2.hello("5YJ3E1EA2KF317000", "model3", "secret", "", ALL);
        assertThat(all.getLayoutCount()).isZero();
        assertThat(WireV2.checkHello(all, known)).isEqualTo(ALL);
        assertThatThrownBy(() -> WireV2.checkHello(hello, h -> Optional.empty()))
                .isInstanceOfSatisfying(
                        WireException.class, x -> assertThat(x.kind()).isEqualTo(WireException.Kind.INVALID))
                .hasMessageContaining("unknown catalogue " + CATALOGUE.shortId());
        assertThatThrownBy(() -> WireV2.checkHello(
                        hello.toBuilder().setCatalogueHash("abc").build(), known))
                .hasMessageContaining("catalogue hash 'abc' is not 64 lower-case hex digits");
        assertThatThrownBy(
                        () -> WireV2.checkHello(hello.toBuilder().addLayout(2).build(), known))
                .hasMessageContaining("Hello layout: layout entry 2: signal id 2 does not follow 5");
        assertThatThrownBy(
                        () -> WireV2.checkHello(hello.toBuilder().addLayout(99).build(), known))
                .hasMessageContaining("signal id 99 is outside 0..7");
        assertThatThrownBy(() -> WireV2.checkHello(
                        hello.toBuilder().setProtocolVersion(1).build(), known))
                .hasMessageContaining("protocol version 1 is not supported (this server speaks 2)");
    }
}
