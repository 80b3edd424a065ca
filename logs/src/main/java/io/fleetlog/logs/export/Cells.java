package io.fleetlog.logs.export;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.mapping.Units;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** CSV cells as frame entries, per catalogue type (see {@link CsvSource} for the rules). */
final class Cells {
    /** Cell texts (compared ignoring case) that mean "captured, no value". */
    static final Set<String> UNAVAILABLE = Set.of("unavailable", "null", "n/a", "<invalid>");

    /** A mapped signal's column(s) in one file: {@code lonIndex} is a location's longitude column, else -1. */
    record Bound(
            Signal signal, int id, int index, int lonIndex, Units.Conversion conversion, ColumnMapping.Column column) {}

    private Cells() {}

    /** A cell as a number, NaN when it is not one. */
    static double number(String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Adds one cell's value to {@code frame}; returns a problem (the value not added) or null. */
    static String add(Bound b, String cell, String lon, Frame.Builder frame) {
        Signal s = b.signal();
        if (UNAVAILABLE.contains(cell.toLowerCase(Locale.ROOT))) {
            frame.unavailable(b.id());
            return null;
        }
        String what = s.name() + " '" + cell + (lon == null ? "" : ", " + lon) + "'";
        switch (s.type()) {
            case FloatType ft -> {
                double x = b.conversion().apply(number(cell));
                if (Double.isNaN(x)) {
                    return what + " is not a number";
                }
                if (!Double.isFinite(x) || !ft.inRange(x)) {
                    return what + " is outside [" + ft.min() + ", " + ft.max() + "] " + ft.unit();
                }
                frame.number(b.id(), ft.normalise(x));
            }
            case IntegerType it -> {
                double x = b.conversion().apply(number(cell));
                if (Double.isNaN(x)) {
                    return what + " is not a number";
                }
                if (Math.abs(x - Math.rint(x)) > 1e-6) {
                    return what + " is not a whole number";
                }
                if (!it.inRange((long) Math.rint(x))) {
                    return what + " is outside [" + it.min() + ", " + it.max() + "]";
                }
                frame.integer(b.id(), (long) Math.rint(x));
            }
            case LocationType lt -> {
                double la = b.conversion().apply(number(cell));
                double lo = b.conversion().apply(number(lon));
                if (cell.isEmpty() || lon.isEmpty()) {
                    frame.unavailable(b.id()); // half a position is no position
                    return null;
                }
                if (Double.isNaN(la) || Double.isNaN(lo)) {
                    return what + " is not a number";
                }
                if (!(Math.abs(la) <= 90 && Math.abs(lo) <= 180)) {
                    return what + " is outside [-90, 90] × [-180, 180] deg";
                }
                frame.position(b.id(), la, lo);
            }
            case BooleanType bt -> {
                String v = listed(b, cell);
                Boolean x = switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes", "on", "t", "1.0" -> Boolean.TRUE;
                    case "false", "0", "no", "off", "f", "0.0" -> Boolean.FALSE;
                    default -> null;
                };
                if (v.equalsIgnoreCase("unavailable")) {
                    frame.unavailable(b.id());
                } else if (x == null) {
                    return what + " is not true or false";
                } else {
                    frame.bool(b.id(), x);
                }
            }
            case EnumType et -> {
                String v = listed(b, cell);
                if (v.equalsIgnoreCase("unavailable")) {
                    frame.unavailable(b.id());
                    return null;
                }
                Optional<EnumType.Value> x = byName(et, v);
                if (x.isEmpty()) {
                    return what + " is not a value of " + s.name() + " "
                            + et.values().stream().map(EnumType.Value::name).toList();
                }
                frame.integer(b.id(), x.get().code());
            }
            case StringType st -> {
                if (!st.fits(cell)) {
                    return s.name() + " is longer than " + st.maxBytes() + " bytes";
                }
                frame.string(b.id(), cell);
            }
        }
        return null;
    }

    /** The cell through the column's value list (by text ignoring case), else the cell itself. */
    private static String listed(Bound b, String cell) {
        String v = b.column().values().get(cell.toLowerCase(Locale.ROOT));
        return v == null ? cell : v;
    }

    /** An enum value by name, ignoring case, '_' and blanks. */
    static Optional<EnumType.Value> byName(EnumType et, String name) {
        String want = name.replace("_", "").replace(" ", "").toLowerCase(Locale.ROOT);
        return et.values().stream()
                .filter(v -> v.name().replace("_", "").toLowerCase(Locale.ROOT).equals(want))
                .findFirst();
    }
}
