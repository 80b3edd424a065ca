package io.fleetlog.logs.export;

import io.fleetlog.catalog.StringType;
import io.fleetlog.frame.Frame;
import io.fleetlog.frame.Frames;
import io.fleetlog.logs.LogFileException;
import io.fleetlog.logs.Problems;
import io.fleetlog.logs.mapping.Units;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.io.Reader;
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
import java.util.Optional;

/**
 * Sparse samples from a CSV file through a {@link ColumnMapping}: each row with data becomes one
 * sample at its own capture time (no resampling; wrap in {@link Resampler} for a fixed rate), whose
 * frame holds exactly the signals the row has a value for: an empty cell is "not captured"; a cell
 * reading {@code unavailable}, {@code null}, {@code n/a} or {@code <invalid>} (any case) is captured
 * as unavailable.
 *
 * <p>The first record is the header; a mapped column it lacks fails the open with a {@link
 * LogFileException} (unless the column is optional). Then, per row: a row of another vehicle than
 * the selected one is read over ({@link #otherVehicleRows()}); a row whose mapped cells are all
 * empty but for strings (a car offline or asleep still has its name) is read over ({@link
 * #emptyRows()}); a row with the wrong number
 * of fields, an unreadable time, or a time not after the previous row's is skipped and recorded in
 * {@link #problems()}; a value that is not a number, outside its signal's range, not a whole number
 * (integers), not a value name (enums, by the column's list or the names ignoring case and
 * underscores), not true/false/1/0/yes/no/on/off (booleans) or too long (strings) is captured as
 * unavailable and recorded too, the rest of the row is kept. Numbers are converted to the signal's
 * unit; circular signals (heading) are normalised to [0, 360); a location needs both cells (one
 * empty: unavailable). Not thread-safe; never sleeps.
 */
public final class CsvSource implements Source {
    private static final Map<String, ZoneOffset> ABBREVIATIONS = Map.ofEntries(
            Map.entry("PDT", ZoneOffset.ofHours(-7)),
            Map.entry("PST", ZoneOffset.ofHours(-8)),
            Map.entry("MDT", ZoneOffset.ofHours(-6)),
            Map.entry("MST", ZoneOffset.ofHours(-7)),
            Map.entry("CDT", ZoneOffset.ofHours(-5)),
            Map.entry("CST", ZoneOffset.ofHours(-6)),
            Map.entry("EDT", ZoneOffset.ofHours(-4)),
            Map.entry("EST", ZoneOffset.ofHours(-5)),
            Map.entry("CEST", ZoneOffset.ofHours(2)),
            Map.entry("CET", ZoneOffset.ofHours(1)),
            Map.entry("BST", ZoneOffset.ofHours(1)));

    private final CsvReader csv;
    private final String file;
    private final ColumnMapping mapping;
    private final String vehicleFilter;
    private final Problems problems;
    private final String describe;
    private int headerSize;
    private int timeIndex;
    private int vehicleIndex = -1;
    private int vinIndex = -1;
    private final List<Cells.Bound> bound = new ArrayList<>();
    private ZoneId zone;
    private ZoneOffset preferred;
    private long lastTimeMs = Long.MIN_VALUE;
    private long rows;
    private long samples;
    private long emptyRows;
    private long otherVehicleRows;
    private String vin;

    /**
     * @param vehicle the vehicle to read (matched against the vehicle column, then the VIN column),
     *     or null for every row
     */
    public CsvSource(Reader in, String file, ColumnMapping mapping, String vehicle) throws IOException {
        this.csv = new CsvReader(in);
        this.file = file;
        this.mapping = mapping;
        this.vehicleFilter = vehicle;
        this.problems = new Problems(file);
        this.zone = mapping.zone();
        this.preferred = mapping.preferredOffset();
        readHeader();
        this.describe = file + " (" + mapping.name() + (vehicle == null ? "" : ", vehicle " + vehicle) + ")";
    }

    public static CsvSource open(Path file, ColumnMapping mapping, String vehicle) throws IOException {
        Reader r = CsvReader.utf8(Files.newInputStream(file));
        try {
            return new CsvSource(r, file.getFileName().toString(), mapping, vehicle);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /**
     * The next record; bytes that are not UTF-8 (a binary file, another encoding) fail with the file,
     * the line and the encoding instead of the decoder's bare "Input length = 1".
     */
    private List<String> record() throws IOException, CsvReader.BadRecord {
        try {
            return csv.next();
        } catch (java.nio.charset.CharacterCodingException e) {
            LogFileException x = new LogFileException(
                    file,
                    csv.line(),
                    "not UTF-8 text (bytes that are not a UTF-8 sequence); is it a binary file, or saved in"
                            + " another encoding? Export or save it as UTF-8 CSV");
            x.initCause(e);
            throw x;
        }
    }

    private void readHeader() throws IOException {
        List<String> header;
        try {
            header = record();
        } catch (CsvReader.BadRecord e) {
            throw new LogFileException(file, csv.recordLine(), "header: " + e.getMessage());
        }
        if (header == null) {
            throw new LogFileException(file, 1, "the file is empty (no header)");
        }
        headerSize = header.size();
        timeIndex = required(header, mapping.time());
        if (mapping.time().unitFromHeader()) {
            timeZoneFromHeader(header.get(timeIndex));
        }
        if (mapping.vehicle() != null) {
            vehicleIndex = find(header, mapping.vehicle());
        }
        if (mapping.vin() != null) {
            vinIndex = find(header, mapping.vin());
        }
        if (vehicleFilter != null && vehicleIndex < 0 && vinIndex < 0) {
            throw new LogFileException(
                    file,
                    1,
                    "a vehicle was chosen (" + vehicleFilter + ") but the file has no column telling vehicles apart");
        }
        Map<Integer, int[]> locations = new LinkedHashMap<>(); // id → latitude, longitude column
        Map<Integer, ColumnMapping.Binding> locationBindings = new LinkedHashMap<>();
        Map<Integer, Units.Conversion> locationConversions = new LinkedHashMap<>();
        for (ColumnMapping.Binding b : mapping.bindings()) {
            ColumnMapping.Column c = b.column();
            int i = c.optional() ? find(header, c) : required(header, c);
            Units.Conversion conv = Units.Conversion.IDENTITY;
            if (i >= 0 && ColumnMapping.numeric(b.signal())) {
                String unit = c.unitFromHeader() ? parenthesised(header.get(i)) : c.unit();
                try {
                    Units.Conversion u = Units.conversion(unit == null ? "" : unit, ColumnMapping.unitOf(b.signal()));
                    conv = new Units.Conversion(c.factor() * u.factor(), u.offset());
                } catch (IllegalArgumentException ex) {
                    throw new LogFileException(file, 1, "column '" + header.get(i) + "': " + ex.getMessage());
                }
            }
            if (b.part() >= 0) {
                locations.computeIfAbsent(b.id(), k -> new int[] {-1, -1})[b.part()] = i;
                locationBindings.putIfAbsent(b.id(), b);
                if (b.part() == 0) {
                    locationConversions.put(b.id(), conv);
                }
            } else if (i >= 0) {
                bound.add(new Cells.Bound(b.signal(), b.id(), i, -1, conv, c));
            }
        }
        locations.forEach((id, cols) -> {
            if (cols[0] >= 0 && cols[1] >= 0) {
                ColumnMapping.Binding b = locationBindings.get(id);
                bound.add(new Cells.Bound(b.signal(), id, cols[0], cols[1], locationConversions.get(id), b.column()));
            }
        });
    }

    private void timeZoneFromHeader(String header) {
        String abbreviation = parenthesised(header);
        if (abbreviation == null) {
            return;
        }
        String a = abbreviation.toUpperCase(Locale.ROOT);
        if (a.equals("UTC") || a.equals("GMT") || a.equals("Z")) {
            zone = ZoneOffset.UTC;
        } else if (ABBREVIATIONS.containsKey(a)) {
            preferred = ABBREVIATIONS.get(a);
        }
    }

    private static String parenthesised(String header) {
        int open = header.lastIndexOf('(');
        int close = header.lastIndexOf(')');
        return open >= 0 && close > open ? header.substring(open + 1, close).strip() : null;
    }

    private int required(List<String> header, ColumnMapping.Column c) throws LogFileException {
        int i = find(header, c);
        if (i < 0) {
            throw new LogFileException(
                    file,
                    1,
                    "no column " + (c.prefix() ? "starting with " : "") + "'" + c.name() + "' (mapping "
                            + mapping.name() + "); the header has " + abbreviate(header));
        }
        return i;
    }

    static int find(List<String> header, ColumnMapping.Column c) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equals(c.name())) {
                return i;
            }
        }
        String want = c.name().strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (c.prefix() ? h.startsWith(want) : h.equals(want)) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(List<String> header) {
        String all = String.join(", ", header);
        return all.length() <= 300 ? all : all.substring(0, 297) + "...";
    }

    @Override
    public Sample next() throws IOException {
        while (true) {
            List<String> r;
            try {
                r = record();
            } catch (CsvReader.BadRecord e) {
                problems.add(csv.recordLine(), e.getMessage());
                continue;
            }
            if (r == null) {
                return null;
            }
            rows++;
            Sample s = row(r, csv.recordLine());
            if (s != null) {
                samples++;
                return s;
            }
        }
    }

    private Sample row(List<String> r, long line) {
        if (r.size() != headerSize) {
            problems.add(line, "row has " + r.size() + " fields, the header has " + headerSize);
            return null;
        }
        if (vehicleFilter != null && !selected(r)) {
            otherVehicleRows++;
            return null;
        }
        Frame.Builder frame = null;
        StringBuilder bad = null;
        boolean any = false;
        for (Cells.Bound b : bound) {
            String cell = r.get(b.index()).strip();
            String lon = b.lonIndex() < 0 ? null : r.get(b.lonIndex()).strip();
            if (cell.isEmpty() && (lon == null || lon.isEmpty())) {
                continue; // not captured
            }
            if (frame == null) {
                frame = Frame.builder(0, bound.size());
            }
            any |= !(b.signal().type() instanceof StringType); // names and versions alone are no data
            String problem = Cells.add(b, cell, lon, frame);
            if (problem != null) {
                bad = (bad == null ? new StringBuilder() : bad.append("; ")).append(problem);
                frame.unavailable(b.id());
            }
        }
        if (!any) {
            emptyRows++;
            return null;
        }
        long t;
        String timeText = r.get(timeIndex);
        try {
            t = mapping.timeFormat().toEpochMs(timeText, zone, preferred);
        } catch (DateTimeException e) {
            problems.add(line, "time: " + e.getMessage());
            return null;
        }
        if (t <= lastTimeMs) {
            problems.add(
                    line,
                    "time " + timeText.strip()
                            + (t == lastTimeMs ? " repeats the previous row's" : " is before the previous row's"));
            return null;
        }
        if (bad != null) {
            problems.add(line, bad + " (sent as unavailable)");
        }
        lastTimeMs = t;
        if (vin == null && vinIndex >= 0 && !r.get(vinIndex).isBlank()) {
            vin = r.get(vinIndex).strip();
        }
        return new Sample(-1, Frames.retimed(frame.build(), t)); // rows are parsed before their time is known
    }

    private boolean selected(List<String> r) {
        return (vehicleIndex >= 0 && r.get(vehicleIndex).strip().equals(vehicleFilter))
                || (vinIndex >= 0 && r.get(vinIndex).strip().equalsIgnoreCase(vehicleFilter));
    }

    /**
     * The vehicles in a file, in order of first appearance: vehicle key (the vehicle column's value,
     * else the VIN) → the first VIN seen for it (empty string when none). Reads the whole file.
     */
    public static Map<String, String> vehicles(Path file, ColumnMapping mapping) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (CsvSource s = open(file, mapping, null)) {
            if (s.vehicleIndex < 0 && s.vinIndex < 0) {
                return out;
            }
            while (true) {
                List<String> r;
                try {
                    r = s.record();
                } catch (CsvReader.BadRecord e) {
                    continue;
                }
                if (r == null) {
                    return out;
                }
                if (r.size() != s.headerSize) {
                    continue;
                }
                String v = s.vinIndex >= 0 ? r.get(s.vinIndex).strip() : "";
                String key = s.vehicleIndex >= 0 ? r.get(s.vehicleIndex).strip() : v;
                if (!key.isEmpty() && (out.get(key) == null || out.get(key).isEmpty())) {
                    out.put(key, v);
                }
            }
        }
    }

    /** The VIN of the rows read so far (first non-empty value of the VIN column), if any. */
    public Optional<String> vin() {
        return Optional.ofNullable(vin);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public long problems() {
        return problems.count();
    }

    /** The problem messages ({@code file:line: …}). */
    public Problems problemLog() {
        return problems;
    }

    /** Data rows read (header excluded). */
    public long rows() {
        return rows;
    }

    /** Samples returned. */
    public long samples() {
        return samples;
    }

    /** Rows of the selected vehicle with every mapped value empty (offline/asleep). */
    public long emptyRows() {
        return emptyRows;
    }

    /** Rows of other vehicles than the selected one. */
    public long otherVehicleRows() {
        return otherVehicleRows;
    }

    /** The zone local times are read in. */
    public ZoneId zone() {
        return zone;
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
