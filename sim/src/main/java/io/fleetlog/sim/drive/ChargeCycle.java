package io.fleetlog.sim.drive;

/**
 * The simulated car's routine, repeated: drive → stop → park (gear P, locked after 5 s, sentry armed)
 * → plug in → charging starts (amps ramp up) → charging (AC, until the charge limit) → complete →
 * unplug → unlock → reverse out (R, then N) → drive (D).
 *
 * <p>Phase durations are drawn from the cycle's own {@link Rng} (so the drive's own random streams,
 * and with them the first drive, are what they were before the cycle existed). The charge limit is set
 * a few percent above the plug-in SoC so that a session takes minutes, not the hours a real 60 → 90 %
 * AC session takes: a demo run of ten minutes can show one. One {@link #step} per 20 ms frame. Not
 * thread-safe.
 */
final class ChargeCycle {
    enum Phase {
        DRIVING,
        STOPPING,
        PARKED,
        STARTING,
        CHARGING,
        COMPLETE,
        UNPLUGGED,
        DEPARTING
    }

    enum Gear {
        P,
        R,
        N,
        D
    }

    /** What the car's charge port reports (the built-in catalogue's ChargeState names). */
    enum Charge {
        Disconnected,
        NoPower,
        Starting,
        Charging,
        Complete
    }

    static final double LOCK_AFTER_S = 5;
    static final double UNLOCK_BEFORE_DEPARTURE_S = 10;
    static final double REVERSE_S = 3;
    static final double NEUTRAL_S = 1;
    static final double RAMP_S = 6;
    static final double MAX_CHARGING_S = 3 * 3600;
    static final double CHARGER_EFFICIENCY = 0.92;

    private final Rng rng;
    private Phase phase = Phase.DRIVING;
    private double left; // seconds left in a timed phase
    private double in; // seconds spent in the phase
    private boolean firstDrive = true;
    private int limitSoc;
    private final double nominalVolts;
    private final double targetAmps;
    private double volts;
    private double amps;

    ChargeCycle(Rng rng) {
        this.rng = rng;
        this.nominalVolts = rng.chance(0.5) ? 240 : 230;
        this.targetAmps = rng.chance(0.5) ? 32 : 48;
        this.left = rng.between(240, 540); // the first drive is short: a short run shows a session
        this.limitSoc = 80;
    }

    Phase phase() {
        return phase;
    }

    /** Whether the car must stand still (every phase but driving and stopping). */
    boolean holdStill() {
        return phase != Phase.DRIVING && phase != Phase.STOPPING;
    }

    /** Whether the driver is braking to park (the target speed is 0). */
    boolean stopping() {
        return phase == Phase.STOPPING;
    }

    /**
     * Advances by {@code dtS}. {@code speedMps} is the car's speed, {@code socPct} its state of
     * charge. Returns true when the car just came to a stop to park (the caller sets the speed to 0).
     */
    boolean step(double dtS, double speedMps, double socPct) {
        in += dtS;
        left -= dtS;
        switch (phase) {
            case DRIVING -> {
                if (left <= 0) {
                    enter(Phase.STOPPING, 0);
                }
            }
            case STOPPING -> {
                if (speedMps < 0.3) {
                    enter(Phase.PARKED, rng.between(30, 90));
                    return true;
                }
            }
            case PARKED -> {
                if (left <= 0) {
                    // the driver sets the limit a few percent above the SoC at plug-in (see the class comment)
                    limitSoc = (int) Math.min(100, Math.ceil(socPct) + 2 + (int) rng.between(0, 3));
                    enter(Phase.STARTING, RAMP_S);
                }
            }
            case STARTING -> {
                if (left <= 0) {
                    enter(Phase.CHARGING, MAX_CHARGING_S);
                }
            }
            case CHARGING -> {
                if (socPct >= limitSoc || left <= 0) {
                    enter(Phase.COMPLETE, rng.between(60, 180));
                }
            }
            case COMPLETE -> {
                if (left <= 0) {
                    enter(Phase.UNPLUGGED, rng.between(20, 60));
                }
            }
            case UNPLUGGED -> {
                if (left <= 0) {
                    enter(Phase.DEPARTING, REVERSE_S + NEUTRAL_S);
                }
            }
            case DEPARTING -> {
                if (left <= 0) {
                    firstDrive = false;
                    enter(Phase.DRIVING, rng.between(600, 1_500));
                }
            }
        }
        electrics(dtS);
        return false;
    }

    private void enter(Phase p, double seconds) {
        phase = p;
        left = seconds;
        in = 0;
    }

    /** The charger's voltage and current for this step (noise-free; the simulator adds sensor noise). */
    private void electrics(double dtS) {
        switch (phase) {
            case STARTING -> {
                volts = nominalVolts;
                amps = targetAmps * Math.min(1, in / RAMP_S);
            }
            case CHARGING -> {
                volts = nominalVolts - 0.02 * targetAmps; // a little sag under load
                amps = targetAmps;
            }
            case COMPLETE -> {
                volts = nominalVolts;
                amps = 0;
            }
            default -> {
                volts = 0;
                amps = 0;
            }
        }
    }

    /** Whether a charge cable is connected. */
    boolean plugged() {
        return phase == Phase.STARTING || phase == Phase.CHARGING || phase == Phase.COMPLETE;
    }

    Gear gear() {
        return switch (phase) {
            case DRIVING, STOPPING -> Gear.D;
            case DEPARTING -> in < REVERSE_S ? Gear.R : Gear.N;
            default -> Gear.P;
        };
    }

    Charge chargeState() {
        return switch (phase) {
            case STARTING -> Charge.Starting;
            case CHARGING -> Charge.Charging;
            case COMPLETE -> Charge.Complete;
            default -> Charge.Disconnected;
        };
    }

    /** The detailed state: as {@link #chargeState()}, but the first second of a session has no power yet. */
    Charge detailedChargeState() {
        return phase == Phase.STARTING && in < 1 ? Charge.NoPower : chargeState();
    }

    boolean locked() {
        return switch (phase) {
            case PARKED -> in >= LOCK_AFTER_S;
            case STARTING, CHARGING, COMPLETE -> true;
            case UNPLUGGED -> left > UNLOCK_BEFORE_DEPARTURE_S;
            default -> false;
        };
    }

    /** Sentry mode is armed whenever the parked car is locked. */
    boolean sentryArmed() {
        return locked();
    }

    boolean chargePortOpen() {
        return plugged();
    }

    int chargeLimitSoc() {
        return limitSoc;
    }

    double chargerVolts() {
        return volts;
    }

    double chargeAmps() {
        return amps;
    }

    /** AC power drawn from the charger, kW. */
    double acPowerKw() {
        return volts * amps / 1000;
    }

    /** Power into the pack, W (what the charger delivers after its losses). */
    double chargeW() {
        return acPowerKw() * 1000 * CHARGER_EFFICIENCY;
    }

    boolean firstDrive() {
        return firstDrive;
    }
}
