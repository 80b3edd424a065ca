package io.fleetlog.logs.mapping;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One non-empty line of a {@link SignalMapping} file: {@code signal = expression[, expression] [unit]
 * {raw=name, …}}, checked against the catalogue signal's type and added to the entries (a location's
 * {@code latitude} and {@code longitude} lines merge into one entry). Errors are {@link
 * MappingException}s naming {@code file:line}.
 */
record MappingLine(String file, int line, Catalogue catalogue) {

    void add(String t, Map<Integer, SignalMapping.Entry> entries) throws MappingException {
        int eq = t.indexOf('=');
        if (eq < 0) {
            throw error("expected 'signal = DBC signal or expression', got '" + t + "'");
        }
        String key = t.substring(0, eq).strip();
        Signal signal = catalogue
                .find(key)
                .orElseThrow(() -> error("unknown signal '" + key + "': the catalogue has no such name or alias"));
        int id = catalogue.id(signal.name());
        String rhs = t.substring(eq + 1).strip();
        String list = null;
        if (rhs.endsWith("}")) {
            int open = rhs.lastIndexOf('{');
            if (open < 0) {
                throw error("'}' without '{' in '" + rhs + "'");
            }
            list = rhs.substring(open + 1, rhs.length() - 1);
            rhs = rhs.substring(0, open).strip();
        }
        String unit = null;
        if (rhs.endsWith("]")) {
            int open = rhs.lastIndexOf('[');
            if (open < 0) {
                throw error("']' without '[' in '" + rhs + "'");
            }
            unit = rhs.substring(open + 1, rhs.length() - 1).strip();
            rhs = rhs.substring(0, open).strip();
        }
        List<String> parts = splitTopLevel(rhs);
        int half = half(key, signal);
        checkShape(signal, parts.size(), half, unit, list != null);
        Map<Long, String> names = list == null ? null : names(signal, list);
        Expr[] exprs = new Expr[parts.size()];
        for (int i = 0; i < exprs.length; i++) {
            try {
                exprs[i] = new ExprParser(parts.get(i).strip()).parse();
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }
        if ((names != null || signal.type() instanceof EnumType) && !(exprs[0] instanceof Expr.Ref)) {
            throw error(signal.name() + ": a value list needs a single DBC signal, not an expression");
        }
        merge(entries, new SignalMapping.Entry(signal, id, exprs, new int[] {line, line}, unit, names), half);
    }

    /** -1 for a whole signal, 0 / 1 for the latitude / longitude line of a location. */
    private static int half(String key, Signal signal) {
        if (signal.type() instanceof LocationType) {
            if (key.equalsIgnoreCase("latitude")) {
                return 0;
            }
            if (key.equalsIgnoreCase("longitude")) {
                return 1;
            }
        }
        return -1;
    }

    private void checkShape(Signal s, int parts, int half, String unit, boolean names) throws MappingException {
        String n = s.name();
        switch (s.type()) {
            case StringType st -> throw error(n + " is a string signal; a DBC signal is a number and cannot make it");
            case LocationType lt -> {
                if (half < 0 && parts != 2) {
                    throw error(n + " is a location: map it as 'latitude expression, longitude expression'");
                }
                if (half >= 0 && parts != 1) {
                    throw error("one expression expected for the " + (half == 0 ? "latitude" : "longitude"));
                }
            }
            default -> {
                if (parts != 1) {
                    throw error(n + " takes one expression; only a location takes two (latitude, longitude)");
                }
            }
        }
        if (names && !(s.type() instanceof EnumType || s.type() instanceof BooleanType)) {
            throw error(n + ": a value list {raw=name} is only for enum and boolean signals");
        }
        if (unit != null && (s.type() instanceof EnumType || s.type() instanceof BooleanType)) {
            throw error(n + ": an " + s.type().keyword() + " signal has no unit");
        }
        if (unit != null) {
            try {
                Units.conversion(unit, SignalMapping.targetUnit(s));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }
    }

    private Map<Long, String> names(Signal s, String list) throws MappingException {
        Map<Long, String> out = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            String it = item.strip();
            if (it.isEmpty()) {
                continue;
            }
            int eq = it.indexOf('=');
            if (eq < 0) {
                throw error("expected 'raw=name' in the value list, got '" + it + "'");
            }
            String rawText = it.substring(0, eq).strip();
            String value = it.substring(eq + 1).strip();
            long raw;
            try {
                raw = Long.decode(rawText);
            } catch (NumberFormatException e) {
                throw error("raw value '" + rawText + "' is not a whole number");
            }
            if (!value.equalsIgnoreCase(SignalMapping.UNAVAILABLE)) {
                value = valueName(s, value);
            }
            if (out.put(raw, value) != null) {
                throw error("raw value " + raw + " is listed twice");
            }
        }
        if (out.isEmpty()) {
            throw error("the value list {…} is empty");
        }
        return out;
    }

    private String valueName(Signal s, String value) throws MappingException {
        if (s.type() instanceof EnumType et) {
            return et.byName(value)
                    .map(EnumType.Value::name)
                    .orElseThrow(() -> error(s.name() + " has no value '" + value + "' (values: "
                            + et.values().stream().map(EnumType.Value::name).toList() + ", or unavailable)"));
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw error(
                    s.name() + " is a boolean: a raw value maps to true, false or unavailable, not '" + value + "'");
        }
        return v;
    }

    private void merge(Map<Integer, SignalMapping.Entry> entries, SignalMapping.Entry e, int half)
            throws MappingException {
        SignalMapping.Entry before = entries.get(e.id());
        if (half < 0) {
            if (before != null) {
                throw error(e.signal().name() + " is already mapped at line " + before.line());
            }
            entries.put(e.id(), e);
            return;
        }
        Expr[] exprs = before == null ? new Expr[2] : before.exprs();
        int[] lines = before == null ? new int[] {line, line} : before.lines();
        if (before != null && (before.exprs().length != 2 || exprs[half] != null)) {
            throw error((half == 0 ? "latitude" : "longitude") + " of "
                    + e.signal().name() + " is already mapped at line " + before.line());
        }
        String unit = before == null ? e.unit() : before.unit();
        if (before != null && !java.util.Objects.equals(before.unit(), e.unit())) {
            throw error("latitude and longitude of " + e.signal().name() + " have different units");
        }
        exprs[half] = e.exprs()[0];
        lines[half] = line;
        entries.put(e.id(), new SignalMapping.Entry(e.signal(), e.id(), exprs, lines, unit, null));
    }

    private MappingException error(String problem) {
        return new MappingException(file, line, problem);
    }

    /** Splits at commas outside parentheses. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
