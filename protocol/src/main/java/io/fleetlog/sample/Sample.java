package io.fleetlog.sample;

import io.fleetlog.frame.Frame;

/**
 * One captured (or reconstructed) record of one vehicle: a seq and a {@link Frame} (capture time plus
 * any subset of the vehicle's catalogue signals, keyed by catalogue id).
 *
 * <p>The seq is assigned by the edge spool; a source's seq is meaningless. A frame's signal ids refer to
 * the vehicle's catalogue; every catalogue fleetlog accepts keeps the built-in catalogue's signals at
 * their built-in ids (user catalogues extend it), so the eight legacy {@link Field}s are found at fixed
 * ids ({@link LegacyFrames}).
 *
 * <p><b>Legacy view.</b> {@link #get}, {@link #available}, {@link #omitted}, {@link #values()} and the
 * {@code (seq, time, double[8])} constructors read and build the eight fields: NaN means not captured
 * or unavailable; latitude and longitude are the two coordinates of the one {@code Location} signal
 * (a location is available only with both coordinates, and omitted as a whole).
 */
public record Sample(long seq, Frame frame) {

    public Sample {
        java.util.Objects.requireNonNull(frame, "frame");
    }

    /** A sample of the eight legacy fields, NaN = unavailable (see {@link LegacyFrames#frame}). */
    public Sample(long seq, long captureTimeMs, double[] values) {
        this(seq, LegacyFrames.frame(captureTimeMs, values, 0));
    }

    /** As {@link #Sample(long, long, double[])}, with fields marked omitted by compression. */
    public Sample(long seq, long captureTimeMs, double[] values, int omittedMask) {
        this(seq, LegacyFrames.frame(captureTimeMs, values, omittedMask));
    }

    /** A sample with every legacy field captured and unavailable. */
    public static Sample unavailable(long seq, long captureTimeMs) {
        return new Sample(seq, captureTimeMs, LegacyFrames.allUnavailable());
    }

    /** Capture time, Unix epoch ms. */
    public long captureTimeMs() {
        return frame.timeMs();
    }

    /** A legacy field's value; NaN when not captured or unavailable. */
    public double get(Field f) {
        return LegacyFrames.get(frame, f);
    }

    public boolean available(Field f) {
        return !Double.isNaN(get(f));
    }

    /** Whether a legacy field's value is a reconstruction (omitted on the wire). */
    public boolean omitted(Field f) {
        return LegacyFrames.omitted(frame, f);
    }

    /** The eight legacy fields, indexed by {@link Field#ordinal()} (a new array each call). */
    public double[] values() {
        double[] v = new double[Field.COUNT];
        for (int i = 0; i < Field.COUNT; i++) {
            v[i] = LegacyFrames.get(frame, Field.of(i));
        }
        return v;
    }

    /** Bit {@code f.ordinal()} set when legacy field {@code f} is omitted. */
    public int omittedMask() {
        int m = 0;
        for (int i = 0; i < Field.COUNT; i++) {
            if (LegacyFrames.omitted(frame, Field.of(i))) {
                m |= 1 << i;
            }
        }
        return m;
    }

    /** The same frame under another seq (the spool assigns seqs to captured samples). */
    public Sample withSeq(long newSeq) {
        return new Sample(newSeq, frame);
    }

    /**
     * Checks every legacy value against its field's range.
     *
     * @throws IllegalArgumentException naming the field, the value and the seq
     */
    public Sample validate() {
        for (int i = 0; i < Field.COUNT; i++) {
            Field f = Field.of(i);
            double v = get(f);
            if (!Double.isNaN(v) && (!Double.isFinite(v) || !f.inRange(v))) {
                throw new IllegalArgumentException("seq " + seq + ": " + f.key() + " " + v + " " + f.unit()
                        + " is outside [" + f.min() + ", " + f.max() + "]");
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return "Sample[seq=" + seq + ", " + frame + "]";
    }
}
