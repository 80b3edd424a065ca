package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import org.junit.jupiter.api.Test;

class SamplePayloadTest {

    @Test
    void aWorkloadSampleSurvivesTheRoundTripAndIsAboutEightyBytes() throws Exception {
        Source source = Workload.fleet(1, java.time.Duration.ofSeconds(1), 7).source(0);
        Sample s = source.next().withSeq(1234);

        byte[] payload = SamplePayload.encode(s);

        assertThat(SamplePayload.decode(payload)).isEqualTo(s);
        assertThat(payload.length).isBetween(70, 90);
    }

    @Test
    void anUnavailableValueStaysUnavailable() throws Exception {
        double[] v = new double[Field.COUNT];
        v[Field.SPEED.ordinal()] = Double.NaN;
        Sample s = new Sample(1, 1000, v);

        assertThat(SamplePayload.decode(SamplePayload.encode(s)).available(Field.SPEED))
                .isFalse();
    }

    @Test
    void theTopicCarriesTheVin() {
        assertThat(SamplePayload.vinOf(SamplePayload.topic("5YJ3E1EA7KF000001")))
                .isEqualTo("5YJ3E1EA7KF000001");
    }

    @Test
    void workloadsAreDeterministicAndValid() throws Exception {
        Workload w = Workload.fleet(3, java.time.Duration.ofSeconds(2), 7);
        assertThat(w.total()).isEqualTo(300);
        for (int i = 0; i < w.vehicles(); i++) {
            Source a = w.source(i);
            Source b = w.source(i);
            Sample x;
            long n = 0;
            while ((x = a.next()) != null) {
                assertThat(b.next()).isEqualTo(x.validate());
                n++;
            }
            assertThat(n).isEqualTo(100);
        }
    }
}
