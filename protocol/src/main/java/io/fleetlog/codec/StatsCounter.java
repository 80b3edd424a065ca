package io.fleetlog.codec;

import io.fleetlog.sample.Field;

/**
 * Mutable counters behind {@link CompressionStats}, owned by one encoder or decoder.
 *
 * <p>Only the owner's thread calls the counting methods. {@link #batch} ends a batch and publishes
 * an immutable snapshot through a volatile field, so {@link #snapshot} may be called from any
 * thread and always describes whole batches (never a batch half counted). Publishing once per batch
 * keeps the per-sample hot path free of locks.
 */
final class StatsCounter {
    private long samples;
    private long keyframes;
    private long batches;
    private long bytes;
    private final long[] sent = new long[Field.COUNT];
    private final long[] omitted = new long[Field.COUNT];
    private final long[] unavailable = new long[Field.COUNT];
    private volatile CompressionStats published = CompressionStats.empty();

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

    /** Ends a batch: counts it and publishes the counters. */
    void batch(long byteCount) {
        batches++;
        bytes += byteCount;
        published = new CompressionStats(
                samples, keyframes, batches, bytes, sent.clone(), omitted.clone(), unavailable.clone());
    }

    /** The counters as of the last whole batch; a copy of its own for every caller. */
    CompressionStats snapshot() {
        CompressionStats p = published;
        return new CompressionStats(
                p.samples(),
                p.keyframes(),
                p.batches(),
                p.bytes(),
                p.sent().clone(),
                p.omitted().clone(),
                p.unavailable().clone());
    }
}
