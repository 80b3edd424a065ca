package io.fleetlog.codec;

import io.fleetlog.sample.Field;

/** Mutable counters behind {@link CompressionStats}; owned by one encoder or decoder. */
final class StatsCounter {
    private long samples;
    private long keyframes;
    private long batches;
    private long bytes;
    private final long[] sent = new long[Field.COUNT];
    private final long[] omitted = new long[Field.COUNT];
    private final long[] unavailable = new long[Field.COUNT];

    void field(int f, boolean present, boolean unavail) {
        if (unavail) {
            unavailable[f]++;
        } else if (present) {
            sent[f]++;
        } else {
            omitted[f]++;
        }
    }

    void sample(boolean keyframe) {
        samples++;
        if (keyframe) {
            keyframes++;
        }
    }

    void batch(long byteCount) {
        batches++;
        bytes += byteCount;
    }

    synchronized CompressionStats snapshot() {
        return new CompressionStats(
                samples, keyframes, batches, bytes, sent.clone(), omitted.clone(), unavailable.clone());
    }
}
