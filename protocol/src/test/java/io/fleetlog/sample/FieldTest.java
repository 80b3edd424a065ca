package io.fleetlog.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FieldTest {

    @Test
    void fieldsAreInWireOrderWithTheirUnitsAndResolutions() {
        assertThat(Field.values()).hasSize(Field.COUNT);
        assertThat(Field.of(3)).isEqualTo(Field.HEADING);
        assertThat(Field.SPEED.resolution()).isEqualTo(0.01);
        assertThat(Field.ODOMETER.resolution()).isEqualTo(0.001);
        assertThat(Field.LATITUDE.resolution()).isEqualTo(1e-7);
        assertThat(Field.POWER.unit()).isEqualTo("kW");
        assertThat(Field.byKey(" Longitude ")).isEqualTo(Field.LONGITUDE);
        assertThatThrownBy(() -> Field.byKey("rpm")).hasMessageContaining("unknown field 'rpm'");
    }

    @Test
    void toUnitsRoundsToTheWireResolution() {
        assertThat(Field.SPEED.toUnits(65.434)).isEqualTo(6543);
        assertThat(Field.SPEED.toUnits(65.436)).isEqualTo(6544);
        assertThat(Field.POWER.toUnits(-12.345)).isEqualTo(-1234);
        assertThat(Field.LATITUDE.toUnits(37.7749295)).isEqualTo(377_749_295);
        assertThat(Field.ODOMETER.toUnits(10_000_000)).isEqualTo(10_000_000_000L);
        assertThat(Field.ODOMETER.fromUnits(12_345_678)).isEqualTo(12345.678);
        assertThat(Field.SPEED.quantise(1.004)).isEqualTo(1.0);
    }

    @Test
    void headingIsNormalisedIntoZeroTo360() {
        assertThat(Field.HEADING.normalise(-90)).isEqualTo(270);
        assertThat(Field.HEADING.normalise(720)).isEqualTo(0);
        assertThat(Field.HEADING.normalise(-1e-20)).isEqualTo(0).as("never 360");
        assertThat(Field.HEADING.normalise(365.5)).isEqualTo(5.5);
        assertThat(Field.SPEED.normalise(-90)).isEqualTo(-90);
        assertThat(Field.HEADING.toUnits(359.996)).isZero().as("rounds up to 360 = 0");
        assertThat(Field.HEADING.toUnits(-0.004)).isZero();
        assertThat(Field.HEADING.toUnits(-1)).isEqualTo(35_900);
        assertThat(Field.HEADING.toUnits(1e6)).isEqualTo(Math.round(1e6 % 360 * 100));
    }

    @Test
    void headingDistanceIsOnTheCircle() {
        assertThat(Field.HEADING.distance(359, 1)).isEqualTo(2);
        assertThat(Field.HEADING.distance(1, 359)).isEqualTo(2);
        assertThat(Field.HEADING.distance(0, 180)).isEqualTo(180);
        assertThat(Field.HEADING.distance(-10, 710)).isEqualTo(0);
        assertThat(Field.HEADING.distance(90, 450.5)).isCloseTo(0.5, within(1e-12));
        assertThat(Field.SPEED.distance(359, 1)).isEqualTo(358);
        assertThat(Field.POWER.distance(-5, 5)).isEqualTo(10);
    }

    @Test
    void rangesAreInclusive() {
        assertThat(Field.SOC.inRange(0)).isTrue();
        assertThat(Field.SOC.inRange(100)).isTrue();
        assertThat(Field.SOC.inRange(100.0001)).isFalse();
        assertThat(Field.LATITUDE.inRange(-90)).isTrue();
        assertThat(Field.LONGITUDE.inRange(180.5)).isFalse();
        assertThat(Field.SPEED.inRange(Double.NaN)).isFalse();
    }

    @Test
    void sampleValidationNamesSeqFieldAndValue() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, Double.NaN};
        assertThat(new Sample(3, 0, v).validate().available(Field.ELEVATION)).isFalse();
        double[] bad = {1, 2, 3, 4, -5, 6, 7, 8};
        assertThatThrownBy(() -> new Sample(3, 0, bad).validate())
                .hasMessage("seq 3: odometer -5.0 mi is outside [0.0, 1.0E7]");
        assertThatThrownBy(() -> new Sample(3, 0, new double[2])).hasMessageContaining("a sample has 8 values, got 2");
    }
}
