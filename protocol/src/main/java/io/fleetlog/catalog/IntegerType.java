package io.fleetlog.catalog;

/**
 * A whole number in [{@code min}, {@code max}], always carried exactly. Both ends are within ±(2^53 − 1)
 * so that every value reads back exactly wherever numbers are doubles (JSON, the dashboard).
 *
 * @param unit the unit, or empty for a count (e.g. charger phases)
 * @param min smallest valid value
 * @param max largest valid value, at least {@code min}
 */
public record IntegerType(String unit, long min, long max) implements SignalType {

    /** Largest magnitude of an integer signal's bounds (2^53 − 1). */
    public static final long MAX_MAGNITUDE = (1L << 53) - 1;

    public IntegerType {
        if (!Names.isUnit(unit)) {
            throw new IllegalArgumentException(
                    "integer unit '" + unit + "' must be at most 64 characters without spaces, ',', '=' or '#'");
        }
        if (min > max || Math.abs(min) > MAX_MAGNITUDE || Math.abs(max) > MAX_MAGNITUDE) {
            throw new IllegalArgumentException("range " + min + ".." + max
                    + " must have its first number at most the second, both within ±" + MAX_MAGNITUDE);
        }
    }

    @Override
    public String keyword() {
        return "integer";
    }

    public boolean inRange(long v) {
        return v >= min && v <= max;
    }
}
