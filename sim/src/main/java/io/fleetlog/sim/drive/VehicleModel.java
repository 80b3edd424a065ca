package io.fleetlog.sim.drive;

import java.util.Locale;

/**
 * The simulated fleet's models with public (approximate) specifications.
 *
 * <p>Mass includes one driver; drag area is Cd × frontal area; peak power is the drive units' peak
 * output; the regen limit caps the power the battery takes back when braking.
 */
public enum VehicleModel {
    MODEL3("model3", "Model 3", "5YJ3E1EB", 1_930, 75, 0.23, 2.22, 0.0100, 366, 75),
    MODELY("modely", "Model Y", "7SAYGDEE", 2_080, 75, 0.23, 2.52, 0.0110, 378, 80),
    MODELS_PLAID("models-plaid", "Model S Plaid", "5YJSA1E6", 2_270, 95, 0.208, 2.34, 0.0100, 760, 100),
    MODELX("modelx", "Model X", "7SAXCBE5", 2_530, 100, 0.24, 2.60, 0.0110, 500, 100);

    private final String key;
    private final String displayName;
    private final String vinPrefix;
    private final double massKg;
    private final double batteryKwh;
    private final double dragCoefficient;
    private final double frontalAreaM2;
    private final double rollingResistance;
    private final double peakPowerKw;
    private final double regenLimitKw;

    VehicleModel(
            String key,
            String displayName,
            String vinPrefix,
            double massKg,
            double batteryKwh,
            double dragCoefficient,
            double frontalAreaM2,
            double rollingResistance,
            double peakPowerKw,
            double regenLimitKw) {
        this.key = key;
        this.displayName = displayName;
        this.vinPrefix = vinPrefix;
        this.massKg = massKg;
        this.batteryKwh = batteryKwh;
        this.dragCoefficient = dragCoefficient;
        this.frontalAreaM2 = frontalAreaM2;
        this.rollingResistance = rollingResistance;
        this.peakPowerKw = peakPowerKw;
        this.regenLimitKw = regenLimitKw;
    }

    /** Parses a key ({@code model3}, {@code modely}, {@code models-plaid}, {@code modelx}). */
    public static VehicleModel byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (VehicleModel m : values()) {
            if (m.key.equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + key + "' (known: model3, modely, models-plaid, modelx)");
    }

    public String key() {
        return key;
    }

    public String displayName() {
        return displayName;
    }

    /** The first 8 VIN characters (WMI 5YJ or 7SA, model line, body, restraints, drive). */
    String vinPrefix() {
        return vinPrefix;
    }

    public double massKg() {
        return massKg;
    }

    public double batteryKwh() {
        return batteryKwh;
    }

    public double dragCoefficient() {
        return dragCoefficient;
    }

    public double frontalAreaM2() {
        return frontalAreaM2;
    }

    /** Cd × A in m². */
    public double dragAreaM2() {
        return dragCoefficient * frontalAreaM2;
    }

    public double rollingResistance() {
        return rollingResistance;
    }

    public double peakPowerKw() {
        return peakPowerKw;
    }

    public double regenLimitKw() {
        return regenLimitKw;
    }
}
