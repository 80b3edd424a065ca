package io.fleetlog.logs.export;

import io.fleetlog.logs.export.ColumnMapping.Column;
import io.fleetlog.sample.Field;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/**
 * The TeslaFi data export preset (UTF-8 with a byte-order mark, about 145 columns, found by name):
 * {@code Date} (local time of the TeslaFi account, read in {@code zone}, default
 * America/Los_Angeles — pass the account's zone), {@code speed} (mph), {@code power} (kW),
 * {@code battery_level} (%), {@code heading} (deg), {@code odometer} (mi), {@code latitude},
 * {@code longitude}, {@code elevation} (m); {@code vehicle_id} and {@code vin} tell several cars
 * of one file apart. Rows of a car that is offline or asleep have empty values and are read over.
 * {@code power}, {@code heading} and {@code elevation} may be missing from older exports.
 */
public final class TeslaFiCsvSource {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Los_Angeles");

    private TeslaFiCsvSource() {}

    public static ColumnMapping mapping(ZoneId zone) {
        Map<Field, Column> f = new EnumMap<>(Field.class);
        f.put(Field.SPEED, new Column("speed", false, 1, "mph", false, false));
        f.put(Field.POWER, new Column("power", false, 1, "kW", false, true));
        f.put(Field.SOC, new Column("battery_level", false, 1, "%", false, false));
        f.put(Field.HEADING, new Column("heading", false, 1, "deg", false, true));
        f.put(Field.ODOMETER, new Column("odometer", false, 1, "mi", false, false));
        f.put(Field.LATITUDE, Column.named("latitude"));
        f.put(Field.LONGITUDE, Column.named("longitude"));
        f.put(Field.ELEVATION, new Column("elevation", false, 1, "m", false, true));
        return new ColumnMapping(
                "teslafi",
                Column.named("Date"),
                new TimeFormat.Auto(),
                zone == null ? DEFAULT_ZONE : zone,
                null,
                Column.named("vehicle_id"),
                Column.named("vin"),
                f);
    }

    /** Opens a TeslaFi export; {@code vehicle} (a vehicle_id or VIN) null reads every row. */
    public static CsvSource open(Path file, ZoneId zone, String vehicle) throws IOException {
        return CsvSource.open(file, mapping(zone), vehicle);
    }
}
