package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Field;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CodecConfigTest {

    @Test
    void defaultsAreTheSeedThresholdsAndThirtySecondKeyframes() {
        CodecConfig c = CodecConfig.defaults();
        assertThat(c.thresholds()).containsExactly(2.0, 5.0, 0.5, 5.0, 0, 0, 0, 0);
        assertThat(c.keyframeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(CodecConfig.ALPHA).isEqualTo(0.3);
        assertThat(CodecConfig.lossless().thresholds()).containsOnly(0.0);
    }

    @Test
    void boundIsTheThresholdOrHalfTheWireResolution() {
        CodecConfig c = CodecConfig.defaults();
        assertThat(c.bound(Field.SPEED)).isEqualTo(2.0);
        assertThat(c.bound(Field.ODOMETER)).isEqualTo(0.0005);
        assertThat(c.bound(Field.LATITUDE)).isEqualTo(0.5e-7);
        assertThat(c.bound(Field.ELEVATION)).isEqualTo(0.005);
        assertThat(c.withThreshold(Field.ELEVATION, 0.001).bound(Field.ELEVATION))
                .isEqualTo(0.005);
        assertThat(c.withThreshold(Field.ELEVATION, 0.5).bound(Field.ELEVATION)).isEqualTo(0.5);
    }

    @Test
    void withThresholdsParsesCommandLineOverrides() {
        CodecConfig c = CodecConfig.defaults().withThresholds("speed=2.5, odometer=0.01,HEADING = 10");
        assertThat(c.threshold(Field.SPEED)).isEqualTo(2.5);
        assertThat(c.threshold(Field.ODOMETER)).isEqualTo(0.01);
        assertThat(c.threshold(Field.HEADING)).isEqualTo(10);
        assertThat(c.threshold(Field.POWER)).isEqualTo(5.0);
        assertThat(CodecConfig.defaults()
                        .withThresholds("speed=2,odometer=0.01")
                        .threshold(Field.ODOMETER))
                .isEqualTo(0.01);
        assertThat(CodecConfig.defaults().withThresholds(" ")).isEqualTo(CodecConfig.defaults());
        assertThat(CodecConfig.defaults().withThresholds(null)).isEqualTo(CodecConfig.defaults());
    }

    @Test
    void withThresholdsNamesTheBadEntry() {
        assertThatThrownBy(() -> CodecConfig.defaults().withThresholds("speed"))
                .hasMessageContaining("threshold 'speed' is not of the form field=value");
        assertThatThrownBy(() -> CodecConfig.defaults().withThresholds("speed=2,power=fast"))
                .hasMessageContaining("threshold 'power=fast': 'fast' is not a number");
        assertThatThrownBy(() -> CodecConfig.defaults().withThresholds("sped=2"))
                .hasMessageContaining("unknown field 'sped'")
                .hasMessageContaining("known: speed, power");
        assertThatThrownBy(() -> CodecConfig.defaults().withThresholds("soc=-1"))
                .hasMessageContaining("threshold.soc = -1.0 must be a finite number >= 0 %");
    }

    @Test
    void constructorRefusesBadValuesWithFieldAndValue() {
        double[] t = CodecConfig.defaults().thresholds();
        assertThatThrownBy(() -> new CodecConfig(new double[3], Duration.ofSeconds(1)))
                .hasMessage("expected 8 thresholds, got 3");
        t[Field.POWER.ordinal()] = Double.NaN;
        assertThatThrownBy(() -> new CodecConfig(t, Duration.ofSeconds(1)))
                .hasMessageContaining("threshold.power = NaN must be a finite number >= 0 kW");
        t[Field.POWER.ordinal()] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> new CodecConfig(t, Duration.ofSeconds(1)))
                .hasMessageContaining("threshold.power = Infinity");
        assertThatThrownBy(() -> CodecConfig.defaults().withThreshold(Field.HEADING, 180))
                .hasMessageContaining("threshold.heading = 180.0 must be below 180 deg");
        assertThat(CodecConfig.defaults().withThreshold(Field.HEADING, 179.9).threshold(Field.HEADING))
                .isEqualTo(179.9);
        assertThatThrownBy(() -> CodecConfig.defaults().withKeyframeInterval(Duration.ZERO))
                .hasMessageContaining("keyframe interval PT0S must be positive");
        assertThatThrownBy(() -> CodecConfig.defaults().withKeyframeInterval(Duration.ofMillis(-5)))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> CodecConfig.defaults().withKeyframeInterval(null))
                .hasMessageContaining("keyframe interval null must be positive");
        assertThatThrownBy(() -> CodecConfig.defaults().withKeyframeInterval(Duration.ofMinutes(61)))
                .hasMessageContaining("keyframe interval PT1H1M must be at most 1 hour");
    }

    @Test
    void thresholdsAreCopiedInAndOut() {
        double[] t = new double[Field.COUNT];
        CodecConfig c = new CodecConfig(t, Duration.ofSeconds(1));
        t[0] = 99;
        c.thresholds()[1] = 99;
        assertThat(c.thresholds()).containsOnly(0.0);
        assertThat(c).isEqualTo(CodecConfig.lossless().withKeyframeInterval(Duration.ofSeconds(1)));
        assertThat(c.hashCode())
                .isEqualTo(CodecConfig.lossless()
                        .withKeyframeInterval(Duration.ofSeconds(1))
                        .hashCode());
        assertThat(c.toString()).contains("speed=0.0").contains("keyframe=PT1S");
    }
}
