package io.fleetlog.logs.export;

import io.fleetlog.logs.export.ColumnMapping.Column;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/**
 * The Tessie drive export preset: {@code "Timestamp (PDT)"}, {@code "Speed (mph)"},
 * {@code "Power (kW)"}, {@code "Battery Level (%)"}, {@code "Odometer (mi)"}, {@code "Latitude"},
 * {@code "Longitude"}, {@code "Elevation (m)"} (required), and every other column of the export that
 * has a catalogue signal, when present: {@code Shift State} (Gear), {@code Charging State}
 * (DetailedChargeState), {@code Usable Battery Level} (BatteryLevel), the three ranges, charge rate,
 * current, voltage and phases, {@code Climate} (HvacPower), {@code Battery Heater}, inside and outside
 * temperatures (°F → °C), {@code Locked}, {@code Sentry Mode} (1 = Armed, 0 = Off), {@code Heading}
 * (the real export has none). The table is in docs/logs.md.
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
        ColumnMapping.Signals f = new ColumnMapping.Signals()
                .put("VehicleSpeed", fromHeader("Speed ("))
                .put("Power", fromHeader("Power ("))
                .put("Soc", fromHeader("Battery Level ("))
                .put("GpsHeading", new Column("Heading", true, 1, "", true, true))
                .put("Odometer", fromHeader("Odometer ("))
                .location(Column.named("Latitude"), Column.named("Longitude"))
                .put("Elevation", fromHeader("Elevation ("))
                .put("Gear", Column.optional("Shift State"))
                .put("DetailedChargeState", Column.optional("Charging State"))
                .put("BatteryLevel", optionalFromHeader("Usable Battery Level ("))
                .put("RatedRange", optionalFromHeader("Battery Range ("))
                .put("EstBatteryRange", optionalFromHeader("Est. Battery Range ("))
                .put("IdealBatteryRange", optionalFromHeader("Ideal Battery Range ("))
                .put("ChargeRateMilePerHour", optionalFromHeader("Charge Rate ("))
                .put("ChargeAmps", optionalFromHeader("Current ("))
                .put("ChargerVoltage", optionalFromHeader("Charger Voltage ("))
                .put("ChargerPhases", Column.optional("Charger Phases"))
                .put("HvacPower", Column.optional("Climate").withValues(Map.of("1", "On", "0", "Off")))
                .put("BatteryHeaterOn", Column.optional("Battery Heater"))
                .put("InsideTemp", optionalFromHeader("Inside Temp ("))
                .put("OutsideTemp", optionalFromHeader("Outside Temp ("))
                .put("Locked", Column.optional("Locked"))
                .put("SentryMode", Column.optional("Sentry Mode").withValues(Map.of("1", "Armed", "0", "Off")));
        Column time = new Column("Timestamp", true, 1, "", true, false);
        return new ColumnMapping(
                "tessie", time, new TimeFormat.Auto(), zone == null ? DEFAULT_ZONE : zone, null, null, null, f.build());
    }

    private static Column optionalFromHeader(String prefix) {
        return new Column(prefix, true, 1, "", true, true);
    }

    private static Column fromHeader(String prefix) {
        return new Column(prefix, true, 1, "", true, false);
    }

    /** Opens a Tessie export; {@code zone} null means {@link #DEFAULT_ZONE}. */
    public static CsvSource open(Path file, ZoneId zone) throws IOException {
        return CsvSource.open(file, mapping(zone), null);
    }
}
