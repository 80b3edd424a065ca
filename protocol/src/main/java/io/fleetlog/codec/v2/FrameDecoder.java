package io.fleetlog.codec.v2;

import com.google.protobuf.CodedOutputStream;
import io.fleetlog.codec.WireException;
import io.fleetlog.frame.Frame;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.GapReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server half of the v2 codec, one instance per connection: {@code fleetlog.v2} batches back into
 * {@link Frame}s over the connection's {@link FrameLayout}.
 *
 * <p>Per frame and captured signal: a sent value is the quantised prediction plus the delta (exact
 * types: the value itself); a value captured but not sent is the prediction — or, when there is no
 * prediction, the signal was captured unavailable; a signal flagged unavailable is unavailable; a
 * signal not captured is absent from the frame, and no value is made up for it. The predictors are fed
 * exactly what the {@link FrameEncoder} fed its own, so the two stay bit-identical.
 *
 * <p>{@link #decode} is all or nothing: it returns every frame of the batch, or throws a {@link
 * WireException} whose kind and message say what is wrong and where (seq, signal, numbers) and leaves
 * the predictors, the expected next seq and the stats as they were. Batches must follow each other on
 * the connection; a forward jump is accepted only when the batch declares a gap of at least that many
 * seqs. Not thread-safe, except {@link #stats()}.
 */
public final class FrameDecoder {
    private final FrameLayout layout;
    private final Slots slots;
    private final int maxFrames;
    private final int maxMessageBytes;
    private final int bitmapBytes;
    private final byte[] allSlots;
    private Predictors predictors;
    private long nextSeq = -1;
    private final FrameStatsCounter stats;

    // the batch being decoded
    private byte[] blob;
    private int pos;
    private long seq; // of the frame being decoded, for messages
    private final byte[] captured;
    private final byte[] previousCaptured;
    private final int[] capturedSlots;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // REPORTs malformed input

    public FrameDecoder(FrameLayout layout) {
        this(layout, WireV2.DEFAULT_MAX_BATCH_FRAMES, WireV2.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param maxFrames the most frames one batch may hold
     * @param maxMessageBytes the largest message {@link #decode(byte[])} accepts
     */
    public FrameDecoder(FrameLayout layout, int maxFrames, int maxMessageBytes) {
        if (maxFrames < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException(
                    "maxFrames " + maxFrames + " and maxMessageBytes " + maxMessageBytes + " must be at least 1");
        }
        this.layout = layout;
        this.slots = new Slots(layout);
        this.maxFrames = maxFrames;
        this.maxMessageBytes = maxMessageBytes;
        this.bitmapBytes = (layout.size() + 7) >>> 3;
        this.predictors = new Predictors(layout.size());
        this.stats = new FrameStatsCounter(layout.size());
        allSlots = new byte[bitmapBytes];
        for (int s = 0; s < layout.size(); s++) {
            allSlots[s >>> 3] |= (byte) (1 << (s & 7));
        }
        captured = new byte[bitmapBytes];
        previousCaptured = new byte[bitmapBytes];
        capturedSlots = new int[layout.size()];
    }

    public FrameLayout layout() {
        return layout;
    }

    /**
     * Decodes one WebSocket message that must be an {@code Envelope} holding a {@code Batch}.
     *
     * @throws WireException as {@link WireV2#parse} and {@link #decode(Batch)}, and {@code INVALID} when
     *     the envelope holds another message
     */
    public DecodedFrames decode(byte[] envelopeBytes) throws WireException {
        Envelope e = WireV2.parse(envelopeBytes, maxMessageBytes);
        if (!e.hasBatch()) {
            throw new WireException(
                    WireException.Kind.INVALID,
                    "expected a batch, got " + e.getMsgCase() + " (" + envelopeBytes.length + " bytes)");
        }
        return decode(e.getBatch(), envelopeBytes.length);
    }

    /** Decodes a parsed batch; counts the bytes of its canonical Envelope. */
    public DecodedFrames decode(Batch batch) throws WireException {
        return decode(batch, CodedOutputStream.computeMessageSize(3, batch));
    }

    /** The seq the next batch must start at, or -1 before the first batch. */
    public long nextSeq() {
        return nextSeq;
    }

    /** The predictors after the last batch (tests compare them with the encoder's). */
    public PredictorState predictorState() {
        return predictors.snapshot();
    }

    /** Counters of whole decoded batches; may be called from any thread. */
    public FrameStats stats() {
        return stats.snapshot();
    }

    private DecodedFrames decode(Batch batch, long messageBytes) throws WireException {
        long first = batch.getFirstSeq();
        long n = Integer.toUnsignedLong(batch.getCount());
        if (n == 0) {
            throw new WireException(
                    WireException.Kind.INVALID, "batch at seq " + Long.toUnsignedString(first) + " has no frames");
        }
        if (n > maxFrames) {
            throw new WireException(
                    WireException.Kind.TOO_LARGE, "batch of " + n + " frames exceeds the limit of " + maxFrames);
        }
        if (first < 0 || first > Long.MAX_VALUE - n) {
            throw new WireException(
                    WireException.Kind.OUT_OF_RANGE,
                    "first seq " + Long.toUnsignedString(first) + " with " + n + " frames is out of range");
        }
        Gap gap = gap(batch, first);
        checkFollows(first, gap);
        blob = batch.getFrames().toByteArray();
        pos = 0;
        Predictors p = predictors.copy();
        stats.begin();
        List<Frame> out = new ArrayList<>((int) n);
        long values = 0;
        System.arraycopy(allSlots, 0, previousCaptured, 0, bitmapBytes);
        long t = batch.getFirstTimeMs();
        long dt = 0;
        for (int i = 0; i < n; i++) {
            seq = first + i;
            if (pos >= blob.length) {
                throw new WireException(
                        WireException.Kind.MALFORMED,
                        "frames end after " + i + " of " + n + " frames (" + blob.length + " bytes)");
            }
            int flags = blob[pos++] & 0xff;
            if ((flags & ~FrameFormat.KNOWN_FLAGS) != 0
                    || (flags & (FrameFormat.SENT | FrameFormat.ALL_SENT))
                            == (FrameFormat.SENT | FrameFormat.ALL_SENT)) {
                throw invalid("frame flags 0x" + Integer.toHexString(flags) + " are not valid");
            }
            if ((flags & FrameFormat.DT) != 0) {
                if (i == 0) {
                    throw invalid("the first frame of a batch carries a time delta (its time is first_time_ms)");
                }
                dt = readZigzag();
            }
            if (i > 0) {
                try {
                    t = Math.addExact(t, dt);
                } catch (ArithmeticException ex) {
                    throw outOfRange("capture time overflows");
                }
            }
            if (t < FrameFormat.MIN_TIME_MS || t >= FrameFormat.MAX_TIME_MS) {
                throw outOfRange("capture time " + t + " ms is not believable");
            }
            Frame f = frame(flags, t, p);
            values += f.size();
            out.add(f);
        }
        if (pos != blob.length) {
            throw invalid((blob.length - pos) + " bytes left over after " + n + " frames");
        }
        long skipped = nextSeq >= 0 ? first - nextSeq : 0;
        predictors = p;
        nextSeq = first + n;
        stats.commit((int) n, messageBytes);
        blob = null;
        return new DecodedFrames(
                out, first, first + n - 1, skipped, gap, batch.hasVin() ? batch.getVin() : null, values);
    }

    private static Gap gap(Batch batch, long first) throws WireException {
        GapReason reason = batch.getGapReason();
        long dropped = batch.getDropped();
        if (!batch.getGap()) {
            if (dropped != 0 || batch.getGapReasonValue() != 0) {
                throw new WireException(
                        WireException.Kind.INVALID,
                        "batch at seq " + first + " declares dropped " + Long.toUnsignedString(dropped)
                                + " and gap_reason " + batch.getGapReasonValue() + " without the gap flag");
            }
            return Gap.NONE;
        }
        if (dropped < 1 || (reason != GapReason.DROPPED && reason != GapReason.CORRUPT)) {
            throw new WireException(
                    WireException.Kind.INVALID,
                    "batch at seq " + first + " declares a gap of " + Long.toUnsignedString(dropped)
                            + " dropped with gap_reason " + batch.getGapReasonValue()
                            + " (a gap needs dropped >= 1 and a reason DROPPED or CORRUPT)");
        }
        return new Gap(dropped, reason);
    }

    private void checkFollows(long first, Gap gap) throws WireException {
        if (nextSeq < 0 || first == nextSeq) {
            return;
        }
        if (first < nextSeq) {
            throw new WireException(
                    WireException.Kind.SEQ_NOT_FOLLOWING,
                    "batch first seq " + first + " does not follow " + (nextSeq - 1) + " (overlap)");
        }
        long jump = first - nextSeq;
        if (jump > gap.dropped()) {
            throw new WireException(
                    WireException.Kind.SEQ_NOT_FOLLOWING,
                    "batch first seq " + first + " does not follow " + (nextSeq - 1)
                            + (gap.isGap()
                                    ? " (a jump of " + jump + " seqs, but only " + gap.dropped() + " declared dropped)"
                                    : " (undeclared gap)"));
        }
    }

    /** Reads the bitmaps and values of one frame after its flags and time. */
    private Frame frame(int flags, long t, Predictors p) throws WireException {
        if ((flags & FrameFormat.CAPTURED) != 0) {
            need(bitmapBytes, "captured bitmap");
            System.arraycopy(blob, pos, captured, 0, bitmapBytes);
            pos += bitmapBytes;
            int extra = layout.size() & 7;
            if (extra != 0 && (captured[bitmapBytes - 1] & 0xff) >>> extra != 0) {
                throw invalid("captured bitmap names slots beyond the layout's " + layout.size());
            }
        } else {
            System.arraycopy(previousCaptured, 0, captured, 0, bitmapBytes);
        }
        System.arraycopy(captured, 0, previousCaptured, 0, bitmapBytes);
        int c = 0;
        for (int b = 0; b < bitmapBytes; b++) {
            int bits = captured[b] & 0xff;
            while (bits != 0) {
                int low = Integer.numberOfTrailingZeros(bits);
                capturedSlots[c++] = (b << 3) + low;
                bits &= bits - 1;
            }
        }
        int uOff = -1;
        int flagged = 0;
        if ((flags & FrameFormat.UNAVAILABLE) != 0) {
            uOff = bitmap(c, "unavailable bitmap");
            for (int k = 0; k < (c + 7) >>> 3; k++) {
                flagged += Integer.bitCount(blob[uOff + k] & 0xff);
            }
        }
        int a = c - flagged;
        int sOff = (flags & FrameFormat.SENT) != 0 ? bitmap(a, "sent bitmap") : -1;
        boolean allSent = (flags & FrameFormat.ALL_SENT) != 0;
        Frame.Builder b = Frame.builder(t, c);
        int k = 0;
        for (int j = 0; j < c; j++) {
            int s = capturedSlots[j];
            int id = layout.id(s);
            if (uOff >= 0 && (blob[uOff + (j >>> 3)] & (1 << (j & 7))) != 0) {
                b.unavailable(id);
                p.forget(s);
                stats.bUnavailable[s]++;
                continue;
            }
            boolean sent = allSent || (sOff >= 0 && (blob[sOff + (k >>> 3)] & (1 << (k & 7))) != 0);
            k++;
            int kind = slots.kind[s];
            if (sent) {
                if (kind <= Slots.ANGLE) {
                    readFloat(b, s, id, kind, p);
                } else {
                    readValue(b, s, id, kind, p);
                }
                stats.bSent[s]++;
            } else if (!p.has(kind, s)) {
                b.unavailable(id); // captured, not sent, nothing to predict from: unavailable
                p.forget(s);
                stats.bUnavailable[s]++;
            } else {
                predicted(b, s, id, kind, p);
                stats.bOmitted[s]++;
            }
        }
        return b.build();
    }

    /** A bitmap of {@code bits} bits at pos, padding zero; returns its offset. */
    private int bitmap(int bits, String what) throws WireException {
        int len = (bits + 7) >>> 3;
        need(len, what);
        int off = pos;
        pos += len;
        if ((bits & 7) != 0 && (blob[off + len - 1] & 0xff) >>> (bits & 7) != 0) {
            throw invalid(what + " has bits beyond its " + bits + " signals");
        }
        return off;
    }

    /** A sent float: the quantised prediction plus the delta, checked against the range. */
    private void readFloat(Frame.Builder b, int s, int id, int kind, Predictors p) throws WireException {
        long u = add(slots.base(s, p.p[s]), readZigzag(), s);
        if (kind == Slots.ANGLE) {
            u = u >= 0 && u < slots.turn[s] ? u : Math.floorMod(u, slots.turn[s]);
        } else if (u < slots.minUnits[s] || u > slots.maxUnits[s]) {
            throw outOfRange(slots.name(s) + " " + slots.fromUnits(s, u) + " is outside its range "
                    + slots.fromUnits(s, slots.minUnits[s]) + ".." + slots.fromUnits(s, slots.maxUnits[s]));
        }
        double r = slots.fromUnits(s, u);
        if (kind == Slots.ANGLE) {
            p.updateAngle(s, r);
        } else {
            p.updateFloat(s, r);
        }
        b.number(id, r);
    }

    private void readValue(Frame.Builder b, int s, int id, int kind, Predictors p) throws WireException {
        switch (kind) {
            case Slots.LOCATION -> {
                double plat = p.p[s];
                long blat = Double.isNaN(plat) ? 0 : slots.coordUnits(s, plat);
                long blon = Double.isNaN(plat) ? 0 : slots.coordUnits(s, p.q[s]);
                long ulat = add(blat, readZigzag(), s);
                long ulon = slots.wrapLon(s, add(blon, readZigzag(), s));
                if (ulat < slots.minUnits[s] || ulat > slots.maxUnits[s]) {
                    throw outOfRange(slots.name(s) + " latitude " + slots.fromUnits(s, ulat) + " is outside -90..90");
                }
                double lat = slots.fromUnits(s, ulat);
                double lon = slots.fromUnits(s, ulon);
                p.updateLocation(s, lat, lon);
                b.position(id, lat, lon);
            }
            case Slots.INTEGER -> {
                long v = add(p.known[s] ? p.last[s] : 0, readZigzag(), s);
                if (v < slots.minUnits[s] || v > slots.maxUnits[s]) {
                    throw outOfRange(
                            slots.name(s) + " " + v + " is outside " + slots.minUnits[s] + ".." + slots.maxUnits[s]);
                }
                p.setLast(s, v);
                b.integer(id, v);
            }
            case Slots.ENUM -> {
                long v = readVarint();
                if (!slots.hasCode(s, v)) {
                    throw outOfRange(slots.name(s) + " code " + Long.toUnsignedString(v) + " is not one of its "
                            + slots.codes[s].length + " enum codes");
                }
                p.setLast(s, v);
                b.integer(id, v);
            }
            case Slots.BOOL -> {
                long v = readVarint();
                if (v != 0 && v != 1) {
                    throw invalid(slots.name(s) + " boolean " + Long.toUnsignedString(v) + " is not 0 or 1");
                }
                p.setLast(s, v);
                b.integer(id, v);
            }
            default -> { // STRING
                long len = readVarint();
                if (len < 0 || len > slots.maxBytes[s]) {
                    throw outOfRange(slots.name(s) + " string of " + Long.toUnsignedString(len)
                            + " bytes exceeds maxlength " + slots.maxBytes[s]);
                }
                need((int) len, slots.name(s) + " string");
                String v;
                try {
                    v = utf8.decode(ByteBuffer.wrap(blob, pos, (int) len)).toString();
                } catch (CharacterCodingException e) {
                    throw invalid(slots.name(s) + " string of " + len + " bytes is not valid UTF-8");
                }
                pos += (int) len;
                p.str[s] = v;
                b.string(id, v);
            }
        }
    }

    /** A captured value omitted by compression: the prediction (exact types: the last value). */
    private static void predicted(Frame.Builder b, int s, int id, int kind, Predictors p) {
        switch (kind) {
            case Slots.FLOAT -> {
                double r = p.p[s];
                p.updateFloat(s, r);
                b.number(id, r);
            }
            case Slots.ANGLE -> {
                double r = p.p[s];
                p.updateAngle(s, r);
                b.number(id, r);
            }
            case Slots.LOCATION -> {
                double lat = p.p[s];
                double lon = p.q[s];
                p.updateLocation(s, lat, lon);
                b.position(id, lat, lon);
            }
            case Slots.STRING -> b.string(id, p.str[s]);
            default -> b.integer(id, p.last[s]);
        }
        b.omitted();
    }

    private long add(long base, long delta, int s) throws WireException {
        try {
            return Math.addExact(base, delta);
        } catch (ArithmeticException e) {
            throw outOfRange(slots.name(s) + " overflows");
        }
    }

    private void need(int len, String what) throws WireException {
        if (len > blob.length - pos) {
            throw new WireException(
                    WireException.Kind.MALFORMED,
                    "seq " + seq + ": " + what + " of " + len + " bytes runs past the end of the frames (" + blob.length
                            + " bytes)");
        }
    }

    private long readVarint() throws WireException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= blob.length) {
                throw new WireException(
                        WireException.Kind.MALFORMED, "seq " + seq + ": a varint runs past the end of the frames");
            }
            byte x = blob[pos++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new WireException(WireException.Kind.MALFORMED, "seq " + seq + ": a varint is longer than 10 bytes");
    }

    private long readZigzag() throws WireException {
        long v = readVarint();
        return (v >>> 1) ^ -(v & 1);
    }

    private WireException invalid(String message) {
        return new WireException(WireException.Kind.INVALID, "seq " + seq + ": " + message);
    }

    private WireException outOfRange(String message) {
        return new WireException(WireException.Kind.OUT_OF_RANGE, "seq " + seq + ": " + message);
    }

    @Override
    public String toString() {
        return "FrameDecoder[" + layout + ", next seq " + nextSeq + "]";
    }
}
