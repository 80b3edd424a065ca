package io.fleetlog.sample;

import java.util.Arrays;

/**
 * One captured (or reconstructed) sample of one vehicle.
 *
 * <p>{@code values} is indexed by {@link Field#ordinal()}; {@link Double#NaN} means the sensor value
 * is unavailable. {@code omittedMask} has bit {@code f.ordinal()} set when the value is a
 * reconstruction (the field was omitted on the wire by predictive compression); captured samples
 * have 0. The array is not copied: treat it as immutable once the sample is built.
 */
public record Sample(long seq, long captureTimeMs, double[] values, int omittedMask) {

    public Sample {
        if (values.length != Field.COUNT) {
            throw new IllegalArgumentException(
                    "a sample has " + Field.COUNT + " values, got " + values.length + " (seq " + seq + ")");
        }
    }

    public Sample(long seq, long captureTimeMs, double[] values) {
        this(seq, captureTimeMs, values, 0);
    }

    /** A sample with every value unavailable. */
    public static Sample unavailable(long seq, long captureTimeMs) {
        double[] v = new double[Field.COUNT];
        Arrays.fill(v, Double.NaN);
        return new Sample(seq, captureTimeMs, v);
    }

    public double get(Field f) {
        return values[f.ordinal()];
    }

    public boolean available(Field f) {
        return !Double.isNaN(values[f.ordinal()]);
    }

    public boolean omitted(Field f) {
        return (omittedMask & (1 << f.ordinal())) != 0;
    }

    /** The same values under another seq (the spool assigns seqs to captured samples). */
    public Sample withSeq(long newSeq) {
        return new Sample(newSeq, captureTimeMs, values, omittedMask);
    }

    /**
     * Checks every value against its field's range.
     *
     * @throws IllegalArgumentException naming the field, the value and the seq
     */
    public Sample validate() {
        for (int i = 0; i < Field.COUNT; i++) { // not Field.values(): no array copy per sample
            Field f = Field.of(i);
            double v = values[i];
            if (!Double.isNaN(v) && (!Double.isFinite(v) || !f.inRange(v))) {
                throw new IllegalArgumentException("seq " + seq + ": " + f.key() + " " + v + " " + f.unit()
                        + " is outside [" + f.min() + ", " + f.max() + "]");
            }
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s
                && s.seq == seq
                && s.captureTimeMs == captureTimeMs
                && s.omittedMask == omittedMask
                && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b =
                new StringBuilder("Sample[seq=").append(seq).append(", t=").append(captureTimeMs);
        for (Field f : Field.values()) {
            b.append(", ").append(f.key()).append('=').append(values[f.ordinal()]);
        }
        return b.append(omittedMask != 0 ? ", omitted=0x" + Integer.toHexString(omittedMask) : "")
                .append(']')
                .toString();
    }
}
