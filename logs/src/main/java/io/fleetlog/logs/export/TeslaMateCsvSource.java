package io.fleetlog.logs.export;

import io.fleetlog.logs.export.ColumnMapping.Column;
import io.fleetlog.sample.Field;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

/**
 * The TeslaMate {@code positions} export preset (a CSV of the positions table): {@code date} (UTC
 * as TeslaMate stores it, unless the text carries an offset or another {@code zone} is given),
 * {@code latitude}, {@code longitude}, {@code speed} (km/h → mph), {@code power} (kW),
 * {@code odometer} (km → mi), {@code battery_level} (%), {@code elevation} (m); {@code car_id}
 * tells cars apart. Positions have no heading and no VIN.
 */
public final class TeslaMateCsvSource {
    private TeslaMateCsvSource() {}

    public static ColumnMapping mapping(ZoneId zone) {
        Map<Field, Column> f = new EnumMap<>(Field.class);
        f.put(Field.SPEED, new Column("speed", false, 1, "km/h", false, false));
        f.put(Field.POWER, new Column("power", false, 1, "kW", false, true));
        f.put(Field.SOC, new Column("battery_level", false, 1, "%", false, false));
        f.put(Field.ODOMETER, new Column("odometer", false, 1, "km", false, false));
        f.put(Field.LATITUDE, Column.named("latitude"));
        f.put(Field.LONGITUDE, Column.named("longitude"));
        f.put(Field.ELEVATION, new Column("elevation", false, 1, "m", false, true));
        return new ColumnMapping(
                "teslamate",
                Column.named("date"),
                new TimeFormat.Auto(),
                zone == null ? ZoneOffset.UTC : zone,
                null,
                Column.named("car_id"),
                null,
                f);
    }

    /** Opens a TeslaMate positions export; {@code vehicle} (a car_id) null reads every row. */
    public static CsvSource open(Path file, ZoneId zone, String vehicle) throws IOException {
        return CsvSource.open(file, mapping(zone), vehicle);
    }
}
