package io.fleetlog.sample;

import java.util.Locale;

/**
 * The signals fleetlog carries, in wire order.
 *
 * <p>Each field has a unit, a fixed wire resolution ({@link #resolution()}: values travel as integer
 * multiples of it, so a sent value is exact to within half a resolution step), a default compression
 * threshold (DESIGN's seed defaults; 0 = lossless at the wire resolution) and a valid range. Heading
 * is circular: distances are measured on the circle and values normalised to [0, 360).
 */
public enum Field {
    SPEED("speed", "mph", 100, 2.0, -500, 500),
    POWER("power", "kW", 100, 5.0, -10_000, 10_000),
    SOC("soc", "%", 100, 0.5, 0, 100),
    HEADING("heading", "deg", 100, 5.0, -1e6, 1e6),
    ODOMETER("odometer", "mi", 1000, 0.0, 0, 10_000_000),
    LATITUDE("latitude", "deg", 10_000_000, 0.0, -90, 90),
    LONGITUDE("longitude", "deg", 10_000_000, 0.0, -180, 180),
    ELEVATION("elevation", "m", 100, 0.0, -1_000, 20_000);

    /** Number of fields; arrays of values are indexed by {@link #ordinal()}. */
    public static final int COUNT = 8;

    private static final Field[] VALUES = values();

    private final String key;
    private final String unit;
    private final double scale;
    private final double defaultThreshold;
    private final double min;
    private final double max;

    Field(String key, String unit, double scale, double defaultThreshold, double min, double max) {
        this.key = key;
        this.unit = unit;
        this.scale = scale;
        this.defaultThreshold = defaultThreshold;
        this.min = min;
        this.max = max;
    }

    public static Field of(int ordinal) {
        return VALUES[ordinal];
    }

    /** Looks a field up by its key ({@code speed}, {@code soc}, …), case-insensitive. */
    public static Field byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Field f : VALUES) {
            if (f.key.equals(k)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown field '" + key
                + "' (known: speed, power, soc, heading, odometer, latitude, longitude, elevation)");
    }

    /** Lower-case name used in JSON, CSV, config and mapping files. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    /** Wire resolution in the field's unit (e.g. 0.01 mph). */
    public double resolution() {
        return 1.0 / scale;
    }

    /** Wire units per field unit (the inverse of {@link #resolution()}). */
    public double scale() {
        return scale;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    public boolean circular() {
        return this == HEADING;
    }

    /** Smallest valid value (heading accepts any finite value and normalises it). */
    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Whether {@code v} is a value this field can carry; NaN (unavailable) is not checked here. */
    public boolean inRange(double v) {
        return v >= min && v <= max;
    }

    /** Distance between two values of this field: absolute, or on the circle for heading. */
    public double distance(double a, double b) {
        double d = Math.abs(a - b);
        if (circular()) {
            d = d % 360.0;
            return Math.min(d, 360.0 - d);
        }
        return d;
    }

    /** A heading in [0, 360); other fields unchanged. */
    public double normalise(double v) {
        if (!circular()) {
            return v;
        }
        double n = v % 360.0;
        if (n < 0) {
            n += 360.0;
        }
        return n >= 360.0 ? 0.0 : n;
    }

    /** The value rounded to the wire resolution, as wire units. */
    public long toUnits(double v) {
        long u = Math.round(normalise(v) * scale);
        if (circular()) {
            u = Math.floorMod(u, 36_000L);
        }
        return u;
    }

    /** The value of {@code units} wire units. */
    public double fromUnits(long units) {
        return units / scale;
    }

    /** The value rounded to the wire resolution. */
    public double quantise(double v) {
        return fromUnits(toUnits(v));
    }
}
