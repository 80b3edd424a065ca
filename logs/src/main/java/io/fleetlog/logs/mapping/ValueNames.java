package io.fleetlog.logs.mapping;

import io.fleetlog.catalog.EnumType;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Matching DBC value-table names with a catalogue enum's value names (ignoring case and '_'). */
final class ValueNames {
    private ValueNames() {}

    /** The enum value named {@code dbcName}, comparing without case and underscores, whole or after the prefix. */
    static Optional<EnumType.Value> match(EnumType et, String dbcName, String prefix) {
        String whole = squash(dbcName);
        String tail = squash(dbcName.substring(Math.min(prefix.length(), dbcName.length())));
        for (EnumType.Value v : et.values()) {
            if (squash(v.name()).equals(whole)) {
                return Optional.of(v);
            }
        }
        for (EnumType.Value v : et.values()) {
            if (!tail.isEmpty() && squash(v.name()).equals(tail)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private static String squash(String s) {
        return s.replace("_", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    /** The longest prefix ending in '_' that every name shares ("DI_GEAR_" of DI_GEAR_D, DI_GEAR_P). */
    static String commonPrefix(Collection<String> names) {
        String p = null;
        for (String n : names) {
            if (p == null) {
                p = n;
            } else {
                int i = 0;
                while (i < p.length()
                        && i < n.length()
                        && Character.toUpperCase(p.charAt(i)) == Character.toUpperCase(n.charAt(i))) {
                    i++;
                }
                p = p.substring(0, i);
            }
        }
        if (p == null || names.size() < 2) {
            return "";
        }
        return p.substring(0, p.lastIndexOf('_') + 1);
    }
}
