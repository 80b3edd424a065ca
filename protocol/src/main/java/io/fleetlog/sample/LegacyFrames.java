package io.fleetlog.sample;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.LegacyFields;
import io.fleetlog.frame.Frame;
import java.util.Arrays;

/**
 * The eight legacy {@link Field}s as entries of a frame over the built-in catalogue (the signal ids
 * of {@link LegacyFields}): building a frame from a {@code double[8]} and reading a field back.
 */
public final class LegacyFrames {

    private static final int[] IDS = new int[Field.COUNT]; // signal id per field ordinal
    private static final int LOCATION;

    static {
        Catalogue builtin = Catalogue.builtin();
        for (Field f : Field.values()) {
            IDS[f.ordinal()] = builtin.id(LegacyFields.of(f).signal());
        }
        LOCATION = IDS[Field.LATITUDE.ordinal()];
    }

    private LegacyFrames() {}

    /** The built-in catalogue id of the signal that carries {@code f}. */
    public static int id(Field f) {
        return IDS[f.ordinal()];
    }

    /** Eight NaNs. */
    static double[] allUnavailable() {
        double[] v = new double[Field.COUNT];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    /**
     * A frame capturing all seven legacy signals: NaN → unavailable; the location needs both
     * coordinates (either NaN → unavailable); a field whose bit is set in {@code omittedMask} is marked
     * omitted (the location when either coordinate's bit is).
     */
    public static Frame frame(long timeMs, double[] values, int omittedMask) {
        if (values.length != Field.COUNT) {
            throw new IllegalArgumentException("a sample has " + Field.COUNT + " values, got " + values.length);
        }
        Frame.Builder b = Frame.builder(timeMs, 7);
        for (int i = 0; i < Field.COUNT; i++) {
            Field f = Field.of(i);
            if (Double.isInfinite(values[i])) {
                throw new IllegalArgumentException(f.key() + " " + values[i] + " " + f.unit() + " is not a value");
            }
            if (f == Field.LONGITUDE) {
                continue;
            }
            int id = IDS[i];
            boolean omitted = (omittedMask & (1 << i)) != 0;
            if (f == Field.LATITUDE) {
                double lat = values[i];
                double lon = values[Field.LONGITUDE.ordinal()];
                omitted |= (omittedMask & (1 << Field.LONGITUDE.ordinal())) != 0;
                if (Double.isNaN(lat) || Double.isNaN(lon)) {
                    b.unavailable(id);
                    continue;
                }
                b.position(id, lat, lon);
            } else if (Double.isNaN(values[i])) {
                b.unavailable(id);
                continue;
            } else {
                b.number(id, values[i]);
            }
            if (omitted) {
                b.omitted();
            }
        }
        return b.build();
    }

    /** Field {@code f} of {@code frame}; NaN when not captured, unavailable or not a number. */
    public static double get(Frame frame, Field f) {
        int i = frame.indexOf(IDS[f.ordinal()]);
        if (i < 0) {
            return Double.NaN;
        }
        return switch (frame.kind(i)) {
            case NUMBER -> frame.number(i);
            case POSITION -> f == Field.LONGITUDE ? frame.longitude(i) : frame.latitude(i);
            default -> Double.NaN;
        };
    }

    /** Whether field {@code f} of {@code frame} is a reconstruction. */
    public static boolean omitted(Frame frame, Field f) {
        int i = frame.indexOf(IDS[f.ordinal()]);
        return i >= 0 && frame.omitted(i);
    }

    /** The id of the location signal (latitude and longitude). */
    public static int locationId() {
        return LOCATION;
    }
}
