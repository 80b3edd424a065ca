package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import org.junit.jupiter.api.Test;

class FullSamplesTest {

    @Test
    void computedSizeEqualsTheBuiltMessagesAndTheSampleRoundTrips() {
        Sample[] samples = {
            new Sample(0, 0, new double[] {0, -3.5, 80, 359.99, 1234.567, 37.1, -122.2, 12}),
            new Sample(123_456, 1_764_000_000_000L, new double[] {
                61.2, Double.NaN, 55.5, 0, Double.NaN, 38.6, -120.2, Double.NaN
            }),
            Sample.unavailable(7, 1_700_000_000_020L)
        };
        for (String vin : new String[] {"", "5YJ3E1EA8KF000001"}) {
            for (Sample s : samples) {
                assertThat(FullSamples.serializedSize(vin, s))
                        .isEqualTo(FullSamples.of(vin, s).getSerializedSize());
                assertThat(FullSamples.toSample(FullSamples.of(vin, s))).isEqualTo(s);
            }
        }
    }
}
