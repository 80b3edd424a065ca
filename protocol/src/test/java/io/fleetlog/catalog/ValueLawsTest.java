package io.fleetlog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Field;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The value helpers' laws: quantisation, distance on the line, the circle and the sphere, the bound. */
class ValueLawsTest {

    private static final Catalogue BUILTIN = Catalogue.builtin();
    private static final Signal HEADING = BUILTIN.get("GpsHeading");
    private static final Signal LOCATION = BUILTIN.get("Location");

    @Property
    void aQuantisedFloatIsWithinHalfAStepAndQuantisesToItself(
            @ForAll("floatSignals") Signal s, @ForAll @DoubleRange(min = 0, max = 1) double u) {
        FloatType f = (FloatType) s.type();
        double v = f.min() + u * (f.max() - f.min());
        long units = s.quantise(v);
        double q = s.dequantise(units);
        assertThat(s.distance(v, q)).isLessThanOrEqualTo(f.resolution() / 2 + 4 * Math.ulp(Math.max(360, Math.abs(v))));
        assertThat(s.quantise(q)).isEqualTo(units);
        assertThat(s.withinBound(v, q))
                .as("a quantised value is within any bound, 0 included")
                .isTrue();
    }

    @Property
    void catalogueQuantisationIsBitIdenticalToTheLegacyField(
            @ForAll Field field, @ForAll @DoubleRange(min = 0, max = 1) double u) {
        double v = field.min() + u * (field.max() - field.min());
        Signal s = BUILTIN.get(field.key());
        if (s.type() instanceof FloatType f) {
            assertThat(f.toUnits(v)).isEqualTo(field.toUnits(v));
            assertThat(Double.doubleToRawLongBits(f.quantise(v)))
                    .isEqualTo(Double.doubleToRawLongBits(field.quantise(v)));
        } else {
            LocationType l = (LocationType) s.type();
            assertThat(l.toUnits(v)).isEqualTo(field.toUnits(v));
            assertThat(l.fromUnits(l.toUnits(v))).isEqualTo(field.quantise(v));
        }
    }

    @Property
    void headingDistanceIsOnTheCircle(
            @ForAll @DoubleRange(min = -1e6, max = 1e6) double a,
            @ForAll @DoubleRange(min = -720, max = 720) double d) {
        double b = a + d;
        double dist = HEADING.distance(a, b);
        assertThat(dist).isBetween(0.0, 180.0);
        assertThat(dist).isEqualTo(HEADING.distance(b, a));
        double expected = Math.abs(Math.IEEEremainder(d, 360));
        assertThat(dist).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(HEADING.distance(a, a + 360)).isLessThan(1e-6);
    }

    @Example
    void headingWrapsAtZero() {
        assertThat(HEADING.distance(359, 1)).isEqualTo(2.0);
        assertThat(HEADING.withinBound(358, 2)).isTrue(); // 4 deg apart, bound 5
        assertThat(HEADING.withinBound(350, 10)).isFalse();
        assertThat(HEADING.quantise(359.999)).isZero(); // rounds to 360 = 0
        assertThat(HEADING.quantise(-0.001)).isZero();
        assertThat(HEADING.dequantise(HEADING.quantise(-90))).isEqualTo(270.0);
    }

    @Property
    void locationDistanceIsSymmetricZeroOnSelfAndUnchangedByTurningBothPointsAcrossTheAntimeridian(
            @ForAll("edgyPositions") Position a,
            @ForAll("edgyPositions") Position b,
            @ForAll @DoubleRange(min = -180, max = 180) double turn) {
        double d = LOCATION.distance(a, b);
        assertThat(d).isCloseTo(LOCATION.distance(b, a), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(d).isBetween(0.0, Math.PI * LocationType.EARTH_RADIUS_M + 1);
        assertThat(LOCATION.distance(a, a)).isZero();
        Position ta = new Position(a.latitude(), Math.IEEEremainder(a.longitude() + turn, 360));
        Position tb = new Position(b.latitude(), Math.IEEEremainder(b.longitude() + turn, 360));
        assertThat(LOCATION.distance(ta, tb)).isCloseTo(d, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, d)));
    }

    @Property
    void aQuantisedLocationIsWithinHalfAStepEverywhereNearThePolesAndTheAntimeridianToo(
            @ForAll("edgyPositions") Position p) {
        Position q = LOCATION.quantise(p);
        assertThat(LOCATION.withinBound(p, q)).isTrue();
        assertThat(LOCATION.distance(p, q)).isLessThanOrEqualTo(LOCATION.effectiveBound());
        assertThat(LOCATION.effectiveBound()).isBetween(0.007, 0.008); // 1e-7 deg: under a centimetre
    }

    @Example
    void locationDistancesNearThePolesAndAcrossTheAntimeridian() {
        // across the antimeridian: 0.0002 deg of longitude at the equator, not 359.9998
        double across = LOCATION.distance(new Position(0, 179.9999), new Position(0, -179.9999));
        assertThat(across).isCloseTo(22.24, org.assertj.core.data.Offset.offset(0.01));
        assertThat(LOCATION.distance(new Position(0, 180), new Position(0, -180)))
                .isZero();
        // at the pole every longitude is one point
        assertThat(LOCATION.distance(new Position(90, 0), new Position(90, 137)))
                .isLessThan(1e-6);
        // near the pole a big longitude difference is a short walk
        assertThat(LOCATION.distance(new Position(89.9999, 0), new Position(89.9999, 180)))
                .isCloseTo(22.24, org.assertj.core.data.Offset.offset(0.01));
        // pole to pole, half a great circle
        assertThat(LOCATION.distance(new Position(90, 0), new Position(-90, 0)))
                .isCloseTo(Math.PI * LocationType.EARTH_RADIUS_M, org.assertj.core.data.Offset.offset(1e-3));
        // one degree of latitude
        assertThat(LOCATION.distance(new Position(10, 5), new Position(11, 5)))
                .isCloseTo(111_195.08, org.assertj.core.data.Offset.offset(0.1));
    }

    @Property
    void aFloatWithinItsBoundIsAcceptedAndBeyondItRefused(
            @ForAll("floatSignals") Signal s,
            @ForAll @DoubleRange(min = 0, max = 1) double u,
            @ForAll @DoubleRange(min = 0, max = 3) double k) {
        FloatType f = (FloatType) s.type();
        double v = f.min() + u * (f.max() - f.min());
        double e = k * s.effectiveBound();
        double w = v + e;
        if (!f.circular() && w > f.max()) {
            w = v - e;
        }
        if (f.inRange(w) && k < 0.999) {
            assertThat(s.withinBound(v, w)).isTrue();
        } else if (f.inRange(w) && k > 1.001 && (!f.circular() || e < 179)) {
            assertThat(s.withinBound(v, w)).isFalse();
        }
    }

    @Example
    void extremesQuantiseAndNaNIsRejected() {
        Signal speed = BUILTIN.get("VehicleSpeed");
        assertThat(speed.quantise(500)).isEqualTo(50_000);
        assertThat(speed.quantise(-500)).isEqualTo(-50_000);
        assertThatThrownBy(() -> speed.quantise(500.01)).hasMessage("VehicleSpeed: value 500.01 is outside -500..500");
        assertThatThrownBy(() -> speed.quantise(Double.NaN))
                .hasMessage("VehicleSpeed: value NaN is outside -500..500 (NaN is not a value)");
        assertThatThrownBy(() -> speed.withinBound(Double.NaN, 1))
                .hasMessage("VehicleSpeed: cannot compare NaN with 1.0 (not finite numbers)");
        assertThatThrownBy(() -> speed.quantise(Double.POSITIVE_INFINITY)).hasMessageContaining("outside");
        assertThatThrownBy(() -> new Position(Double.NaN, 0)).hasMessageContaining("latitude NaN");
        assertThatThrownBy(() -> speed.distance(new Position(0, 0), new Position(0, 0)))
                .hasMessage("VehicleSpeed is a float signal, not a location");
        Signal odometer = BUILTIN.get("Odometer");
        assertThat(odometer.dequantise(odometer.quantise(9_999_999.9994))).isEqualTo(9_999_999.999);
        assertThat(BUILTIN.get("Gear").withinBoundExact(5, 5)).isTrue();
        assertThat(BUILTIN.get("Version").withinBound("2024.44.25", "2024.44.2"))
                .isFalse();
    }

    @Property(tries = 200)
    void negativeDecimalsQuantiseToTensAndHundreds(
            @ForAll @IntRange(min = -3, max = -1) int decimals, @ForAll @DoubleRange(min = -1e6, max = 1e6) double v) {
        FloatType f = new FloatType("x", decimals, -1e6, 1e6, false);
        double step = Math.pow(10, -decimals);
        double q = f.quantise(v);
        assertThat(Math.abs(q - v)).isLessThanOrEqualTo(step / 2 + 1e-6);
        assertThat(q / step).isEqualTo(Math.rint(q / step));
    }

    @Provide
    Arbitrary<Signal> floatSignals() {
        List<Signal> floats = BUILTIN.signals().stream()
                .filter(s -> s.type() instanceof FloatType)
                .toList();
        Arbitrary<Signal> generated = Arbitraries.integers()
                .between(-3, 9)
                .flatMap(d -> Arbitraries.doubles()
                        .between(0, 1e4)
                        .ofScale(2)
                        .map(b -> new Signal("G", new FloatType("u", d, -1000, 1000, false), Policy.within(b))));
        return Arbitraries.oneOf(Arbitraries.of(floats), generated);
    }

    @Provide
    Arbitrary<Position> positions() {
        return Arbitraries.doubles()
                .between(-90, 90)
                .flatMap(lat -> Arbitraries.doubles().between(-180, 180).map(lon -> new Position(lat, lon)));
    }

    /** Positions crowded near the poles and the antimeridian, with the exact extremes among them. */
    @Provide
    Arbitrary<Position> edgyPositions() {
        Arbitrary<Double> lat = Arbitraries.oneOf(
                Arbitraries.doubles().between(-90, 90),
                Arbitraries.doubles().between(89.99, 90),
                Arbitraries.doubles().between(-90, -89.99),
                Arbitraries.of(90.0, -90.0, 0.0));
        Arbitrary<Double> lon = Arbitraries.oneOf(
                Arbitraries.doubles().between(-180, 180),
                Arbitraries.doubles().between(179.99, 180),
                Arbitraries.doubles().between(-180, -179.99),
                Arbitraries.of(180.0, -180.0, 0.0));
        return lat.flatMap(a -> lon.map(o -> new Position(a, o)));
    }
}
