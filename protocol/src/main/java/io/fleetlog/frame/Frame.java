package io.fleetlog.frame;

import io.fleetlog.catalog.Position;
import java.util.Arrays;
import java.util.Objects;

/**
 * One sparse record of one vehicle: a capture time and a value for any subset of a catalogue's
 * signals, keyed by the signal's catalogue id.
 *
 * <p>Per signal id a frame holds one of three things: nothing (the signal was <b>not captured</b> in
 * this frame; {@link #indexOf} is -1 and no value may be invented for it), a <b>value</b> (a number
 * for a float signal, a whole number for an integer, enum code or boolean, a position, or a string),
 * or <b>unavailable</b> (the vehicle captured the signal and said it has no value now). A decoded frame
 * also says which values were {@linkplain #omitted omitted} by predictive compression (the value is the
 * prediction, within the signal's bound). The entries are kept in ascending id order.
 *
 * <p>A frame knows no catalogue: the types of its values are checked against one by the codec
 * ({@code io.fleetlog.codec.v2.FrameEncoder}). Immutable and thread-safe; built by {@link Builder},
 * which refuses a repeated id, a negative id, NaN or an infinite number, and a null string.
 */
public final class Frame {

    /** What an entry holds. */
    public enum Kind {
        /** A float signal's value: {@link #number}. */
        NUMBER,
        /** An integer value, an enum code or a boolean as 0/1: {@link #integer}. */
        INTEGER,
        /** A location: {@link #latitude}, {@link #longitude}. */
        POSITION,
        /** A string: {@link #string}. */
        STRING,
        /** Captured, but the vehicle had no value. */
        UNAVAILABLE
    }

    private static final Kind[] KINDS = Kind.values();
    // Kind ordinals as constants (the hot accessors compare bytes, not enum fields)
    private static final int NUMBER = 0;
    private static final int INTEGER = 1;
    private static final int POSITION = 2;
    private static final int STRING = 3;
    private static final int UNAVAILABLE = 4;
    private static final byte OMITTED = (byte) 0x80;

    private final long timeMs;
    private final int[] ids;
    private final byte[] kinds; // Kind ordinal, | OMITTED
    private final long[] bits; // double bits (NUMBER, latitude of POSITION) or the long (INTEGER)
    private final double[] longitudes; // null when no POSITION
    private final String[] strings; // null when no STRING

    private Frame(long timeMs, int[] ids, byte[] kinds, long[] bits, double[] longitudes, String[] strings) {
        this.timeMs = timeMs;
        this.ids = ids;
        this.kinds = kinds;
        this.bits = bits;
        this.longitudes = longitudes;
        this.strings = strings;
    }

    /** A builder for a frame captured at {@code timeMs} (Unix epoch ms). */
    public static Builder builder(long timeMs) {
        return new Builder(timeMs, 8);
    }

    /** A builder sized for {@code entries} entries. */
    public static Builder builder(long timeMs, int entries) {
        return new Builder(timeMs, Math.max(1, entries));
    }

    /** Capture time, Unix epoch ms. */
    public long timeMs() {
        return timeMs;
    }

    /** Number of captured signals (values and unavailable ones). */
    public int size() {
        return ids.length;
    }

    /** Whether nothing was captured. */
    public boolean isEmpty() {
        return ids.length == 0;
    }

    /** The signal id of entry {@code i} (ascending with {@code i}). */
    public int id(int i) {
        return ids[i];
    }

    /** The entry of signal {@code id}, or -1 when the signal was not captured in this frame. */
    public int indexOf(int id) {
        int i = Arrays.binarySearch(ids, id);
        return i >= 0 ? i : -1;
    }

    public Kind kind(int i) {
        return KINDS[kinds[i] & 0x7f];
    }

    public boolean unavailable(int i) {
        return (kinds[i] & 0x7f) == UNAVAILABLE;
    }

    /** Whether entry {@code i} is a reconstruction: omitted on the wire, its value is the prediction. */
    public boolean omitted(int i) {
        return (kinds[i] & OMITTED) != 0;
    }

    /** The number of a {@link Kind#NUMBER} entry. */
    public double number(int i) {
        check(i, NUMBER);
        return Double.longBitsToDouble(bits[i]);
    }

    /** The whole number of a {@link Kind#INTEGER} entry (an enum's code, a boolean's 0 or 1). */
    public long integer(int i) {
        check(i, INTEGER);
        return bits[i];
    }

    public double latitude(int i) {
        check(i, POSITION);
        return Double.longBitsToDouble(bits[i]);
    }

    public double longitude(int i) {
        check(i, POSITION);
        return longitudes[i];
    }

    public Position position(int i) {
        return new Position(latitude(i), longitude(i));
    }

    public String string(int i) {
        check(i, STRING);
        return strings[i];
    }

    private void check(int i, int k) {
        if ((kinds[i] & 0x7f) != k) {
            throw new IllegalStateException("signal " + ids[i] + " holds " + kind(i) + ", not " + KINDS[k]);
        }
    }

    /** The same entries, none marked omitted (what was captured, as a decoded frame would compare). */
    public Frame withoutOmittedMarks() {
        byte[] k = kinds.clone();
        for (int i = 0; i < k.length; i++) {
            k[i] &= 0x7f;
        }
        return new Frame(timeMs, ids, k, bits, longitudes, strings);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Frame f)
                || f.timeMs != timeMs
                || !Arrays.equals(f.ids, ids)
                || !Arrays.equals(f.kinds, kinds)) {
            return false;
        }
        for (int i = 0; i < ids.length; i++) {
            Kind k = kind(i);
            if ((k == Kind.NUMBER || k == Kind.INTEGER || k == Kind.POSITION) && f.bits[i] != bits[i]) {
                return false;
            }
            if (k == Kind.POSITION
                    && Double.doubleToLongBits(f.longitudes[i]) != Double.doubleToLongBits(longitudes[i])) {
                return false;
            }
            if (k == Kind.STRING && !f.strings[i].equals(strings[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timeMs) * 31 + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Frame[t=").append(timeMs);
        for (int i = 0; i < ids.length; i++) {
            b.append(", ").append(ids[i]).append('=');
            switch (kind(i)) {
                case NUMBER -> b.append(number(i));
                case INTEGER -> b.append(integer(i));
                case POSITION ->
                    b.append('(')
                            .append(latitude(i))
                            .append(' ')
                            .append(longitude(i))
                            .append(')');
                case STRING -> b.append('"').append(strings[i]).append('"');
                case UNAVAILABLE -> b.append("unavailable");
            }
            if (omitted(i)) {
                b.append('~');
            }
        }
        return b.append(']').toString();
    }

    /** The ids and kinds of the frame a thread built last (see {@link Builder#build}). */
    private static final class Shape {
        int[] ids = new int[0];
        byte[] kinds = new byte[0];
    }

    private static final ThreadLocal<Shape> LAST_SHAPE = ThreadLocal.withInitial(Shape::new);

    /**
     * Collects the entries of one frame in any order; {@link #build} sorts them by id. Not thread-safe;
     * use once.
     */
    public static final class Builder {
        private final long timeMs;
        private int n;
        private int[] ids;
        private byte[] kinds;
        private long[] bits;
        private double[] longitudes;
        private String[] strings;
        private boolean sorted = true;

        private Builder(long timeMs, int capacity) {
            this.timeMs = timeMs;
            ids = new int[capacity];
            kinds = new byte[capacity];
            bits = new long[capacity];
        }

        /** A float signal's value; NaN and infinities are refused (use {@link #unavailable}). */
        public Builder number(int id, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("signal " + id + ": " + v
                        + " is not a value (a captured signal without a value is unavailable)");
            }
            return add(id, NUMBER, Double.doubleToRawLongBits(v + 0.0));
        }

        /** An integer signal's value or an enum signal's code. */
        public Builder integer(int id, long v) {
            return add(id, INTEGER, v);
        }

        /** A boolean signal's value (stored as 1 or 0). */
        public Builder bool(int id, boolean v) {
            return add(id, INTEGER, v ? 1 : 0);
        }

        /** A location signal's value. */
        public Builder position(int id, double latitude, double longitude) {
            if (!Double.isFinite(latitude) || !Double.isFinite(longitude)) {
                throw new IllegalArgumentException(
                        "signal " + id + ": position " + latitude + ", " + longitude + " is not a value");
            }
            add(id, POSITION, Double.doubleToRawLongBits(latitude + 0.0));
            if (longitudes == null) {
                longitudes = new double[ids.length];
            }
            longitudes[n - 1] = longitude + 0.0;
            return this;
        }

        public Builder position(int id, Position p) {
            return position(id, p.latitude(), p.longitude());
        }

        /** A string signal's value (not null). */
        public Builder string(int id, String s) {
            Objects.requireNonNull(s, () -> "signal " + id + ": a string value is not null (use unavailable)");
            add(id, STRING, 0);
            if (strings == null) {
                strings = new String[ids.length];
            }
            strings[n - 1] = s;
            return this;
        }

        /** The signal was captured without a value. */
        public Builder unavailable(int id) {
            return add(id, UNAVAILABLE, 0);
        }

        /**
         * Marks the entry added last as omitted by compression (its value is a prediction). For
         * decoders; a captured frame has no omitted entries.
         */
        public Builder omitted() {
            if (n == 0) {
                throw new IllegalStateException("no entry to mark omitted");
            }
            kinds[n - 1] |= OMITTED;
            return this;
        }

        private Builder add(int id, int k, long v) {
            if (id < 0) {
                throw new IllegalArgumentException("signal id " + id + " is negative");
            }
            if (n == ids.length) {
                grow();
            }
            if (n > 0 && id <= ids[n - 1]) {
                if (id == ids[n - 1]) {
                    throw new IllegalArgumentException("signal " + id + " is set twice in one frame");
                }
                sorted = false;
            }
            ids[n] = id;
            kinds[n] = (byte) k;
            bits[n] = v;
            n++;
            return this;
        }

        private void grow() {
            int c = ids.length * 2;
            ids = Arrays.copyOf(ids, c);
            kinds = Arrays.copyOf(kinds, c);
            bits = Arrays.copyOf(bits, c);
            longitudes = longitudes == null ? null : Arrays.copyOf(longitudes, c);
            strings = strings == null ? null : Arrays.copyOf(strings, c);
        }

        /**
         * The frame.
         *
         * @throws IllegalArgumentException if a signal id was set twice
         */
        public Frame build() {
            if (!sorted) {
                sort();
            }
            Shape last = LAST_SHAPE.get();
            // Frames of one source mostly repeat the shape of the one before: share its (immutable)
            // id and kind arrays instead of holding a copy per frame.
            if (Arrays.equals(last.ids, 0, last.ids.length, ids, 0, n)) {
                ids = last.ids;
            } else if (n != ids.length) {
                ids = Arrays.copyOf(ids, n);
            }
            if (Arrays.equals(last.kinds, 0, last.kinds.length, kinds, 0, n)) {
                kinds = last.kinds;
            } else if (n != kinds.length) {
                kinds = Arrays.copyOf(kinds, n);
            }
            last.ids = ids;
            last.kinds = kinds;
            if (n != bits.length) {
                bits = Arrays.copyOf(bits, n);
                longitudes = longitudes == null ? null : Arrays.copyOf(longitudes, n);
                strings = strings == null ? null : Arrays.copyOf(strings, n);
            }
            Frame f = new Frame(timeMs, ids, kinds, bits, longitudes, strings);
            ids = null; // used once
            return f;
        }

        private void sort() {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(ids[a], ids[b]));
            int[] i2 = new int[n];
            byte[] k2 = new byte[n];
            long[] b2 = new long[n];
            double[] l2 = longitudes == null ? null : new double[n];
            String[] s2 = strings == null ? null : new String[n];
            for (int j = 0; j < n; j++) {
                int o = order[j];
                if (j > 0 && ids[o] == i2[j - 1]) {
                    throw new IllegalArgumentException("signal " + ids[o] + " is set twice in one frame");
                }
                i2[j] = ids[o];
                k2[j] = kinds[o];
                b2[j] = bits[o];
                if (l2 != null) l2[j] = longitudes[o];
                if (s2 != null) s2[j] = strings[o];
            }
            ids = i2;
            kinds = k2;
            bits = b2;
            longitudes = l2;
            strings = s2;
        }
    }
}
