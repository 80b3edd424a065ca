package io.fleetlog.codec.v2;

import java.util.Arrays;

/**
 * A snapshot of a connection's predictors, for checking that an encoder and a decoder agree bit for
 * bit: per slot the raw bits of the prediction (latitude), of the longitude, the last exact value and
 * whether it is known, plus the last string. Equal means bit-identical.
 */
public final class PredictorState {
    private final long[] bits;
    private final String[] strings;

    PredictorState(long[] bits, String[] strings) {
        this.bits = bits;
        this.strings = strings;
    }

    /** The raw bits of slot {@code s}'s float prediction (or latitude). */
    public long predictionBits(int s) {
        return bits[4 * s];
    }

    /** The raw bits of slot {@code s}'s longitude prediction (NaN bits for other kinds). */
    public long longitudeBits(int s) {
        return bits[4 * s + 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PredictorState s && Arrays.equals(s.bits, bits) && Arrays.equals(s.strings, strings);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("PredictorState[");
        for (int s = 0; s < strings.length; s++) {
            b.append(s == 0 ? "" : ", ")
                    .append(Double.longBitsToDouble(bits[4 * s]))
                    .append('/')
                    .append(Double.longBitsToDouble(bits[4 * s + 1]))
                    .append('/')
                    .append(bits[4 * s + 3] != 0 ? String.valueOf(bits[4 * s + 2]) : "-")
                    .append('/')
                    .append(strings[s]);
        }
        return b.append(']').toString();
    }
}
