package io.fleetlog.logs.export;

import io.fleetlog.logs.LogFileException;
import io.fleetlog.logs.Problems;
import io.fleetlog.logs.mapping.Units;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Samples from a CSV file through a {@link ColumnMapping}: each row with data becomes one sample at
 * its own capture time (no resampling; wrap in {@link Resampler} for a fixed rate).
 *
 * <p>The first record is the header; a mapped column it lacks fails the open with a {@link
 * LogFileException} (unless the column is optional). Then, per row: a row of another vehicle than
 * the selected one is read over ({@link #otherVehicleRows()}); a row whose mapped values are all
 * empty (a car offline or asleep) is read over ({@link #emptyRows()}); a row with the wrong number
 * of fields, an unreadable time, or a time not after the previous row's is skipped and recorded in
 * {@link #problems()}; a value that is not a number or outside its field's range becomes
 * unavailable (NaN) and is recorded too, the rest of the row is kept. Values are converted to the
 * field units; heading is normalised to [0, 360). Not thread-safe; never sleeps.
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
    private final int[] fieldIndex = new int[Field.COUNT];
    private final double[] scale = new double[Field.COUNT];
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
        Arrays.fill(fieldIndex, -1);
        for (Map.Entry<Field, ColumnMapping.Column> e : mapping.fields().entrySet()) {
            Field f = e.getKey();
            ColumnMapping.Column c = e.getValue();
            int i = c.optional() ? find(header, c) : required(header, c);
            if (i < 0) {
                continue;
            }
            String unit = c.unitFromHeader() ? parenthesised(header.get(i)) : c.unit();
            try {
                scale[f.ordinal()] = c.factor() * Units.factor(unit == null ? "" : unit, f);
            } catch (IllegalArgumentException ex) {
                throw new LogFileException(file, 1, "column '" + header.get(i) + "': " + ex.getMessage());
            }
            fieldIndex[f.ordinal()] = i;
        }
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
        double[] v = new double[Field.COUNT];
        boolean any = false;
        StringBuilder bad = null;
        for (Field f : Field.values()) {
            int i = fieldIndex[f.ordinal()];
            v[f.ordinal()] = Double.NaN;
            String cell = i < 0 ? "" : r.get(i).strip();
            if (cell.isEmpty()) {
                continue;
            }
            double x = number(cell) * scale[f.ordinal()];
            x = f.normalise(x);
            if (!Double.isFinite(x) || !f.inRange(x)) {
                bad = (bad == null ? new StringBuilder() : bad.append("; "))
                        .append(f.key())
                        .append(" '")
                        .append(cell)
                        .append("' is ")
                        .append(
                                Double.isNaN(x)
                                        ? "not a number"
                                        : "outside [" + f.min() + ", " + f.max() + "] " + f.unit());
                continue;
            }
            v[f.ordinal()] = x;
            any = true;
        }
        if (!any && bad == null) {
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
            if (!any) {
                return null;
            }
        }
        lastTimeMs = t;
        if (vin == null && vinIndex >= 0 && !r.get(vinIndex).isBlank()) {
            vin = r.get(vinIndex).strip();
        }
        return new Sample(-1, t, v);
    }

    private boolean selected(List<String> r) {
        return (vehicleIndex >= 0 && r.get(vehicleIndex).strip().equals(vehicleFilter))
                || (vinIndex >= 0 && r.get(vinIndex).strip().equalsIgnoreCase(vehicleFilter));
    }

    private static double number(String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
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
