package io.fleetlog.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.codec.CodecConfig;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuityTest {
    private static final CodecConfig CONFIG = CodecConfig.defaults();

    private static List<Sample> drive(int n) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] v = {60 + i % 7, 20, 80, (350 + i) % 360, 1000 + i * 0.001, 37.0, -122.0, 10};
            out.add(new Sample(i, 1_764_000_000_000L + 20L * i, v));
        }
        return out;
    }

    private static Continuity compare(List<Sample> captured, List<Sample> stored, List<Sample> buffered) {
        return new Continuity(CONFIG).compare(captured.iterator(), stored.iterator(), buffered.iterator());
    }

    @Test
    void identicalStreamsArePerfect() {
        List<Sample> d = drive(100);
        Continuity c = compare(d, d, List.of());
        assertThat(c.perfect()).isTrue();
        assertThat(c.captured()).isEqualTo(100);
        assertThat(c.stored()).isEqualTo(100);
        assertThat(c.maxError(Field.SPEED)).isZero();
    }

    @Test
    void aLostSampleIsMissingUnlessStillBufferedOnTheEdge() {
        List<Sample> d = drive(100);
        List<Sample> stored = new ArrayList<>(d);
        stored.remove(40);
        Sample late = stored.remove(89); // seq 90: still in the spool
        Continuity c = compare(d, stored, List.of(late));
        assertThat(c.missing()).isEqualTo(1);
        assertThat(c.stillBuffered()).isEqualTo(1);
        assertThat(c.perfect()).isFalse();
    }

    @Test
    void aSecondRowForTheSameCaptureIsADuplicate() {
        List<Sample> d = drive(10);
        List<Sample> stored = new ArrayList<>(d.subList(0, 5));
        stored.add(d.get(4).withSeq(5));
        for (Sample s : d.subList(5, 10)) {
            stored.add(s.withSeq(s.seq() + 1));
        }
        Continuity c = compare(d, stored, List.of());
        assertThat(c.duplicated()).isEqualTo(1);
        assertThat(c.missing()).isZero();
    }

    @Test
    void aDriveStoredTwiceUnderNewSeqsIsDuplicatedNotJustUnexpected() {
        List<Sample> d = drive(10);
        List<Sample> stored = new ArrayList<>(d);
        for (Sample s : d) {
            stored.add(s.withSeq(s.seq() + 10));
        }
        Continuity c = new Continuity(CONFIG)
                .compare(d.iterator(), stored, List.<Sample>of().iterator());
        assertThat(c.duplicated()).isEqualTo(10);
        assertThat(c.unexpected()).isZero();
        assertThat(c.missing()).isZero();
        assertThat(c.perfect()).isFalse();
    }

    @Test
    void swappedRowsAreOutOfOrder() {
        List<Sample> d = drive(10);
        List<Sample> stored = new ArrayList<>(d);
        Collections.swap(stored, 3, 4);
        Continuity c = compare(d, stored, List.of());
        assertThat(c.outOfOrder()).isPositive();
        assertThat(c.perfect()).isFalse();
    }

    @Test
    void errorIsMeasuredOnTheCircleAndCheckedAgainstTheBound() {
        List<Sample> d = drive(3);
        List<Sample> stored = new ArrayList<>();
        for (Sample s : d) {
            double[] v = s.values().clone();
            v[Field.HEADING.ordinal()] = (v[Field.HEADING.ordinal()] + 4.5) % 360; // within 5 deg
            v[Field.SPEED.ordinal()] += 2.5; // beyond 2 mph
            stored.add(new Sample(s.seq(), s.captureTimeMs(), v));
        }
        Continuity c = compare(d, stored, List.of());
        assertThat(c.maxError(Field.HEADING)).isCloseTo(4.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.overBound(Field.HEADING)).isZero();
        assertThat(c.overBound(Field.SPEED)).isEqualTo(3);
        assertThat(c.perfect()).isFalse();
    }

    @Test
    void unavailableMustStayUnavailable() {
        List<Sample> d = drive(2);
        double[] v = d.get(1).values().clone();
        v[Field.SOC.ordinal()] = Double.NaN;
        List<Sample> stored = List.of(d.get(0), new Sample(1, d.get(1).captureTimeMs(), v));
        Continuity c = compare(d, stored, List.of());
        assertThat(c.overBound(Field.SOC)).isEqualTo(1);
    }

    @Test
    void rowsNobodyCapturedAreUnexpected() {
        List<Sample> d = drive(5);
        List<Sample> stored = new ArrayList<>(d);
        stored.add(new Sample(5, d.get(4).captureTimeMs() + 20, d.get(4).values()));
        Continuity c = compare(d, stored, List.of());
        assertThat(c.unexpected()).isEqualTo(1);
    }
}
