package io.fleetlog.sample;

/**
 * Vehicle identification numbers (ISO 3779, North-American check digit in position 9).
 *
 * <p>{@link #check} explains what is wrong with a VIN; masked export VINs such as
 * {@code 5YJ3E1EA1JFXXXXXX} fail it, on purpose.
 */
public final class Vin {
    /** Values of A..Z; '-' marks letters a VIN may not contain (I, O, Q). */
    private static final String LETTER_VALUES = "12345678-12345-7-923456789";

    private static final int[] WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

    private Vin() {}

    /** Whether {@code vin} is a valid 17-character VIN with a correct check digit. */
    public static boolean isValid(String vin) {
        return problem(vin) == null;
    }

    /**
     * Returns the VIN unchanged when it is valid.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String check(String vin) {
        String p = problem(vin);
        if (p != null) {
            throw new IllegalArgumentException("invalid VIN '" + vin + "': " + p);
        }
        return vin;
    }

    /** The check digit ('0'-'9' or 'X') for the 17 characters of {@code vin} (position 9 ignored). */
    public static char checkDigit(String vin) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += value(vin.charAt(i)) * WEIGHTS[i];
        }
        int r = sum % 11;
        return r == 10 ? 'X' : (char) ('0' + r);
    }

    /** {@code vin} with its check digit (position 9) set correctly. */
    public static String withCheckDigit(String vin) {
        if (vin.length() != 17) {
            throw new IllegalArgumentException("a VIN has 17 characters, '" + vin + "' has " + vin.length());
        }
        return vin.substring(0, 8) + checkDigit(vin) + vin.substring(9);
    }

    private static String problem(String vin) {
        if (vin == null || vin.length() != 17) {
            return "a VIN has 17 characters" + (vin == null ? "" : ", this one has " + vin.length());
        }
        for (int i = 0; i < 17; i++) {
            char c = vin.charAt(i);
            if (value(c) < 0) {
                return "character '" + c + "' at position " + (i + 1)
                        + " is not allowed (I, O, Q and lower case are not)";
            }
        }
        if (vin.contains("XXXX")) {
            return "it looks masked (export tools replace the serial with X); pass a real VIN with --vin";
        }
        char expected = checkDigit(vin);
        if (vin.charAt(8) != expected) {
            return "check digit is '" + vin.charAt(8) + "', expected '" + expected + "'";
        }
        return null;
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c < 'A' || c > 'Z') {
            return -1;
        }
        char v = LETTER_VALUES.charAt(c - 'A');
        return v == '-' ? -1 : v - '0';
    }
}
