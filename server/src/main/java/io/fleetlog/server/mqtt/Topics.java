package io.fleetlog.server.mqtt;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topics and payloads of one vehicle (docs/mqtt.md has the tables): fleetlog's own under {@code
 * fleetlog/[NS/]vehicles/VIN/…} in the catalogue's names and units, and TeslaMate's under {@code
 * teslamate/[NS/]cars/$car_id/…} in TeslaMate's names and units. Pure functions of a {@link
 * VehicleView}; an empty payload means "no current value" (published retained, it clears the
 * broker's retained message).
 */
final class Topics {
    private Topics() {}

    /** The bridge's own status topic (the MQTT will): {@code online} / {@code offline}. */
    static String status(MqttConfig c) {
        return c.fleetlogRoot() + "/status";
    }

    static String vehicleRoot(MqttConfig c, String vin) {
        return c.fleetlogRoot() + "/vehicles/" + vin;
    }

    /** {@code online} / {@code offline}: Home Assistant's availability topic of the vehicle. */
    static String availability(MqttConfig c, String vin) {
        return vehicleRoot(c, vin) + "/availability";
    }

    /** fleetlog's topics of {@code v}: one per captured signal, plus state, availability, seq, time. */
    static Map<String, String> fleetlog(MqttConfig c, VehicleView v) {
        Map<String, String> m = new LinkedHashMap<>();
        String root = vehicleRoot(c, v.vin());
        m.put(root + "/state", v.state().topicValue);
        m.put(availability(c, v.vin()), v.available() ? "online" : "offline");
        m.put(root + "/since", iso(v.sinceMs()));
        Frame f = v.latest();
        if (f == null) {
            return m;
        }
        m.put(root + "/seq", Long.toString(v.seq()));
        m.put(root + "/captured_at", iso(f.timeMs()));
        for (int i = 0; i < f.size(); i++) {
            int id = f.id(i);
            if (id >= v.catalogue().size()) {
                continue; // a frame of another catalogue: nothing to name it by
            }
            Signal s = v.catalogue().signal(id);
            m.put(root + "/" + s.name(), payload(s, f, i));
        }
        return m;
    }

    /** One captured value in the catalogue's unit; empty when captured unavailable. */
    private static String payload(Signal s, Frame f, int i) {
        if (f.unavailable(i)) {
            return "";
        }
        return switch (f.kind(i)) {
            case UNAVAILABLE -> "";
            case NUMBER -> Values.format(f.number(i), s.type() instanceof FloatType t ? t.decimals() : 6);
            case POSITION -> Values.locationJson(new double[] {f.latitude(i), f.longitude(i)});
            case STRING -> f.string(i);
            case INTEGER -> {
                long x = f.integer(i);
                if (s.type() instanceof BooleanType) {
                    yield x != 0 ? "true" : "false";
                }
                if (s.type() instanceof EnumType e && x >= 0 && x <= Integer.MAX_VALUE) {
                    yield e.byCode((int) x).map(EnumType.Value::name).orElse(Long.toString(x));
                }
                yield Long.toString(x);
            }
        };
    }

    /** TeslaMate's {@code state}: offline, driving (gear D/R/N), charging, or online. */
    static String teslaMateState(VehicleView v, Values x) {
        if (!v.available()) {
            return "offline";
        }
        String gear = x.enumName("Gear");
        if ("D".equals(gear) || "R".equals(gear) || "N".equals(gear)) {
            return "driving";
        }
        String charge = chargingState(x);
        if ("Charging".equals(charge) || "Starting".equals(charge)) {
            return "charging";
        }
        return "online";
    }

    private static String chargingState(Values x) {
        String s = x.enumName("DetailedChargeState");
        if (s == null || s.equals("Unknown")) {
            s = x.enumName("ChargeState");
        }
        return s == null || s.equals("Unknown") ? null : s;
    }

    /**
     * TeslaMate's topics of {@code v} (names and units of TeslaMate's MQTT documentation: km, km/h,
     * °C, kW, %); a key whose source signal has no value is left out, except that every key once
     * published stays in the map with an empty payload (see {@link Outbox#put}).
     */
    static Map<String, String> teslaMate(MqttConfig c, VehicleView v, String since) {
        String root = c.teslaMateRoot() + "/cars/" + v.carId() + "/";
        Values x = new Values(v.catalogue(), v.latest());
        Map<String, String> m = new LinkedHashMap<>();
        m.put(root + "display_name", v.name() != null ? v.name() : v.vin());
        m.put(root + "state", teslaMateState(v, x));
        m.put(root + "since", since);
        m.put(root + "healthy", "true");
        String model = teslaModel(v.model());
        if (model != null) {
            m.put(root + "model", model);
        }
        put(m, root + "version", x.string("Version"));
        put(m, root + "update_version", x.string("SoftwareUpdateVersion"));
        drive(m, root, x);
        battery(m, root, x);
        charging(m, root, x);
        body(m, root, x);
        return m;
    }

    private static void drive(Map<String, String> m, String root, Values x) {
        double[] p = x.position("Location");
        if (p != null) {
            m.put(root + "latitude", Values.format(p[0], 6));
            m.put(root + "longitude", Values.format(p[1], 6));
            m.put(root + "location", Values.locationJson(p));
        }
        String gear = x.enumName("Gear");
        if (gear != null && Set.of("P", "R", "N", "D").contains(gear)) {
            m.put(root + "shift_state", gear);
        }
        number(m, root + "speed", x.number("VehicleSpeed", "km/h"), 0);
        number(m, root + "power", x.number("Power", "kW"), 0);
        number(m, root + "heading", x.number("GpsHeading", "deg"), 0);
        number(m, root + "elevation", x.number("Elevation", "m"), 0);
        number(m, root + "odometer", x.number("Odometer", "km"), 2);
    }

    private static void battery(Map<String, String> m, String root, Values x) {
        Double displayed = x.number("BatteryLevel", "%");
        Double soc = x.number("Soc", "%");
        // battery_level: the displayed level when captured, else the state of charge; usable_battery_level
        // only when both are known (fleetlog's Soc is the usable state of charge beside the displayed one).
        number(m, root + "battery_level", displayed != null ? displayed : soc, 0);
        if (displayed != null) {
            number(m, root + "usable_battery_level", soc, 0);
        }
        number(m, root + "est_battery_range_km", x.number("EstBatteryRange", "km"), 2);
        number(m, root + "rated_battery_range_km", x.number("RatedRange", "km"), 2);
        number(m, root + "ideal_battery_range_km", x.number("IdealBatteryRange", "km"), 2);
    }

    private static void charging(Map<String, String> m, String root, Values x) {
        String state = chargingState(x);
        put(m, root + "charging_state", state);
        if (state != null) {
            m.put(root + "plugged_in", Boolean.toString(!state.equals("Disconnected")));
        }
        Double dc = x.number("DCChargingPower", "kW");
        Double ac = x.number("ACChargingPower", "kW");
        number(m, root + "charger_power", dc != null && dc > 0 ? dc : ac != null ? ac : dc, 1);
        number(m, root + "charger_actual_current", x.number("ChargeAmps", "A"), 0);
        number(m, root + "charger_voltage", x.number("ChargerVoltage", "V"), 0);
        number(m, root + "charger_phases", x.number("ChargerPhases", ""), 0);
        number(m, root + "charge_limit_soc", x.number("ChargeLimitSoc", "%"), 0);
        number(m, root + "time_to_full_charge", x.number("TimeToFullCharge", "h"), 2);
        bool(m, root + "charge_port_door_open", x.bool("ChargePortDoorOpen"));
    }

    private static void body(Map<String, String> m, String root, Values x) {
        number(m, root + "inside_temp", x.number("InsideTemp", "degC"), 1);
        number(m, root + "outside_temp", x.number("OutsideTemp", "degC"), 1);
        bool(m, root + "locked", x.bool("Locked"));
        String sentry = x.enumName("SentryMode");
        if (sentry != null && !sentry.equals("Unknown")) {
            m.put(root + "sentry_mode", Boolean.toString(!sentry.equals("Off")));
        }
        bool(
                m,
                root + "doors_open",
                any(
                        x,
                        List.of(
                                "DoorState.DriverFront",
                                "DoorState.DriverRear",
                                "DoorState.PassengerFront",
                                "DoorState.PassengerRear")));
        bool(m, root + "frunk_open", x.bool("DoorState.TrunkFront"));
        bool(m, root + "trunk_open", x.bool("DoorState.TrunkRear"));
        Boolean windows = null;
        for (String w : List.of("FdWindow", "FpWindow", "RdWindow", "RpWindow")) {
            String s = x.enumName(w);
            if (s != null && !s.equals("Unknown")) {
                windows = (windows != null && windows) || !s.equals("Closed");
            }
        }
        bool(m, root + "windows_open", windows);
        bool(m, root + "is_user_present", x.bool("DriverSeatOccupied"));
        String hvac = x.enumName("HvacPower");
        if (hvac != null && !hvac.equals("Unknown")) {
            m.put(root + "is_climate_on", Boolean.toString(!hvac.equals("Off")));
            m.put(root + "is_preconditioning", Boolean.toString(hvac.equals("Precondition")));
        }
    }

    private static Boolean any(Values x, List<String> names) {
        Boolean out = null;
        for (String n : names) {
            Boolean b = x.bool(n);
            if (b != null) {
                out = (out != null && out) || b;
            }
        }
        return out;
    }

    /** "S", "3", "X" or "Y" from a model name such as "Model 3"; null otherwise. */
    static String teslaModel(String model) {
        if (model == null) {
            return null;
        }
        java.util.regex.Matcher mm =
                java.util.regex.Pattern.compile("(?i)\\bmodel\\s*([S3XY])\\b").matcher(model);
        return mm.find() ? mm.group(1).toUpperCase(java.util.Locale.ROOT) : null;
    }

    private static void number(Map<String, String> m, String topic, Double v, int decimals) {
        if (v != null) {
            m.put(topic, Values.format(v, decimals));
        }
    }

    private static void bool(Map<String, String> m, String topic, Boolean b) {
        if (b != null) {
            m.put(topic, b.toString());
        }
    }

    private static void put(Map<String, String> m, String topic, String s) {
        if (s != null) {
            m.put(topic, s);
        }
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
