package io.fleetlog.catalog;

import java.math.BigDecimal;

/** Powers of ten and the canonical decimal spelling of numbers in catalogue files. */
final class Decimal {

    /** Smallest and largest number of decimals a resolution may have (1e9 … 1e-12). */
    static final int MIN_DECIMALS = -9;

    static final int MAX_DECIMALS = 12;

    /** Largest magnitude a double holds every integer up to (2^53). */
    static final double EXACT_INTEGER_LIMIT = 9_007_199_254_740_992.0;

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Decimal() {}

    /** 10^n for 0 <= n <= 22, exact as a double. */
    static double pow10(int n) {
        return POW10[n];
    }

    /** The resolution 10^-decimals as written in a file: {@code 0.01}, {@code 1}, {@code 10}. */
    static String resolution(int decimals) {
        return BigDecimal.ONE.scaleByPowerOfTen(-decimals).toPlainString();
    }

    /** The value 10^-decimals as a double (the nearest double for decimals > 0). */
    static double resolutionValue(int decimals) {
        return decimals >= 0 ? 1.0 / POW10[decimals] : POW10[-decimals];
    }

    /** The shortest plain decimal that reads back as exactly {@code v}: {@code 2}, {@code 0.5}, {@code -1000000}. */
    static String plain(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The number of decimals of a power of ten ({@code 0.01} → 2, {@code 10} → -1), or empty. */
    static java.util.OptionalInt decimalsOf(BigDecimal r) {
        if (r.signum() <= 0) {
            return java.util.OptionalInt.empty();
        }
        BigDecimal s = r.stripTrailingZeros();
        if (!s.unscaledValue().equals(java.math.BigInteger.ONE)) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(s.scale());
    }
}
