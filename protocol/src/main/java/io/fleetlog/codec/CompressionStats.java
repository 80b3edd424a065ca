package io.fleetlog.codec;

import io.fleetlog.sample.Field;

/**
 * What a codec has seen: samples, keyframes, bytes, and per field how often a value was sent,
 * omitted (predicted) or flagged unavailable. An immutable snapshot.
 */
public record CompressionStats(
        long samples, long keyframes, long batches, long bytes, long[] sent, long[] omitted, long[] unavailable) {

    public static CompressionStats empty() {
        return new CompressionStats(0, 0, 0, 0, new long[Field.COUNT], new long[Field.COUNT], new long[Field.COUNT]);
    }

    public long sent(Field f) {
        return sent[f.ordinal()];
    }

    public long omitted(Field f) {
        return omitted[f.ordinal()];
    }

    public long unavailable(Field f) {
        return unavailable[f.ordinal()];
    }

    public double bytesPerSample() {
        return samples == 0 ? 0 : (double) bytes / samples;
    }

    /** Share of all field values that were omitted, 0..1. */
    public double omittedShare() {
        long o = 0;
        long all = 0;
        for (int i = 0; i < Field.COUNT; i++) {
            o += omitted[i];
            all += omitted[i] + sent[i] + unavailable[i];
        }
        return all == 0 ? 0 : (double) o / all;
    }

    public CompressionStats plus(CompressionStats other) {
        long[] s = new long[Field.COUNT];
        long[] o = new long[Field.COUNT];
        long[] u = new long[Field.COUNT];
        for (int i = 0; i < Field.COUNT; i++) {
            s[i] = sent[i] + other.sent[i];
            o[i] = omitted[i] + other.omitted[i];
            u[i] = unavailable[i] + other.unavailable[i];
        }
        return new CompressionStats(
                samples + other.samples,
                keyframes + other.keyframes,
                batches + other.batches,
                bytes + other.bytes,
                s,
                o,
                u);
    }
}
