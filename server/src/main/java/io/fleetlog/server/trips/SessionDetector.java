package io.fleetlog.server.trips;

import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Charge;
import io.fleetlog.server.store.Drive;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Finds the drives and charging sessions in one vehicle's frames, fed oldest first ({@link #accept}),
 * then {@link #finish}ed. Pure: no store, no clock; the same frames give the same sessions. Signals are
 * sparse, so every decision reads the last known value of each signal (docs/drives.md has the rules and
 * thresholds; the constants below are them).
 *
 * <ul>
 *   <li><b>Drive</b>: from the first frame with the gear in D, R or N — or, while no gear was ever seen,
 *       a speed of at least {@link #MOVING_MPH} — to the first frame in P (or, without a gear, the last
 *       moving frame once the car stood {@link #STOP_MS} still). A drive that never reached {@link
 *       #MOVING_MPH} is dropped (a shift to D and back).
 *   <li><b>Charge</b>: while charger power (AC or DC) is at least {@link #CHARGING_KW} or the detailed
 *       charge state is Starting or Charging. Sessions less than {@link #CHARGE_MERGE_MS} apart with no
 *       drive between are one (a power cut at the charger).
 *   <li>Frames more than {@link #MAX_GAP_MS} apart end any open session; shorter outages do not.
 * </ul>
 *
 * <p>Not thread-safe; one detector per derivation.
 */
public final class SessionDetector {
    /** Speed at or above which a car with no gear signal counts as moving (also the least top speed of a drive). */
    public static final double MOVING_MPH = 3;
    /** Without a gear signal, a drive ends after this long below {@link #MOVING_MPH} (5 min). */
    public static final long STOP_MS = 300_000;
    /** Frames further apart end every open session (15 min). */
    public static final long MAX_GAP_MS = 900_000;
    /** Charges at most this far apart, with no drive between, are one session (15 min). */
    public static final long CHARGE_MERGE_MS = 900_000;
    /** Charger power at or above which the car is charging, kW. */
    public static final double CHARGING_KW = 0.1;
    /** Two drive Power values further apart than this are not integrated; the span's energy comes from SoC (60 s). */
    public static final long POWER_MAX_DT_MS = 60_000;
    /** Elevation changes smaller than this are noise (gain and loss use this hysteresis), m. */
    public static final double ELEVATION_DEADBAND_M = 2;
    /** Usable pack energy assumed when energy must come from SoC and none is configured, kWh. */
    public static final double DEFAULT_PACK_KWH = 75;

    /** What a derivation found, oldest first. */
    public record Result(List<Drive> drives, List<Charge> charges) {}

    private final String vin;
    private final double packKwh;
    private final LongPredicate live;
    private final Tariff tariff;

    // last known values (NaN / -1: never seen)
    private double speed = Double.NaN;
    private double soc = Double.NaN;
    private double odo = Double.NaN;
    private double lat = Double.NaN;
    private double lon = Double.NaN;
    private double elev = Double.NaN;
    private double acKw = Double.NaN;
    private double dcKw = Double.NaN;
    private double acIn = Double.NaN;
    private double dcIn = Double.NaN;
    private long gear = -1;
    private long chargeState = -1;
    private boolean detailedSeen;
    private boolean fastCharger;
    private long prevT = Long.MIN_VALUE;

    private DriveAcc drive;
    private ChargeAcc charge;
    private final List<DriveAcc> drives = new ArrayList<>();
    private final List<ChargeAcc> charges = new ArrayList<>();

    /**
     * @param live says whether a frame captured at a time arrived live (false: backfilled)
     * @param tariff prices the charged energy; {@link Tariff#NONE} for no cost
     */
    public SessionDetector(String vin, double packKwh, LongPredicate live, Tariff tariff) {
        this.vin = vin;
        this.packKwh = packKwh;
        this.live = live;
        this.tariff = tariff;
    }

    public void accept(Sample s) {
        Frame f = s.frame();
        long t = f.timeMs();
        if (prevT != Long.MIN_VALUE && t - prevT > MAX_GAP_MS) {
            closeDrive();
            closeCharge();
        }
        prevT = t;
        double power = read(f);
        boolean late = !live.test(t);
        boolean moving = moving();
        if (drive == null && moving) {
            closeCharge(); // a car that drives off is not charging any more
            drive = new DriveAcc(t);
        }
        if (drive != null) {
            driveStep(t, power, moving, late);
        }
        boolean charging = drive == null && charging();
        if (charge == null && charging) {
            charge = new ChargeAcc(t);
        }
        if (charge != null) {
            chargeStep(f, t, charging, late);
        }
    }

    /** Reads the frame's signals into the last known values; returns its Power value (NaN when absent). */
    private double read(Frame f) {
        speed = number(f, Signals.SPEED, speed);
        soc = number(f, Signals.SOC, soc);
        odo = number(f, Signals.ODOMETER, odo);
        elev = number(f, Signals.ELEVATION, elev);
        acKw = number(f, Signals.AC_POWER, acKw);
        dcKw = number(f, Signals.DC_POWER, dcKw);
        acIn = number(f, Signals.AC_ENERGY_IN, acIn);
        dcIn = number(f, Signals.DC_ENERGY_IN, dcIn);
        int i = f.indexOf(Signals.LOCATION);
        if (i >= 0 && f.kind(i) == Frame.Kind.POSITION) {
            lat = f.latitude(i);
            lon = f.longitude(i);
        }
        gear = integer(f, Signals.GEAR, gear);
        i = f.indexOf(Signals.DETAILED_CHARGE_STATE);
        if (i >= 0 && f.kind(i) == Frame.Kind.INTEGER) {
            detailedSeen = true;
            chargeState = f.integer(i);
        } else if (!detailedSeen) {
            chargeState = integer(f, Signals.CHARGE_STATE, chargeState);
        }
        i = f.indexOf(Signals.FAST_CHARGER);
        if (i >= 0 && f.kind(i) == Frame.Kind.INTEGER) {
            fastCharger = f.integer(i) != 0;
        }
        return number(f, Signals.POWER, Double.NaN);
    }

    private static double number(Frame f, int id, double otherwise) {
        int i = f.indexOf(id);
        return i >= 0 && f.kind(i) == Frame.Kind.NUMBER ? f.number(i) : otherwise;
    }

    private static long integer(Frame f, int id, long otherwise) {
        int i = f.indexOf(id);
        return i >= 0 && f.kind(i) == Frame.Kind.INTEGER ? f.integer(i) : otherwise;
    }

    private boolean moving() {
        if (gear >= 0) {
            return gear == Signals.GEAR_D || gear == Signals.GEAR_R || gear == Signals.GEAR_N;
        }
        return !Double.isNaN(speed) && Math.abs(speed) >= MOVING_MPH;
    }

    private boolean charging() {
        double kw = Math.max(Double.isNaN(acKw) ? 0 : acKw, Double.isNaN(dcKw) ? 0 : dcKw);
        return kw >= CHARGING_KW || chargeState == Signals.CHARGE_STARTING || chargeState == Signals.CHARGE_CHARGING;
    }

    // ---- drives ----

    /** One open drive's running sums. */
    private final class DriveAcc {
        final long start;
        final double startLat = lat;
        final double startLon = lon;
        final double startOdo = odo;
        final double startSoc = soc;
        long end;
        double endLat;
        double endLon;
        double endOdo;
        double endSoc;
        double firstOdo = Double.NaN;
        double firstSoc = Double.NaN;
        double maxSpeed;
        double elevRef = Double.NaN;
        double gain;
        double loss;
        double powerKwh;
        double socKwh;
        boolean usedPower;
        boolean usedSoc;
        long powerT = Long.MIN_VALUE;
        double powerKw;
        double powerSoc;
        long frames;
        long lateFrames;
        long lastMovingT;
        // the sums at the drive's end (markEnd): a drive without a gear stands still for a while before
        // it is known to have ended, and that tail is not part of it
        double endPowerKwh;
        double endSocKwh;
        boolean endUsedPower;
        boolean endUsedSoc;
        double endGain;
        double endLoss;
        long endFrames;
        long endLateFrames;

        DriveAcc(long t) {
            start = t;
            end = t;
            lastMovingT = t;
        }

        void markEnd(long t) {
            end = t;
            endLat = lat;
            endLon = lon;
            endOdo = odo;
            endSoc = soc;
            endPowerKwh = powerKwh;
            endSocKwh = socKwh;
            endUsedPower = usedPower;
            endUsedSoc = usedSoc;
            endGain = gain;
            endLoss = loss;
            endFrames = frames;
            endLateFrames = lateFrames;
        }
    }

    private void driveStep(long t, double power, boolean moving, boolean late) {
        DriveAcc d = drive;
        d.frames++;
        d.lateFrames += late ? 1 : 0;
        if (Double.isNaN(d.firstOdo) && !Double.isNaN(odo)) {
            d.firstOdo = odo;
        }
        if (Double.isNaN(d.firstSoc) && !Double.isNaN(soc)) {
            d.firstSoc = soc;
        }
        if (!Double.isNaN(speed)) {
            d.maxSpeed = Math.max(d.maxSpeed, Math.abs(speed));
        }
        elevation(d);
        if (!Double.isNaN(power)) {
            energy(d, t, power);
        }
        if (moving) {
            d.lastMovingT = t;
            d.markEnd(t);
        } else if (gear == Signals.GEAR_P) {
            d.markEnd(t);
            closeDrive();
        } else if (gear < 0 && t - d.lastMovingT >= STOP_MS) {
            closeDrive();
        }
    }

    private void elevation(DriveAcc d) {
        if (Double.isNaN(elev)) {
            return;
        }
        if (Double.isNaN(d.elevRef)) {
            d.elevRef = elev;
        } else if (Math.abs(elev - d.elevRef) >= ELEVATION_DEADBAND_M) {
            if (elev > d.elevRef) {
                d.gain += elev - d.elevRef;
            } else {
                d.loss += d.elevRef - elev;
            }
            d.elevRef = elev;
        }
    }

    /** Integrates Power (trapezoids); a span longer than {@link #POWER_MAX_DT_MS} takes its energy from SoC. */
    private void energy(DriveAcc d, long t, double power) {
        if (d.powerT != Long.MIN_VALUE) {
            long dt = t - d.powerT;
            if (dt <= POWER_MAX_DT_MS) {
                d.powerKwh += (d.powerKw + power) / 2 * dt / 3_600_000.0;
                d.usedPower = true;
            } else if (!Double.isNaN(d.powerSoc) && !Double.isNaN(soc)) {
                d.socKwh += (d.powerSoc - soc) / 100 * packKwh;
                d.usedSoc = true;
            }
        }
        d.powerT = t;
        d.powerKw = power;
        d.powerSoc = soc;
    }

    private void closeDrive() {
        DriveAcc d = drive;
        drive = null;
        if (d != null && d.maxSpeed >= MOVING_MPH) {
            drives.add(d);
        }
    }

    private Drive toDrive(DriveAcc d) {
        double startOdo = Double.isNaN(d.startOdo) ? d.firstOdo : d.startOdo;
        double startSoc = Double.isNaN(d.startSoc) ? d.firstSoc : d.startSoc;
        double kwh;
        String source;
        if (d.endUsedPower || d.endUsedSoc) {
            kwh = d.endPowerKwh + d.endSocKwh;
            source = d.endUsedPower && d.endUsedSoc ? "power+soc" : d.endUsedPower ? "power" : "soc";
        } else if (!Double.isNaN(startSoc) && !Double.isNaN(d.endSoc)) {
            kwh = (startSoc - d.endSoc) / 100 * packKwh;
            source = "soc";
        } else {
            kwh = Double.NaN;
            source = "none";
        }
        double distance = d.endOdo - startOdo;
        double hours = (d.end - d.start) / 3_600_000.0;
        double meanSpeed = hours > 0 && !Double.isNaN(distance) ? distance / hours : Double.NaN;
        boolean hasElev = !Double.isNaN(d.elevRef);
        return new Drive(
                vin,
                d.start,
                d.end,
                Double.isNaN(d.startLat) ? d.endLat : d.startLat,
                Double.isNaN(d.startLon) ? d.endLon : d.startLon,
                d.endLat,
                d.endLon,
                startOdo,
                d.endOdo,
                kwh,
                source,
                d.maxSpeed,
                meanSpeed,
                hasElev ? d.endGain : Double.NaN,
                hasElev ? d.endLoss : Double.NaN,
                startSoc,
                d.endSoc,
                d.endFrames == 0 ? 0 : (double) d.endLateFrames / d.endFrames);
    }

    // ---- charges ----

    /** One open (or finished, not yet merged) charging session's running sums. */
    private final class ChargeAcc {
        long start;
        long end;
        final double startLat = lat;
        final double startLon = lon;
        final double socFrom = soc;
        double socTo = soc;
        double peakKw;
        double kwh;
        double cost;
        long coveredMs;
        double counterFirst = Double.NaN;
        double counterLast = Double.NaN;
        boolean dc;
        long kwT = Long.MIN_VALUE;
        double lastKw;
        long frames;
        long lateFrames;

        ChargeAcc(long t) {
            start = t;
            end = t;
        }
    }

    private void chargeStep(Frame f, long t, boolean charging, boolean late) {
        ChargeAcc c = charge;
        c.frames++;
        c.lateFrames += late ? 1 : 0;
        boolean hasAc = f.indexOf(Signals.AC_POWER) >= 0;
        boolean hasDc = f.indexOf(Signals.DC_POWER) >= 0;
        if (hasAc || hasDc) {
            double kw = Math.max(Double.isNaN(acKw) ? 0 : acKw, Double.isNaN(dcKw) ? 0 : dcKw);
            c.dc |= !Double.isNaN(dcKw) && dcKw >= CHARGING_KW;
            c.peakKw = Math.max(c.peakKw, kw);
            if (c.kwT != Long.MIN_VALUE) {
                long dt = t - c.kwT; // a charge's power is steady: an outage inside the session is bridged
                double piece = (c.lastKw + kw) / 2 * dt / 3_600_000.0;
                c.kwh += piece;
                c.coveredMs += dt;
                c.cost += piece * tariff.price(c.kwT + dt / 2, lat, lon);
            }
            c.kwT = t;
            c.lastKw = kw;
        }
        double counter = (Double.isNaN(acIn) ? 0 : acIn) + (Double.isNaN(dcIn) ? 0 : dcIn);
        if (!Double.isNaN(acIn) || !Double.isNaN(dcIn)) {
            c.counterFirst = Double.isNaN(c.counterFirst) ? counter : c.counterFirst;
            c.counterLast = counter;
        }
        c.dc |= fastCharger;
        if (charging) {
            c.end = t;
            c.socTo = soc;
        } else {
            closeCharge();
        }
    }

    private void closeCharge() {
        if (charge != null) {
            charges.add(charge);
            charge = null;
        }
    }

    /** Merges sessions that an outage split: close together, no drive between. */
    private List<ChargeAcc> merged() {
        List<ChargeAcc> out = new ArrayList<>();
        for (ChargeAcc c : charges) {
            ChargeAcc prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && c.start - prev.end <= CHARGE_MERGE_MS && !driveBetween(prev.end, c.start)) {
                prev.end = c.end;
                prev.socTo = c.socTo;
                prev.peakKw = Math.max(prev.peakKw, c.peakKw);
                prev.kwh += c.kwh;
                prev.cost += c.cost;
                prev.coveredMs += c.coveredMs;
                prev.dc |= c.dc;
                prev.frames += c.frames;
                prev.lateFrames += c.lateFrames;
                if (!Double.isNaN(c.counterLast)) {
                    prev.counterFirst = Double.isNaN(prev.counterFirst) ? c.counterFirst : prev.counterFirst;
                    prev.counterLast = c.counterLast;
                }
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private boolean driveBetween(long from, long to) {
        for (DriveAcc d : drives) {
            if (d.start >= from && d.start <= to) {
                return true;
            }
        }
        return false;
    }

    private Charge toCharge(ChargeAcc c) {
        double integrated = c.kwh;
        double kwh = !Double.isNaN(c.counterLast) && c.counterLast > c.counterFirst
                ? c.counterLast - c.counterFirst
                : integrated;
        double cost = tariff == Tariff.NONE || Double.isNaN(c.cost)
                ? Double.NaN
                : integrated > 0 ? c.cost * kwh / integrated : 0;
        return new Charge(
                vin,
                c.start,
                c.end,
                c.startLat,
                c.startLon,
                kwh,
                c.socFrom,
                c.socTo,
                c.peakKw,
                c.coveredMs > 0 ? integrated / (c.coveredMs / 3_600_000.0) : Double.NaN,
                c.dc ? "DC" : "AC",
                cost,
                tariff == Tariff.NONE ? null : tariff.currency(),
                c.frames == 0 ? 0 : (double) c.lateFrames / c.frames);
    }

    /** Ends the sessions still open (they end at their last frame) and returns everything found. */
    public Result finish() {
        closeDrive();
        closeCharge();
        List<Drive> ds = new ArrayList<>();
        drives.forEach(d -> ds.add(toDrive(d)));
        List<Charge> cs = new ArrayList<>();
        merged().forEach(c -> cs.add(toCharge(c)));
        return new Result(List.copyOf(ds), List.copyOf(cs));
    }
}
