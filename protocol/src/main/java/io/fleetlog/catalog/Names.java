package io.fleetlog.catalog;

import java.util.regex.Pattern;

/** The spelling rules of names, aliases, enum value names and units in a catalogue. */
final class Names {

    /** Longest signal name or alias (a COVESA VSS path can be long). */
    static final int MAX_NAME_LENGTH = 128;

    /** Longest enum value name and longest unit. */
    static final int MAX_WORD_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNIT = Pattern.compile("[^\\s,=#]+");

    private Names() {}

    /** Whether {@code s} is a valid signal name or alias: a letter, then letters, digits, '_' or '.'. */
    static boolean isName(String s) {
        return s != null && s.length() <= MAX_NAME_LENGTH && NAME.matcher(s).matches() && !s.endsWith(".");
    }

    /** Whether {@code s} is a valid enum value name: a letter or '_', then letters, digits or '_'. */
    static boolean isWord(String s) {
        return s != null && s.length() <= MAX_WORD_LENGTH && WORD.matcher(s).matches();
    }

    /** Whether {@code s} is a valid unit: empty, or printable characters other than space, ',', '=', '#'. */
    static boolean isUnit(String s) {
        return s != null
                && (s.isEmpty()
                        || (s.length() <= MAX_WORD_LENGTH && UNIT.matcher(s).matches()));
    }

    /** "a float", "an integer", "an enum", …: a type keyword with its article, for messages. */
    static String aType(String keyword) {
        return (keyword.startsWith("e") || keyword.startsWith("i") ? "an " : "a ") + keyword;
    }

    static String key(String nameOrAlias) {
        return nameOrAlias.toLowerCase(java.util.Locale.ROOT);
    }
}
