package io.fleetlog.codec;

import com.google.protobuf.CodedOutputStream;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * The server half of the predictive codec, one instance per connection.
 *
 * <p>Reconstructs every sample of a batch with the connection's {@link Predictor}: a present value
 * is the prediction's base plus the sent delta, an omitted one is the prediction, an unavailable
 * one is NaN; then the predictor is fed the reconstruction exactly as the encoder did.
 *
 * <p>{@link #decode} is all or nothing: it returns every sample of the batch, or throws a {@link
 * WireException} naming the problem and leaves the connection state as it was. Batches must follow
 * each other without overlap; a forward jump is accepted only when the batch declares it
 * ({@code gap}, samples the edge dropped). Not thread-safe, except {@link #stats()}, which may be
 * called from any thread and counts whole batches only.
 */
public final class BatchDecoder {
    /** Capture times outside [1990-01-01, 2200-01-01) are not believable. */
    static final long MIN_TIME_MS = 631_152_000_000L;

    static final long MAX_TIME_MS = 7_258_118_400_000L;

    private final int maxSamples;
    private Predictor predictor = new Predictor();
    private final StatsCounter stats = new StatsCounter();
    private long nextSeq = -1;

    /** @param maxSamples the most samples one batch may hold */
    public BatchDecoder(int maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples " + maxSamples + " must be at least 1");
        }
        this.maxSamples = maxSamples;
    }

    public DecodedBatch decode(Batch batch) throws WireException {
        int n = batch.getSamplesCount();
        long first = batch.getFirstSeq();
        checkShape(batch, n, first);
        Predictor p = predictor.copy();
        List<Sample> out = new ArrayList<>(n);
        long t = batch.getFirstTimeMs();
        long dt = 0;
        for (int i = 0; i < n; i++) {
            io.fleetlog.wire.v1.Sample s = batch.getSamples(i);
            if (s.hasDtMs()) {
                dt = s.getDtMs();
                if (i == 0 && dt != 0) {
                    // Readable two ways (ignored, or the delta sample 1 repeats): refuse, don't guess.
                    throw new WireException(
                            WireException.Kind.INVALID,
                            "seq " + first + ": the first sample of a batch carries dt_ms " + dt
                                    + " (its delta is 0 by definition)");
                }
            }
            t = i == 0 ? t : t + dt;
            if (t < MIN_TIME_MS || t >= MAX_TIME_MS) {
                throw new WireException(
                        WireException.Kind.OUT_OF_RANGE,
                        "seq " + (first + i) + ": capture time " + t + " ms is not believable");
            }
            out.add(reconstruct(p, s, first + i, t));
        }
        long skipped = nextSeq >= 0 ? first - nextSeq : 0;
        predictor = p;
        nextSeq = first + n;
        count(batch);
        return new DecodedBatch(out, first, first + n - 1, skipped);
    }

    /** The predictor state after the last batch (for tests comparing it with the encoder's). */
    public double[] predictorState() {
        return predictor.snapshot();
    }

    /** The seq the next batch must start at, or -1 before the first batch. */
    public long nextSeq() {
        return nextSeq;
    }

    public CompressionStats stats() {
        return stats.snapshot();
    }

    private void checkShape(Batch batch, int n, long first) throws WireException {
        if (n == 0) {
            throw new WireException(WireException.Kind.INVALID, "batch at seq " + first + " has no samples");
        }
        if (n > maxSamples) {
            throw new WireException(
                    WireException.Kind.TOO_LARGE, "batch of " + n + " samples exceeds the limit of " + maxSamples);
        }
        if (first < 0 || first > Long.MAX_VALUE - n) {
            throw new WireException(
                    WireException.Kind.OUT_OF_RANGE, "first seq " + Long.toUnsignedString(first) + " is out of range");
        }
        if (nextSeq >= 0 && first != nextSeq && !(first > nextSeq && batch.getGap())) {
            throw new WireException(
                    WireException.Kind.SEQ_NOT_FOLLOWING,
                    "batch first seq " + first + " does not follow " + (nextSeq - 1)
                            + (first < nextSeq ? " (overlap)" : " (undeclared gap)"));
        }
    }

    private Sample reconstruct(Predictor p, io.fleetlog.wire.v1.Sample s, long seq, long t) throws WireException {
        double[] v = new double[Field.COUNT];
        int omittedMask = 0;
        int unavailable = s.getUnavailable();
        if (unavailable >>> Field.COUNT != 0) {
            throw new WireException(
                    WireException.Kind.INVALID,
                    "seq " + seq + ": unavailable mask 0x" + Integer.toHexString(unavailable)
                            + " names unknown fields");
        }
        for (int f = 0; f < Field.COUNT; f++) {
            Field field = Field.of(f);
            double r;
            boolean flagged = (unavailable & (1 << f)) != 0;
            if (flagged) {
                if (hasValue(s, f)) {
                    throw new WireException(
                            WireException.Kind.INVALID,
                            "seq " + seq + ": " + field.key() + " is both sent and flagged unavailable");
                }
                r = Double.NaN;
            } else if (hasValue(s, f)) {
                r = valueOf(field, p.baseUnits(field), delta(s, f), seq);
            } else {
                r = p.get(f);
                omittedMask |= Double.isNaN(r) ? 0 : 1 << f;
            }
            v[f] = r;
            p.update(f, r);
        }
        return new Sample(seq, t, v, omittedMask);
    }

    /** Counts a decoded batch; called only once the whole batch decoded. */
    private void count(Batch batch) {
        for (io.fleetlog.wire.v1.Sample s : batch.getSamplesList()) {
            boolean key = true;
            for (int f = 0; f < Field.COUNT; f++) {
                boolean sent = hasValue(s, f);
                boolean flagged = (s.getUnavailable() & (1 << f)) != 0;
                key &= sent || flagged;
                stats.field(f, sent, flagged);
            }
            stats.sample(key);
        }
        // The whole Envelope, as the encoder counts it: tag and length of the batch field included.
        stats.batch(CodedOutputStream.computeMessageSize(3, batch));
    }

    private static double valueOf(Field field, long base, long delta, long seq) throws WireException {
        long units;
        try {
            units = Math.addExact(base, delta);
        } catch (ArithmeticException e) {
            throw new WireException(WireException.Kind.OUT_OF_RANGE, "seq " + seq + ": " + field.key() + " overflows");
        }
        if (field.circular()) {
            units = Math.floorMod(units, 36_000L);
        }
        double r = field.fromUnits(units);
        if (!field.inRange(r)) {
            throw new WireException(
                    WireException.Kind.OUT_OF_RANGE,
                    "seq " + seq + ": " + field.key() + " " + r + " " + field.unit() + " is outside [" + field.min()
                            + ", " + field.max() + "]");
        }
        return r;
    }

    private static boolean hasValue(io.fleetlog.wire.v1.Sample s, int f) {
        return switch (f) {
            case 0 -> s.hasSpeed();
            case 1 -> s.hasPower();
            case 2 -> s.hasSoc();
            case 3 -> s.hasHeading();
            case 4 -> s.hasOdometer();
            case 5 -> s.hasLatitude();
            case 6 -> s.hasLongitude();
            case 7 -> s.hasElevation();
            default -> throw new IllegalArgumentException("field " + f);
        };
    }

    private static long delta(io.fleetlog.wire.v1.Sample s, int f) {
        return switch (f) {
            case 0 -> s.getSpeed();
            case 1 -> s.getPower();
            case 2 -> s.getSoc();
            case 3 -> s.getHeading();
            case 4 -> s.getOdometer();
            case 5 -> s.getLatitude();
            case 6 -> s.getLongitude();
            case 7 -> s.getElevation();
            default -> throw new IllegalArgumentException("field " + f);
        };
    }
}
