package io.fleetlog.bench.codec;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic 50 Hz drives for the codec benchmarks: the same seed gives the same
 * samples on every machine.
 *
 * <p>{@link #HIGHWAY}: 65–75 mph with 0.3 mph sensor noise, gentle heading changes (turn rate a
 * bounded random walk, ±0.5 °/s), position moving at ~30 m/s along the heading, odometer counting
 * the distance, rolling elevation. {@link #CITY}: stop-and-go between 0 and 35 mph (accelerate at
 * 1.5–3 m/s², cruise, brake, stand still 3–30 s), 90° turns at some stops, regenerative braking
 * (negative power). In both, power comes from a simple longitudinal model of a 1,850 kg car
 * (aerodynamic and rolling drag, inertia, 90 % drive efficiency, 70 % regen) plus 1 kW noise, and
 * state of charge drains from a 75 kWh pack. Every value is available and within its field's range.
 */
public enum DriveStreams {
    HIGHWAY,
    CITY;

    /** Capture period in ms (50 Hz). */
    public static final int PERIOD_MS = 20;

    /** 2025-11-26T00:00:00Z, the capture time of the first sample. */
    public static final long START_MS = 1_764_115_200_000L;

    private static final double MPH_PER_MPS = 2.236936;
    private static final double METRES_PER_MILE = 1609.344;
    private static final double METRES_PER_DEG_LAT = 111_320;

    /** {@code count} samples of this drive with seqs from 0. */
    public List<Sample> samples(int count, long seed) {
        return new Drive(this, new SplittableRandom(seed)).run(count);
    }

    private enum Phase {
        STOPPED,
        ACCELERATING,
        CRUISING,
        BRAKING
    }

    /** One simulated car; all state in SI units (m, m/s, s) except where the name says. */
    private static final class Drive {
        private final DriveStreams kind;
        private final SplittableRandom rnd;
        private final double dt = PERIOD_MS / 1000.0;
        private double v; // m/s, noiseless
        private double heading = 37; // deg
        private double turnRate; // deg/s
        private double lat = 37.39;
        private double lon = -122.08;
        private double odometerMi = 12_345.6;
        private double socPct = 82;
        private double elevationPhase;
        // City state machine.
        private Phase phase = Phase.STOPPED;
        private double phaseLeft = 2; // s left in a timed phase
        private double target; // m/s
        private double rate; // m/s², acceleration or braking of the current phase
        private double turnLeft; // deg left to turn

        Drive(DriveStreams kind, SplittableRandom rnd) {
            this.kind = kind;
            this.rnd = rnd;
            this.v = kind == HIGHWAY ? 70 / MPH_PER_MPS : 0;
        }

        List<Sample> run(int count) {
            List<Sample> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                double t = i * dt;
                double accel = kind == HIGHWAY ? highwayAccel(t) : cityAccel();
                double before = v;
                v = Math.max(0, v + accel * dt);
                accel = (v - before) / dt;
                steer();
                move();
                double power = power(accel);
                socPct = Math.max(0, socPct - power * dt / 3600 / 75 * 100);
                out.add(new Sample(i, START_MS + (long) i * PERIOD_MS, values(t, power)));
            }
            return out;
        }

        /** Speed follows 70 mph ± 4 mph over a 90 s cycle and ± 1 mph over 13 s. */
        private double highwayAccel(double t) {
            double wanted = (70 + 4 * Math.sin(t * 2 * Math.PI / 90) + Math.sin(t * 2 * Math.PI / 13)) / MPH_PER_MPS;
            return Math.max(-2, Math.min(2, (wanted - v) * 2));
        }

        /** Stand still, accelerate to a target, cruise, brake to a stop; repeat. */
        private double cityAccel() {
            phaseLeft -= dt;
            switch (phase) {
                case STOPPED -> {
                    if (phaseLeft <= 0) {
                        phase = Phase.ACCELERATING;
                        target = (15 + 20 * rnd.nextDouble()) / MPH_PER_MPS;
                        rate = 1.5 + 1.5 * rnd.nextDouble();
                        turnLeft = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? 90 : -90) : 0;
                    }
                    return 0;
                }
                case ACCELERATING -> {
                    if (v >= target) {
                        phase = Phase.CRUISING;
                        phaseLeft = 5 + 15 * rnd.nextDouble();
                    }
                    return rate;
                }
                case CRUISING -> {
                    if (phaseLeft <= 0) {
                        phase = Phase.BRAKING;
                        rate = 2 + rnd.nextDouble();
                    }
                    return (target - v) * 0.5;
                }
                default -> {
                    if (v <= 0) {
                        phase = Phase.STOPPED;
                        phaseLeft = 3 + 27 * rnd.nextDouble();
                        return 0;
                    }
                    return -rate;
                }
            }
        }

        private void steer() {
            if (kind == HIGHWAY) {
                turnRate = Math.max(-0.5, Math.min(0.5, turnRate + rnd.nextGaussian() * 0.02));
            } else if (turnLeft != 0 && v > 1) {
                double step = Math.copySign(Math.min(Math.abs(turnLeft), 22.5 * dt), turnLeft);
                turnLeft -= step;
                turnRate = step / dt;
            } else {
                turnRate = 0;
            }
            heading = (heading + turnRate * dt + 360) % 360;
        }

        private void move() {
            double d = v * dt;
            lat += d * Math.cos(Math.toRadians(heading)) / METRES_PER_DEG_LAT;
            lon += d * Math.sin(Math.toRadians(heading)) / (METRES_PER_DEG_LAT * Math.cos(Math.toRadians(lat)));
            odometerMi += d / METRES_PER_MILE;
            elevationPhase += d;
        }

        /** Battery power in kW: drag and inertia at the wheels, through the drive train or regen. */
        private double power(double accel) {
            double wheelW = 1850 * accel * v + 0.5 * 1.2 * 0.51 * v * v * v + 0.01 * 1850 * 9.81 * v;
            double batteryW = wheelW >= 0 ? wheelW / 0.9 : wheelW * 0.7;
            return batteryW / 1000 + 0.4 + rnd.nextGaussian();
        }

        private double[] values(double t, double power) {
            double[] x = new double[Field.COUNT];
            x[Field.SPEED.ordinal()] = Math.max(0, v * MPH_PER_MPS + (v > 0 ? rnd.nextGaussian() * 0.3 : 0));
            x[Field.POWER.ordinal()] = power;
            x[Field.SOC.ordinal()] = socPct;
            x[Field.HEADING.ordinal()] = (heading + rnd.nextGaussian() * 0.2 + 360) % 360;
            x[Field.ODOMETER.ordinal()] = odometerMi;
            x[Field.LATITUDE.ordinal()] = lat;
            x[Field.LONGITUDE.ordinal()] = lon;
            x[Field.ELEVATION.ordinal()] = 40 + 15 * Math.sin(elevationPhase / 2_000) + rnd.nextGaussian() * 0.05;
            return x;
        }
    }
}
