package io.fleetlog.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.Batch;
import io.fleetlog.wire.v1.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * ({@code gap}) and is no larger than the {@code dropped} count it declares. Not thread-safe, except
 * {@link #stats()}, which may be called from any thread and counts whole batches only.
 *
 * <p>{@link #expect} adds the server's rules for a connection: its first batch may not jump past the
 * stored seq without declaring it either, and capture times may not decrease (within a batch, from
 * batch to batch, and from the stored sample before the first new seq). The wire format itself allows
 * a negative {@code dt_ms}; without {@code expect} such batches decode.
 *
 * <p>{@link #decode(byte[])} takes the WebSocket message itself. It reads a canonically encoded
 * batch (what {@link BatchEncoder} writes: fields in number order, no unknown fields) straight from
 * the bytes, without building the generated protobuf objects; anything else goes through {@link
 * Wire#parse} and the generated parser. Both routes share every check and every computation, so a
 * message decodes to the same samples, or fails with the same {@link WireException}, either way.
 */
public final class BatchDecoder {
    /** Capture times outside [1990-01-01, 2200-01-01) are not believable. */
    static final long MIN_TIME_MS = 631_152_000_000L;

    static final long MAX_TIME_MS = 7_258_118_400_000L;

    private static final int ENVELOPE_BATCH_TAG = (3 << 3) | 2;

    private final int maxSamples;
    private final int maxMessageBytes;
    private Predictor predictor = new Predictor();
    private final StatsCounter stats = new StatsCounter();
    private long nextSeq = -1;
    /** From {@link #expect}: the seq the first batch should start at (-1: no rule). */
    private long expectedSeq = -1;
    /** Capture time of the sample before the next new one; only with {@link #expect}. */
    private long notBeforeMs = Long.MIN_VALUE;

    private boolean timeRule;

    // The batch being decoded, as plain arrays (filled from a Batch or from bytes), grown on demand.
    private int count;
    private long firstSeq;
    private long firstTimeMs;
    private boolean gap;
    private long dropped;
    private int gapReason;
    private boolean[] hasDt = new boolean[0];
    private long[] dts = new long[0];
    private int[] present = new int[0];
    private int[] unavailable = new int[0];
    private long[] deltas = new long[0];

    /** @param maxSamples the most samples one batch may hold */
    public BatchDecoder(int maxSamples) {
        this(maxSamples, Wire.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param maxSamples the most samples one batch may hold
     * @param maxMessageBytes the largest message {@link #decode(byte[])} accepts
     */
    public BatchDecoder(int maxSamples, int maxMessageBytes) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples " + maxSamples + " must be at least 1");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + " must be at least 1");
        }
        this.maxSamples = maxSamples;
        this.maxMessageBytes = maxMessageBytes;
    }

    public DecodedBatch decode(Batch batch) throws WireException {
        load(batch);
        // The whole Envelope, as the encoder counts it: tag and length of the batch field included.
        return decodeLoaded(CodedOutputStream.computeMessageSize(3, batch));
    }

    /**
     * Decodes one WebSocket message that must be an {@code Envelope} holding a {@code Batch}.
     *
     * @throws WireException as {@link Wire#parse} and {@link #decode(Batch)} do, and {@code INVALID}
     *     when the envelope holds another message
     */
    public DecodedBatch decode(byte[] envelopeBytes) throws WireException {
        if (envelopeBytes.length > maxMessageBytes || !loadCanonical(envelopeBytes)) {
            Envelope e = Wire.parse(envelopeBytes, maxMessageBytes);
            if (!e.hasBatch()) {
                throw new WireException(
                        WireException.Kind.INVALID,
                        "expected a batch, got " + e.getMsgCase() + " (" + envelopeBytes.length + " bytes)");
            }
            load(e.getBatch());
        }
        return decodeLoaded(envelopeBytes.length);
    }

    /**
     * The server's rules for this connection, set before its first batch: the store holds every seq
     * below {@code expectedSeq} (its last stored seq + 1), the newest stored capture time is {@code
     * notBeforeMs} (Long.MIN_VALUE when none). A first batch starting after {@code expectedSeq} must
     * declare the jump (gap, dropped ≥ jump); one starting at or below it overlaps the store, which
     * the caller checks. Capture times must not decrease from here on.
     */
    public void expect(long expectedSeq, long notBeforeMs) {
        if (nextSeq >= 0) {
            throw new IllegalStateException("expect must be called before the first batch");
        }
        this.expectedSeq = expectedSeq;
        this.notBeforeMs = notBeforeMs;
        this.timeRule = true;
    }

    /** The predictor state after the last batch (for tests comparing it with the encoder's). */
    public double[] predictorState() {
        return predictor.snapshot();
    }

    /**
     * The {@code gap_reason} of the last batch decoded (or refused), as its wire number: 0 when absent
     * (an older edge: read it as {@code GAP_REASON_DROPPED}). See {@link io.fleetlog.wire.v1.GapReason}.
     */
    public int lastGapReason() {
        return gapReason;
    }

    /** The seq the next batch must start at, or -1 before the first batch. */
    public long nextSeq() {
        return nextSeq;
    }

    public CompressionStats stats() {
        return stats.snapshot();
    }

    /** Checks and reconstructs the loaded batch; commits the connection state only at the end. */
    private DecodedBatch decodeLoaded(long messageBytes) throws WireException {
        int n = count;
        long first = firstSeq;
        checkShape(n, first);
        Predictor p = predictor.copy();
        List<Sample> out = new ArrayList<>(n);
        long t = firstTimeMs;
        long dt = 0;
        // A batch overlapping the store (first below expectedSeq) has its stored part compared exactly.
        long previousMs = nextSeq >= 0 || first >= expectedSeq ? notBeforeMs : Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (hasDt[i]) {
                dt = dts[i];
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
            if (timeRule && t < previousMs) {
                throw new WireException(
                        WireException.Kind.TIME_BACKWARDS,
                        "seq " + (first + i) + ": capture time " + t + " ms is " + (previousMs - t)
                                + " ms before the previous sample's " + previousMs
                                + " ms (time may not run backwards)");
            }
            previousMs = t;
            out.add(reconstruct(p, i, first + i, t));
        }
        long after = nextSeq >= 0 ? nextSeq : expectedSeq;
        long skipped = after >= 0 ? Math.max(0, first - after) : 0;
        predictor = p;
        nextSeq = first + n;
        notBeforeMs = t;
        count(n, messageBytes);
        return new DecodedBatch(out, first, first + n - 1, skipped);
    }

    private void checkShape(int n, long first) throws WireException {
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
        if (nextSeq >= 0 && first != nextSeq && !(first > nextSeq && gap)) {
            throw new WireException(
                    WireException.Kind.SEQ_NOT_FOLLOWING,
                    "batch first seq " + first + " does not follow " + (nextSeq - 1)
                            + (first < nextSeq ? " (overlap)" : " (undeclared gap)"));
        }
        long after = nextSeq >= 0 ? nextSeq : expectedSeq;
        if (after >= 0 && first > after) {
            long jump = first - after;
            if (!gap) {
                throw new WireException(
                        WireException.Kind.SEQ_NOT_FOLLOWING,
                        "batch first seq " + first + " jumps " + jump + " seqs past " + (after - 1)
                                + " (undeclared gap: the batch does not set gap)");
            }
            if (Long.compareUnsigned(jump, dropped) > 0) {
                throw new WireException(
                        WireException.Kind.SEQ_NOT_FOLLOWING,
                        "batch first seq " + first + " jumps " + jump + " seqs past " + (after - 1) + " but declares "
                                + Long.toUnsignedString(dropped) + " dropped");
            }
        }
    }

    private Sample reconstruct(Predictor p, int i, long seq, long t) throws WireException {
        double[] v = new double[Field.COUNT];
        int omittedMask = 0;
        int flags = unavailable[i];
        int sent = present[i];
        if (flags >>> Field.COUNT != 0) {
            throw new WireException(
                    WireException.Kind.INVALID,
                    "seq " + seq + ": unavailable mask 0x" + Integer.toHexString(flags) + " names unknown fields");
        }
        for (int f = 0; f < Field.COUNT; f++) {
            Field field = Field.of(f);
            double r;
            boolean hasValue = (sent & (1 << f)) != 0;
            if ((flags & (1 << f)) != 0) {
                if (hasValue) {
                    throw new WireException(
                            WireException.Kind.INVALID,
                            "seq " + seq + ": " + field.key() + " is both sent and flagged unavailable");
                }
                r = Double.NaN;
            } else if (hasValue) {
                r = valueOf(field, p.baseUnits(field), deltas[i * Field.COUNT + f], seq);
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
    private void count(int n, long messageBytes) {
        for (int i = 0; i < n; i++) {
            boolean key = true;
            for (int f = 0; f < Field.COUNT; f++) {
                boolean sent = (present[i] & (1 << f)) != 0;
                boolean flagged = (unavailable[i] & (1 << f)) != 0;
                key &= sent || flagged;
                stats.field(f, sent, flagged);
            }
            stats.sample(key);
        }
        stats.batch(messageBytes);
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

    /** Copies a parsed Batch into the scratch arrays. */
    private void load(Batch batch) {
        int n = batch.getSamplesCount();
        count = n;
        firstSeq = batch.getFirstSeq();
        firstTimeMs = batch.getFirstTimeMs();
        gap = batch.getGap();
        dropped = batch.getDropped();
        gapReason = batch.getGapReasonValue();
        if (n > maxSamples) {
            return; // refused by checkShape; don't copy what will not be decoded
        }
        ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            io.fleetlog.wire.v1.Sample s = batch.getSamples(i);
            hasDt[i] = s.hasDtMs();
            dts[i] = s.getDtMs();
            unavailable[i] = s.getUnavailable();
            int mask = 0;
            int base = i * Field.COUNT;
            if (s.hasSpeed()) {
                mask |= 1;
                deltas[base] = s.getSpeed();
            }
            if (s.hasPower()) {
                mask |= 1 << 1;
                deltas[base + 1] = s.getPower();
            }
            if (s.hasSoc()) {
                mask |= 1 << 2;
                deltas[base + 2] = s.getSoc();
            }
            if (s.hasHeading()) {
                mask |= 1 << 3;
                deltas[base + 3] = s.getHeading();
            }
            if (s.hasOdometer()) {
                mask |= 1 << 4;
                deltas[base + 4] = s.getOdometer();
            }
            if (s.hasLatitude()) {
                mask |= 1 << 5;
                deltas[base + 5] = s.getLatitude();
            }
            if (s.hasLongitude()) {
                mask |= 1 << 6;
                deltas[base + 6] = s.getLongitude();
            }
            if (s.hasElevation()) {
                mask |= 1 << 7;
                deltas[base + 7] = s.getElevation();
            }
            present[i] = mask;
        }
    }

    /**
     * Reads a canonically encoded Envelope{batch} straight into the scratch arrays: the batch is the
     * envelope's only field, Batch fields 1, 2, 3…, 5, 6 and Sample fields 1…9, 15 each at most once
     * and in number order, nothing unknown, at most {@code maxSamples} samples. Returns false at the
     * first deviation (or truncation): the caller then takes the generated parser's route, which
     * gives the protobuf semantics (merging, last value wins, unknown fields) and its error messages.
     */
    boolean loadCanonical(byte[] bytes) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            if (in.readTag() != ENVELOPE_BATCH_TAG) {
                return false;
            }
            int length = in.readRawVarint32();
            if (length != bytes.length - in.getTotalBytesRead()) {
                return false;
            }
            count = 0;
            firstSeq = 0;
            firstTimeMs = 0;
            gap = false;
            dropped = 0;
            gapReason = 0;
            int last = 0;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag) {
                    case (1 << 3) | 0 -> {
                        if (last >= 1) {
                            return false;
                        }
                        firstSeq = in.readUInt64();
                        last = 1;
                    }
                    case (2 << 3) | 0 -> {
                        if (last >= 2) {
                            return false;
                        }
                        firstTimeMs = in.readInt64();
                        last = 2;
                    }
                    case (3 << 3) | 2 -> {
                        if (last > 3 || count == maxSamples || !loadSample(in)) {
                            return false;
                        }
                        last = 3;
                    }
                    case (5 << 3) | 0 -> {
                        if (last >= 5) {
                            return false;
                        }
                        gap = in.readBool();
                        last = 5;
                    }
                    case (6 << 3) | 0 -> {
                        if (last >= 6) {
                            return false;
                        }
                        dropped = in.readUInt64();
                        last = 6;
                    }
                    case (7 << 3) | 0 -> {
                        if (last >= 7) {
                            return false;
                        }
                        gapReason = in.readEnum();
                        last = 7;
                    }
                    default -> {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false; // truncated or malformed: the generated parser says what exactly
        }
    }

    private boolean loadSample(CodedInputStream in) throws IOException {
        int i = count;
        ensureCapacity(i + 1);
        int limit = in.pushLimit(in.readRawVarint32());
        hasDt[i] = false;
        dts[i] = 0;
        unavailable[i] = 0;
        int mask = 0;
        int last = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = tag >>> 3;
            if (field <= last) {
                return false;
            }
            if (field == 1 && (tag & 7) == 0) {
                hasDt[i] = true;
                dts[i] = in.readSInt64();
            } else if (field >= 2 && field <= 9 && (tag & 7) == 0) {
                deltas[i * Field.COUNT + field - 2] = in.readSInt64();
                mask |= 1 << (field - 2);
            } else if (field == 15 && (tag & 7) == 0) {
                unavailable[i] = in.readUInt32();
            } else {
                return false;
            }
            last = field;
        }
        in.popLimit(limit);
        present[i] = mask;
        count = i + 1;
        return true;
    }

    private void ensureCapacity(int n) {
        if (present.length < n) {
            int c = Math.max(n, Math.max(16, present.length * 2));
            hasDt = Arrays.copyOf(hasDt, c);
            dts = Arrays.copyOf(dts, c);
            present = Arrays.copyOf(present, c);
            unavailable = Arrays.copyOf(unavailable, c);
            deltas = Arrays.copyOf(deltas, c * Field.COUNT);
        }
    }
}
