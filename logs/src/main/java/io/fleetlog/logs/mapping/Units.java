package io.fleetlog.logs.mapping;

import io.fleetlog.sample.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts values from a unit named in a DBC, a CSV header or a mapping file to a catalogue signal's
 * unit.
 *
 * <p>Every unit belongs to one quantity and is a scale (and, for temperatures, an offset) of that
 * quantity's base unit; a conversion is {@code value × factor + offset}. Unit names are matched
 * case-insensitively ({@code KPH}, {@code kph}, {@code km/h} are one unit). An empty source unit means
 * "already in the signal's unit" (DBCs often leave it out); two equal names convert 1:1 even when the
 * unit is not in the table. Anything else fails with the units the target's quantity knows.
 *
 * <table>
 *   <caption>Known units (base unit first)</caption>
 *   <tr><th>quantity</th><th>units</th></tr>
 *   <tr><td>speed</td><td>mph, mi/h; km/h, kph, kmh, kmph; m/s</td></tr>
 *   <tr><td>power</td><td>kW; W; MW</td></tr>
 *   <tr><td>ratio</td><td>%, pct, percent</td></tr>
 *   <tr><td>angle</td><td>deg, degree(s), °; rad</td></tr>
 *   <tr><td>length</td><td>m; km; mi, mile(s); ft, feet</td></tr>
 *   <tr><td>voltage</td><td>V; mV; kV</td></tr>
 *   <tr><td>current</td><td>A; mA</td></tr>
 *   <tr><td>energy</td><td>kWh; Wh; MWh</td></tr>
 *   <tr><td>temperature</td><td>degC, C, °C, celsius; degF, F, °F, fahrenheit; K</td></tr>
 *   <tr><td>pressure</td><td>bar; kPa; psi; Pa</td></tr>
 *   <tr><td>acceleration</td><td>m/s2, m/s^2, m/s²; g</td></tr>
 *   <tr><td>duration</td><td>h; min; s</td></tr>
 * </table>
 */
public final class Units {
    /** Kilometres per mile (international mile). */
    public static final double KM_PER_MILE = 1.609344;

    /** {@code to = from × factor + offset}. */
    public record Conversion(double factor, double offset) {
        public static final Conversion IDENTITY = new Conversion(1, 0);

        public double apply(double v) {
            return v * factor + offset;
        }

        /** The inverse: a value in the target unit back to the source unit. */
        public double invert(double v) {
            return (v - offset) / factor;
        }
    }

    private record Unit(String quantity, double scale, double offset) {}

    private static final Map<String, Unit> TABLE = new LinkedHashMap<>();

    static {
        put("speed", 1, "mph", "mi/h");
        put("speed", 1 / KM_PER_MILE, "km/h", "kph", "kmh", "kmph");
        put("speed", 3600 / (KM_PER_MILE * 1000), "m/s");
        put("power", 1, "kw");
        put("power", 0.001, "w");
        put("power", 1000, "mw");
        put("ratio", 1, "%", "pct", "percent");
        put("angle", 1, "deg", "degree", "degrees", "°");
        put("angle", 180 / Math.PI, "rad");
        put("length", 1, "m");
        put("length", 1000, "km");
        put("length", KM_PER_MILE * 1000, "mi", "mile", "miles");
        put("length", 0.3048, "ft", "feet");
        put("voltage", 1, "v");
        put("voltage", 0.001, "mv");
        put("voltage", 1000, "kv");
        put("current", 1, "a");
        put("current", 0.001, "ma");
        put("energy", 1, "kwh");
        put("energy", 0.001, "wh");
        put("energy", 1000, "mwh");
        put("temperature", 1, "degc", "c", "°c", "celsius");
        TABLE.put("k", new Unit("temperature", 1, -273.15));
        for (String f : List.of("degf", "f", "°f", "fahrenheit")) {
            TABLE.put(f, new Unit("temperature", 5.0 / 9, -32 * 5.0 / 9));
        }
        put("pressure", 1, "bar");
        put("pressure", 0.01, "kpa");
        put("pressure", 0.0689475729, "psi");
        put("pressure", 1e-5, "pa");
        put("acceleration", 1, "m/s2", "m/s^2", "m/s²");
        put("acceleration", 9.80665, "g");
        put("duration", 1, "h");
        put("duration", 1 / 60.0, "min");
        put("duration", 1 / 3600.0, "s");
    }

    private static void put(String quantity, double scale, String... names) {
        for (String n : names) {
            TABLE.put(n, new Unit(quantity, scale, 0));
        }
    }

    private Units() {}

    /**
     * The conversion from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException naming both units and the units of {@code to}'s quantity
     */
    public static Conversion conversion(String from, String to) {
        String f = from == null ? "" : from.strip().toLowerCase(Locale.ROOT);
        String t = to == null ? "" : to.strip().toLowerCase(Locale.ROOT);
        if (f.isEmpty() || f.equals(t)) {
            return Conversion.IDENTITY;
        }
        Unit a = TABLE.get(f);
        Unit b = TABLE.get(t);
        if (a == null || b == null || !a.quantity().equals(b.quantity())) {
            throw new IllegalArgumentException("unit '" + from.strip() + "' cannot be converted to "
                    + (t.isEmpty() ? "a unitless signal" : to.strip()) + "; known: " + known(b));
        }
        if (a.scale() == b.scale() && a.offset() == b.offset()) {
            return Conversion.IDENTITY;
        }
        // base = v × a.scale + a.offset; to = (base − b.offset) / b.scale
        double factor = b.scale() == 1 ? a.scale() : a.scale() / b.scale();
        return new Conversion(factor, (a.offset() - b.offset()) / b.scale());
    }

    private static String known(Unit target) {
        List<String> names = new ArrayList<>();
        TABLE.forEach((n, u) -> {
            if (target == null || u.quantity().equals(target.quantity())) {
                names.add(n);
            }
        });
        return target == null ? "none for this unit" : String.join(", ", names);
    }

    /**
     * The factor converting a value in {@code unit} to legacy {@code field}'s unit.
     *
     * @throws IllegalArgumentException naming the unit, the field and the units it knows
     */
    public static double factor(String unit, Field field) {
        try {
            return conversion(unit, field.unit()).factor();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    e.getMessage()
                            .replaceFirst(
                                    "to " + java.util.regex.Pattern.quote(field.unit()) + ";",
                                    "to " + field.unit() + " (" + field.key() + ");"),
                    e);
        }
    }
}
