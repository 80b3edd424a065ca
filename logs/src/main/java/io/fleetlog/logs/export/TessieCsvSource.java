package io.fleetlog.logs.export;

import io.fleetlog.logs.export.ColumnMapping.Column;
import io.fleetlog.sample.Field;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Tessie drive export preset: {@code "Timestamp (PDT)"}, {@code "Speed (mph)"},
 * {@code "Power (kW)"}, {@code "Battery Level (%)"}, {@code "Odometer (mi)"}, {@code "Latitude"},
 * {@code "Longitude"}, {@code "Elevation (m)"}, optionally {@code "Heading"} (the real export has
 * none, so heading stays unavailable).
 *
 * <p>Columns are found by name prefix and their units read from the header's parentheses, so an
 * export in metric units ({@code "Speed (km/h)"}, {@code "Odometer (km)"}) converts too. Times are
 * local without an offset: they are read in {@code zone} (default {@link #DEFAULT_ZONE}); the
 * header's abbreviation picks the offset in the ambiguous autumn hour (PDT → −07:00, PST →
 * −08:00), and {@code (UTC)} switches to UTC. Example: {@code 2024-03-10 13:34:28} in a
 * {@code (PDT)} file is {@code 2024-03-10T20:34:28Z}. The export has no VIN.
 */
public final class TessieCsvSource {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Los_Angeles");

    private TessieCsvSource() {}

    public static ColumnMapping mapping(ZoneId zone) {
        Map<Field, Column> f = new EnumMap<>(Field.class);
        f.put(Field.SPEED, fromHeader("Speed ("));
        f.put(Field.POWER, fromHeader("Power ("));
        f.put(Field.SOC, fromHeader("Battery Level ("));
        f.put(Field.HEADING, new Column("Heading", true, 1, "", true, true));
        f.put(Field.ODOMETER, fromHeader("Odometer ("));
        f.put(Field.LATITUDE, Column.named("Latitude"));
        f.put(Field.LONGITUDE, Column.named("Longitude"));
        f.put(Field.ELEVATION, fromHeader("Elevation ("));
        Column time = new Column("Timestamp", true, 1, "", true, false);
        return new ColumnMapping(
                "tessie", time, new TimeFormat.Auto(), zone == null ? DEFAULT_ZONE : zone, null, null, null, f);
    }

    private static Column fromHeader(String prefix) {
        return new Column(prefix, true, 1, "", true, false);
    }

    /** Opens a Tessie export; {@code zone} null means {@link #DEFAULT_ZONE}. */
    public static CsvSource open(Path file, ZoneId zone) throws IOException {
        return CsvSource.open(file, mapping(zone), null);
    }
}
