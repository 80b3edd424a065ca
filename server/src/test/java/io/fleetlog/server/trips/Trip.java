package io.fleetlog.server.trips;

import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated vehicle timeline with known truth: phases of driving, parking and charging, one frame per
 * {@code periodMs}, each carrying what a car sends (speed, power, SoC, odometer, location, elevation; the
 * gear and charge state on change; charger power while plugged in). The truth of every phase is what
 * was put in: odometer and energy integrate the given speed and power exactly, frame by frame.
 */
final class Trip {
    static final long DISCONNECTED = Signals.code("DetailedChargeState", "Disconnected");
    final long periodMs;
    final boolean withGear;
    final List<Sample> samples = new ArrayList<>();
    long t;
    long seq;
    double odo = 1000;
    double soc = 80;
    double elev = 100;
    double lat = 52.5;
    double lon = 13.4;
    double packKwh = SessionDetector.DEFAULT_PACK_KWH;
    private long lastGear = -1;
    private long lastCharge = -1;
    private final Random rng = new Random(7);

    Trip(long t0, long periodMs, boolean withGear) {
        this.t = t0;
        this.periodMs = periodMs;
        this.withGear = withGear;
    }

    /** Drives {@code ms} at {@code mph} drawing {@code kw}, climbing {@code climbM} in all; gear D. */
    Trip drive(long ms, double mph, double kw, double climbM) {
        long n = ms / periodMs;
        for (long i = 0; i < n; i++) {
            double dtH = periodMs / 3_600_000.0;
            Frame.Builder b = frame(withGear ? Signals.GEAR_D : -1, DISCONNECTED);
            b.number(Signals.SPEED, mph).number(Signals.POWER, kw);
            b.number(Signals.ODOMETER, odo).number(Signals.SOC, soc).number(Signals.ELEVATION, elev);
            b.position(Signals.LOCATION, lat, lon);
            add(b);
            odo += mph * dtH;
            soc -= kw * dtH / packKwh * 100;
            elev += climbM / n;
            lat += mph * dtH / 69.0; // about 69 miles a degree of latitude
        }
        return this;
    }

    /** Stands {@code ms} in P, speed jittering up to {@code jitterMph} (sensor noise), no power. */
    Trip park(long ms, double jitterMph) {
        long n = ms / periodMs;
        for (long i = 0; i < n; i++) {
            Frame.Builder b = frame(withGear ? Signals.GEAR_P : -1, DISCONNECTED);
            b.number(Signals.SPEED, rng.nextDouble() * jitterMph).number(Signals.POWER, 0.3);
            b.number(Signals.ODOMETER, odo).number(Signals.SOC, soc).number(Signals.ELEVATION, elev);
            b.position(Signals.LOCATION, lat, lon);
            add(b);
        }
        return this;
    }

    /** Charges {@code ms} on AC (or DC) at {@code kw} into the pack; state Charging. */
    Trip charge(long ms, double kw, boolean dc) {
        long n = ms / periodMs;
        for (long i = 0; i < n; i++) {
            Frame.Builder b = frame(withGear ? Signals.GEAR_P : -1, Signals.CHARGE_CHARGING);
            b.number(dc ? Signals.DC_POWER : Signals.AC_POWER, kw);
            b.number(Signals.SPEED, 0).number(Signals.ODOMETER, odo).number(Signals.SOC, soc);
            b.position(Signals.LOCATION, lat, lon);
            add(b);
            soc += kw * periodMs / 3_600_000.0 / packKwh * 100;
        }
        return this;
    }

    /** The charger stops delivering for {@code ms} (a power cut): state NoPower, power 0; still plugged in. */
    Trip powerCut(long ms) {
        long n = ms / periodMs;
        long noPower = Signals.code("DetailedChargeState", "NoPower");
        for (long i = 0; i < n; i++) {
            Frame.Builder b = frame(withGear ? Signals.GEAR_P : -1, noPower);
            b.number(Signals.AC_POWER, 0).number(Signals.SPEED, 0).number(Signals.SOC, soc);
            add(b);
        }
        return this;
    }

    /** Ends a charge: state Complete, charger power 0. */
    Trip complete() {
        Frame.Builder b = frame(withGear ? Signals.GEAR_P : -1, Signals.code("DetailedChargeState", "Complete"));
        b.number(Signals.AC_POWER, 0).number(Signals.SPEED, 0).number(Signals.SOC, soc);
        add(b);
        return this;
    }

    /** Nothing is captured for {@code ms} (the logger was off: an outage whose frames are lost). */
    Trip outage(long ms) {
        t += ms;
        return this;
    }

    private Frame.Builder frame(long gear, long chargeState) {
        Frame.Builder b = Frame.builder(t, 12);
        if (gear >= 0 && gear != lastGear) {
            b.integer(Signals.GEAR, gear);
            lastGear = gear;
        }
        if (chargeState >= 0 && chargeState != lastCharge) {
            b.integer(Signals.DETAILED_CHARGE_STATE, chargeState);
            lastCharge = chargeState;
        }
        return b;
    }

    private void add(Frame.Builder b) {
        samples.add(new Sample(seq++, b.build()));
        t += periodMs;
    }

    SessionDetector.Result detect() {
        return detect(t0 -> true, Tariff.NONE);
    }

    SessionDetector.Result detect(java.util.function.LongPredicate live, Tariff tariff) {
        SessionDetector d = new SessionDetector("VIN", packKwh, live, tariff);
        samples.forEach(d::accept);
        return d.finish();
    }
}
