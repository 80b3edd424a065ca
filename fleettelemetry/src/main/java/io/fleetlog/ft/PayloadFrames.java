package io.fleetlog.ft;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Position;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.proto.Datum;
import io.fleetlog.ft.proto.Doors;
import io.fleetlog.ft.proto.Field;
import io.fleetlog.ft.proto.Payload;
import io.fleetlog.ft.proto.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a decoded vehicle-data {@code Payload} into one catalogue {@link Frame} at its
 * {@code created_at}.
 *
 * <p>Each Datum's key is mapped by its Field <b>name</b> to the catalogue signal of that name (lookup
 * ignores case and also finds aliases, so a user catalogue can give a Fleet Telemetry name to a
 * signal). The value is normalised to the signal's type; whatever cannot be is <b>counted, not
 * stored</b>, as a {@link Problem}:
 *
 * <ul>
 *   <li>{@link Problem.Kind#UNKNOWN_FIELD}: a Field number this schema does not name (or 0, Unknown);
 *   <li>{@link Problem.Kind#NO_SIGNAL}: a Field the catalogue has no signal for;
 *   <li>{@link Problem.Kind#BAD_VALUE}: a value that does not normalise (wrong kind, unparsable text,
 *       out of range, unknown enum value, too long a string, no value at all);
 *   <li>{@link Problem.Kind#REPEATED}: a second Datum for a signal already set in this payload (the first
 *       is kept).
 * </ul>
 *
 * <p>Normalisation: float signals take numbers (int, long, float via its shortest decimal text, double)
 * and decimal strings ("12.3"); integer signals whole numbers and integer strings; boolean signals
 * booleans, "true"/"false" and 0/1; enum signals any enum-typed value or integer by code (the built-in
 * enums use Fleet Telemetry's numbers) and strings by value name with or without the Fleet Telemetry
 * type prefix ({@code ShiftStateD}, {@code D}); location signals a location value or the text
 * {@code "(37.412374 S, 122.145867 E)"}; string signals strings (and numbers and booleans as text). The
 * {@code invalid} case makes the signal unavailable. A {@code Doors} value for Field F sets the boolean
 * signals {@code F.DriverFront} … {@code F.TrunkRear} that the catalogue has.
 *
 * <p>Immutable and thread-safe.
 */
public final class PayloadFrames {

    /** Problems kept in detail per payload; the rest are only counted. */
    public static final int MAX_PROBLEMS = 256;

    /** Longest value text shown in a problem. */
    static final int MAX_SHOWN = 64;

    /** Latest created_at accepted (9999-12-31T23:59:59Z). */
    static final long MAX_SECONDS = 253_402_300_799L;

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d{1,3})?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern LOCATION = Pattern.compile(
            "\\(?\\s*([-+]?\\d{1,3}(?:\\.\\d+)?)\\s*([NSns])?\\s*,\\s*([-+]?\\d{1,3}(?:\\.\\d+)?)\\s*([EWew])?\\s*\\)?");

    /** Fleet Telemetry enum value-name prefixes (ShiftStateD → D), longest first. */
    private static final List<String> ENUM_PREFIXES = Arrays.stream(new String[] {
                "ChargeState",
                "DetailedChargeState",
                "ShiftState",
                "LaneAssistLevel",
                "ScheduledChargingMode",
                "SentryModeState",
                "SpeedAssistLevel",
                "BMSState",
                "BuckleStatus",
                "CarType",
                "ChargePort",
                "ChargePortLatch",
                "DriveInverterState",
                "HvilStatus",
                "WindowState",
                "SeatFoldPosition",
                "TractorAirStatus",
                "FollowDistance",
                "ForwardCollisionSensitivity",
                "GuestModeMobileAccess",
                "TrailerAirStatus",
                "HvacAutoModeState",
                "CabinOverheatProtectionModeState",
                "ClimateOverheatProtectionTempLimit",
                "DefrostModeState",
                "ClimateKeeperModeState",
                "HvacPowerState",
                "FastCharger",
                "CableType",
                "TonneauTentModeState",
                "TonneauPositionState",
                "PowershareState",
                "PowershareStopReasonStatus",
                "PowershareTypeStatus",
                "DisplayState",
                "DistanceUnit",
                "TemperatureUnit",
                "PressureUnit",
                "ChargeUnit",
                "SunroofInstalledState",
                "TurnSignalState",
                "MediaStatus"
            })
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();

    private static final String[] DOOR_NAMES = {
        "DriverFront", "DriverRear", "PassengerFront", "PassengerRear", "TrunkFront", "TrunkRear"
    };

    private final Catalogue catalogue;
    /** Signal id per Field number, -1 when the catalogue has none; -2 when the schema has no such Field. */
    private final int[] signalOfField;
    /** Signal ids of F.DriverFront … F.TrunkRear per Field number (null when none exists). */
    private final int[][] doorsOfField;

    public PayloadFrames(Catalogue catalogue) {
        this.catalogue = catalogue;
        int max = 0;
        for (Field f : Field.values()) {
            if (f != Field.UNRECOGNIZED) {
                max = Math.max(max, f.getNumber());
            }
        }
        signalOfField = new int[max + 1];
        doorsOfField = new int[max + 1][];
        Arrays.fill(signalOfField, -2);
        for (Field f : Field.values()) {
            if (f == Field.UNRECOGNIZED || f.getNumber() == 0) {
                continue;
            }
            signalOfField[f.getNumber()] =
                    catalogue.find(f.name()).map(s -> catalogue.id(s.name())).orElse(-1);
            int[] doors = new int[DOOR_NAMES.length];
            boolean any = false;
            for (int i = 0; i < DOOR_NAMES.length; i++) {
                Optional<Signal> s = catalogue.find(f.name() + "." + DOOR_NAMES[i]);
                doors[i] = s.isPresent() && s.get().type() instanceof BooleanType
                        ? catalogue.id(s.get().name())
                        : -1;
                any |= doors[i] >= 0;
            }
            doorsOfField[f.getNumber()] = any ? doors : null;
        }
    }

    /** The catalogue frames are built over. */
    public Catalogue catalogue() {
        return catalogue;
    }

    /**
     * Decodes protobuf payload bytes.
     *
     * @throws FtFormatException when they are not a {@code Payload}
     */
    public static Payload decode(byte[] bytes) throws FtFormatException {
        try {
            return Payload.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new FtFormatException(
                    "vehicle-data Payload (" + bytes.length + " bytes) does not decode: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new FtFormatException("vehicle-data Payload (" + bytes.length + " bytes) does not decode: " + e, e);
        }
    }

    /** The frame of a payload, and what was counted instead of stored. */
    public record Result(Frame frame, List<Problem> problems, int problemCount) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Something in a payload that was not stored.
     *
     * @param field the Field name, or {@code #<number>} for a number the schema does not name
     * @param detail what was wrong, with the value (at most {@value #MAX_SHOWN} characters of it)
     */
    public record Problem(Kind kind, String field, String detail) {
        public enum Kind {
            UNKNOWN_FIELD,
            NO_SIGNAL,
            BAD_VALUE,
            REPEATED
        }
    }

    /**
     * The frame of {@code payload} at its created_at.
     *
     * @throws FtFormatException when created_at is missing or out of range
     */
    public Result frame(Payload payload) throws FtFormatException {
        if (!payload.hasCreatedAt()) {
            throw new FtFormatException("vehicle-data Payload has no created_at");
        }
        long s = payload.getCreatedAt().getSeconds();
        int nanos = payload.getCreatedAt().getNanos();
        if (s < 0 || s > MAX_SECONDS || nanos < 0 || nanos > 999_999_999) {
            throw new FtFormatException("vehicle-data Payload created_at " + s + " s " + nanos
                    + " ns is outside 1970 … 9999 (or its nanos outside 0 … 999999999)");
        }
        Frame.Builder b = Frame.builder(s * 1000 + nanos / 1_000_000, payload.getDataCount());
        boolean[] set = new boolean[catalogue.size()];
        List<Problem> problems = new ArrayList<>();
        int[] count = {0};
        for (Datum d : payload.getDataList()) {
            int key = d.getKeyValue();
            int id = key >= 0 && key < signalOfField.length ? signalOfField[key] : -2;
            if (id == -2) {
                problem(problems, count, Problem.Kind.UNKNOWN_FIELD, "#" + key, "Field number " + key + " is unknown");
                continue;
            }
            String name = Field.forNumber(key).name();
            Value v = d.getValue();
            if (v.getValueCase() == Value.ValueCase.DOOR_VALUE && doorsOfField[key] != null) {
                doors(b, set, problems, count, name, doorsOfField[key], v.getDoorValue());
                continue;
            }
            if (id < 0) {
                problem(problems, count, Problem.Kind.NO_SIGNAL, name, "no catalogue signal named " + name);
                continue;
            }
            if (set[id]) {
                problem(problems, count, Problem.Kind.REPEATED, name, "a second value in one payload: " + shown(v));
                continue;
            }
            String bad = put(b, id, catalogue.signal(id), v);
            if (bad != null) {
                problem(problems, count, Problem.Kind.BAD_VALUE, name, bad);
            } else {
                set[id] = true;
            }
        }
        return new Result(b.build(), problems, count[0]);
    }

    private static void doors(
            Frame.Builder b, boolean[] set, List<Problem> problems, int[] count, String name, int[] ids, Doors doors) {
        boolean[] open = {
            doors.getDriverFront(), doors.getDriverRear(), doors.getPassengerFront(),
            doors.getPassengerRear(), doors.getTrunkFront(), doors.getTrunkRear()
        };
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                continue;
            }
            if (set[ids[i]]) {
                problem(problems, count, Problem.Kind.REPEATED, name, "a second value for " + DOOR_NAMES[i]);
                continue;
            }
            b.bool(ids[i], open[i]);
            set[ids[i]] = true;
        }
    }

    private static void problem(List<Problem> problems, int[] count, Problem.Kind kind, String field, String detail) {
        count[0]++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(kind, field, detail));
        }
    }

    /** Adds the normalised value; returns null, or what is wrong. */
    private static String put(Frame.Builder b, int id, Signal signal, Value v) {
        Value.ValueCase c = v.getValueCase();
        if (c == Value.ValueCase.INVALID) {
            b.unavailable(id);
            return null;
        }
        if (c == Value.ValueCase.VALUE_NOT_SET) {
            return "no value";
        }
        switch (signal.type()) {
            case FloatType t -> {
                Double x = number(v);
                if (x == null) {
                    return "not a number for a float signal: " + shown(v);
                }
                if (!t.inRange(x)) {
                    return "value " + shown(v) + " is outside the signal's range";
                }
                b.number(id, x);
                return null;
            }
            case IntegerType t -> {
                Long x = whole(v);
                if (x == null) {
                    return "not a whole number for an integer signal: " + shown(v);
                }
                if (!t.inRange(x)) {
                    return "value " + shown(v) + " is outside the signal's range";
                }
                b.integer(id, x);
                return null;
            }
            case BooleanType t -> {
                Boolean x = bool(v);
                if (x == null) {
                    return "not a boolean: " + shown(v);
                }
                b.bool(id, x);
                return null;
            }
            case EnumType t -> {
                Integer code = enumCode(t, v);
                if (code == null) {
                    return "not a value of the enum (" + names(t) + "): " + shown(v);
                }
                b.integer(id, code);
                return null;
            }
            case StringType t -> {
                String s = text(v);
                if (s == null) {
                    return "not text: " + shown(v);
                }
                if (!t.fits(s)) {
                    return "text longer than " + t.maxBytes() + " bytes: " + shown(v);
                }
                b.string(id, s);
                return null;
            }
            case LocationType t -> {
                Position p;
                try {
                    p = position(v);
                } catch (IllegalArgumentException e) {
                    return e.getMessage() + ": " + shown(v);
                }
                if (p == null) {
                    return "not a location: " + shown(v);
                }
                b.position(id, p);
                return null;
            }
        }
    }

    private static Double number(Value v) {
        double x;
        switch (v.getValueCase()) {
            case INT_VALUE -> x = v.getIntValue();
            case LONG_VALUE -> x = v.getLongValue();
            case FLOAT_VALUE -> x = Double.parseDouble(Float.toString(v.getFloatValue()));
            case DOUBLE_VALUE -> x = v.getDoubleValue();
            case STRING_VALUE -> {
                String s = v.getStringValue().trim();
                if (s.length() > MAX_SHOWN || !DECIMAL.matcher(s).matches()) {
                    return null;
                }
                x = Double.parseDouble(s);
            }
            default -> {
                return null;
            }
        }
        return Double.isFinite(x) ? x : null;
    }

    private static Long whole(Value v) {
        switch (v.getValueCase()) {
            case INT_VALUE -> {
                return (long) v.getIntValue();
            }
            case LONG_VALUE -> {
                return v.getLongValue();
            }
            case STRING_VALUE -> {
                String s = v.getStringValue().trim();
                if (INTEGER.matcher(s).matches()) {
                    return Long.parseLong(s);
                }
                Double d = number(v);
                return d != null && d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) (double) d : null;
            }
            case FLOAT_VALUE, DOUBLE_VALUE -> {
                Double d = number(v);
                return d != null && d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) (double) d : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static Boolean bool(Value v) {
        switch (v.getValueCase()) {
            case BOOLEAN_VALUE -> {
                return v.getBooleanValue();
            }
            case STRING_VALUE -> {
                String s = v.getStringValue().trim();
                if (s.equalsIgnoreCase("true") || s.equals("1")) {
                    return true;
                }
                if (s.equalsIgnoreCase("false") || s.equals("0")) {
                    return false;
                }
                return null;
            }
            case INT_VALUE, LONG_VALUE -> {
                long x = v.getValueCase() == Value.ValueCase.INT_VALUE ? v.getIntValue() : v.getLongValue();
                return x == 0 ? Boolean.FALSE : x == 1 ? Boolean.TRUE : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static Integer enumCode(EnumType t, Value v) {
        Value.ValueCase c = v.getValueCase();
        long code;
        if (c == Value.ValueCase.STRING_VALUE) {
            String s = v.getStringValue().trim();
            if (s.length() > 128) {
                return null;
            }
            Optional<EnumType.Value> e = t.byName(s);
            if (e.isEmpty()) {
                String lower = s.toLowerCase(Locale.ROOT);
                for (String prefix : ENUM_PREFIXES) {
                    if (lower.startsWith(prefix.toLowerCase(Locale.ROOT)) && s.length() > prefix.length()) {
                        e = t.byName(s.substring(prefix.length()));
                        if (e.isPresent()) {
                            break;
                        }
                    }
                }
            }
            if (e.isPresent()) {
                return e.get().code();
            }
            if (!INTEGER.matcher(s).matches()) {
                return null;
            }
            code = Long.parseLong(s);
        } else if (c == Value.ValueCase.LONG_VALUE) {
            code = v.getLongValue();
        } else if (c == Value.ValueCase.INT_VALUE || enumCase(c)) {
            FieldDescriptor fd = Value.getDescriptor().findFieldByNumber(c.getNumber());
            code = ((Number) v.getField(fd)).longValue();
        } else {
            return null;
        }
        if (code < 0 || code > Integer.MAX_VALUE) {
            return null;
        }
        return t.byCode((int) code).map(EnumType.Value::code).orElse(null);
    }

    /** Whether the case carries an enum number (every case but the scalar, message and invalid ones). */
    private static boolean enumCase(Value.ValueCase c) {
        return switch (c) {
            case STRING_VALUE,
                    INT_VALUE,
                    LONG_VALUE,
                    FLOAT_VALUE,
                    DOUBLE_VALUE,
                    BOOLEAN_VALUE,
                    LOCATION_VALUE,
                    INVALID,
                    DOOR_VALUE,
                    TIME_VALUE,
                    TIRE_LOCATION_VALUE,
                    VALUE_NOT_SET -> false;
            default -> true;
        };
    }

    private static String text(Value v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Integer.toString(v.getIntValue());
            case LONG_VALUE -> Long.toString(v.getLongValue());
            case FLOAT_VALUE -> Float.toString(v.getFloatValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BOOLEAN_VALUE -> Boolean.toString(v.getBooleanValue());
            default -> null;
        };
    }

    /** A position, null when the value is not a location; IllegalArgumentException when out of range. */
    private static Position position(Value v) {
        if (v.getValueCase() == Value.ValueCase.LOCATION_VALUE) {
            double lat = v.getLocationValue().getLatitude();
            double lon = v.getLocationValue().getLongitude();
            return new Position(lat, lon);
        }
        if (v.getValueCase() != Value.ValueCase.STRING_VALUE) {
            return null;
        }
        String s = v.getStringValue().trim();
        if (s.length() > 80) {
            return null;
        }
        Matcher m = LOCATION.matcher(s);
        if (!m.matches()) {
            return null;
        }
        double lat = Double.parseDouble(m.group(1));
        double lon = Double.parseDouble(m.group(3));
        if (m.group(2) != null && m.group(2).equalsIgnoreCase("S")) {
            lat = -lat;
        }
        if (m.group(4) != null && m.group(4).equalsIgnoreCase("W")) {
            lon = -lon;
        }
        return new Position(lat, lon);
    }

    private static String names(EnumType t) {
        StringBuilder sb = new StringBuilder();
        for (EnumType.Value e : t.values()) {
            if (sb.length() > 80) {
                return sb.append(", …").toString();
            }
            sb.append(sb.isEmpty() ? "" : ", ").append(e.name());
        }
        return sb.toString();
    }

    /** The value as short text: its case and at most {@value #MAX_SHOWN} characters. */
    static String shown(Value v) {
        String s;
        switch (v.getValueCase()) {
            case STRING_VALUE -> {
                String raw = v.getStringValue();
                StringBuilder sb = new StringBuilder("\"");
                raw.codePoints().limit(MAX_SHOWN).forEach(cp -> {
                    if (cp < 0x20 || cp == 0x7F) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                });
                sb.append(raw.codePointCount(0, raw.length()) > MAX_SHOWN ? "…\"" : "\"");
                s = sb.toString();
            }
            case LOCATION_VALUE ->
                s = "location(" + v.getLocationValue().getLatitude() + ", "
                        + v.getLocationValue().getLongitude() + ")";
            case VALUE_NOT_SET -> s = "(none)";
            case DOOR_VALUE -> s = "doors";
            case TIME_VALUE ->
                s = "time " + v.getTimeValue().getHour() + ":"
                        + v.getTimeValue().getMinute() + ":" + v.getTimeValue().getSecond();
            case TIRE_LOCATION_VALUE -> s = "tire location";
            default -> {
                String t = text(v);
                if (t == null) {
                    FieldDescriptor fd = Value.getDescriptor()
                            .findFieldByNumber(v.getValueCase().getNumber());
                    t = String.valueOf(v.getField(fd));
                }
                s = t;
            }
        }
        String kind = v.getValueCase().name().toLowerCase(Locale.ROOT);
        return s.length() > MAX_SHOWN + 16 ? kind + " " + s.substring(0, MAX_SHOWN + 16) + "…" : kind + " " + s;
    }
}
