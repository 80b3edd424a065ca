package io.fleetlog.server.trips;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;

/**
 * The built-in catalogue ids and enum codes detection reads. Every catalogue fleetlog accepts keeps the
 * built-in signals at their built-in ids, so these hold for every vehicle.
 */
final class Signals {
    private Signals() {}

    private static final Catalogue CAT = Catalogue.builtin();

    static final int SPEED = CAT.id("VehicleSpeed");
    static final int POWER = CAT.id("Power");
    static final int SOC = CAT.id("Soc");
    static final int ODOMETER = CAT.id("Odometer");
    static final int LOCATION = CAT.id("Location");
    static final int ELEVATION = CAT.id("Elevation");
    static final int GEAR = CAT.id("Gear");
    static final int CHARGE_STATE = CAT.id("ChargeState");
    static final int DETAILED_CHARGE_STATE = CAT.id("DetailedChargeState");
    static final int AC_POWER = CAT.id("ACChargingPower");
    static final int DC_POWER = CAT.id("DCChargingPower");
    static final int AC_ENERGY_IN = CAT.id("ACChargingEnergyIn");
    static final int DC_ENERGY_IN = CAT.id("DCChargingEnergyIn");
    static final int FAST_CHARGER = CAT.id("FastChargerPresent");

    static final long GEAR_P = code("Gear", "P");
    static final long GEAR_R = code("Gear", "R");
    static final long GEAR_N = code("Gear", "N");
    static final long GEAR_D = code("Gear", "D");
    static final long CHARGE_STARTING = code("DetailedChargeState", "Starting");
    static final long CHARGE_CHARGING = code("DetailedChargeState", "Charging");

    static long code(String signal, String value) {
        EnumType e = (EnumType) CAT.get(signal).type();
        return e.byName(value)
                .orElseThrow(() -> new IllegalStateException(signal + " has no value " + value))
                .code();
    }
}
