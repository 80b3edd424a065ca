package io.fleetlog.server.trips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.server.store.Charge;
import io.fleetlog.server.store.Drive;
import org.junit.jupiter.api.Test;

/** Detection on generated timelines whose truth is known (what {@link Trip} put in). */
class SessionDetectorTest {
    static final long T0 = 1_764_180_000_000L; // 2025-11-26T18:00:00Z
    static final long MIN = 60_000;

    @Test
    void aDriveHasItsDistanceEnergyEfficiencySpeedsAndClimb() {
        Trip trip = new Trip(T0, 1000, true).park(2 * MIN, 0);
        double odo0 = trip.odo;
        double soc0 = trip.soc;
        long start = trip.t;
        trip.drive(10 * MIN, 30, 15, 50).drive(10 * MIN, 60, 20, -20);
        double odo1 = trip.odo;
        trip.park(5 * MIN, 0.4);
        var r = trip.detect();

        assertThat(r.drives()).hasSize(1);
        assertThat(r.charges()).isEmpty();
        Drive d = r.drives().get(0);
        assertThat(d.startMs()).isEqualTo(start);
        assertThat(d.endMs()).isEqualTo(start + 20 * MIN); // the first frame in P
        assertThat(d.distanceMi()).isCloseTo(odo1 - odo0, within(1e-9)).isCloseTo(15.0, within(0.01));
        // 10 min at 15 kW + 10 min at 20 kW = 5.833 kWh (the step between the phases is one trapezoid)
        double truth = 15 * 10 / 60.0 + 20 * 10 / 60.0;
        assertThat(d.energyKwh()).isCloseTo(truth, within(truth * 0.01));
        assertThat(d.energySource()).isEqualTo("power");
        assertThat(d.whPerMi()).isCloseTo(truth * 1000 / 15, within(truth * 1000 / 15 * 0.01));
        assertThat(d.whPerKm()).isCloseTo(d.whPerMi() / Drive.KM_PER_MI, within(1e-9));
        assertThat(d.maxSpeedMph()).isEqualTo(60);
        assertThat(d.meanSpeedMph()).isCloseTo(45, within(0.1));
        assertThat(d.elevationGainM()).isCloseTo(50, within(2.0));
        assertThat(d.elevationLossM()).isCloseTo(20, within(2.0));
        assertThat(d.startSoc()).isEqualTo(soc0);
        assertThat(d.startLat()).isEqualTo(52.5);
        assertThat(d.endLat()).isGreaterThan(d.startLat());
        assertThat(d.backfillFraction()).isZero();
    }

    @Test
    void aParkedCarWithSpeedJitterNeverDrives() {
        // in P: the jitter up to 2.5 mph is ignored because the gear says parked
        assertThat(new Trip(T0, 1000, true).park(60 * MIN, 2.5).detect().drives())
                .isEmpty();
        // no gear signal at all: jitter below MOVING_MPH is not a drive either
        assertThat(new Trip(T0, 1000, false).park(60 * MIN, 2.5).detect().drives())
                .isEmpty();
    }

    @Test
    void withoutAGearADriveEndsAfterFiveMinutesStandingStill() {
        Trip trip = new Trip(T0, 1000, false).drive(10 * MIN, 30, 10, 0);
        long lastMoving = trip.t - 1000;
        trip.park(4 * MIN, 0).drive(5 * MIN, 30, 10, 0); // a 4 min stop: the same drive
        long secondEnd = trip.t - 1000;
        trip.park(6 * MIN, 0).drive(5 * MIN, 30, 10, 0); // a 6 min stop: a new drive
        var drives = trip.detect().drives();
        assertThat(drives).hasSize(2);
        assertThat(drives.get(0).startMs()).isEqualTo(T0);
        assertThat(drives.get(0).endMs()).isEqualTo(secondEnd).isGreaterThan(lastMoving);
        assertThat(drives.get(1).distanceMi()).isCloseTo(2.5, within(0.01));
    }

    @Test
    void aDriveWhoseMiddleWasCapturedOfflineIsOneDriveWithItsBackfilledShare() {
        Trip trip = new Trip(T0, 1000, true).drive(10 * MIN, 40, 12, 0);
        long tunnelFrom = trip.t;
        trip.drive(20 * MIN, 40, 12, 0); // captured in a dead zone, uploaded later
        long tunnelTo = trip.t;
        trip.drive(10 * MIN, 40, 12, 0).park(MIN, 0);
        var r = trip.detect(t -> t < tunnelFrom || t >= tunnelTo, Tariff.NONE);
        assertThat(r.drives()).hasSize(1);
        Drive d = r.drives().get(0);
        assertThat(d.distanceMi()).isCloseTo(40 * 40 / 60.0, within(0.01));
        assertThat(d.backfillFraction()).isCloseTo(0.5, within(0.01)); // 20 of 40 min (+ the P frame)
    }

    @Test
    void anOutageShorterThanTheGapThresholdDoesNotSplitADriveButALongOneDoes() {
        Trip trip = new Trip(T0, 1000, true).drive(10 * MIN, 30, 10, 0);
        trip.outage(10 * MIN).drive(10 * MIN, 30, 10, 0).park(MIN, 0);
        assertThat(trip.detect().drives()).hasSize(1);
        Trip split = new Trip(T0, 1000, true).drive(10 * MIN, 30, 10, 0);
        split.outage(20 * MIN).drive(10 * MIN, 30, 10, 0).park(MIN, 0);
        assertThat(split.detect().drives()).hasSize(2);
    }

    @Test
    void energyComesFromSocWherePowerIsTooSparse() {
        // one frame every 2 min: Power readings are too far apart to integrate
        Trip trip = new Trip(T0, 2 * MIN, true).drive(60 * MIN, 50, 15, 0).park(4 * MIN, 0);
        Drive d = trip.detect().drives().get(0);
        assertThat(d.energySource()).isEqualTo("soc");
        assertThat(d.energyKwh()).isCloseTo(15.0, within(0.15)); // 15 kW for an hour, from the SoC drop
    }

    @Test
    void aChargeInterruptedByADataOutageAndAPowerCutIsOneSession() {
        Trip trip = new Trip(T0, 1000, true).park(MIN, 0);
        double soc0 = trip.soc;
        long start = trip.t;
        trip.charge(20 * MIN, 11, false).outage(10 * MIN).charge(20 * MIN, 11, false);
        trip.powerCut(5 * MIN).charge(10 * MIN, 11, false);
        long last = trip.t - 1000;
        trip.complete().park(10 * MIN, 0);
        var r = trip.detect();
        assertThat(r.drives()).isEmpty();
        assertThat(r.charges()).hasSize(1);
        Charge c = r.charges().get(0);
        assertThat(c.startMs()).isEqualTo(start);
        assertThat(c.endMs()).isEqualTo(last);
        assertThat(c.kind()).isEqualTo("AC");
        // 50 min at 11 kW plus the 10 min data outage bridged at 11 kW; the power cut adds nothing
        assertThat(c.energyAddedKwh()).isCloseTo(11.0, within(0.11));
        assertThat(c.peakPowerKw()).isEqualTo(11);
        assertThat(c.socFrom()).isEqualTo(soc0);
        assertThat(c.socTo()).isGreaterThan(soc0 + 10);
        assertThat(c.cost()).isNaN();
    }

    @Test
    void aDcSessionIsDcAndATariffPricesItByTimeOfDayAndPlace() {
        Tariff t = Tariff.parse("""
                currency EUR
                zone UTC
                rate 0.10 at 52.5,13.4 within 500 from 18:00 to 18:30  # home, cheap half hour
                rate 0.40 at 52.5,13.4 within 500
                rate 0.70
                """, "test.tariff");
        Trip trip = new Trip(T0, 1000, true); // T0 is 18:00 UTC
        trip.charge(60 * MIN, 100, true).complete();
        Charge c = trip.detect(x -> true, t).charges().get(0);
        assertThat(c.kind()).isEqualTo("DC");
        assertThat(c.energyAddedKwh()).isCloseTo(100, within(1.0));
        assertThat(c.cost()).isCloseTo(50 * 0.10 + 50 * 0.40, within(0.5));
        assertThat(c.currency()).isEqualTo("EUR");
        // elsewhere: the catch-all rate
        Trip away = new Trip(T0, 1000, true);
        away.lat = 48.1;
        away.charge(60 * MIN, 100, true).complete();
        assertThat(away.detect(x -> true, t).charges().get(0).cost()).isCloseTo(70, within(0.7));
    }

    @Test
    void aChargeAfterADriveIsFoundAndTheDriveIsNotACharge() {
        Trip trip = new Trip(T0, 1000, true).drive(15 * MIN, 40, 14, 0).park(2 * MIN, 0);
        trip.charge(30 * MIN, 7, false)
                .complete()
                .park(2 * MIN, 0)
                .drive(5 * MIN, 30, 10, 0)
                .park(MIN, 0);
        var r = trip.detect();
        assertThat(r.drives()).hasSize(2);
        assertThat(r.charges()).hasSize(1);
        assertThat(r.charges().get(0).startMs()).isGreaterThan(r.drives().get(0).endMs());
        assertThat(r.charges().get(0).endMs()).isLessThan(r.drives().get(1).startMs());
    }
}
