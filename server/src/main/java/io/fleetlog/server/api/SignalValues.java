package io.fleetlog.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.frame.Frame;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How signal values look outside the wire (docs/api.md): in JSON a float or integer is a number, a
 * boolean true/false, an enum its value's name, a string a string, a location {@code {"lat", "lon"}};
 * captured but unavailable is null; a signal not captured in a frame has no key. In CSV one cell per
 * signal: empty = not captured, {@code NA} = unavailable, a location {@code "lat lon"}, strings quoted
 * per RFC 4180 when needed. Used by the samples API, the export command and the live feed.
 */
public final class SignalValues {

    /** The CSV cell of a captured-but-unavailable value. */
    public static final String CSV_UNAVAILABLE = "NA";

    private SignalValues() {}

    /**
     * Which signals a request wants, in its order: the catalogue ids, ascending id order when none was
     * named (the whole catalogue).
     */
    public record Selection(Catalogue catalogue, int[] ids) {

        /** Every signal of the catalogue. */
        public static Selection all(Catalogue cat) {
            int[] ids = new int[cat.size()];
            Arrays.setAll(ids, i -> i);
            return new Selection(cat, ids);
        }

        /**
         * The signals named in {@code csv} (names or aliases, any case, comma-separated); null or blank:
         * all.
         *
         * @throws IllegalArgumentException naming an unknown or repeated signal
         */
        public static Selection parse(Catalogue cat, String csv) {
            if (csv == null || csv.isBlank()) {
                return all(cat);
            }
            List<Integer> ids = new ArrayList<>();
            for (String part : csv.split(",", -1)) {
                String name = part.strip();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("signals: an empty name in '" + abbreviate(csv) + "'");
                }
                Optional<Signal> s = cat.find(name);
                if (s.isEmpty()) {
                    throw new IllegalArgumentException("unknown signal '" + abbreviate(name)
                            + "' (the vehicle's catalogue " + cat.shortId() + " has " + cat.size()
                            + " signals; GET /api/vehicles/{vin}/signals lists them)");
                }
                int id = cat.id(name);
                if (ids.contains(id)) {
                    throw new IllegalArgumentException("signals: '" + abbreviate(name) + "' is named twice ("
                            + s.get().name() + ")");
                }
                ids.add(id);
            }
            return new Selection(cat, ids.stream().mapToInt(Integer::intValue).toArray());
        }

        /** Whether {@code f} captured any selected signal. */
        public boolean touches(Frame f) {
            for (int id : ids) {
                if (f.indexOf(id) >= 0) {
                    return true;
                }
            }
            return false;
        }

        public Signal signal(int k) {
            return catalogue.signal(ids[k]);
        }

        public int size() {
            return ids.length;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    /** Entry {@code i} of {@code f} (signal {@code s}) as a JSON-ready value: see the class comment. */
    public static Object value(Signal s, Frame f, int i) {
        return switch (f.kind(i)) {
            case UNAVAILABLE -> null;
            case NUMBER -> f.number(i);
            case POSITION -> {
                Map<String, Object> m = new LinkedHashMap<>(2);
                m.put("lat", f.latitude(i));
                m.put("lon", f.longitude(i));
                yield m;
            }
            case STRING -> f.string(i);
            case INTEGER -> integer(s, f.integer(i));
        };
    }

    private static Object integer(Signal s, long v) {
        if (s.type() instanceof BooleanType) {
            return v != 0;
        }
        if (s.type() instanceof EnumType e) {
            return enumName(e, v);
        }
        return v;
    }

    static String enumName(EnumType e, long code) {
        if (code < 0 || code > Integer.MAX_VALUE) {
            return Long.toString(code);
        }
        return e.byCode((int) code).map(EnumType.Value::name).orElse(Long.toString(code));
    }

    /** The captured selected signals of {@code f} by name (see the class comment). */
    public static Map<String, Object> values(Selection sel, Frame f) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < sel.size(); k++) {
            int i = f.indexOf(sel.ids()[k]);
            if (i >= 0) {
                Signal s = sel.signal(k);
                m.put(s.name(), value(s, f, i));
            }
        }
        return m;
    }

    /** One JSON sample object: {@code {"seq", "t", "values": {…}, "reconstructed": [names]}}. */
    public static void writeJson(JsonGenerator g, Selection sel, long seq, Frame f) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", seq);
        g.writeNumberField("t", f.timeMs());
        g.writeObjectFieldStart("values");
        for (int k = 0; k < sel.size(); k++) {
            int i = f.indexOf(sel.ids()[k]);
            if (i < 0) {
                continue;
            }
            Signal s = sel.signal(k);
            g.writeFieldName(s.name());
            switch (f.kind(i)) {
                case UNAVAILABLE -> g.writeNull();
                case NUMBER -> g.writeNumber(f.number(i));
                case POSITION -> {
                    g.writeStartObject();
                    g.writeNumberField("lat", f.latitude(i));
                    g.writeNumberField("lon", f.longitude(i));
                    g.writeEndObject();
                }
                case STRING -> g.writeString(f.string(i));
                case INTEGER -> {
                    Object v = integer(s, f.integer(i));
                    if (v instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else if (v instanceof String str) {
                        g.writeString(str);
                    } else {
                        g.writeNumber((Long) v);
                    }
                }
            }
        }
        g.writeEndObject();
        g.writeArrayFieldStart("reconstructed");
        for (int k = 0; k < sel.size(); k++) {
            int i = f.indexOf(sel.ids()[k]);
            if (i >= 0 && f.omitted(i)) {
                g.writeString(sel.signal(k).name());
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The CSV header for {@code sel}. */
    public static String csvHeader(Selection sel) {
        StringBuilder b = new StringBuilder("vin,seq,capture_time");
        for (int k = 0; k < sel.size(); k++) {
            b.append(',').append(sel.signal(k).name());
        }
        return b.append(",reconstructed").toString();
    }

    /** One CSV row (with its newline). */
    public static void csvLine(StringBuilder b, Selection sel, String vin, long seq, Frame f) {
        b.append(vin).append(',').append(seq).append(',');
        HttpApi.ISO_MILLIS.formatTo(java.time.Instant.ofEpochMilli(f.timeMs()), b);
        for (int k = 0; k < sel.size(); k++) {
            b.append(',');
            int i = f.indexOf(sel.ids()[k]);
            if (i >= 0) {
                csvCell(b, sel.signal(k), f, i);
            }
        }
        b.append(',');
        boolean first = true;
        for (int k = 0; k < sel.size(); k++) {
            int i = f.indexOf(sel.ids()[k]);
            if (i >= 0 && f.omitted(i)) {
                b.append(first ? "" : ";").append(sel.signal(k).name());
                first = false;
            }
        }
        b.append('\n');
    }

    private static void csvCell(StringBuilder b, Signal s, Frame f, int i) {
        switch (f.kind(i)) {
            case UNAVAILABLE -> b.append(CSV_UNAVAILABLE);
            case NUMBER -> appendNumber(b, f.number(i));
            case POSITION -> {
                appendNumber(b, f.latitude(i));
                b.append(' ');
                appendNumber(b, f.longitude(i));
            }
            case STRING -> quoted(b, f.string(i));
            case INTEGER -> {
                Object v = integer(s, f.integer(i));
                if (v instanceof String str) {
                    quoted(b, str);
                } else {
                    b.append(v);
                }
            }
        }
    }

    /** RFC 4180: quoted when it holds a comma, a quote, CR or LF (or is "NA" or empty, to tell those apart). */
    static void quoted(StringBuilder b, String s) {
        boolean quote = s.isEmpty() || s.equals(CSV_UNAVAILABLE);
        for (int j = 0; j < s.length() && !quote; j++) {
            char c = s.charAt(j);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            b.append(s);
            return;
        }
        b.append('"');
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            b.append(c == '"' ? "\"\"" : String.valueOf(c));
        }
        b.append('"');
    }

    /** A plain decimal (never exponent notation), shortest form that reads back exactly. */
    static void appendNumber(StringBuilder b, double v) {
        double a = Math.abs(v);
        if (v == 0 || (a >= 1e-3 && a < 1e7)) {
            b.append(v == 0 ? 0.0 : v);
        } else {
            b.append(BigDecimal.valueOf(v).toPlainString());
        }
    }

    /** The catalogue as {@code GET /api/vehicles/{vin}/signals} shows it. */
    public static Map<String, Object> describe(Catalogue cat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("catalogue", cat.shortId());
        m.put("hash", cat.hash());
        List<Map<String, Object>> list = new ArrayList<>(cat.size());
        for (int id = 0; id < cat.size(); id++) {
            list.add(describe(id, cat.signal(id)));
        }
        m.put("signals", list);
        return m;
    }

    static Map<String, Object> describe(int id, Signal s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", s.name());
        m.put("aliases", s.aliases());
        m.put("type", s.type().keyword());
        switch (s.type()) {
            case FloatType t -> {
                m.put("unit", t.unit());
                m.put("resolution", t.resolution());
                m.put("bound", s.bound());
                m.put("circular", t.circular());
                m.put("min", t.min());
                m.put("max", t.max());
            }
            case IntegerType t -> {
                if (t.unit() != null && !t.unit().isEmpty()) {
                    m.put("unit", t.unit());
                }
                m.put("min", t.min());
                m.put("max", t.max());
            }
            case EnumType t -> {
                List<Map<String, Object>> values = new ArrayList<>();
                for (EnumType.Value v : t.values()) {
                    values.add(Map.of("code", v.code(), "name", v.name()));
                }
                m.put("values", values);
            }
            case StringType t -> m.put("maxlength", t.maxBytes());
            case LocationType t -> {
                m.put("resolution", t.resolution());
                m.put("bound", s.bound());
            }
            case BooleanType t -> {}
        }
        return m;
    }
}
