package io.fleetlog.ft.client;

import com.google.protobuf.Timestamp;
import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.proto.Datum;
import io.fleetlog.ft.proto.Field;
import io.fleetlog.ft.proto.LocationValue;
import io.fleetlog.ft.proto.Payload;
import io.fleetlog.ft.proto.Value;
import java.util.Locale;

/**
 * What a simulated car sends: a catalogue frame as a vehicle-data {@code Payload}, one Datum per
 * value of a signal whose name is a Fleet Telemetry Field (others, such as fleetlog's {@code Power},
 * are left out: a real car has no such Field). Values are written the way the car writes them: typed
 * ({@code prefer_typed}) or, as older firmware does, as strings — a float as its decimal text, a
 * location as {@code "(37.412374 S, 122.145867 E)"}, an enum by its Fleet Telemetry value name.
 */
public final class FramePayloads {
    /** How values are written. */
    public enum Style {
        TYPED,
        STRINGS
    }

    private final Catalogue catalogue;
    private final Field[] fieldOfSignal; // null: no Field of that name

    public FramePayloads(Catalogue catalogue) {
        this.catalogue = catalogue;
        this.fieldOfSignal = new Field[catalogue.size()];
        for (int id = 0; id < catalogue.size(); id++) {
            fieldOfSignal[id] = field(catalogue.signal(id).name());
        }
    }

    private static Field field(String name) {
        for (Field f : Field.values()) {
            if (f != Field.UNRECOGNIZED && f != Field.Unknown && f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** Whether signal {@code id} has a Field, i.e. is sent at all. */
    public boolean sent(int id) {
        return fieldOfSignal[id] != null;
    }

    /** The payload of {@code frame} (its created_at is the frame's time), values in {@code style}. */
    public Payload payload(String vin, Frame frame, Style style, boolean resend) {
        Payload.Builder p = Payload.newBuilder()
                .setVin(vin)
                .setIsResend(resend)
                .setCreatedAt(Timestamp.newBuilder()
                        .setSeconds(Math.floorDiv(frame.timeMs(), 1000))
                        .setNanos((int) Math.floorMod(frame.timeMs(), 1000) * 1_000_000));
        for (int i = 0; i < frame.size(); i++) {
            int id = frame.id(i);
            Field f = fieldOfSignal[id];
            if (f == null || frame.omitted(i)) {
                continue;
            }
            p.addData(Datum.newBuilder().setKey(f).setValue(value(catalogue.signal(id), frame, i, style)));
        }
        return p.build();
    }

    private static Value value(Signal s, Frame frame, int i, Style style) {
        Value.Builder v = Value.newBuilder();
        boolean text = style == Style.STRINGS;
        switch (frame.kind(i)) {
            case UNAVAILABLE -> v.setInvalid(true);
            case NUMBER -> {
                double x = frame.number(i);
                if (text) {
                    v.setStringValue(Double.toString(x));
                } else {
                    v.setDoubleValue(x);
                }
            }
            case POSITION -> {
                double lat = frame.latitude(i);
                double lon = frame.longitude(i);
                if (text) {
                    v.setStringValue(String.format(
                            Locale.ROOT,
                            "(%.6f %s, %.6f %s)",
                            Math.abs(lat),
                            lat < 0 ? "S" : "N",
                            Math.abs(lon),
                            lon < 0 ? "W" : "E"));
                } else {
                    v.setLocationValue(
                            LocationValue.newBuilder().setLatitude(lat).setLongitude(lon));
                }
            }
            case STRING -> v.setStringValue(frame.string(i));
            case INTEGER -> {
                long x = frame.integer(i);
                if (s.type() instanceof BooleanType) {
                    if (text) {
                        v.setStringValue(x != 0 ? "true" : "false");
                    } else {
                        v.setBooleanValue(x != 0);
                    }
                } else if (s.type() instanceof EnumType e && text) {
                    v.setStringValue(e.byCode((int) x).map(EnumType.Value::name).orElse(Long.toString(x)));
                } else if (text) {
                    v.setStringValue(Long.toString(x));
                } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                    v.setIntValue((int) x);
                } else {
                    v.setLongValue(x);
                }
            }
        }
        return v.build();
    }
}
