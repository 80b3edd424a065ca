package io.fleetlog.logs.export;

import io.fleetlog.logs.export.ColumnMapping.Column;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The TeslaMate {@code positions} export preset (a CSV of the positions table): {@code date} (UTC
 * as TeslaMate stores it, unless the text carries an offset or another {@code zone} is given),
 * {@code latitude}, {@code longitude}, {@code speed} (km/h → mph), {@code power} (kW),
 * {@code odometer} (km → mi), {@code battery_level} (%), {@code elevation} (m); {@code car_id}
 * tells cars apart. Positions have no heading and no VIN. Also read when present: the rated, ideal
 * and estimated ranges (km), inside and outside temperature (°C), {@code usable_battery_level},
 * {@code is_climate_on} (HvacPower), {@code battery_heater_on} and the four tyre pressures (bar): the
 * table is in docs/logs.md.
 */
public final class TeslaMateCsvSource {
    private TeslaMateCsvSource() {}

    public static ColumnMapping mapping(ZoneId zone) {
        Map<String, String> onOff = Map.of("true", "On", "t", "On", "false", "Off", "f", "Off");
        ColumnMapping.Signals f = new ColumnMapping.Signals()
                .put("VehicleSpeed", new Column("speed", false, 1, "km/h", false, false))
                .put("Power", new Column("power", false, 1, "kW", false, true))
                .put("Soc", new Column("battery_level", false, 1, "%", false, false))
                .put("Odometer", new Column("odometer", false, 1, "km", false, false))
                .location(Column.named("latitude"), Column.named("longitude"))
                .put("Elevation", new Column("elevation", false, 1, "m", false, true))
                .put("BatteryLevel", Column.optional("usable_battery_level", "%"))
                .put("RatedRange", Column.optional("rated_battery_range_km", "km"))
                .put("IdealBatteryRange", Column.optional("ideal_battery_range_km", "km"))
                .put("EstBatteryRange", Column.optional("est_battery_range_km", "km"))
                .put("InsideTemp", Column.optional("inside_temp", "degC"))
                .put("OutsideTemp", Column.optional("outside_temp", "degC"))
                .put("HvacPower", Column.optional("is_climate_on").withValues(onOff))
                .put("BatteryHeaterOn", Column.optional("battery_heater_on"))
                .put("TpmsPressureFl", Column.optional("tpms_pressure_fl", "bar"))
                .put("TpmsPressureFr", Column.optional("tpms_pressure_fr", "bar"))
                .put("TpmsPressureRl", Column.optional("tpms_pressure_rl", "bar"))
                .put("TpmsPressureRr", Column.optional("tpms_pressure_rr", "bar"));
        return new ColumnMapping(
                "teslamate",
                Column.named("date"),
                new TimeFormat.Auto(),
                zone == null ? ZoneOffset.UTC : zone,
                null,
                Column.named("car_id"),
                null,
                f.build());
    }

    /** Opens a TeslaMate positions export; {@code vehicle} (a car_id) null reads every row. */
    public static CsvSource open(Path file, ZoneId zone, String vehicle) throws IOException {
        return CsvSource.open(file, mapping(zone), vehicle);
    }
}
