package io.fleetlog.logs.mapping;

import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import io.fleetlog.sample.Field;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which decoded CAN signals make which fleetlog field: a plain text file, one line per field.
 *
 * <pre>
 * # comment (from '#' to the end of the line)
 * speed    = ID257UIspeed.UIspeed_signed257          # message.signal; unit from the DBC (KPH → mph)
 * soc      = SOCUI292                                  # a bare signal name, if unique in the DBC
 * power    = ID132HVBattAmpVolt.BattVoltage132 * ID132HVBattAmpVolt.SmoothBattCurrent132 [W]
 * odometer = (Odometer3B6 + 12.5) [km]                 # any + - * / ( ) expression, unit in [ ]
 * </pre>
 *
 * <p>Field names are fleetlog's ({@code speed power soc heading odometer latitude longitude
 * elevation}), each at most once; unmapped fields stay unavailable. The value is converted to the
 * field's unit by {@link Units}: from the {@code [unit]} at the end of the line when given, else,
 * for a line that is a single signal, from the DBC's unit string of that signal; an expression
 * without {@code [unit]} is taken to be in the field's unit already. Parsing checks the syntax
 * ({@link MappingException} with file:line); {@link #bind} checks signals and units against a DBC.
 * Immutable.
 */
public final class SignalMapping {
    /** One line of the file. */
    record Entry(Field field, Expr expr, String unit, int line) {}

    private final String name;
    private final Map<Field, Entry> entries;

    private SignalMapping(String name, Map<Field, Entry> entries) {
        this.name = name;
        this.entries = entries;
    }

    public static SignalMapping parse(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.getFileName().toString());
        }
    }

    public static SignalMapping parse(Reader reader, String name) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        Map<Field, Entry> entries = new EnumMap<>(Field.class);
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (lineNo == 1 && t.startsWith("\uFEFF")) {
                t = t.substring(1).strip();
            }
            if (t.isEmpty()) {
                continue;
            }
            Entry e = entry(t, name, lineNo);
            Entry before = entries.putIfAbsent(e.field(), e);
            if (before != null) {
                throw new MappingException(
                        name, lineNo, e.field().key() + " is already mapped at line " + before.line());
            }
        }
        if (entries.isEmpty()) {
            throw new MappingException(name, Math.max(1, lineNo), "the mapping maps no field");
        }
        return new SignalMapping(name, entries);
    }

    private static Entry entry(String t, String name, int lineNo) throws MappingException {
        int eq = t.indexOf('=');
        if (eq < 0) {
            throw new MappingException(name, lineNo, "expected 'field = signal or expression', got '" + t + "'");
        }
        Field field;
        try {
            field = Field.byKey(t.substring(0, eq).strip());
        } catch (IllegalArgumentException e) {
            throw new MappingException(name, lineNo, e.getMessage());
        }
        String rhs = t.substring(eq + 1).strip();
        String unit = null;
        if (rhs.endsWith("]")) {
            int open = rhs.lastIndexOf('[');
            if (open < 0) {
                throw new MappingException(name, lineNo, "']' without '[' in '" + rhs + "'");
            }
            unit = rhs.substring(open + 1, rhs.length() - 1).strip();
            rhs = rhs.substring(0, open).strip();
            try {
                Units.factor(unit, field);
            } catch (IllegalArgumentException e) {
                throw new MappingException(name, lineNo, e.getMessage());
            }
        }
        try {
            return new Entry(field, new ExprParser(rhs).parse(), unit, lineNo);
        } catch (IllegalArgumentException e) {
            throw new MappingException(name, lineNo, e.getMessage());
        }
    }

    /** The built-in mapping for the Tesla Model 3/Y DBC (joshwardell/model3dbc {@code Model3CAN.dbc}). */
    public static SignalMapping model3() {
        try (InputStream in = SignalMapping.class.getResourceAsStream("model3.mapping")) {
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "built-in model3.mapping");
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in Model 3 mapping is broken", e);
        }
    }

    /**
     * The built-in subset of the Model 3 DBC: just the messages and signals {@link #model3()} reads,
     * with the layouts of the full community file (checked by a test), for encoding and decoding
     * without the full file.
     */
    public static Dbc model3Dbc() {
        try (InputStream in = SignalMapping.class.getResourceAsStream("model3-subset.dbc")) {
            return Dbc.parse(new InputStreamReader(in, StandardCharsets.ISO_8859_1), "built-in model3-subset.dbc");
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in Model 3 DBC subset is broken", e);
        }
    }

    /** The mapping text of the built-in Model 3 mapping (for docs and {@code --help}). */
    public static String model3Text() {
        try (InputStream in = SignalMapping.class.getResourceAsStream("model3.mapping")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SignalMapping parse(String text, String name) throws IOException {
        return parse(new StringReader(text), name);
    }

    /** File name the mapping was read from. */
    public String name() {
        return name;
    }

    /** The mapped fields, in field order. */
    public List<Field> fields() {
        return List.copyOf(entries.keySet());
    }

    /**
     * Resolves every signal reference and unit against {@code dbc}.
     *
     * @throws MappingException naming the line of an unknown message or signal, an ambiguous bare
     *     signal name, or a unit that cannot be converted
     */
    public BoundMapping bind(Dbc dbc) throws MappingException {
        Map<String, Integer> slotOf = new LinkedHashMap<>();
        List<DbcMessage> slotMessages = new ArrayList<>();
        List<DbcSignal> slotSignals = new ArrayList<>();
        Map<Field, Expr> bound = new EnumMap<>(Field.class);
        Map<Field, Double> factors = new EnumMap<>(Field.class);
        for (Entry e : entries.values()) {
            List<Expr.Ref> refs = new ArrayList<>();
            e.expr().refs(refs);
            Map<Expr.Ref, Integer> slots = new LinkedHashMap<>();
            for (Expr.Ref ref : refs) {
                DbcMessage m = resolveMessage(dbc, ref, e.line());
                DbcSignal s = m.signal(ref.signal()).orElseThrow();
                String key = m.name() + "." + s.name();
                Integer slot = slotOf.get(key);
                if (slot == null) {
                    slot = slotMessages.size();
                    slotOf.put(key, slot);
                    slotMessages.add(m);
                    slotSignals.add(s);
                }
                slots.put(ref, slot);
            }
            String unit = e.unit();
            if (unit == null && e.expr() instanceof Expr.Ref single) {
                unit = slotSignals.get(slots.get(single)).unit();
            }
            try {
                factors.put(e.field(), unit == null ? 1.0 : Units.factor(unit, e.field()));
            } catch (IllegalArgumentException ex) {
                throw new MappingException(name, e.line(), ex.getMessage() + " (use [unit] to state the unit)");
            }
            bound.put(e.field(), e.expr().bind(ref -> new Expr.Slot(slots.get(ref))));
        }
        return new BoundMapping(this, dbc, slotMessages, slotSignals, bound, factors);
    }

    private DbcMessage resolveMessage(Dbc dbc, Expr.Ref ref, int line) throws MappingException {
        if (ref.message() != null) {
            DbcMessage m = dbc.message(ref.message())
                    .orElseThrow(() ->
                            new MappingException(name, line, dbc.name() + " has no message '" + ref.message() + "'"));
            if (m.signal(ref.signal()).isEmpty()) {
                throw new MappingException(
                        name,
                        line,
                        "message " + m.name() + " in " + dbc.name() + " has no signal '" + ref.signal() + "'");
            }
            return m;
        }
        List<DbcMessage> holders = new ArrayList<>();
        for (DbcMessage m : dbc.messages()) {
            if (m.signal(ref.signal()).isPresent()) {
                holders.add(m);
            }
        }
        if (holders.isEmpty()) {
            throw new MappingException(name, line, dbc.name() + " has no signal '" + ref.signal() + "'");
        }
        if (holders.size() > 1) {
            throw new MappingException(
                    name,
                    line,
                    "signal '" + ref.signal() + "' is in several messages ("
                            + holders.stream().map(DbcMessage::name).toList() + "); write message.signal");
        }
        return holders.get(0);
    }

    Optional<Entry> entry(Field f) {
        return Optional.ofNullable(entries.get(f));
    }

    @Override
    public String toString() {
        return name + " (" + entries.size() + " fields)";
    }
}
