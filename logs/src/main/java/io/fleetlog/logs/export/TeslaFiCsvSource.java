package io.fleetlog.logs.export;

import io.fleetlog.logs.export.ColumnMapping.Column;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/**
 * The TeslaFi data export preset (UTF-8 with a byte-order mark, about 145 columns, found by name):
 * {@code Date} (local time of the TeslaFi account, read in {@code zone}, default
 * America/Los_Angeles — pass the account's zone), {@code speed} (mph), {@code power} (kW),
 * {@code battery_level} (%), {@code heading} (deg), {@code odometer} (mi), {@code latitude},
 * {@code longitude}, {@code elevation} (m); {@code vehicle_id} and {@code vin} tell several cars
 * of one file apart. Rows of a car that is offline or asleep have empty values and are read over.
 * {@code power}, {@code heading} and {@code elevation} may be missing from older exports. Every other
 * column with a catalogue signal is read when present (shift state, charging state, ranges, charge
 * limit, charger current/voltage/phases, charge rate, time to full, charge port, fast charger, battery
 * heater, inside/outside temperature in °C, climate, locked, valet mode, doors, tyre pressures in bar,
 * car version, display name): the table is in docs/logs.md.
 */
public final class TeslaFiCsvSource {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Los_Angeles");

    private TeslaFiCsvSource() {}

    public static ColumnMapping mapping(ZoneId zone) {
        Map<String, String> onOff = Map.of("true", "On", "1", "On", "false", "Off", "0", "Off");
        ColumnMapping.Signals f = new ColumnMapping.Signals()
                .put("VehicleSpeed", new Column("speed", false, 1, "mph", false, false))
                .put("Power", new Column("power", false, 1, "kW", false, true))
                .put("Soc", new Column("battery_level", false, 1, "%", false, false))
                .put("GpsHeading", new Column("heading", false, 1, "deg", false, true))
                .put("Odometer", new Column("odometer", false, 1, "mi", false, false))
                .location(Column.named("latitude"), Column.named("longitude"))
                .put("Elevation", new Column("elevation", false, 1, "m", false, true))
                .put("Gear", Column.optional("shift_state"))
                .put("DetailedChargeState", Column.optional("charging_state"))
                .put("BatteryLevel", Column.optional("usable_battery_level", "%"))
                .put("RatedRange", Column.optional("battery_range", "mi"))
                .put("EstBatteryRange", Column.optional("est_battery_range", "mi"))
                .put("IdealBatteryRange", Column.optional("ideal_battery_range", "mi"))
                .put("ChargeLimitSoc", Column.optional("charge_limit_soc", "%"))
                .put("ChargeAmps", Column.optional("charger_actual_current", "A"))
                .put("ChargerVoltage", Column.optional("charger_voltage", "V"))
                .put("ChargerPhases", Column.optional("charger_phases"))
                .put("ChargeRateMilePerHour", Column.optional("charge_rate", "mph"))
                .put("TimeToFullCharge", Column.optional("time_to_full_charge", "h"))
                .put("ChargePortDoorOpen", Column.optional("charge_port_door_open"))
                .put("ChargePortLatch", Column.optional("charge_port_latch"))
                .put("FastChargerPresent", Column.optional("fast_charger_present"))
                .put("FastChargerType", Column.optional("fast_charger_type"))
                .put("BatteryHeaterOn", Column.optional("battery_heater_on"))
                .put("InsideTemp", Column.optional("inside_temp", "degC"))
                .put("OutsideTemp", Column.optional("outside_temp", "degC"))
                .put("HvacPower", Column.optional("is_climate_on").withValues(onOff))
                .put("Locked", Column.optional("locked"))
                .put("ValetModeEnabled", Column.optional("valet_mode"))
                .put("DoorState.DriverFront", Column.optional("df"))
                .put("DoorState.DriverRear", Column.optional("dr"))
                .put("DoorState.PassengerFront", Column.optional("pf"))
                .put("DoorState.PassengerRear", Column.optional("pr"))
                .put("DoorState.TrunkFront", Column.optional("ft"))
                .put("DoorState.TrunkRear", Column.optional("rt"))
                .put("TpmsPressureFl", Column.optional("tpms_pressure_fl", "bar"))
                .put("TpmsPressureFr", Column.optional("tpms_pressure_fr", "bar"))
                .put("TpmsPressureRl", Column.optional("tpms_pressure_rl", "bar"))
                .put("TpmsPressureRr", Column.optional("tpms_pressure_rr", "bar"))
                .put("Version", Column.optional("car_version"))
                .put("VehicleName", Column.optional("display_name"));
        return new ColumnMapping(
                "teslafi",
                Column.named("Date"),
                new TimeFormat.Auto(),
                zone == null ? DEFAULT_ZONE : zone,
                null,
                Column.named("vehicle_id"),
                Column.named("vin"),
                f.build());
    }

    /** Opens a TeslaFi export; {@code vehicle} (a vehicle_id or VIN) null reads every row. */
    public static CsvSource open(Path file, ZoneId zone, String vehicle) throws IOException {
        return CsvSource.open(file, mapping(zone), vehicle);
    }
}
