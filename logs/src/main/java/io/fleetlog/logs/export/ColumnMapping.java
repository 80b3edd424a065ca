package io.fleetlog.logs.export;

import io.fleetlog.logs.mapping.MappingException;
import io.fleetlog.logs.mapping.Units;
import io.fleetlog.sample.Field;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which CSV columns make a sample: the time column and its format and zone, one column per field
 * with a unit factor, and optionally the columns telling vehicles apart and holding the VIN.
 *
 * <p>The file form ({@link #parse}), one {@code key = value} per line, {@code #} starts a comment:
 *
 * <pre>
 * time        = "Timestamp (PDT)"        # required; quotes for names with spaces or symbols
 * time.format = yyyy-MM-dd HH:mm:ss      # auto (default) | epoch-s | epoch-ms | a java.time pattern
 * time.zone   = America/Los_Angeles      # for times without an offset (default UTC)
 * vehicle     = vehicle_id               # optional: the column --vehicle selects by
 * vin         = vin                      # optional: the column holding the VIN
 * speed       = "Speed (km/h)" [km/h]    # a field: column, then [unit] and/or * factor
 * odometer    = odo * 0.001 [km]         # metres → km by factor, km → mi by unit
 * </pre>
 *
 * <p>A value is the column value × factor, converted from {@code [unit]} to the field's unit (see
 * {@link Units}); without a unit it is taken as the field's unit. Column names match exactly, else
 * ignoring case and surrounding blanks. Built-in presets may also match a column by name prefix and
 * take the unit from the header's parentheses ({@code "Speed (mph)"}). Immutable.
 */
public final class ColumnMapping {
    /**
     * One column.
     *
     * @param name the header name (or prefix)
     * @param prefix match the first header starting with {@code name}
     * @param factor multiplier applied to the number
     * @param unit the unit of {@code number × factor}, empty for the field's unit
     * @param unitFromHeader take the unit from the header's last "(…)" instead
     * @param optional a missing column leaves the field unavailable instead of failing
     */
    public record Column(
            String name, boolean prefix, double factor, String unit, boolean unitFromHeader, boolean optional) {
        public Column {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a column name is empty");
            }
            if (!Double.isFinite(factor) || factor == 0) {
                throw new IllegalArgumentException(
                        "column " + name + ": factor " + factor + " must be finite and non-zero");
            }
        }

        public static Column named(String name) {
            return new Column(name, false, 1, "", false, false);
        }
    }

    private final String name;
    private final Column time;
    private final TimeFormat timeFormat;
    private final ZoneId zone;
    private final ZoneOffset preferredOffset;
    private final Column vehicle;
    private final Column vin;
    private final Map<Field, Column> fields;

    public ColumnMapping(
            String name,
            Column time,
            TimeFormat timeFormat,
            ZoneId zone,
            ZoneOffset preferredOffset,
            Column vehicle,
            Column vin,
            Map<Field, Column> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("mapping " + name + " maps no field");
        }
        this.name = name;
        this.time = time;
        this.timeFormat = timeFormat;
        this.zone = zone;
        this.preferredOffset = preferredOffset;
        this.vehicle = vehicle;
        this.vin = vin;
        this.fields = Collections.unmodifiableMap(new EnumMap<>(fields));
    }

    public static ColumnMapping parse(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.getFileName().toString());
        }
    }

    public static ColumnMapping parse(String text, String name) throws IOException {
        return parse(new StringReader(text), name);
    }

    public static ColumnMapping parse(Reader reader, String name) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        Column time = null;
        TimeFormat format = new TimeFormat.Auto();
        ZoneId zone = ZoneOffset.UTC;
        Column vehicle = null;
        Column vin = null;
        Map<Field, Column> fields = new EnumMap<>(Field.class);
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            String t = stripComment(line).strip();
            if (n == 1 && t.startsWith("\uFEFF")) {
                t = t.substring(1).strip();
            }
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new MappingException(name, n, "expected 'key = value', got '" + t + "'");
            }
            String key = t.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            String value = t.substring(eq + 1).strip();
            try {
                switch (key) {
                    case "time" -> time = column(value, null);
                    case "time.format" -> format = TimeFormat.of(value);
                    case "time.zone" -> zone = ZoneId.of(value);
                    case "vehicle" -> vehicle = column(value, null);
                    case "vin" -> vin = column(value, null);
                    default -> {
                        Field f = Field.byKey(key);
                        if (fields.put(f, column(value, f)) != null) {
                            throw new IllegalArgumentException(f.key() + " is mapped twice");
                        }
                    }
                }
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new MappingException(name, n, e.getMessage());
            }
        }
        if (time == null) {
            throw new MappingException(name, Math.max(n, 1), "no 'time = <column>' line");
        }
        if (fields.isEmpty()) {
            throw new MappingException(name, Math.max(n, 1), "no field is mapped (e.g. 'speed = \"Speed (mph)\"')");
        }
        return new ColumnMapping(name, time, format, zone, null, vehicle, vin, fields);
    }

    /** {@code "name"} or {@code name}, then optionally {@code * factor} and {@code [unit]} in any order. */
    private static Column column(String value, Field field) {
        String rest;
        String col;
        if (value.startsWith("\"")) {
            int close = value.indexOf('"', 1);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed quote in " + value);
            }
            col = value.substring(1, close);
            rest = value.substring(close + 1).strip();
        } else {
            int end = value.length();
            for (char c : new char[] {'*', '['}) {
                int i = value.indexOf(c);
                if (i >= 0) {
                    end = Math.min(end, i);
                }
            }
            col = value.substring(0, end).strip();
            rest = value.substring(end).strip();
        }
        double factor = 1;
        String unit = "";
        while (!rest.isEmpty()) {
            if (rest.startsWith("*")) {
                int end = rest.indexOf('[') > 0 ? rest.indexOf('[') : rest.length();
                String num = rest.substring(1, end).strip();
                try {
                    factor = Double.parseDouble(num);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("factor '" + num + "' is not a number");
                }
                rest = rest.substring(end).strip();
            } else if (rest.startsWith("[") && rest.indexOf(']') > 0) {
                unit = rest.substring(1, rest.indexOf(']')).strip();
                rest = rest.substring(rest.indexOf(']') + 1).strip();
            } else {
                throw new IllegalArgumentException(
                        "unexpected '" + rest + "' after the column name (quote names with symbols)");
            }
        }
        if (field == null && (factor != 1 || !unit.isEmpty())) {
            throw new IllegalArgumentException("a factor or unit only applies to field columns");
        }
        if (field != null) {
            Units.factor(unit, field);
        }
        if (col.isEmpty()) {
            throw new IllegalArgumentException("the column name is empty");
        }
        return new Column(col, false, factor, unit, false, false);
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** This mapping with another zone (and preferred offset) for local times. */
    public ColumnMapping withZone(ZoneId newZone, ZoneOffset preferred) {
        return new ColumnMapping(name, time, timeFormat, newZone, preferred, vehicle, vin, fields);
    }

    public String name() {
        return name;
    }

    public Column time() {
        return time;
    }

    public TimeFormat timeFormat() {
        return timeFormat;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Offset preferred in the autumn overlap hour, or null. */
    public ZoneOffset preferredOffset() {
        return preferredOffset;
    }

    /** The column telling vehicles apart, or null. */
    public Column vehicle() {
        return vehicle;
    }

    /** The column holding the VIN, or null. */
    public Column vin() {
        return vin;
    }

    public Map<Field, Column> fields() {
        return fields;
    }
}
