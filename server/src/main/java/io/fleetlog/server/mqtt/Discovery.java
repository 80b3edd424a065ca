package io.fleetlog.server.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.Signal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Home Assistant MQTT discovery: one retained device config per vehicle at {@code
 * PREFIX/device/fleetlog[_NS]_VIN/config} (Home Assistant's device-based discovery: a {@code device}
 * block, an {@code origin}, shared availability and QoS, and one {@code components} entry per main
 * sensor). The components read fleetlog's own topics, in the catalogue's units (Home Assistant
 * converts for display); only signals the vehicle's catalogue has get a component. Availability is
 * "all" of the bridge's status topic and the vehicle's availability topic, so a stale vehicle or a
 * stopped fleetlog shows as unavailable.
 */
final class Discovery {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A main sensor: signal name, component key, display name, HA device class (or null), state class. */
    private record Sensor(String signal, String key, String name, String deviceClass, String stateClass) {}

    private static final List<Sensor> SENSORS = List.of(
            new Sensor("VehicleSpeed", "speed", "Speed", "speed", "measurement"),
            new Sensor("Power", "power", "Power", "power", "measurement"),
            new Sensor("BatteryLevel", "battery_level", "Battery level", "battery", "measurement"),
            new Sensor("Soc", "soc", "State of charge", "battery", "measurement"),
            new Sensor("Odometer", "odometer", "Odometer", "distance", "total_increasing"),
            new Sensor("EstBatteryRange", "est_battery_range", "Estimated range", "distance", "measurement"),
            new Sensor("RatedRange", "rated_range", "Rated range", "distance", "measurement"),
            new Sensor("GpsHeading", "heading", "Heading", null, "measurement"),
            new Sensor("Elevation", "elevation", "Elevation", "distance", "measurement"),
            new Sensor("Gear", "shift_state", "Shift state", null, null),
            new Sensor("DetailedChargeState", "charging_state", "Charging state", null, null),
            new Sensor("ACChargingPower", "ac_charging_power", "AC charging power", "power", "measurement"),
            new Sensor("DCChargingPower", "dc_charging_power", "DC charging power", "power", "measurement"),
            new Sensor("ChargeAmps", "charger_actual_current", "Charger current", "current", "measurement"),
            new Sensor("ChargerVoltage", "charger_voltage", "Charger voltage", "voltage", "measurement"),
            new Sensor("InsideTemp", "inside_temp", "Inside temperature", "temperature", "measurement"),
            new Sensor("OutsideTemp", "outside_temp", "Outside temperature", "temperature", "measurement"));

    private Discovery() {}

    /** {@code PREFIX/device/fleetlog[_NS]_VIN/config}. */
    static String topic(MqttConfig c, String vin) {
        return c.discoveryPrefix() + "/device/" + objectId(c, vin) + "/config";
    }

    /** {@code fleetlog[_NS]_VIN}: the device's object id and the prefix of its unique ids. */
    static String objectId(MqttConfig c, String vin) {
        return c.namespace() == null ? "fleetlog_" + vin : "fleetlog_" + c.namespace() + "_" + vin;
    }

    /** The device config JSON of {@code v}. */
    static String config(MqttConfig c, VehicleView v) {
        String id = objectId(c, v.vin());
        String root = Topics.vehicleRoot(c, v.vin());
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(id));
        device.put("name", v.name() != null ? v.name() : v.vin());
        if (v.model() != null) {
            device.put("model", v.model());
        }
        device.put("serial_number", v.vin());
        m.put("device", device);
        m.put("origin", Map.of("name", "fleetlog"));
        m.put(
                "availability",
                List.of(Map.of("topic", Topics.status(c)), Map.of("topic", Topics.availability(c, v.vin()))));
        m.put("availability_mode", "all");
        m.put("qos", 1);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("state", component("sensor", id, "state", "State", root + "/state"));
        for (Sensor s : SENSORS) {
            Optional<Signal> sig = v.catalogue().find(s.signal());
            if (sig.isEmpty() || !sig.get().name().equals(s.signal())) {
                continue; // not in this vehicle's catalogue (find also matches aliases)
            }
            Map<String, Object> comp = component("sensor", id, s.key(), s.name(), root + "/" + s.signal());
            String unit = unit(sig.get());
            if (unit != null) {
                comp.put("unit_of_measurement", unit);
            }
            if (s.deviceClass() != null) {
                comp.put("device_class", s.deviceClass());
            }
            if (s.stateClass() != null) {
                comp.put("state_class", s.stateClass());
            }
            components.put(s.key(), comp);
        }
        if (v.catalogue().find("Locked").isPresent()) {
            Map<String, Object> lock = component("binary_sensor", id, "locked", "Lock", root + "/Locked");
            lock.put("device_class", "lock"); // on = unlocked
            lock.put("payload_on", "false");
            lock.put("payload_off", "true");
            components.put("locked", lock);
        }
        if (v.catalogue().find("Location").isPresent()) {
            Map<String, Object> tracker = new LinkedHashMap<>();
            tracker.put("platform", "device_tracker");
            tracker.put("unique_id", id + "_location");
            tracker.put("name", "Location");
            tracker.put("json_attributes_topic", root + "/Location");
            components.put("location", tracker);
        }
        m.put("components", components);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a discovery config", e);
        }
    }

    private static Map<String, Object> component(String platform, String id, String key, String name, String topic) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("platform", platform);
        c.put("unique_id", id + "_" + key);
        c.put("name", name);
        c.put("state_topic", topic);
        return c;
    }

    /** The catalogue unit as Home Assistant spells it (degC → °C, deg → °), or null. */
    static String unit(Signal s) {
        String u = s.type() instanceof FloatType f ? f.unit() : s.type() instanceof IntegerType i ? i.unit() : null;
        if (u == null || u.isEmpty()) {
            return null;
        }
        return switch (u) {
            case "degC" -> "°C";
            case "degF" -> "°F";
            case "deg" -> "°";
            case "m/s2" -> "m/s²";
            default -> u;
        };
    }
}
