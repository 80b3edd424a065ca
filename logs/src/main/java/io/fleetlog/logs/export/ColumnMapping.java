package io.fleetlog.logs.export;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which CSV columns make a sample: the time column and its format and zone, one column per catalogue
 * signal (two for a location) with a factor, a unit and for enums and booleans a value list, and
 * optionally the columns telling vehicles apart and holding the VIN.
 *
 * <p>The file form ({@link #parse}), one {@code key = value} per line, {@code #} starts a comment:
 *
 * <pre>
 * time        = "Timestamp (PDT)"        # required; quotes for names with spaces or symbols
 * time.format = yyyy-MM-dd HH:mm:ss      # auto (default) | epoch-s | epoch-ms | a java.time pattern
 * time.zone   = America/Los_Angeles      # for times without an offset (default UTC)
 * vehicle     = vehicle_id               # optional: the column --vehicle selects by
 * vin         = vin                      # optional: the column holding the VIN
 * VehicleSpeed = "Speed (km/h)" [km/h]   # a catalogue signal (or alias): column, then [unit] and/or * factor
 * odometer    = odo * 0.001 [km]         # metres → km by factor, km → mi by unit
 * latitude    = lat                      # latitude and longitude: the two halves of Location
 * longitude   = lon
 * InsideTemp  = "Inside Temp (°F)" [°F]  # converted to the signal's unit (degC)
 * Gear        = shift                    # enum: the cell is a value name (ignoring case and '_')
 * HvacPower   = climate {1=On, 0=Off}    # or an explicit list: cell text = value name (or unavailable)
 * Locked      = locked                   # boolean: true/false, 1/0, yes/no, on/off
 * Version     = car_version              # string: the cell text
 * </pre>
 *
 * <p>A number is the column value × factor, converted from {@code [unit]} to the signal's unit (see
 * {@link Units}); without a unit it is taken as the signal's unit. Column names match exactly, else
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
     * @param optional a missing column leaves the signal out instead of failing
     * @param values for enum and boolean signals: cell text (compared ignoring case) → value name,
     *     {@code true}/{@code false} or {@code unavailable}; empty to match the cell with the names
     */
    public record Column(
            String name,
            boolean prefix,
            double factor,
            String unit,
            boolean unitFromHeader,
            boolean optional,
            Map<String, String> values) {
        public Column {
            values = Map.copyOf(values);
            if (name.isBlank()) {
                throw new IllegalArgumentException("a column name is empty");
            }
            if (!Double.isFinite(factor) || factor == 0) {
                throw new IllegalArgumentException(
                        "column " + name + ": factor " + factor + " must be finite and non-zero");
            }
        }

        public Column(
                String name, boolean prefix, double factor, String unit, boolean unitFromHeader, boolean optional) {
            this(name, prefix, factor, unit, unitFromHeader, optional, Map.of());
        }

        public static Column named(String name) {
            return new Column(name, false, 1, "", false, false);
        }

        /** An optional column of that exact name (ignoring case), in the signal's unit. */
        public static Column optional(String name) {
            return new Column(name, false, 1, "", false, true);
        }

        /** An optional column in {@code unit}. */
        public static Column optional(String name, String unit) {
            return new Column(name, false, 1, unit, false, true);
        }

        /** This column with a value list (see {@link #values}). */
        public Column withValues(Map<String, String> list) {
            return new Column(name, prefix, factor, unit, unitFromHeader, optional, list);
        }
    }

    /**
     * One catalogue signal from one column.
     *
     * @param part -1 for the whole signal; 0 / 1 for the latitude / longitude column of a location
     */
    public record Binding(Signal signal, int id, int part, Column column) {}

    private final String name;
    private final Column time;
    private final TimeFormat timeFormat;
    private final ZoneId zone;
    private final ZoneOffset preferredOffset;
    private final Column vehicle;
    private final Column vin;
    private final List<Binding> bindings;

    /** A mapping of legacy fields (latitude and longitude are the halves of Location). */
    public ColumnMapping(
            String name,
            Column time,
            TimeFormat timeFormat,
            ZoneId zone,
            ZoneOffset preferredOffset,
            Column vehicle,
            Column vin,
            Map<Field, Column> fields) {
        this(name, time, timeFormat, zone, preferredOffset, vehicle, vin, legacy(fields));
    }

    /** A mapping of catalogue signals (see {@link Binding}). */
    public ColumnMapping(
            String name,
            Column time,
            TimeFormat timeFormat,
            ZoneId zone,
            ZoneOffset preferredOffset,
            Column vehicle,
            Column vin,
            List<Binding> bindings) {
        if (bindings.isEmpty()) {
            throw new IllegalArgumentException("mapping " + name + " maps no signal");
        }
        this.name = name;
        this.time = time;
        this.timeFormat = timeFormat;
        this.zone = zone;
        this.preferredOffset = preferredOffset;
        this.vehicle = vehicle;
        this.vin = vin;
        this.bindings = List.copyOf(bindings);
    }

    private static List<Binding> legacy(Map<Field, Column> fields) {
        Catalogue c = Catalogue.builtin();
        List<Binding> out = new ArrayList<>();
        fields.forEach((f, col) -> {
            Signal s = c.get(f.key());
            int part = f == Field.LATITUDE ? 0 : f == Field.LONGITUDE ? 1 : -1;
            out.add(new Binding(s, c.id(s.name()), part, col));
        });
        return out;
    }

    /** Builds the bindings of a preset: catalogue signal name → column, in order. */
    static final class Signals {
        private final Catalogue catalogue = Catalogue.builtin();
        private final List<Binding> list = new ArrayList<>();

        Signals put(String signal, Column c) {
            Signal s = catalogue.get(signal);
            list.add(new Binding(s, catalogue.id(s.name()), -1, c));
            return this;
        }

        Signals location(Column latitude, Column longitude) {
            Signal s = catalogue.get("Location");
            list.add(new Binding(s, catalogue.id(s.name()), 0, latitude));
            list.add(new Binding(s, catalogue.id(s.name()), 1, longitude));
            return this;
        }

        List<Binding> build() {
            return list;
        }
    }

    /** {@code a=x, b=y} as a map (for value lists). */
    static Map<String, String> values(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "expected 'text=name' in the value list, got '" + item.strip() + "'");
            }
            String key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (out.put(key, item.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("'" + key + "' is listed twice in the value list");
            }
        }
        return out;
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
        return parse(reader, name, Catalogue.builtin());
    }

    /**
     * Reads a mapping onto {@code catalogue} (the built-in one or one extended by a user file, so the
     * built-in signals keep their ids).
     */
    public static ColumnMapping parse(Reader reader, String name, Catalogue catalogue) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        Column time = null;
        TimeFormat format = new TimeFormat.Auto();
        ZoneId zone = ZoneOffset.UTC;
        Column vehicle = null;
        Column vin = null;
        List<Binding> bindings = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
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
                        Binding b = binding(catalogue, t.substring(0, eq).strip(), value);
                        String what = b.part() < 0 ? b.signal().name() : key.toLowerCase(Locale.ROOT);
                        Integer before = seen.putIfAbsent(what.toLowerCase(Locale.ROOT), n);
                        Integer whole = seen.get(b.signal().name().toLowerCase(Locale.ROOT));
                        if (before != null || (b.part() >= 0 && whole != null)) {
                            throw new IllegalArgumentException(
                                    what + " is already mapped at line " + (before != null ? before : whole));
                        }
                        bindings.add(b);
                    }
                }
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new MappingException(name, n, e.getMessage());
            }
        }
        if (time == null) {
            throw new MappingException(name, Math.max(n, 1), "no 'time = <column>' line");
        }
        if (bindings.isEmpty()) {
            throw new MappingException(
                    name, Math.max(n, 1), "no signal is mapped (e.g. 'VehicleSpeed = \"Speed (mph)\"')");
        }
        long lat = bindings.stream().filter(b -> b.part() == 0).count();
        long lon = bindings.stream().filter(b -> b.part() == 1).count();
        if (lat != lon) {
            throw new MappingException(
                    name,
                    Math.max(n, 1),
                    (lat == 0 ? "latitude" : "longitude") + " is not mapped (a location needs both)");
        }
        return new ColumnMapping(name, time, format, zone, null, vehicle, vin, bindings);
    }

    /** {@code key = value} of a signal line. */
    private static Binding binding(Catalogue catalogue, String key, String value) {
        Signal s = catalogue
                .find(key)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown signal '" + key + "': the catalogue has no such name or alias"));
        int part = -1;
        if (s.type() instanceof LocationType) {
            part = key.equalsIgnoreCase("latitude") ? 0 : key.equalsIgnoreCase("longitude") ? 1 : -2;
            if (part == -2) {
                throw new IllegalArgumentException(
                        s.name() + " is a location: map its columns as 'latitude = …' and 'longitude = …'");
            }
        }
        Map<String, String> list = Map.of();
        String v = value;
        if (v.endsWith("}") && v.lastIndexOf('{') > 0) {
            list = values(v.substring(v.lastIndexOf('{') + 1, v.length() - 1));
            v = v.substring(0, v.lastIndexOf('{')).strip();
            if (!(s.type() instanceof EnumType || s.type() instanceof BooleanType)) {
                throw new IllegalArgumentException(
                        s.name() + ": a value list {text=name} is only for enum and boolean signals");
            }
            checkNames(s, list);
        }
        Column c = column(v, s).withValues(list);
        return new Binding(s, catalogue.id(s.name()), part, c);
    }

    /** Every name of a value list is one of the signal's values, true/false or unavailable. */
    static void checkNames(Signal s, Map<String, String> list) {
        for (String name : list.values()) {
            boolean ok = name.equalsIgnoreCase("unavailable")
                    || (s.type() instanceof EnumType et
                            ? et.byName(name).isPresent()
                            : name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false"));
            if (!ok) {
                throw new IllegalArgumentException(s.name() + " has no value '" + name + "'");
            }
        }
    }

    /** {@code "name"} or {@code name}, then optionally {@code * factor} and {@code [unit]} in any order. */
    private static Column column(String value, Signal signal) {
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
        if (signal == null && (factor != 1 || !unit.isEmpty())) {
            throw new IllegalArgumentException("a factor or unit only applies to signal columns");
        }
        if (signal != null && (factor != 1 || !unit.isEmpty()) && !numeric(signal)) {
            throw new IllegalArgumentException(
                    signal.name() + " is " + signal.type().keyword() + ": a factor or unit only applies to numbers");
        }
        if (signal != null) {
            Units.conversion(unit, unitOf(signal));
        }
        if (col.isEmpty()) {
            throw new IllegalArgumentException("the column name is empty");
        }
        return new Column(col, false, factor, unit, false, false);
    }

    static boolean numeric(Signal s) {
        return !(s.type() instanceof EnumType || s.type() instanceof BooleanType || s.type() instanceof StringType);
    }

    /** The unit numbers are converted to: a float's or integer's unit, degrees for a location. */
    static String unitOf(Signal s) {
        return switch (s.type()) {
            case io.fleetlog.catalog.FloatType f -> f.unit();
            case io.fleetlog.catalog.IntegerType i -> i.unit() == null ? "" : i.unit();
            case LocationType l -> "deg";
            default -> "";
        };
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
        return new ColumnMapping(name, time, timeFormat, newZone, preferred, vehicle, vin, bindings);
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

    /** The signal columns, in mapping order. */
    public List<Binding> bindings() {
        return bindings;
    }
}
