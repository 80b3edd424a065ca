package io.fleetlog.server.mqtt;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Reads one vehicle's newest frame by signal name, converts units and formats MQTT payloads. A value
 * is absent (null) when the catalogue lacks the signal, the frame never captured it, it was captured
 * unavailable, or its unit cannot be converted to the one asked for. Not thread-safe (one per render).
 */
final class Values {
    private final Catalogue catalogue;
    private final Frame frame;

    Values(Catalogue catalogue, Frame frame) {
        this.catalogue = catalogue;
        this.frame = frame;
    }

    Optional<Signal> signal(String name) {
        return catalogue.find(name);
    }

    /** The frame index of {@code name}'s value, or -1 when absent or unavailable. */
    private int index(String name) {
        if (frame == null || catalogue.find(name).isEmpty()) {
            return -1;
        }
        int i = frame.indexOf(catalogue.id(name));
        return i < 0 || frame.unavailable(i) ? -1 : i;
    }

    /** A float or integer signal's value in {@code unit} (see {@link #convert}), or null. */
    Double number(String name, String unit) {
        int i = index(name);
        if (i < 0) {
            return null;
        }
        Signal s = catalogue.get(name);
        String from;
        double v;
        if (s.type() instanceof FloatType f && frame.kind(i) == Frame.Kind.NUMBER) {
            from = f.unit();
            v = frame.number(i);
        } else if (s.type() instanceof IntegerType t && frame.kind(i) == Frame.Kind.INTEGER) {
            from = t.unit() == null ? "" : t.unit();
            v = frame.integer(i);
        } else {
            return null;
        }
        return convert(v, from, unit);
    }

    /** An enum signal's value name, or null. */
    String enumName(String name) {
        int i = index(name);
        if (i < 0 || !(catalogue.get(name).type() instanceof EnumType e) || frame.kind(i) != Frame.Kind.INTEGER) {
            return null;
        }
        long code = frame.integer(i);
        return code < 0 || code > Integer.MAX_VALUE
                ? null
                : e.byCode((int) code).map(EnumType.Value::name).orElse(null);
    }

    Boolean bool(String name) {
        int i = index(name);
        if (i < 0 || !(catalogue.get(name).type() instanceof BooleanType) || frame.kind(i) != Frame.Kind.INTEGER) {
            return null;
        }
        return frame.integer(i) != 0;
    }

    String string(String name) {
        int i = index(name);
        return i < 0 || frame.kind(i) != Frame.Kind.STRING ? null : frame.string(i);
    }

    /** A location signal as {@code [latitude, longitude]}, or null. */
    double[] position(String name) {
        int i = index(name);
        return i < 0 || frame.kind(i) != Frame.Kind.POSITION
                ? null
                : new double[] {frame.latitude(i), frame.longitude(i)};
    }

    /**
     * {@code v} in {@code from} as {@code to}: the same unit, or mi/km/m, mph/km/h/m/s, degC/degF,
     * kW/W; null for any other pair (nothing is published in a unit it is not in).
     */
    static Double convert(double v, String from, String to) {
        if (from.equals(to)) {
            return v;
        }
        Double si = toBase(v, from);
        Double base = toBase(1, to);
        if (si == null || base == null || !family(from).equals(family(to))) {
            return null;
        }
        if (family(to).equals("temperature")) {
            return to.equals("degC") ? si : si * 9 / 5 + 32;
        }
        return si / base;
    }

    private static String family(String unit) {
        return switch (unit) {
            case "mi", "km", "m" -> "distance";
            case "mph", "km/h", "m/s" -> "speed";
            case "degC", "degF" -> "temperature";
            case "kW", "W" -> "power";
            default -> unit;
        };
    }

    /** Metres, m/s, °C, W; null for an unknown unit. */
    private static Double toBase(double v, String unit) {
        return switch (unit) {
            case "mi" -> v * 1609.344;
            case "km" -> v * 1000;
            case "m", "m/s", "W", "degC" -> v;
            case "mph" -> v * 0.44704;
            case "km/h" -> v / 3.6;
            case "degF" -> (v - 32) * 5 / 9;
            case "kW" -> v * 1000;
            default -> null;
        };
    }

    /** {@code v} rounded to {@code decimals} (half up), without trailing zeros: {@code 12}, {@code 20.8}. */
    static String format(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return "";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(Math.max(0, decimals), RoundingMode.HALF_UP);
        d = d.stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** {@code {"latitude":…,"longitude":…}}, as TeslaMate's {@code location} topic. */
    static String locationJson(double[] p) {
        return "{\"latitude\":" + format(p[0], 7) + ",\"longitude\":" + format(p[1], 7) + "}";
    }
}
