package io.fleetlog.catalog;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes catalogue files: UTF-8 text, one signal per line, {@code #} starts a comment, an
 * indented line continues the signal above it. The full grammar is in docs/catalogue.md:
 *
 * <pre>
 * # name        type      attributes (key=value, any order)
 * VehicleSpeed  float     unit=mph resolution=0.01 range=-500..500 bound=2 aliases=speed,Vehicle.Speed
 * GpsHeading    float     unit=deg resolution=0.01 range=-1000000..1000000 bound=5 circular
 * Gear          enum      values=Unknown:0,Invalid:1,P:2,R:3,N:4,D:5,SNA:6
 * ChargerPhases integer   range=0..3
 * Locked        boolean
 * Version       string    maxlength=64
 * Location      location  resolution=0.0000001 bound=0 aliases=latitude,longitude
 * </pre>
 *
 * <p>Every mistake is reported as {@code file:line: message} and the whole file is refused; the
 * parser goes on after a mistake to report the others (at most {@value #MAX_PROBLEMS}). {@link
 * #write} produces the canonical form that {@link Catalogue#hash()} digests.
 */
public final class CatalogueFormat {

    /** Most problems reported for one file. */
    public static final int MAX_PROBLEMS = 50;

    /** First line of the canonical text (a comment, so the canonical text is itself a valid file). */
    static final String CANONICAL_HEADER = "# fleetlog catalogue v1 (canonical form)";

    private static final Map<String, Set<String>> ATTRIBUTES = Map.of(
            "float", Set.of("unit", "resolution", "range", "bound", "circular", "aliases"),
            "integer", Set.of("unit", "range", "aliases"),
            "boolean", Set.of("aliases"),
            "enum", Set.of("values", "aliases"),
            "string", Set.of("maxlength", "aliases"),
            "location", Set.of("resolution", "bound", "aliases"));

    /** Attributes that may be given more than once; their lists are joined. */
    private static final Set<String> REPEATABLE = Set.of("aliases", "values");

    private CatalogueFormat() {}

    /** Parses a catalogue file; {@code file} names it in messages. */
    public static Catalogue parse(String text, String file) throws CatalogueFormatException {
        return new Parser(file, new Catalogue.Builder(), false).run(text);
    }

    /**
     * Parses a user file over {@code base} ({@link Catalogue#merge} semantics: a signal named like one
     * of the base's replaces it at its wire id, a new one is appended), with {@code file:line} errors.
     */
    public static Catalogue parseOver(Catalogue base, String text, String file) throws CatalogueFormatException {
        return new Parser(file, new Catalogue.Builder(base), true).run(text);
    }

    /** Reads and parses a catalogue file. */
    public static Catalogue read(Path path) throws IOException, CatalogueFormatException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /** Reads a user file and parses it over {@code base}. */
    public static Catalogue readOver(Catalogue base, Path path) throws IOException, CatalogueFormatException {
        return parseOver(base, Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /** The canonical text of these signals (see {@link Catalogue#toText()}). */
    static String write(List<Signal> signals) {
        StringBuilder sb = new StringBuilder(CANONICAL_HEADER).append('\n');
        for (Signal s : signals) {
            sb.append(line(s)).append('\n');
        }
        return sb.toString();
    }

    /** One signal in canonical form: name, type, its attributes in a fixed order, aliases last. */
    public static String line(Signal s) {
        StringBuilder sb =
                new StringBuilder(s.name()).append(' ').append(s.type().keyword());
        switch (s.type()) {
            case FloatType f -> {
                sb.append(" unit=").append(f.unit());
                sb.append(" resolution=").append(Decimal.resolution(f.decimals()));
                sb.append(" range=").append(Decimal.plain(f.min())).append("..").append(Decimal.plain(f.max()));
                sb.append(" bound=").append(Decimal.plain(s.bound()));
                if (f.circular()) {
                    sb.append(" circular");
                }
            }
            case IntegerType i -> {
                if (!i.unit().isEmpty()) {
                    sb.append(" unit=").append(i.unit());
                }
                sb.append(" range=").append(i.min()).append("..").append(i.max());
            }
            case BooleanType b -> {}
            case EnumType e ->
                sb.append(" values=")
                        .append(e.values().stream()
                                .map(v -> v.name() + ":" + v.code())
                                .collect(Collectors.joining(",")));
            case StringType t -> sb.append(" maxlength=").append(t.maxBytes());
            case LocationType l -> {
                sb.append(" resolution=").append(Decimal.resolution(l.decimals()));
                sb.append(" bound=").append(Decimal.plain(s.bound()));
            }
        }
        if (!s.aliases().isEmpty()) {
            sb.append(" aliases=").append(String.join(",", s.aliases()));
        }
        return sb.toString();
    }

    /** A token with the line it was on. */
    private record Token(String text, int line) {}

    /** A signal being read: its header line and its attributes so far. */
    private static final class Pending {
        final String name;
        final String type;
        final int line;
        final Map<String, List<Token>> attrs = new LinkedHashMap<>();

        Pending(String name, String type, int line) {
            this.name = name;
            this.type = type;
            this.line = line;
        }
    }

    /** Signals a mistake already recorded; the signal is skipped. */
    private static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        Skip() {
            super(null, null, false, false);
        }
    }

    private static final class Parser {
        private final String file;
        private final Catalogue.Builder builder;
        private final boolean overriding;
        private final List<CatalogueFormatException.Problem> problems = new ArrayList<>();
        /** Lower-cased name or alias → line where this file defined it. */
        private final Map<String, Integer> seen = new HashMap<>();

        Parser(String file, Catalogue.Builder builder, boolean overriding) {
            this.file = file;
            this.builder = builder;
            this.overriding = overriding;
        }

        Catalogue run(String text) throws CatalogueFormatException {
            String[] lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\n", -1);
            Pending pending = null;
            boolean inSignal = false; // a signal line was seen (pending is null when it was refused)
            for (int i = 0; i < lines.length && problems.size() < MAX_PROBLEMS; i++) {
                int lineNo = i + 1;
                String line = lines[i];
                int hash = line.indexOf('#');
                String body = (hash >= 0 ? line.substring(0, hash) : line).stripTrailing();
                if (body.isBlank()) {
                    continue;
                }
                List<Token> tokens = new ArrayList<>();
                for (String t : body.strip().split("\\s+")) {
                    tokens.add(new Token(t, lineNo));
                }
                if (Character.isWhitespace(body.charAt(0))) {
                    if (!inSignal) {
                        problem(lineNo, "an indented line continues a signal, but no signal line comes before it");
                    } else {
                        attributes(pending, tokens);
                    }
                    continue;
                }
                finish(pending);
                pending = header(tokens);
                inSignal = true;
            }
            finish(pending);
            if (!problems.isEmpty()) {
                throw new CatalogueFormatException(problems);
            }
            return builder.build();
        }

        private Pending header(List<Token> tokens) {
            Token name = tokens.get(0);
            if (tokens.size() < 2) {
                problem(name.line(), name.text() + ": missing type (one of " + typeList() + ")");
                return null;
            }
            String type = tokens.get(1).text();
            if (!ATTRIBUTES.containsKey(type)) {
                problem(name.line(), name.text() + ": unknown type '" + type + "' (known: " + typeList() + ")");
                return null;
            }
            Pending p = new Pending(name.text(), type, name.line());
            attributes(p, tokens.subList(2, tokens.size()));
            return p;
        }

        private void attributes(Pending p, List<Token> tokens) {
            if (p == null) {
                return; // the header was wrong and already reported
            }
            for (Token t : tokens) {
                int eq = t.text().indexOf('=');
                String key = eq < 0 ? t.text() : t.text().substring(0, eq);
                String value = eq < 0 ? null : t.text().substring(eq + 1);
                if (!ATTRIBUTES.get(p.type).contains(key)) {
                    problem(t.line(), p.name + ": " + unknownAttribute(p.type, key));
                } else if (key.equals("circular") != (value == null)) {
                    problem(
                            t.line(),
                            p.name + ": "
                                    + (value == null
                                            ? "attribute '" + key + "' needs a value (" + key + "=...)"
                                            : "'circular' is a flag and takes no value"));
                } else if (value != null && value.isEmpty()) {
                    problem(t.line(), p.name + ": attribute '" + key + "' has an empty value");
                } else if (p.attrs.containsKey(key) && !REPEATABLE.contains(key)) {
                    problem(
                            t.line(),
                            p.name + ": duplicate attribute '" + key + "' (first at line "
                                    + p.attrs.get(key).get(0).line() + ")");
                } else {
                    p.attrs
                            .computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new Token(value == null ? "" : value, t.line()));
                }
            }
        }

        private static String unknownAttribute(String type, String key) {
            if (key.equals("bound")) {
                return "bound on " + Names.aType(type) + " signal: only float and location signals have a bound"
                        + " (every other type is exact)";
            }
            if (key.equals("circular")) {
                return "circular on " + Names.aType(type) + " signal: only a float (an angle in deg) can be circular";
            }
            return "unknown attribute '" + key + "' for " + Names.aType(type) + " signal (known: "
                    + ATTRIBUTES.get(type).stream().sorted().collect(Collectors.joining(", ")) + ")";
        }

        private void finish(Pending p) {
            if (p == null) {
                return;
            }
            try {
                Signal s = signal(p);
                checkFileDuplicates(p, s);
                try {
                    if (overriding) {
                        builder.override(s);
                    } else {
                        builder.add(s);
                    }
                } catch (IllegalArgumentException e) {
                    problem(p.line, e.getMessage());
                }
            } catch (Skip e) {
                // already recorded as a problem; go on to report the file's other mistakes
            }
        }

        private Signal signal(Pending p) throws Skip {
            List<String> aliases = new ArrayList<>();
            for (Token t : p.attrs.getOrDefault("aliases", List.of())) {
                aliases.addAll(List.of(t.text().split(",", -1)));
            }
            SignalType type = type(p);
            Policy policy = type.exact() ? Policy.EXACT : Policy.within(bound(p));
            try {
                return new Signal(p.name, aliases, type, policy);
            } catch (IllegalArgumentException e) {
                throw fail(p.line, e.getMessage());
            }
        }

        private SignalType type(Pending p) throws Skip {
            try {
                return switch (p.type) {
                    case "float" -> {
                        double[] r = decimalRange(p, required(p, "range"));
                        yield new FloatType(
                                required(p, "unit").text(),
                                decimals(p, required(p, "resolution")),
                                r[0],
                                r[1],
                                p.attrs.containsKey("circular"));
                    }
                    case "integer" -> {
                        long[] r = integerRange(p, required(p, "range"));
                        yield new IntegerType(
                                p.attrs.containsKey("unit")
                                        ? required(p, "unit").text()
                                        : "",
                                r[0],
                                r[1]);
                    }
                    case "boolean" -> new BooleanType();
                    case "enum" -> new EnumType(enumValues(p));
                    case "string" -> new StringType(maxLength(p, required(p, "maxlength")));
                    case "location" -> new LocationType(decimals(p, required(p, "resolution")));
                    default -> throw new IllegalStateException("type checked in header(): " + p.type);
                };
            } catch (IllegalArgumentException e) {
                throw fail(p.line, p.name + ": " + e.getMessage());
            }
        }

        private double bound(Pending p) throws Skip {
            List<Token> b = p.attrs.get("bound");
            if (b == null) {
                return 0.0;
            }
            Token t = b.get(0);
            double v = number(p, t, "bound").doubleValue();
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw fail(t.line(), p.name + ": bound " + t.text() + " must be a finite number >= 0");
            }
            return v;
        }

        private Token required(Pending p, String key) throws Skip {
            List<Token> t = p.attrs.get(key);
            if (t == null) {
                throw fail(p.line, p.name + ": " + Names.aType(p.type) + " signal needs " + key + "=...");
            }
            return t.get(0);
        }

        private int decimals(Pending p, Token t) throws Skip {
            OptionalInt d = Decimal.decimalsOf(number(p, t, "resolution"));
            if (d.isEmpty()) {
                throw fail(t.line(), p.name + ": resolution " + t.text() + " is not a power of ten (e.g. 0.01, 1, 10)");
            }
            return d.getAsInt();
        }

        private double[] decimalRange(Pending p, Token t) throws Skip {
            String[] ends = rangeEnds(p, t);
            return new double[] {
                number(p, new Token(ends[0], t.line()), "range").doubleValue(),
                number(p, new Token(ends[1], t.line()), "range").doubleValue()
            };
        }

        private long[] integerRange(Pending p, Token t) throws Skip {
            String[] ends = rangeEnds(p, t);
            return new long[] {
                wholeNumber(p, new Token(ends[0], t.line()), "range"),
                wholeNumber(p, new Token(ends[1], t.line()), "range")
            };
        }

        private String[] rangeEnds(Pending p, Token t) throws Skip {
            int dots = t.text().indexOf("..", 1);
            if (dots < 0) {
                throw fail(t.line(), p.name + ": range '" + t.text() + "' must be min..max");
            }
            return new String[] {t.text().substring(0, dots), t.text().substring(dots + 2)};
        }

        private BigDecimal number(Pending p, Token t, String what) throws Skip {
            try {
                BigDecimal v = new BigDecimal(t.text());
                if (v.abs().compareTo(BigDecimal.valueOf(1e300)) > 0) {
                    throw fail(t.line(), p.name + ": " + what + " '" + t.text() + "' is too large");
                }
                return v;
            } catch (NumberFormatException e) {
                throw fail(t.line(), p.name + ": bad number '" + t.text() + "' for " + what);
            }
        }

        private long wholeNumber(Pending p, Token t, String what) throws Skip {
            BigDecimal v = number(p, t, what);
            try {
                return v.longValueExact();
            } catch (ArithmeticException e) {
                throw fail(t.line(), p.name + ": " + what + " '" + t.text() + "' is not a whole number in 64 bits");
            }
        }

        private int maxLength(Pending p, Token t) throws Skip {
            long n = wholeNumber(p, t, "maxlength");
            if (n < 1 || n > StringType.MAX_BYTES) {
                throw fail(t.line(), p.name + ": maxlength " + n + " must be between 1 and " + StringType.MAX_BYTES);
            }
            return (int) n;
        }

        private List<EnumType.Value> enumValues(Pending p) throws Skip {
            required(p, "values");
            List<EnumType.Value> values = new ArrayList<>();
            Map<Integer, String> codes = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            for (Token t : p.attrs.get("values")) {
                for (String item : t.text().split(",", -1)) {
                    int colon = item.indexOf(':');
                    if (colon <= 0 || colon == item.length() - 1) {
                        throw fail(t.line(), p.name + ": enum value '" + item + "' must be name:code");
                    }
                    String name = item.substring(0, colon);
                    long code = wholeNumber(p, new Token(item.substring(colon + 1), t.line()), "the code of " + name);
                    if (code < 0 || code > EnumType.MAX_CODE) {
                        throw fail(
                                t.line(),
                                p.name + ": enum code " + code + " of " + name + " is outside 0.." + EnumType.MAX_CODE);
                    }
                    String sameCode = codes.putIfAbsent((int) code, name);
                    if (sameCode != null) {
                        throw fail(
                                t.line(),
                                p.name + ": enum code " + code + " is repeated (" + sameCode + " and " + name + ")");
                    }
                    String sameName = names.putIfAbsent(Names.key(name), name);
                    if (sameName != null) {
                        throw fail(t.line(), p.name + ": enum value name " + name + " is repeated (ignoring case)");
                    }
                    try {
                        values.add(new EnumType.Value(name, (int) code));
                    } catch (IllegalArgumentException e) {
                        throw fail(t.line(), p.name + ": " + e.getMessage());
                    }
                }
            }
            return values;
        }

        /** A name or alias this file already used is reported with the line where it was first used. */
        private void checkFileDuplicates(Pending p, Signal s) throws Skip {
            Integer first = seen.get(Names.key(s.name()));
            if (first != null) {
                throw fail(p.line, "duplicate signal name '" + s.name() + "' (first used at line " + first + ")");
            }
            for (String a : s.aliases()) {
                Integer at = seen.get(Names.key(a));
                if (at != null) {
                    throw fail(p.line, s.name() + ": alias '" + a + "' is already used at line " + at);
                }
            }
            seen.put(Names.key(s.name()), p.line);
            for (String a : s.aliases()) {
                seen.put(Names.key(a), p.line);
            }
        }

        private Skip fail(int line, String message) {
            problem(line, message);
            return new Skip();
        }

        private void problem(int line, String message) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(new CatalogueFormatException.Problem(file, line, message));
            }
        }

        private static String typeList() {
            return "float, integer, boolean, enum, string, location";
        }
    }
}
