package io.fleetlog.logs.mapping;

import io.fleetlog.sample.Field;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Converts values from a unit named in a DBC or a CSV header to a fleetlog field's unit.
 *
 * <p>All conversions are linear factors (no offsets). Unit names are matched case-insensitively
 * ({@code KPH}, {@code kph}, {@code km/h} are one unit). An empty unit means "already in the field's
 * unit" (DBCs often leave it out). Anything else fails with the known units listed.
 *
 * <table>
 *   <caption>Known units</caption>
 *   <tr><th>field (unit)</th><th>accepted units → factor</th></tr>
 *   <tr><td>speed (mph)</td><td>mph, mi/h = 1; km/h, kph, kmh, kmph = 1/1.609344; m/s = 2.2369363</td></tr>
 *   <tr><td>power (kW)</td><td>kW = 1; W = 0.001</td></tr>
 *   <tr><td>soc (%)</td><td>%, pct, percent = 1</td></tr>
 *   <tr><td>heading, latitude, longitude (deg)</td><td>deg, degree(s), ° = 1; rad = 180/π (heading)</td></tr>
 *   <tr><td>odometer (mi)</td><td>mi, mile(s) = 1; km = 1/1.609344; m = 1/1609.344</td></tr>
 *   <tr><td>elevation (m)</td><td>m = 1; ft, feet = 0.3048; km = 1000</td></tr>
 * </table>
 */
public final class Units {
    /** Kilometres per mile (international mile). */
    public static final double KM_PER_MILE = 1.609344;

    private static final Map<Field, Map<String, Double>> TABLE = new LinkedHashMap<>();

    static {
        Map<String, Double> deg = Map.of("deg", 1.0, "degree", 1.0, "degrees", 1.0, "°", 1.0);
        TABLE.put(
                Field.SPEED,
                Map.of(
                        "mph",
                        1.0,
                        "mi/h",
                        1.0,
                        "km/h",
                        1 / KM_PER_MILE,
                        "kph",
                        1 / KM_PER_MILE,
                        "kmh",
                        1 / KM_PER_MILE,
                        "kmph",
                        1 / KM_PER_MILE,
                        "m/s",
                        3600 / (KM_PER_MILE * 1000)));
        TABLE.put(Field.POWER, Map.of("kw", 1.0, "w", 0.001));
        TABLE.put(Field.SOC, Map.of("%", 1.0, "pct", 1.0, "percent", 1.0));
        Map<String, Double> heading = new LinkedHashMap<>(deg);
        heading.put("rad", 180 / Math.PI);
        TABLE.put(Field.HEADING, heading);
        TABLE.put(
                Field.ODOMETER,
                Map.of("mi", 1.0, "mile", 1.0, "miles", 1.0, "km", 1 / KM_PER_MILE, "m", 1 / (KM_PER_MILE * 1000)));
        TABLE.put(Field.LATITUDE, deg);
        TABLE.put(Field.LONGITUDE, deg);
        TABLE.put(Field.ELEVATION, Map.of("m", 1.0, "ft", 0.3048, "feet", 0.3048, "km", 1000.0));
    }

    private Units() {}

    /**
     * The factor converting a value in {@code unit} to {@code field}'s unit.
     *
     * @throws IllegalArgumentException naming the unit, the field and the units it knows
     */
    public static double factor(String unit, Field field) {
        String u = unit.strip().toLowerCase(Locale.ROOT);
        if (u.isEmpty()) {
            return 1.0;
        }
        Double f = TABLE.get(field).get(u);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unit '" + unit + "' cannot be converted to " + field.unit() + " (" + field.key() + "); known: "
                            + String.join(", ", TABLE.get(field).keySet()));
        }
        return f;
    }
}
