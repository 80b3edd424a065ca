package io.fleetlog.ft;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.fleetlog.ft.proto.Audience;
import io.fleetlog.ft.proto.VehicleAlert;
import io.fleetlog.ft.proto.VehicleAlerts;
import io.fleetlog.ft.proto.VehicleConnectivity;
import io.fleetlog.ft.proto.VehicleError;
import io.fleetlog.ft.proto.VehicleErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of the topics {@code alerts}, {@code errors} and {@code connectivity} as vehicle
 * events: each alert, each error and each connectivity record becomes one {@link Event} with the time
 * it happened on the car and a bounded, printable description. What a car writes in names, bodies and
 * tags is untrusted: control characters are escaped, every text is cut ({@value #MAX_TEXT} characters
 * per item, {@value #MAX_DETAIL} per event), at most {@value #MAX_EVENTS} events are taken from one
 * record (the rest are counted).
 */
public final class FtEvents {
    public static final String TOPIC_ALERTS = "alerts";
    public static final String TOPIC_ERRORS = "errors";
    public static final String TOPIC_CONNECTIVITY = "connectivity";

    /** Longest name, body, tag key or tag value kept. */
    public static final int MAX_TEXT = 128;

    /** Longest event description. */
    public static final int MAX_DETAIL = 512;

    /** Events taken from one record. */
    public static final int MAX_EVENTS = 64;

    private FtEvents() {}

    public enum Kind {
        ALERT,
        ERROR,
        CONNECTIVITY
    }

    /** One thing the car reported, at car time {@code tMs} (the record's created_at when the item has no time). */
    public record Event(Kind kind, long tMs, String detail) {}

    /** The events of one record, and how many more it held than were taken. */
    public record Decoded(List<Event> events, int dropped) {}

    /** Whether records of {@code topic} become events. */
    public static boolean isEventTopic(String topic) {
        return TOPIC_ALERTS.equals(topic) || TOPIC_ERRORS.equals(topic) || TOPIC_CONNECTIVITY.equals(topic);
    }

    /**
     * The events of a record of {@code topic} with protobuf {@code payload}; {@code certVin} is the
     * connection's VIN (a record naming another VIN is refused).
     *
     * @throws FtFormatException when the payload does not decode or carries no usable time
     * @throws FtIdentity.FtIdentityException when the record names another VIN
     */
    public static Decoded decode(String topic, byte[] payload, String certVin)
            throws FtFormatException, FtIdentity.FtIdentityException {
        try {
            return switch (topic) {
                case TOPIC_ALERTS -> alerts(VehicleAlerts.parseFrom(payload), certVin);
                case TOPIC_ERRORS -> errors(VehicleErrors.parseFrom(payload), certVin);
                case TOPIC_CONNECTIVITY -> connectivity(VehicleConnectivity.parseFrom(payload), certVin);
                default -> throw new IllegalArgumentException("topic " + topic + " has no events");
            };
        } catch (InvalidProtocolBufferException e) {
            throw new FtFormatException(
                    topic + " record (" + payload.length + " bytes) does not decode: " + e.getMessage(), e);
        }
    }

    private static Decoded alerts(VehicleAlerts a, String certVin)
            throws FtFormatException, FtIdentity.FtIdentityException {
        FtIdentity.checkPayloadVin(certVin, a.getVin());
        long created = a.hasCreatedAt() ? millis(a.getCreatedAt(), "alerts created_at") : -1;
        List<Event> out = new ArrayList<>();
        for (VehicleAlert al : a.getAlertsList()) {
            if (out.size() == MAX_EVENTS) {
                break;
            }
            long started = al.hasStartedAt() ? millis(al.getStartedAt(), "alert started_at") : created;
            if (started < 0) {
                throw new FtFormatException(
                        "alert " + text(al.getName()) + " has no started_at and its record no created_at");
            }
            StringBuilder d = new StringBuilder("alert ").append(text(al.getName()));
            List<String> audiences = new ArrayList<>();
            for (Audience au : al.getAudiencesList()) {
                audiences.add(au == Audience.UNRECOGNIZED ? "unknown" : audience(au));
            }
            if (!audiences.isEmpty()) {
                d.append(" for ").append(String.join(",", audiences));
            }
            if (al.hasEndedAt()) {
                d.append(", ended ").append(Instant.ofEpochMilli(millis(al.getEndedAt(), "alert ended_at")));
            } else {
                d.append(", active");
            }
            out.add(new Event(Kind.ALERT, started, cut(d)));
        }
        return new Decoded(out, a.getAlertsCount() - out.size());
    }

    private static String audience(Audience a) {
        return switch (a) {
            case AUDIENCE_CUSTOMER -> "customer";
            case AUDIENCE_SERVICE -> "service";
            case AUDIENCE_SERVICE_FIX -> "service-fix";
            default -> "unknown";
        };
    }

    private static Decoded errors(VehicleErrors e, String certVin)
            throws FtFormatException, FtIdentity.FtIdentityException {
        FtIdentity.checkPayloadVin(certVin, e.getVin());
        long created = e.hasCreatedAt() ? millis(e.getCreatedAt(), "errors created_at") : -1;
        List<Event> out = new ArrayList<>();
        for (VehicleError er : e.getErrorsList()) {
            if (out.size() == MAX_EVENTS) {
                break;
            }
            long t = er.hasCreatedAt() ? millis(er.getCreatedAt(), "error created_at") : created;
            if (t < 0) {
                throw new FtFormatException(
                        "error " + text(er.getName()) + " has no created_at and its record none either");
            }
            StringBuilder d = new StringBuilder("error ").append(text(er.getName()));
            if (!er.getBody().isEmpty()) {
                d.append(": ").append(text(er.getBody()));
            }
            Map<String, String> tags = new TreeMap<>(er.getTagsMap());
            if (!tags.isEmpty()) {
                d.append(" [");
                int n = 0;
                for (Map.Entry<String, String> t2 : tags.entrySet()) {
                    if (n++ > 0) {
                        d.append(", ");
                    }
                    d.append(text(t2.getKey())).append('=').append(text(t2.getValue()));
                }
                d.append(']');
            }
            out.add(new Event(Kind.ERROR, t, cut(d)));
        }
        return new Decoded(out, e.getErrorsCount() - out.size());
    }

    private static Decoded connectivity(VehicleConnectivity c, String certVin)
            throws FtFormatException, FtIdentity.FtIdentityException {
        FtIdentity.checkPayloadVin(certVin, c.getVin());
        if (!c.hasCreatedAt()) {
            throw new FtFormatException("connectivity record has no created_at");
        }
        String status = switch (c.getStatus()) {
            case CONNECTIVITY_CONNECTED -> "connected";
            case CONNECTIVITY_DISCONNECTED -> "disconnected";
            default -> "status " + c.getStatusValue();
        };
        StringBuilder d = new StringBuilder("connectivity ").append(status);
        if (!c.getNetworkInterface().isEmpty()) {
            d.append(" over ").append(text(c.getNetworkInterface()));
        }
        if (!c.getConnectionId().isEmpty()) {
            d.append(" (connection ").append(text(c.getConnectionId())).append(')');
        }
        return new Decoded(
                List.of(new Event(Kind.CONNECTIVITY, millis(c.getCreatedAt(), "connectivity created_at"), cut(d))), 0);
    }

    private static long millis(Timestamp ts, String what) throws FtFormatException {
        long s = ts.getSeconds();
        int n = ts.getNanos();
        if (s < 0 || s > 253_402_300_799L || n < 0 || n > 999_999_999) {
            throw new FtFormatException(what + " " + s + " s " + n + " ns is outside 1970 … 9999");
        }
        return s * 1000 + n / 1_000_000;
    }

    /** A car's text, printable and bounded: control characters escaped, at most {@value #MAX_TEXT} characters. */
    static String text(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TEXT) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= MAX_TEXT) {
                b.append('…');
                break;
            }
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String cut(StringBuilder d) {
        return d.length() <= MAX_DETAIL ? d.toString() : d.substring(0, MAX_DETAIL - 1) + "…";
    }
}
