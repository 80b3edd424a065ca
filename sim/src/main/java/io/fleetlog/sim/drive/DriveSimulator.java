package io.fleetlog.sim.drive;

import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.LegacyFrames;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.source.Source;
import java.time.Duration;

/**
 * A simulated 50 Hz drive of one vehicle on an endless seeded route mixing city (intersections with
 * lights and turns), highway and hills.
 *
 * <p>Physics per 20 ms step: a driver model chooses an acceleration toward the road's target speed
 * (braking for lights and turns, jerk-limited, capped by the model's peak power); wheel power is
 * {@code v·(m·a + m·g·(Crr·cos θ + sin θ) + ½·ρ·CdA·v²)}; battery power adds drive losses (90 %
 * efficiency) or recovers regen (75 %, capped by the model's regen limit; the rest is friction
 * braking) plus auxiliary load; state of charge falls with battery energy; the odometer integrates
 * speed; heading follows the road's curvature and the turns, and GPS position integrates speed along
 * the heading; elevation follows the grade. Sensors add realistic noise (speed ±0.05 mph, power
 * ±0.15 kW, heading ±0.2°, correlated GPS noise of about 1.5 m, elevation ±0.5 m), and every value is
 * quantised to its {@link Field} resolution.
 *
 * <p>The drive is part of a routine ({@link ChargeCycle}): after a few minutes of driving the car
 * stops, parks (gear P, locked, sentry armed), charges on AC to its charge limit (SoC rising, power
 * negative), is unplugged and driven again. Every 50 Hz frame carries the eight driving values (the
 * built-in catalogue's VehicleSpeed, Power, Soc, GpsHeading, Odometer, Location, Elevation); the
 * other signals are captured only when due, at their own rates or on change ({@link Sensors} has the
 * table): 28 signals of the built-in catalogue in all.
 *
 * <p>Deterministic: the i-th sample depends only on (model, seed, start time) — {@code duration} only
 * says where the drive ends — and is bit-identical across runs and JVMs ({@link StrictMath}, own
 * generator). Not thread-safe.
 */
public final class DriveSimulator implements Source {
    public static final int RATE_HZ = 50;
    public static final long PERIOD_MS = 1000 / RATE_HZ;

    private static final double DT_S = PERIOD_MS / 1000.0;
    private static final double G = 9.81;
    private static final double AIR_DENSITY = 1.2;
    private static final double EARTH_RADIUS_M = 6_371_000;
    private static final double MPS_TO_MPH = 2.2369362920544;
    private static final double M_PER_MILE = 1609.344;
    private static final double DRIVE_EFFICIENCY = 0.90;
    private static final double REGEN_EFFICIENCY = 0.75;
    private static final double STOP_DECEL = 1.8; // m/s², comfortable braking for a light
    private static final double TURN_SPEED = 6.0; // m/s through a 90° turn
    private static final double TURN_LENGTH_M = 18;
    private static final double MAX_JERK = 3.0; // m/s³
    private static final double PARKED_LOAD_W = 250; // sentry cameras and the 12 V system
    private static final int LOCATION = LegacyFrames.locationId();
    private static final double[][] ANCHORS = {
        {37.4419, -122.1430, 20}, // Palo Alto
        {37.4946, -121.9446, 10}, // Fremont
        {30.2222, -97.6170, 150}, // Austin
        {34.0522, -118.2437, 90}, // Los Angeles
        {47.6062, -122.3321, 50}, // Seattle
    };

    private final VehicleModel model;
    private final long seed;
    private final long startEpochMs;
    private final long samples; // -1 = endless
    private final Rng route;
    private final Rng noise;
    private final Rng driver;

    private long index;
    private Segment segment;
    private double s; // metres along the segment
    private double v; // m/s
    private double a; // m/s²
    private double headingDeg;
    private double latRad;
    private double lonRad;
    private double elevationM;
    private double odometerMi;
    private double socPct;
    private double auxW;
    private double driverFactor = 1.0;
    private double lastBatteryW;
    // city intersections
    private double nextStopS;
    private boolean mustStop;
    private double dwellS;
    private double turnLeftDeg;
    private double turnRemainingM;
    // correlated sensor noise
    private double gpsNorthM;
    private double gpsEastM;
    private double elevationNoiseM;
    // the routine around the drive, and the signals beyond the eight
    private final ChargeCycle cycle;
    private final Sensors sensors;

    /**
     * @param duration capture time to simulate, {@code null} for an endless drive
     */
    public DriveSimulator(VehicleModel model, long seed, long startEpochMs, Duration duration) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("duration " + duration + " must not be negative");
        }
        this.model = model;
        this.seed = seed;
        this.startEpochMs = startEpochMs;
        this.samples = duration == null ? -1 : duration.toMillis() / PERIOD_MS;
        Rng root = new Rng(seed * 31 + model.ordinal());
        this.route = root.split();
        this.noise = root.split();
        this.driver = root.split();
        double[] anchor = ANCHORS[(int) Math.floorMod(seed, ANCHORS.length)];
        this.latRad = StrictMath.toRadians(anchor[0] + root.between(-0.02, 0.02));
        this.lonRad = StrictMath.toRadians(anchor[1] + root.between(-0.02, 0.02));
        this.elevationM = anchor[2] + root.between(0, 30);
        this.headingDeg = root.between(0, 360);
        this.odometerMi = StrictMath.floor(root.between(1_000, 40_000));
        this.socPct = root.between(60, 95);
        this.auxW = 400 + root.between(0, 1_500);
        enter(Segment.next(route, null));
        // split after every draw above: the drive's own streams are what they were before these existed
        this.cycle = new ChargeCycle(root.split());
        this.sensors = new Sensors(model, root.split());
    }

    /**
     * A valid, stable VIN for the {@code index}-th simulated vehicle of a model: Tesla WMI (5YJ/7SA),
     * model year P (2023), plant F, serial from the index, correct check digit.
     */
    public static String vin(VehicleModel model, int index) {
        if (index < 0 || index > 899_999) {
            throw new IllegalArgumentException("vehicle index " + index + " must be between 0 and 899999");
        }
        String raw = model.vinPrefix() + "0PF" + String.format("%06d", 100_001 + index);
        return Vin.check(Vin.withCheckDigit(raw));
    }

    public VehicleModel model() {
        return model;
    }

    /** Number of samples this drive produces, -1 when endless. */
    public long sampleCount() {
        return samples;
    }

    @Override
    public Sample next() {
        if (samples >= 0 && index >= samples) {
            return null;
        }
        if (index > 0) {
            step();
        }
        Sample out = new Sample(index, frame(startEpochMs + index * PERIOD_MS));
        index++;
        return out;
    }

    @Override
    public String describe() {
        return "drive simulator " + model.key() + " seed " + seed + " (city/highway/hills, " + RATE_HZ + " Hz"
                + (samples < 0 ? ", endless)" : ", " + samples + " samples)");
    }

    private void enter(Segment next) {
        segment = next;
        s = 0;
        mustStop = false;
        nextStopS = next.kind() == Segment.Kind.CITY ? next.intersectionSpacingM() : Double.POSITIVE_INFINITY;
        planIntersection();
    }

    private void planIntersection() {
        mustStop = route.chance(0.5);
        dwellS = mustStop ? route.between(4, 25) : 0;
    }

    /** Advances the vehicle by one 20 ms step. */
    private void step() {
        if (cycle.step(DT_S, v, socPct)) {
            v = 0; // came to a stop to park
            a = 0;
        }
        sensors.step(DT_S, v > 0.5, !cycle.holdStill() || cycle.phase() == ChargeCycle.Phase.DEPARTING, index * DT_S);
        if (cycle.holdStill()) {
            standStill();
            return;
        }
        drive();
    }

    /** Parked, charging or about to leave: no motion; the pack feeds the parked car's load or charges. */
    private void standStill() {
        v = 0;
        a = 0;
        double batteryW = PARKED_LOAD_W - cycle.chargeW();
        lastBatteryW = batteryW;
        socPct = clamp(socPct - batteryW * DT_S / 3600.0 / (model.batteryKwh() * 1000) * 100, 0, 100);
        sensorNoise();
    }

    private void sensorNoise() {
        driverFactor = clamp(driverFactor + driver.gaussian() * 0.002, 0.92, 1.06);
        gpsNorthM = 0.995 * gpsNorthM + driver.gaussian() * 0.15;
        gpsEastM = 0.995 * gpsEastM + driver.gaussian() * 0.15;
        elevationNoiseM = 0.99 * elevationNoiseM + driver.gaussian() * 0.07;
    }

    private void drive() {
        double grade = segment.grade(s);
        double theta = StrictMath.atan(grade);
        double target = targetSpeed();
        double m = model.massKg();
        double resist = m * G * (model.rollingResistance() * StrictMath.cos(theta) + StrictMath.sin(theta))
                + 0.5 * AIR_DENSITY * model.dragAreaM2() * v * v;
        // driver: proportional toward the target, comfort and power limits, jerk limit
        double comfort = segment.kind() == Segment.Kind.HIGHWAY ? 1.2 : 2.0;
        double desired = clamp((target - v) * 0.6, -3.5, comfort);
        double powerCap = (model.peakPowerKw() * 1000 * 0.8 * DRIVE_EFFICIENCY / Math.max(v, 3.0) - resist) / m;
        desired = Math.min(desired, powerCap);
        a += clamp(desired - a, -MAX_JERK * DT_S, MAX_JERK * DT_S);
        if (v <= 0 && a < 0) {
            a = 0;
        }
        double vNew = Math.max(0, v + a * DT_S);
        double vMean = (v + vNew) / 2;
        double ds = vMean * DT_S;
        // power and energy
        double wheelW = (m * a + resist) * vMean;
        if (vMean < 0.05 && a <= 0) {
            wheelW = 0; // standing: brakes hold the car, no traction power
        }
        double batteryW = wheelW >= 0
                ? wheelW / DRIVE_EFFICIENCY
                : Math.max(wheelW * REGEN_EFFICIENCY, -model.regenLimitKw() * 1000);
        batteryW += auxW;
        lastBatteryW = batteryW;
        socPct = clamp(socPct - batteryW * DT_S / 3600.0 / (model.batteryKwh() * 1000) * 100, 0, 100);
        // kinematics along the route
        double turnDeg = 0;
        if (turnRemainingM > 0) {
            double used = Math.min(ds, turnRemainingM);
            turnDeg = turnLeftDeg * used / TURN_LENGTH_M;
            turnRemainingM -= used;
        }
        headingDeg = normalise(headingDeg + segment.curvature(s) * ds + turnDeg);
        double h = StrictMath.toRadians(headingDeg);
        latRad += ds * StrictMath.cos(h) / EARTH_RADIUS_M;
        lonRad += ds * StrictMath.sin(h) / (EARTH_RADIUS_M * StrictMath.cos(latRad));
        elevationM += ds * StrictMath.sin(theta);
        odometerMi += ds / M_PER_MILE;
        v = vNew;
        s += ds;
        intersections();
        if (s >= segment.lengthM() && turnRemainingM <= 0) {
            enter(Segment.next(route, segment.kind()));
        }
        sensorNoise();
    }

    private double targetSpeed() {
        if (cycle.stopping()) {
            return 0; // pulling over to park
        }
        double target = segment.limitMps() * driverFactor;
        if (turnRemainingM > 0) {
            target = Math.min(target, TURN_SPEED);
        }
        if (Double.isFinite(nextStopS)) {
            double d = nextStopS - s;
            if (mustStop) {
                target = Math.min(target, StrictMath.sqrt(2 * STOP_DECEL * Math.max(0, d - 1.5)));
            } else if (turnLeftDeg != 0 || d < 60) {
                target = Math.min(
                        target, Math.max(TURN_SPEED, StrictMath.sqrt(2 * STOP_DECEL * Math.max(0, d)) + TURN_SPEED));
            }
        }
        return target;
    }

    /** Handles waiting at a red light and starting a turn once through an intersection. */
    private void intersections() {
        if (!Double.isFinite(nextStopS)) {
            return;
        }
        double d = nextStopS - s;
        if (mustStop && d < 2.5 && v < 0.3) {
            v = 0;
            a = Math.min(a, 0);
            dwellS -= DT_S;
            if (dwellS > 0) {
                return;
            }
            mustStop = false;
        }
        if (!mustStop && d <= 0) {
            turnLeftDeg = route.chance(0.35) ? (route.chance(0.5) ? 90 : -90) : 0;
            turnRemainingM = turnLeftDeg != 0 ? TURN_LENGTH_M : 0;
            nextStopS += segment.intersectionSpacingM() * route.between(0.7, 1.3);
            if (nextStopS > segment.lengthM()) {
                nextStopS = Double.POSITIVE_INFINITY;
            } else {
                planIntersection();
            }
        }
    }

    /** The frame at capture time {@code t}: the eight driving values, then the signals due now. */
    private Frame frame(long t) {
        double[] x = read();
        Frame.Builder b = Frame.builder(t, 24);
        for (Field f : Field.values()) {
            if (f == Field.LATITUDE) {
                b.position(LOCATION, x[f.ordinal()], x[Field.LONGITUDE.ordinal()]);
            } else if (f != Field.LONGITUDE) {
                b.number(LegacyFrames.id(f), x[f.ordinal()]);
            }
        }
        sensors.add(b, index, index * DT_S, cycle, socPct, x[Field.POWER.ordinal()]);
        return b.build();
    }

    private double[] read() {
        double[] x = new double[Field.COUNT];
        double speedMph = v * MPS_TO_MPH;
        x[Field.SPEED.ordinal()] = speedMph < 0.05 ? 0 : Math.max(0, speedMph + noise.gaussian() * 0.05);
        x[Field.POWER.ordinal()] = lastBatteryW / 1000 + noise.gaussian() * 0.15;
        x[Field.SOC.ordinal()] = clamp(socPct + noise.gaussian() * 0.01, 0, 100);
        x[Field.HEADING.ordinal()] = headingDeg + noise.gaussian() * 0.2;
        x[Field.ODOMETER.ordinal()] = odometerMi;
        double lat = StrictMath.toDegrees(latRad + gpsNorthM / EARTH_RADIUS_M);
        double lon = StrictMath.toDegrees(lonRad + gpsEastM / (EARTH_RADIUS_M * StrictMath.cos(latRad)));
        x[Field.LATITUDE.ordinal()] = lat;
        x[Field.LONGITUDE.ordinal()] = lon;
        x[Field.ELEVATION.ordinal()] = elevationM + elevationNoiseM + noise.gaussian() * 0.3;
        for (Field f : Field.values()) {
            x[f.ordinal()] = f.quantise(x[f.ordinal()]);
        }
        return x;
    }

    private static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : Math.min(x, hi);
    }

    private static double normalise(double deg) {
        double n = deg % 360.0;
        return n < 0 ? n + 360.0 : n;
    }
}
