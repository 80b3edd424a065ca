package io.fleetlog.codec;

import com.google.protobuf.CodedOutputStream;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.GapReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The edge half of the predictive codec, one instance per connection.
 *
 * <p>For every field of every sample: on a keyframe (the connection's first sample, then whenever
 * {@link CodecConfig#keyframeInterval()} of capture time has passed since the last one) or when
 * {@code |x − p| > T}, the value is sent at the wire resolution and the reconstruction is that value;
 * otherwise it is omitted and the reconstruction is the prediction. An unavailable value is flagged
 * (unless the prediction is already "unavailable"). The predictor is then fed the reconstruction,
 * never the raw value, which is what keeps the server's decoder bit-identical. Hence for every field
 * {@code |r − x| <= CodecConfig.bound(f)}.
 *
 * <p>{@link #encode} either encodes the whole batch and advances the connection state, or throws
 * {@link IllegalArgumentException} (non-consecutive seqs, a value out of range) and changes nothing.
 * Not thread-safe; {@link #stats()} may be called from any thread.
 */
public final class BatchEncoder {
    private static final int ENVELOPE_BATCH_TAG = (3 << 3) | 2;

    private final CodecConfig config;
    private final long keyframeMs;
    private final double[] thresholds;
    private final Predictor predictor = new Predictor();
    private final StatsCounter stats = new StatsCounter();
    private long nextSeq = -1;
    /** From {@link #expect}: the seq the server expects first (-1: unknown). */
    private long expectedSeq = -1;

    private long lastKeyframeMs;

    // Scratch for one batch, grown on demand.
    private long[] deltas = new long[0];
    private int[] present = new int[0];
    private int[] unavailable = new int[0];
    private boolean[] keyframes = new boolean[0];

    public BatchEncoder(CodecConfig config) {
        this.config = config;
        this.keyframeMs = config.keyframeInterval().toMillis();
        this.thresholds = config.thresholds();
    }

    public CodecConfig config() {
        return config;
    }

    /**
     * The seq the server expects this connection's first batch to start at (Welcome's {@code
     * last_stored_seq} + 1). A first batch starting later then declares the seqs in between dropped
     * ({@code gap}, {@code dropped}), as a later batch does for a jump within the connection.
     */
    public void expect(long expectedSeq) {
        if (nextSeq >= 0) {
            throw new IllegalStateException("expect must be called before the first batch");
        }
        this.expectedSeq = expectedSeq;
    }

    /** Encodes {@code samples} (consecutive seqs, at least one) as the connection's next batch. */
    public EncodedBatch encode(List<Sample> samples) {
        return encode(samples, GapReason.GAP_REASON_UNSPECIFIED);
    }

    /**
     * Encodes {@code samples} as the connection's next batch; when it does not follow the previous one
     * (or {@link #expect}), it carries {@code gap} and {@code gapReason}.
     */
    public EncodedBatch encode(List<Sample> samples, GapReason gapReason) {
        int n = samples.size();
        validate(samples);
        ensureCapacity(n);
        long firstSeq = samples.get(0).seq();
        long after = nextSeq >= 0 ? nextSeq : expectedSeq;
        long dropped = after >= 0 && firstSeq > after ? firstSeq - after : 0;
        boolean gap = dropped > 0;
        for (int i = 0; i < n; i++) {
            predict(samples.get(i), i);
        }
        int reason = gap && gapReason != null && gapReason != GapReason.UNRECOGNIZED ? gapReason.getNumber() : 0;
        byte[] bytes = write(samples, dropped, reason);
        nextSeq = firstSeq + n;
        stats.batch(bytes.length);
        Sample last = samples.get(n - 1);
        return new EncodedBatch(
                bytes, firstSeq, last.seq(), n, samples.get(0).captureTimeMs(), last.captureTimeMs(), gap);
    }

    /** The predictor state after the last batch (for tests comparing it with the decoder's). */
    public double[] predictorState() {
        return predictor.snapshot();
    }

    public CompressionStats stats() {
        return stats.snapshot();
    }

    private void validate(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sample");
        }
        long first = samples.get(0).seq();
        if (first < 0) {
            throw new IllegalArgumentException("seq " + first + " is negative");
        }
        if (first > Long.MAX_VALUE - samples.size()) {
            // The decoder refuses these (its next seq would overflow), and so would our nextSeq.
            throw new IllegalArgumentException("seq " + Long.toUnsignedString(first + samples.size() - 1)
                    + " is out of range (the last usable seq is " + (Long.MAX_VALUE - 1) + ")");
        }
        if (nextSeq >= 0 && first < nextSeq) {
            throw new IllegalArgumentException(
                    "batch starts at seq " + first + " but this connection already sent up to " + (nextSeq - 1));
        }
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.seq() != first + i) {
                throw new IllegalArgumentException("seq " + s.seq() + " at position " + i + " does not follow "
                        + (first + i - 1) + " (a batch holds consecutive seqs)");
            }
            s.validate();
        }
    }

    private void predict(Sample s, int i) {
        long t = s.captureTimeMs();
        boolean key = nextSeq < 0 && i == 0 || t - lastKeyframeMs >= keyframeMs || t < lastKeyframeMs;
        if (key) {
            lastKeyframeMs = t;
        }
        keyframes[i] = key;
        int presentMask = 0;
        int unavailableMask = 0;
        for (int f = 0; f < Field.COUNT; f++) {
            Field field = Field.of(f);
            double x = s.values()[f];
            double p = predictor.get(f);
            double r;
            if (Double.isNaN(x)) {
                r = Double.NaN;
                if (key || !Double.isNaN(p)) {
                    unavailableMask |= 1 << f;
                }
            } else if (!key && !Double.isNaN(p) && field.distance(x, p) <= thresholds[f]) {
                r = p;
            } else {
                long units = field.toUnits(x);
                long delta = units - predictor.baseUnits(field);
                if (field.circular()) {
                    delta = Math.floorMod(delta + 18_000L, 36_000L) - 18_000L;
                }
                deltas[i * Field.COUNT + f] = delta;
                presentMask |= 1 << f;
                r = field.fromUnits(units);
            }
            stats.field(f, (presentMask & (1 << f)) != 0, (unavailableMask & (1 << f)) != 0);
            predictor.update(f, r);
        }
        present[i] = presentMask;
        unavailable[i] = unavailableMask;
        stats.sample(key);
    }

    private byte[] write(List<Sample> samples, long dropped, int gapReason) {
        boolean gap = dropped > 0;
        int n = samples.size();
        int[] sampleSizes = new int[n];
        long firstSeq = samples.get(0).seq();
        long firstTime = samples.get(0).captureTimeMs();
        int batchSize = (firstSeq != 0 ? 1 + CodedOutputStream.computeUInt64SizeNoTag(firstSeq) : 0)
                + (firstTime != 0 ? 1 + CodedOutputStream.computeInt64SizeNoTag(firstTime) : 0)
                + (gap ? 2 + 1 + CodedOutputStream.computeUInt64SizeNoTag(dropped) : 0)
                + (gapReason != 0 ? 1 + CodedOutputStream.computeEnumSizeNoTag(gapReason) : 0);
        long prevDt = 0;
        for (int i = 0; i < n; i++) {
            long dt = i == 0
                    ? 0
                    : samples.get(i).captureTimeMs() - samples.get(i - 1).captureTimeMs();
            int size = dt != prevDt ? 1 + CodedOutputStream.computeSInt64SizeNoTag(dt) : 0;
            prevDt = dt;
            for (int f = 0; f < Field.COUNT; f++) {
                if ((present[i] & (1 << f)) != 0) {
                    size += 1 + CodedOutputStream.computeSInt64SizeNoTag(deltas[i * Field.COUNT + f]);
                }
            }
            if (unavailable[i] != 0) {
                size += 1 + CodedOutputStream.computeUInt32SizeNoTag(unavailable[i]);
            }
            sampleSizes[i] = size;
            batchSize += 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        byte[] out = new byte[1 + CodedOutputStream.computeUInt32SizeNoTag(batchSize) + batchSize];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeUInt32NoTag(ENVELOPE_BATCH_TAG);
            o.writeUInt32NoTag(batchSize);
            if (firstSeq != 0) {
                o.writeUInt64(1, firstSeq);
            }
            if (firstTime != 0) {
                o.writeInt64(2, firstTime);
            }
            prevDt = 0;
            for (int i = 0; i < n; i++) {
                o.writeTag(3, 2);
                o.writeUInt32NoTag(sampleSizes[i]);
                long dt = i == 0
                        ? 0
                        : samples.get(i).captureTimeMs() - samples.get(i - 1).captureTimeMs();
                if (dt != prevDt) {
                    o.writeSInt64(1, dt);
                }
                prevDt = dt;
                for (int f = 0; f < Field.COUNT; f++) {
                    if ((present[i] & (1 << f)) != 0) {
                        o.writeSInt64(f + 2, deltas[i * Field.COUNT + f]);
                    }
                }
                if (unavailable[i] != 0) {
                    o.writeUInt32(15, unavailable[i]);
                }
            }
            if (gap) {
                o.writeBool(5, true);
                o.writeUInt64(6, dropped);
            }
            if (gapReason != 0) {
                o.writeEnum(7, gapReason);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("sizes computed for the batch were wrong", e);
        }
        return out;
    }

    /** Whether sample {@code i} of the last encoded batch was a keyframe (for tests). */
    boolean wasKeyframe(int i) {
        return keyframes[i];
    }

    private void ensureCapacity(int n) {
        if (present.length < n) {
            int c = Math.max(n, present.length * 2);
            deltas = new long[c * Field.COUNT];
            present = new int[c];
            unavailable = new int[c];
            keyframes = new boolean[c];
        }
    }
}
