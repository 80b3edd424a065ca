package io.fleetlog.sim.drive;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.frame.Frame;

/**
 * The simulated car's signals beyond the eight driving ones, each captured only when due (sparse
 * frames): at its own rate, or on change. Values are quantised to the signal's catalogue resolution
 * and kept inside its range.
 *
 * <table>
 *   <caption>rates (frames are 50 Hz)</caption>
 *   <tr><th>signals</th><th>captured</th></tr>
 *   <tr><td>PackVoltage, PackCurrent (Power ≈ V·I/1000 of the same frame)</td><td>10 Hz</td></tr>
 *   <tr><td>RatedRange, EnergyRemaining; ACChargingPower, ChargerVoltage, ChargeAmps while plugged in
 *       (and once, zero, at unplugging)</td><td>1 Hz</td></tr>
 *   <tr><td>InsideTemp, OutsideTemp</td><td>0.1 Hz</td></tr>
 *   <tr><td>TpmsPressureFl/Fr/Rl/Rr, Version</td><td>every 30 s (a keyframe period)</td></tr>
 *   <tr><td>Gear, ChargeState, DetailedChargeState, ChargeLimitSoc, ChargePortDoorOpen, Locked,
 *       SentryMode</td><td>on change (and in the first frame)</td></tr>
 * </table>
 *
 * <p>Physics, roughly: tyres warm while driving (about +7 % pressure after ten minutes) and cool when
 * parked; the cabin follows the climate set point while the car is in use and the outside temperature
 * when parked; the pack's open-circuit voltage rises with SoC and sags with current. Deterministic from
 * its own {@link Rng}. Not thread-safe.
 */
final class Sensors {
    static final int PACK_EVERY = 5; // frames: 10 Hz
    static final int SLOW_EVERY = 50; // 1 Hz
    static final int TEMP_EVERY = 500; // 0.1 Hz
    static final int TPMS_EVERY = 1_500; // 30 s
    static final int VERSION_EVERY = 1_500; // 30 s, one keyframe period

    private static final double PACK_RESISTANCE_OHM = 0.06;
    private static final double RATED_WH_PER_MI = 230;
    private static final String[] VERSIONS = {"2025.45.8", "2026.2.3", "2026.8.6", "2026.14.3.1"};

    private static final Catalogue CAT = Catalogue.builtin();
    static final int GEAR = CAT.id("Gear");
    static final int CHARGE_STATE = CAT.id("ChargeState");
    static final int DETAILED_CHARGE_STATE = CAT.id("DetailedChargeState");
    static final int CHARGE_LIMIT_SOC = CAT.id("ChargeLimitSoc");
    static final int CHARGE_PORT_DOOR_OPEN = CAT.id("ChargePortDoorOpen");
    static final int LOCKED = CAT.id("Locked");
    static final int SENTRY_MODE = CAT.id("SentryMode");
    static final int PACK_VOLTAGE = CAT.id("PackVoltage");
    static final int PACK_CURRENT = CAT.id("PackCurrent");
    static final int RATED_RANGE = CAT.id("RatedRange");
    static final int ENERGY_REMAINING = CAT.id("EnergyRemaining");
    static final int AC_CHARGING_POWER = CAT.id("ACChargingPower");
    static final int CHARGER_VOLTAGE = CAT.id("ChargerVoltage");
    static final int CHARGE_AMPS = CAT.id("ChargeAmps");
    static final int INSIDE_TEMP = CAT.id("InsideTemp");
    static final int OUTSIDE_TEMP = CAT.id("OutsideTemp");
    static final int[] TPMS = {
        CAT.id("TpmsPressureFl"), CAT.id("TpmsPressureFr"), CAT.id("TpmsPressureRl"), CAT.id("TpmsPressureRr")
    };
    static final int VERSION = CAT.id("Version");

    private static final int[] GEAR_CODES = codes("Gear", ChargeCycle.Gear.values());
    private static final int[] CHARGE_CODES = codes("ChargeState", ChargeCycle.Charge.values());
    private static final int[] DETAILED_CODES = codes("DetailedChargeState", ChargeCycle.Charge.values());
    private static final int SENTRY_OFF = code("SentryMode", "Off");
    private static final int SENTRY_ARMED = code("SentryMode", "Armed");

    private final VehicleModel model;
    private final Rng rng;
    private final String version;
    private final double outsideBaseC;
    private final double[] coldBar = new double[4];
    private double cabinC;
    private double tyreWarmth; // 0 cold .. 1 warm
    private boolean unpluggedNow; // the cable came out in this frame
    // last captured on-change values; -1 = never
    private final long[] last = new long[7];

    Sensors(VehicleModel model, Rng rng) {
        this.model = model;
        this.rng = rng;
        this.version = VERSIONS[(int) (rng.nextDouble() * VERSIONS.length)];
        this.outsideBaseC = rng.between(0, 30);
        this.cabinC = outsideBaseC;
        for (int i = 0; i < 4; i++) {
            coldBar[i] = 2.85 + rng.between(-0.06, 0.06);
        }
        java.util.Arrays.fill(last, -1);
    }

    /** Advances the slow physics by one frame. */
    void step(double dtS, boolean moving, boolean inUse, double tS) {
        double warmTarget = moving ? 1 : 0;
        tyreWarmth += (warmTarget - tyreWarmth) * dtS / (moving ? 600 : 1_800);
        double cabinTarget = inUse ? 21 : outside(tS);
        cabinC += (cabinTarget - cabinC) * dtS / (inUse ? 300 : 1_200);
    }

    private double outside(double tS) {
        return outsideBaseC + 3 * StrictMath.sin(2 * Math.PI * tS / (4 * 3600));
    }

    /**
     * Adds the signals due in frame {@code index} (capture time {@code tS} seconds into the drive).
     * {@code powerKw} is the frame's Power value.
     */
    void add(Frame.Builder b, long index, double tS, ChargeCycle cycle, double socPct, double powerKw) {
        onChange(b, index, cycle);
        if (index % PACK_EVERY == 0) {
            double voc = 96 * (3.3 + 0.0085 * socPct);
            double i0 = powerKw * 1000 / voc;
            double v = q(PACK_VOLTAGE, voc - i0 * PACK_RESISTANCE_OHM);
            b.number(PACK_VOLTAGE, v);
            b.number(PACK_CURRENT, q(PACK_CURRENT, powerKw * 1000 / v));
        }
        if (index % SLOW_EVERY == 0) {
            b.number(RATED_RANGE, q(RATED_RANGE, socPct / 100 * model.batteryKwh() * 1000 / RATED_WH_PER_MI));
            b.number(ENERGY_REMAINING, q(ENERGY_REMAINING, socPct / 100 * model.batteryKwh()));
        }
        if (index % SLOW_EVERY == 0 && cycle.plugged() || unpluggedNow) {
            double volts = cycle.plugged() ? cycle.chargerVolts() + rng.gaussian() * 0.5 : 0;
            double amps = cycle.chargeAmps() > 0 ? cycle.chargeAmps() + rng.gaussian() * 0.1 : 0;
            b.number(CHARGER_VOLTAGE, q(CHARGER_VOLTAGE, volts));
            b.number(CHARGE_AMPS, q(CHARGE_AMPS, amps));
            b.number(AC_CHARGING_POWER, q(AC_CHARGING_POWER, volts * amps / 1000));
        }
        if (index % TEMP_EVERY == 0) {
            b.number(OUTSIDE_TEMP, q(OUTSIDE_TEMP, outside(tS) + rng.gaussian() * 0.1));
            b.number(INSIDE_TEMP, q(INSIDE_TEMP, cabinC + rng.gaussian() * 0.1));
        }
        if (index % TPMS_EVERY == 0) {
            double thermal = 1 + 0.07 * tyreWarmth + (outside(tS) - 20) * 0.0035;
            for (int i = 0; i < 4; i++) {
                b.number(TPMS[i], q(TPMS[i], coldBar[i] * thermal + rng.gaussian() * 0.005));
            }
        }
        if (index % VERSION_EVERY == 0) {
            b.string(VERSION, version);
        }
    }

    /** Gear, charge states, limit, port, lock and sentry: captured when they change. */
    private void onChange(Frame.Builder b, long index, ChargeCycle cycle) {
        long[] now = {
            GEAR_CODES[cycle.gear().ordinal()],
            CHARGE_CODES[cycle.chargeState().ordinal()],
            DETAILED_CODES[cycle.detailedChargeState().ordinal()],
            cycle.chargeLimitSoc(),
            cycle.chargePortOpen() ? 1 : 0,
            cycle.locked() ? 1 : 0,
            cycle.sentryArmed() ? SENTRY_ARMED : SENTRY_OFF
        };
        int[] ids = {
            GEAR, CHARGE_STATE, DETAILED_CHARGE_STATE, CHARGE_LIMIT_SOC, CHARGE_PORT_DOOR_OPEN, LOCKED, SENTRY_MODE
        };
        boolean wasPlugged = last[4] == 1;
        for (int i = 0; i < now.length; i++) {
            if (now[i] != last[i]) {
                b.integer(ids[i], now[i]);
            }
        }
        unpluggedNow = wasPlugged && now[4] == 0;
        System.arraycopy(now, 0, last, 0, now.length);
    }

    /** {@code v} rounded to the resolution of float signal {@code id}, clamped into its range. */
    static double q(int id, double v) {
        FloatType f = (FloatType) CAT.signal(id).type();
        return f.quantise(Math.max(f.min(), Math.min(f.max(), v)));
    }

    private static int code(String signal, String value) {
        EnumType e = (EnumType) CAT.get(signal).type();
        return e.byName(value)
                .orElseThrow(() -> new IllegalStateException(signal + " has no value " + value))
                .code();
    }

    private static int[] codes(String signal, Enum<?>[] values) {
        int[] out = new int[values.length];
        for (Enum<?> v : values) {
            out[v.ordinal()] = code(signal, v.name());
        }
        return out;
    }
}
