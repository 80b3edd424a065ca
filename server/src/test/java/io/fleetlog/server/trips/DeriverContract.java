package io.fleetlog.server.trips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Drive;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.SessionStore;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.Samples;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deriver against a real store (subclasses: SQLite, PostgreSQL): sessions follow the stored frames
 * whatever order and moment they arrive in. The clock is the test's; {@link Deriver#runOnce} is driven
 * by hand (no background thread, no sleeps).
 */
abstract class DeriverContract {
    static final String VIN = Samples.VIN_A;
    static final long T0 = SessionDetectorTest.T0;
    static final long MIN = 60_000;
    static final Duration DEBOUNCE = Duration.ofSeconds(10);

    final AtomicLong now = new AtomicLong(T0);
    final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    SampleStore base;
    SampleStore store;
    Deriver deriver;

    abstract SampleStore open() throws Exception;

    @BeforeEach
    void start() throws Exception {
        base = open();
        deriver = new Deriver(base, base.sessions().orElseThrow(), clock, DEBOUNCE, SessionDetector.DEFAULT_PACK_KWH);
        store = deriver.watch(base);
    }

    @AfterEach
    void stop() {
        deriver.close();
        base.close();
    }

    SessionStore sessions() {
        return base.sessions().orElseThrow();
    }

    List<Drive> drives() {
        return sessions().drives(VIN, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 100);
    }

    /** Appends {@code samples} in batches of {@code batch}, as ingest commits them. */
    void append(List<Sample> samples, int batch) {
        for (int i = 0; i < samples.size(); i += batch) {
            store.append(VIN, samples.subList(i, Math.min(samples.size(), i + batch)));
        }
    }

    void link(long t, boolean online) {
        store.recordEvent(VehicleEvent.link(VIN, t, online));
    }

    @Test
    void aTunnelDriveUploadedAnHourLaterReplacesTheHalfDerivedBeforeIt() {
        Trip trip = new Trip(T0, 1000, true).park(MIN, 0);
        long start = trip.t;
        trip.drive(10 * MIN, 40, 12, 0);
        int live = trip.samples.size();
        long tunnel = trip.t;
        trip.drive(20 * MIN, 40, 12, 0).drive(10 * MIN, 40, 12, 0).park(2 * MIN, 0);
        double odoEnd = trip.odo;

        link(T0 - MIN, true);
        now.set(tunnel);
        append(trip.samples.subList(0, live), 50);
        link(tunnel, false); // into the dead zone
        assertThat(deriver.runOnce(now.get())).isZero(); // debounced
        now.addAndGet(DEBOUNCE.toMillis());
        assertThat(deriver.runOnce(now.get())).isEqualTo(1);
        assertThat(drives()).singleElement().satisfies(d -> {
            assertThat(d.startMs()).isEqualTo(start);
            assertThat(d.distanceMi()).isCloseTo(40 * 599 / 3600.0, within(1e-6)); // to its last stored frame
        });

        now.set(trip.t + 3_600_000); // an hour after the drive the car is back online and uploads the rest
        link(now.get(), true);
        append(trip.samples.subList(live, trip.samples.size()), 500);
        deriver.flush();
        assertThat(drives()).singleElement().satisfies(d -> {
            assertThat(d.startMs()).isEqualTo(start);
            assertThat(d.endOdometerMi()).isCloseTo(odoEnd, within(0.001));
            assertThat(d.distanceMi()).isCloseTo(40 * 40 / 60.0, within(0.01));
            assertThat(d.energyKwh()).isCloseTo(12 * 40 / 60.0, within(0.08));
            assertThat(d.backfillFraction()).isCloseTo(30.0 / 40, within(0.01)); // 30 of its 40 minutes
        });
        assertThat(sessions().charges(VIN, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 10))
                .isEmpty();
    }

    @Test
    void derivingAfterEveryBatchFindsWhatOneDerivationOfEverythingFinds() {
        Trip trip = new Trip(T0, 1000, true)
                .park(MIN, 0)
                .drive(15 * MIN, 40, 14, 30)
                .park(2 * MIN, 0);
        trip.charge(30 * MIN, 7, false)
                .outage(5 * MIN)
                .charge(10 * MIN, 7, false)
                .complete();
        trip.park(2 * MIN, 0).drive(5 * MIN, 30, 10, -30).park(MIN, 0);
        link(T0, true);
        for (int i = 0; i < trip.samples.size(); i += 120) { // a batch every two minutes, derived each time
            List<Sample> batch = trip.samples.subList(i, Math.min(trip.samples.size(), i + 120));
            now.set(batch.get(batch.size() - 1).captureTimeMs());
            store.append(VIN, batch);
            deriver.runOnce(now.get() + DEBOUNCE.toMillis());
        }
        SessionDetector.Result once = trip.detect();
        assertThat(once.drives()).hasSize(2);
        assertThat(once.charges()).hasSize(1);
        assertThat(drives())
                .containsExactlyElementsOf(
                        once.drives().stream().map(d -> withVin(d)).toList());
        assertThat(sessions().charges(VIN, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 10))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.startMs()).isEqualTo(once.charges().get(0).startMs());
                    assertThat(c.endMs()).isEqualTo(once.charges().get(0).endMs());
                    assertThat(c.energyAddedKwh())
                            .isCloseTo(once.charges().get(0).energyAddedKwh(), within(1e-9));
                });
        assertThat(deriver.failures()).isZero();
    }

    @Test
    void frameOrderOfArrivalDoesNotMatterOnceEverythingIsStored() {
        Trip trip = new Trip(T0, 1000, true).drive(20 * MIN, 50, 16, 0).park(MIN, 0);
        link(T0, true);
        int half = trip.samples.size() / 2;
        append(trip.samples.subList(0, half), 100);
        deriver.flush();
        append(trip.samples.subList(half, trip.samples.size()), 100);
        deriver.flush();
        deriver.rederive(VIN, T0, trip.t); // again, from scratch: the same single drive
        assertThat(drives()).singleElement().satisfies(d -> {
            assertThat(d.startMs()).isEqualTo(T0);
            assertThat(d.distanceMi()).isCloseTo(50 * 20 / 60.0, within(0.01));
        });
    }

    private static Drive withVin(Drive d) {
        return new Drive(
                VIN,
                d.startMs(),
                d.endMs(),
                d.startLat(),
                d.startLon(),
                d.endLat(),
                d.endLon(),
                d.startOdometerMi(),
                d.endOdometerMi(),
                d.energyKwh(),
                d.energySource(),
                d.maxSpeedMph(),
                d.meanSpeedMph(),
                d.elevationGainM(),
                d.elevationLossM(),
                d.startSoc(),
                d.endSoc(),
                d.backfillFraction());
    }
}
