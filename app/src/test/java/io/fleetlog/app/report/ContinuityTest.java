package io.fleetlog.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuityTest {
    private static final io.fleetlog.catalog.Catalogue CONFIG = io.fleetlog.catalog.Catalogue.builtin();

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

    /** Issue 13: any signal, checked by its type; a value nobody captured is invented, one not stored lost. */
    @Test
    void sparseFramesAreCheckedPerSignalByType() {
        io.fleetlog.catalog.Catalogue cat = io.fleetlog.catalog.Catalogue.builtin();
        int speed = cat.id("VehicleSpeed");
        int gear = cat.id("Gear");
        int version = cat.id("Version");
        int location = cat.id("Location");
        int soc = cat.id("Soc");
        long t0 = 1_764_000_000_000L;
        java.util.function.IntFunction<io.fleetlog.frame.Frame.Builder> at =
                i -> io.fleetlog.frame.Frame.builder(t0 + 20L * i);
        List<Sample> captured = List.of(
                new Sample(
                        0,
                        at.apply(0)
                                .number(speed, 10)
                                .integer(gear, 4)
                                .string(version, "a")
                                .build()),
                new Sample(
                        1,
                        at.apply(1)
                                .number(speed, 11)
                                .position(location, 89.9999, 10)
                                .build()),
                new Sample(2, at.apply(2).integer(gear, 4).build()),
                new Sample(3, at.apply(3).number(soc, 50).build()));
        List<Sample> stored = List.of(
                new Sample(
                        0,
                        at.apply(0)
                                .number(speed, 11.5)
                                .integer(gear, 4)
                                .string(version, "b")
                                .build()),
                new Sample(
                        1,
                        at.apply(1)
                                .number(speed, 11)
                                .position(location, 89.9999, -170)
                                .build()),
                new Sample(2, at.apply(2).integer(gear, 1).number(soc, 1).build()),
                new Sample(3, at.apply(3).build()));
        Continuity c = new Continuity(cat)
                .compare(
                        captured.iterator(),
                        stored.iterator(),
                        List.<Sample>of().iterator());
        assertThat(c.signal("VehicleSpeed").compared()).isEqualTo(2);
        assertThat(c.signal("VehicleSpeed").maxError()).isEqualTo(1.5);
        assertThat(c.signal("VehicleSpeed").overBound()).as("within 2 mph").isZero();
        assertThat(c.signal("Gear").overBound()).as("exact: 4 stored as 1").isEqualTo(1);
        assertThat(c.signal("Version").overBound()).as("exact string").isEqualTo(1);
        // 1e-4 degrees from the pole, 180 degrees of longitude apart: about 22 m, beyond bound 0
        assertThat(c.signal("Location").maxError()).isBetween(20.0, 24.0);
        assertThat(c.signal("Location").overBound()).isEqualTo(1);
        assertThat(c.signal("Soc").invented())
                .as("stored at seq 2, never captured there")
                .isEqualTo(1);
        assertThat(c.signal("Soc").lost()).as("captured at seq 3, not stored").isEqualTo(1);
        assertThat(c.signals())
                .extracting(r -> r.signal().name())
                .containsExactly("VehicleSpeed", "Soc", "Location", "Gear", "Version");
        assertThat(c.missing() + c.duplicated() + c.unexpected()).isZero();
        assertThat(c.perfect()).isFalse();
    }
}
