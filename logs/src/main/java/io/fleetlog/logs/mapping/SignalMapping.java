package io.fleetlog.logs.mapping;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which decoded CAN signals make which catalogue signal: a plain text file, one line per signal.
 *
 * <pre>
 * # comment (from '#' to the end of the line)
 * VehicleSpeed = ID257UIspeed.UIspeed_signed257       # message.signal; unit from the DBC (KPH → mph)
 * Soc          = SOCUI292                             # a bare signal name, if unique in the DBC
 * Power        = BattVoltage132 * SmoothBattCurrent132 [W]   # + - * / ( ) expression, unit in [ ]
 * Location     = GPSLatitude04F, GPSLongitude04F      # a location: latitude, longitude
 * Gear         = ID118DriveSystemStatus.DI_gear       # enum from the DBC value table, by value name
 * DetailedChargeState = BMS_uiChargeStatus {0=Disconnected, 1=NoPower, 2=Starting, 3=Charging, 4=Complete, 5=Stopped}
 * BrakePedal   = DI_brakePedalState                   # boolean: 0 = false, 1 = true
 * </pre>
 *
 * <p>The left side names a signal of the catalogue (by name or alias, ignoring case; the legacy keys
 * {@code speed power soc heading odometer elevation} find their signals by alias, and {@code latitude}
 * and {@code longitude} are the two halves of {@code Location}); each signal at most once. By type:
 *
 * <ul>
 *   <li><b>float</b>: the value is converted to the signal's unit by {@link Units}: from the
 *       {@code [unit]} at the end of the line when given, else, for a line that is a single signal,
 *       from the DBC's unit string of that signal; an expression without {@code [unit]} is taken to be
 *       in the signal's unit already.
 *   <li><b>integer</b>: as a float; a value that is not a whole number is a problem.
 *   <li><b>boolean</b>: 0 is false, 1 is true; or an explicit list {@code {0=false, 1=true}}.
 *   <li><b>enum</b>: a single DBC signal; its raw value is translated by the DBC value table, whose
 *       names are matched with the enum's names ignoring case and underscores, first whole, then
 *       without the prefix all the table's names share ({@code DI_GEAR_D} → {@code D}); or by an
 *       explicit list {@code {raw=name, …}}, which replaces the table. A raw value without a name is a
 *       problem naming the value, never a guess.
 *   <li><b>location</b>: two expressions {@code latitude, longitude} in degrees (or their [unit]).
 *   <li><b>string</b>: cannot be mapped (a DBC signal is a number).
 * </ul>
 *
 * <p>In an explicit list the name {@code unavailable} makes a raw value "captured without a value".
 * Parsing checks the syntax and the catalogue ({@link MappingException} with file:line); {@link
 * #bind} checks signals, units and value tables against a DBC. Immutable.
 */
public final class SignalMapping {
    /** Name in an explicit value list meaning "captured, no value". */
    public static final String UNAVAILABLE = "unavailable";

    /**
     * One mapped catalogue signal.
     *
     * @param exprs one expression, two for a location (latitude, longitude)
     * @param lines the file line of each expression
     * @param names an explicit {@code raw=name} list (enum value name, true/false, unavailable), or null
     */
    record Entry(Signal signal, int id, Expr[] exprs, int[] lines, String unit, Map<Long, String> names) {
        int line() {
            return lines[0];
        }
    }

    private final String name;
    private final Catalogue catalogue;
    private final Map<Integer, Entry> entries; // by catalogue id, ascending

    private SignalMapping(String name, Catalogue catalogue, Map<Integer, Entry> entries) {
        this.name = name;
        this.catalogue = catalogue;
        this.entries = entries;
    }

    /** Reads a mapping file onto the built-in catalogue. */
    public static SignalMapping parse(Path file) throws IOException {
        return parse(file, Catalogue.builtin());
    }

    public static SignalMapping parse(Path file, Catalogue catalogue) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.getFileName().toString(), catalogue);
        }
    }

    /** Reads a mapping onto the built-in catalogue. */
    public static SignalMapping parse(Reader reader, String name) throws IOException {
        return parse(reader, name, Catalogue.builtin());
    }

    public static SignalMapping parse(Reader reader, String name, Catalogue catalogue) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        Map<Integer, Entry> entries = new TreeMap<>();
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (lineNo == 1 && t.startsWith("\uFEFF")) {
                t = t.substring(1).strip();
            }
            if (!t.isEmpty()) {
                new MappingLine(name, lineNo, catalogue).add(t, entries);
            }
        }
        if (entries.isEmpty()) {
            throw new MappingException(name, Math.max(1, lineNo), "the mapping maps no signal");
        }
        for (Entry e : entries.values()) {
            if (e.exprs()[0] == null || e.exprs()[1 % e.exprs().length] == null) {
                throw new MappingException(
                        name,
                        e.line(),
                        e.signal().name() + ": " + (e.exprs()[0] == null ? "latitude" : "longitude")
                                + " is not mapped (a location needs both)");
            }
        }
        return new SignalMapping(name, catalogue, entries);
    }

    /** The unit values are converted to: a float's or integer's unit, degrees for a location. */
    static String targetUnit(Signal s) {
        return switch (s.type()) {
            case FloatType f -> f.unit();
            case IntegerType i -> i.unit() == null ? "" : i.unit();
            case LocationType l -> "deg";
            default -> "";
        };
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

    /** The catalogue the signal names refer to. */
    public Catalogue catalogue() {
        return catalogue;
    }

    /** The mapped catalogue signals, in catalogue id order. */
    public List<Signal> signals() {
        return entries.values().stream().map(Entry::signal).toList();
    }

    /**
     * Resolves every signal reference, unit and value table against {@code dbc}.
     *
     * @throws MappingException naming the line of an unknown message or signal, an ambiguous bare
     *     signal name, a unit that cannot be converted, or an enum whose DBC signal has no usable
     *     value table
     */
    public BoundMapping bind(Dbc dbc) throws MappingException {
        Map<String, Integer> slotOf = new LinkedHashMap<>();
        List<DbcMessage> slotMessages = new ArrayList<>();
        List<DbcSignal> slotSignals = new ArrayList<>();
        List<BoundMapping.Target> targets = new ArrayList<>();
        for (Entry e : entries.values()) {
            Expr[] bound = new Expr[e.exprs().length];
            List<Integer> used = new ArrayList<>();
            String singleUnit = null;
            DbcSignal single = null;
            for (int k = 0; k < bound.length; k++) {
                List<Expr.Ref> refs = new ArrayList<>();
                e.exprs()[k].refs(refs);
                Map<Expr.Ref, Integer> slots = new LinkedHashMap<>();
                for (Expr.Ref ref : refs) {
                    DbcMessage m = resolveMessage(dbc, ref, e.lines()[k]);
                    DbcSignal s = m.signal(ref.signal()).orElseThrow();
                    Integer slot = slotOf.computeIfAbsent(m.name() + "." + s.name(), x -> {
                        slotMessages.add(m);
                        slotSignals.add(s);
                        return slotMessages.size() - 1;
                    });
                    slots.put(ref, slot);
                    used.add(slot);
                }
                if (e.exprs()[k] instanceof Expr.Ref r) {
                    single = slotSignals.get(slots.get(r));
                    singleUnit = singleUnit == null ? single.unit() : singleUnit;
                }
                bound[k] = e.exprs()[k].bind(ref -> new Expr.Slot(slots.get(ref)));
            }
            Units.Conversion conv = conversion(e, singleUnit);
            Map<Long, Long> codes = codes(e, single);
            targets.add(new BoundMapping.Target(
                    e.id(),
                    e.signal(),
                    bound,
                    used.stream().mapToInt(Integer::intValue).distinct().toArray(),
                    conv,
                    codes,
                    bound.length == 1 && bound[0] instanceof Expr.Slot sl ? sl.index() : -1,
                    e.line()));
        }
        return new BoundMapping(this, dbc, slotMessages, slotSignals, targets);
    }

    private Units.Conversion conversion(Entry e, String singleUnit) throws MappingException {
        if (e.signal().type() instanceof EnumType || e.signal().type() instanceof BooleanType) {
            return Units.Conversion.IDENTITY;
        }
        // without [unit], a single signal (or a location's latitude signal) brings its DBC unit
        String unit = e.unit() != null ? e.unit() : e.exprs()[0] instanceof Expr.Ref ? singleUnit : null;
        try {
            return Units.conversion(unit, targetUnit(e.signal()));
        } catch (IllegalArgumentException ex) {
            throw new MappingException(
                    name, e.line(), e.signal().name() + ": " + ex.getMessage() + " (use [unit] to state the unit)");
        }
    }

    /**
     * Raw value → enum code (or boolean 0/1); {@link BoundMapping#UNAVAILABLE_CODE} for "unavailable";
     * null for a boolean without a list (0/1 taken as they are) and for other types.
     */
    private Map<Long, Long> codes(Entry e, DbcSignal single) throws MappingException {
        Map<Long, Long> out = new TreeMap<>();
        if (e.names() != null) {
            for (Map.Entry<Long, String> n : e.names().entrySet()) {
                out.put(n.getKey(), code(e.signal(), n.getValue()));
            }
            return out;
        }
        if (!(e.signal().type() instanceof EnumType et)) {
            return null;
        }
        Map<Long, String> table = single.valueTable();
        if (table.isEmpty()) {
            throw new MappingException(
                    name,
                    e.line(),
                    e.signal().name() + " is an enum but " + single.name()
                            + " has no value table in the DBC; list the values: {raw=name, …}");
        }
        String prefix = ValueNames.commonPrefix(table.values());
        for (Map.Entry<Long, String> t : table.entrySet()) {
            Optional<EnumType.Value> v = ValueNames.match(et, t.getValue(), prefix);
            v.ifPresent(x -> out.put(t.getKey(), (long) x.code()));
        }
        if (out.isEmpty()) {
            throw new MappingException(
                    name,
                    e.line(),
                    "no value of " + single.name() + "'s table " + table.values() + " matches a value of "
                            + e.signal().name() + " "
                            + et.values().stream().map(EnumType.Value::name).toList()
                            + "; list them: {raw=name, …}");
        }
        return out;
    }

    private static long code(Signal s, String name) {
        if (name.equalsIgnoreCase(UNAVAILABLE)) {
            return BoundMapping.UNAVAILABLE_CODE;
        }
        if (s.type() instanceof EnumType et) {
            return et.byName(name).orElseThrow().code();
        }
        return name.equals("true") ? 1 : 0;
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

    Optional<Entry> entry(int id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public String toString() {
        return name + " (" + entries.size() + " signals)";
    }
}
