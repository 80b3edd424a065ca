package io.fleetlog.catalog;

/**
 * A number in a unit, sent as an integer count of wire units of {@link #resolution()} = 10^-{@code
 * decimals} (so a sent value is exact to within half a step), valid in [{@code min}, {@code max}].
 *
 * <p>A {@code circular} float is an angle in degrees: values are normalised to [0, 360) and distances
 * are measured on the circle; {@code min} and {@code max} then bound the accepted input before
 * normalisation. The arithmetic is exactly that of {@code io.fleetlog.sample.Field} (multiply or divide
 * by an exactly representable power of ten, round half up), so a catalogue signal and the legacy field
 * with the same resolution produce the same wire units, bit for bit.
 *
 * @param unit the unit, e.g. {@code mph}; not empty
 * @param decimals the resolution is 10^-decimals ({@code 2} → 0.01); between -9 and 12
 * @param min smallest valid value, finite
 * @param max largest valid value, finite, above {@code min}; |min| and |max| in wire units at most 2^53
 * @param circular an angle in degrees on the circle (unit {@code deg}, decimals >= 0)
 */
public record FloatType(String unit, int decimals, double min, double max, boolean circular) implements SignalType {

    /** Degrees in a turn: the period of a circular float. */
    public static final double TURN_DEG = 360.0;

    public FloatType {
        if (unit == null || unit.isEmpty() || !Names.isUnit(unit)) {
            throw new IllegalArgumentException(
                    "float unit '" + unit + "' must be 1 to 64 characters without spaces, ',', '=' or '#'");
        }
        if (decimals < Decimal.MIN_DECIMALS || decimals > Decimal.MAX_DECIMALS) {
            throw new IllegalArgumentException("resolution 1e" + (-decimals) + " must be between 1e"
                    + (-Decimal.MAX_DECIMALS) + " and 1e" + (-Decimal.MIN_DECIMALS));
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("range " + Decimal.plain(min) + ".." + Decimal.plain(max)
                    + " must be two finite numbers, the first below the second");
        }
        min += 0.0; // -0.0 → 0.0, so equal catalogues are equal records
        max += 0.0;
        double limit = Math.max(Math.abs(min), Math.abs(max));
        double units = decimals >= 0 ? limit * Decimal.pow10(decimals) : limit / Decimal.pow10(-decimals);
        if (units > Decimal.EXACT_INTEGER_LIMIT) {
            throw new IllegalArgumentException("range " + Decimal.plain(min) + ".." + Decimal.plain(max)
                    + " at resolution " + Decimal.resolution(decimals) + " needs " + units
                    + " wire units, more than 2^53");
        }
        if (circular && (!unit.equals("deg") || decimals < 0)) {
            throw new IllegalArgumentException("a circular float is an angle: unit must be 'deg' (got '" + unit
                    + "') and resolution at most 1 (got " + Decimal.resolution(decimals) + ")");
        }
    }

    @Override
    public String keyword() {
        return "float";
    }

    /** The wire resolution in the signal's unit (e.g. 0.01 mph); the nearest double to 10^-decimals. */
    public double resolution() {
        return Decimal.resolutionValue(decimals);
    }

    /** Whether {@code v} is a value this signal can carry (NaN is not). */
    public boolean inRange(double v) {
        return v >= min && v <= max;
    }

    /** An angle in [0, 360); other values unchanged. */
    public double normalise(double v) {
        if (!circular) {
            return v;
        }
        double n = v % TURN_DEG;
        if (n < 0) {
            n += TURN_DEG;
        }
        return n >= TURN_DEG ? 0.0 : n;
    }

    /**
     * The value rounded to the resolution, as a count of wire units (an angle's count in [0, 360 ×
     * 10^decimals)).
     *
     * @throws IllegalArgumentException for NaN, an infinity or a value outside the range
     */
    public long toUnits(double v) {
        if (!inRange(v)) {
            throw new IllegalArgumentException("value " + v + " is outside " + Decimal.plain(min) + ".."
                    + Decimal.plain(max) + (Double.isNaN(v) ? " (NaN is not a value)" : ""));
        }
        double n = normalise(v);
        long u = decimals >= 0 ? Math.round(n * Decimal.pow10(decimals)) : Math.round(n / Decimal.pow10(-decimals));
        if (circular) {
            u = Math.floorMod(u, turnUnits());
        }
        return u;
    }

    /** The value of {@code units} wire units. */
    public double fromUnits(long units) {
        return decimals >= 0 ? units / Decimal.pow10(decimals) : units * Decimal.pow10(-decimals);
    }

    /** The value rounded to the resolution ({@code fromUnits(toUnits(v))}). */
    public double quantise(double v) {
        return fromUnits(toUnits(v));
    }

    /** Wire units in one turn (360 × 10^decimals); meaningful for circular floats. */
    public long turnUnits() {
        return 360L * (long) Decimal.pow10(Math.max(0, decimals));
    }

    /**
     * The distance between two values: |a − b|, or for an angle the shorter way round the circle, in
     * [0, 180]. NaN if either is NaN.
     */
    public double distance(double a, double b) {
        double d = Math.abs(a - b);
        if (circular) {
            d = d % TURN_DEG;
            return Math.min(d, TURN_DEG - d);
        }
        return d;
    }
}
