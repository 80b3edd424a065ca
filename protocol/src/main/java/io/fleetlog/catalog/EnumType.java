package io.fleetlog.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of a set of named values, each with a stable integer code (the code travels; the name is for
 * people). Always carried exactly. Names are unique ignoring case, codes are unique; the values are
 * kept ordered by code, so two enums with the same values are equal however they were listed.
 *
 * <p>In the built-in catalogue the codes are Tesla Fleet Telemetry's enum numbers and the names are
 * the proto's value names without their type prefix ({@code ShiftStateP} → {@code P}).
 *
 * @param values at least one, at most {@value #MAX_VALUES}
 */
public record EnumType(List<Value> values) implements SignalType {

    /** Most values an enum may have. */
    public static final int MAX_VALUES = 65_536;

    /** Largest code. */
    public static final int MAX_CODE = Integer.MAX_VALUE;

    /**
     * One named value.
     *
     * @param name a letter or '_', then letters, digits or '_'; at most 64 characters
     * @param code 0 to 2^31 − 1
     */
    public record Value(String name, int code) {
        public Value {
            if (!Names.isWord(name)) {
                throw new IllegalArgumentException("enum value name '" + name
                        + "' must be a letter or '_', then letters, digits or '_' (at most 64)");
            }
            if (code < 0) {
                throw new IllegalArgumentException("enum value " + name + " has code " + code + ", below 0");
            }
        }
    }

    public EnumType {
        if (values == null || values.isEmpty() || values.size() > MAX_VALUES) {
            throw new IllegalArgumentException(
                    "an enum needs 1 to " + MAX_VALUES + " values, got " + (values == null ? 0 : values.size()));
        }
        Map<Integer, String> byCode = new HashMap<>();
        Map<String, String> byName = new HashMap<>();
        for (Value v : values) {
            String sameCode = byCode.putIfAbsent(v.code(), v.name());
            if (sameCode != null) {
                throw new IllegalArgumentException(
                        "enum code " + v.code() + " is used by both " + sameCode + " and " + v.name());
            }
            String sameName = byName.putIfAbsent(Names.key(v.name()), v.name());
            if (sameName != null) {
                throw new IllegalArgumentException(
                        "enum value name " + v.name() + " repeats " + sameName + " (names are compared ignoring case)");
            }
        }
        List<Value> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(Value::code));
        values = List.copyOf(sorted);
    }

    @Override
    public String keyword() {
        return "enum";
    }

    /** The value with this code, if any. */
    public Optional<Value> byCode(int code) {
        for (Value v : values) {
            if (v.code() == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The value with this name (ignoring case), if any. */
    public Optional<Value> byName(String name) {
        for (Value v : values) {
            if (v.name().equalsIgnoreCase(name)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
