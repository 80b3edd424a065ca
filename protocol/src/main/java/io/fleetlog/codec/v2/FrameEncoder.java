package io.fleetlog.codec.v2;

import io.fleetlog.catalog.Position;
import io.fleetlog.frame.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The edge half of the v2 codec, one instance per connection: frames over a {@link FrameLayout} into
 * {@code fleetlog.v2.Envelope}{batch} bytes.
 *
 * <p><b>The law</b> (DESIGN's, per slot). A float signal captured with value {@code x} is sent at its
 * resolution ({@code r} = the rounded value) when it must be keyed, when there is no prediction, or
 * when {@code distance(x, p) > bound}; otherwise it is omitted and {@code r = p}. Then {@code p ← α·r
 * + (1−α)·p} (on the circle for an angle). A location is the same with the great-circle distance in
 * metres and both coordinates sent together. Every other type is sent when it must be keyed or when it
 * differs from the last value, and is otherwise omitted (the last value is then the captured one). A
 * signal must be keyed when its value is its first captured value in the current <i>keyframe
 * period</i>: periods start at the connection's first frame and at the first frame at least {@code
 * keyframeInterval} (default 30 s) of capture time after the period's start, or earlier than it (the
 * clock went back). A signal not captured in a frame is not touched; a signal captured unavailable
 * forgets its prediction. Hence every captured value is reconstructed within {@code
 * Signal.effectiveBound()}, exact for exact types.
 *
 * <p>{@link #encode} either encodes the whole batch and advances the connection state, or throws
 * {@link IllegalArgumentException} (naming the seq, the signal and the value) and changes nothing. Not
 * thread-safe, except {@link #stats()}.
 */
public final class FrameEncoder {
    /** Default keyframe period: DESIGN's 30 s. */
    public static final Duration DEFAULT_KEYFRAME_INTERVAL = Duration.ofSeconds(30);

    private final FrameLayout layout;
    private final Slots slots;
    private final long keyframeMs;
    private final int bitmapBytes;
    private Predictors predictors;
    private int[] keyedPeriod; // the period in which the slot last had a value sent
    private int period; // 0 before the first frame
    private long periodStartMs;
    private long nextSeq = -1;
    private final FrameStatsCounter stats;

    // scratch
    private final ByteSink frames = new ByteSink();
    private final ByteSink values = new ByteSink();
    private final byte[] captured;
    private final byte[] previousCaptured;
    private final byte[] unavailableBits;
    private final byte[] sentBits;

    public FrameEncoder(FrameLayout layout) {
        this(layout, DEFAULT_KEYFRAME_INTERVAL);
    }

    /** @param keyframeInterval positive, at most an hour */
    public FrameEncoder(FrameLayout layout, Duration keyframeInterval) {
        if (keyframeInterval.isNegative()
                || keyframeInterval.isZero()
                || keyframeInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "keyframe interval " + keyframeInterval + " must be positive and at most 1 hour");
        }
        this.layout = layout;
        this.slots = new Slots(layout);
        this.keyframeMs = keyframeInterval.toMillis();
        this.bitmapBytes = (layout.size() + 7) >>> 3;
        this.predictors = new Predictors(layout.size());
        this.keyedPeriod = new int[layout.size()];
        this.stats = new FrameStatsCounter(layout.size());
        captured = new byte[bitmapBytes];
        previousCaptured = new byte[bitmapBytes];
        unavailableBits = new byte[bitmapBytes];
        sentBits = new byte[bitmapBytes];
    }

    public FrameLayout layout() {
        return layout;
    }

    /** Encodes {@code frames} as seqs {@code firstSeq}, {@code firstSeq + 1}, … with no gap. */
    public EncodedFrames encode(long firstSeq, List<Frame> frames) {
        return encode(firstSeq, frames, Gap.NONE);
    }

    /**
     * Encodes {@code frames} (at least one) as seqs {@code firstSeq}, {@code firstSeq + 1}, …, the
     * connection's next batch. A batch that starts after the seq this connection sent last needs a
     * {@code gap} of at least the jump; a gap may also be declared on the first batch, or without a
     * jump (dropped seqs that were already sent).
     *
     * @throws IllegalArgumentException on bad seqs, a signal outside the layout, a value of the wrong
     *     kind or out of range, an unbelievable capture time; nothing is changed then (values are checked
     *     as they are encoded, into scratch state that is committed only when the whole batch is done)
     */
    public EncodedFrames encode(long firstSeq, List<Frame> batch, Gap gap) {
        int n = batch.size();
        validate(firstSeq, batch, gap);
        Predictors p = predictors.copy();
        int[] keyed = keyedPeriod.clone();
        int per = period;
        long perStart = periodStartMs;
        stats.begin();
        this.frames.reset();
        long values = 0;
        long prevDt = 0;
        fillAll(previousCaptured);
        for (int i = 0; i < n; i++) {
            Frame f = batch.get(i);
            long t = f.timeMs();
            if (per == 0 || t - perStart >= keyframeMs || t < perStart) {
                per++;
                perStart = t;
            }
            long dt = i == 0 ? 0 : t - batch.get(i - 1).timeMs();
            writeFrame(firstSeq + i, f, p, keyed, per, dt != prevDt, dt, previousCaptured);
            System.arraycopy(captured, 0, previousCaptured, 0, bitmapBytes);
            prevDt = dt;
            values += f.size();
        }
        byte[] bytes = envelope(firstSeq, batch.get(0).timeMs(), n, gap);
        // commit
        predictors = p;
        keyedPeriod = keyed;
        period = per;
        periodStartMs = perStart;
        nextSeq = firstSeq + n;
        stats.commit(n, bytes.length);
        return new EncodedFrames(
                bytes,
                firstSeq,
                firstSeq + n - 1,
                n,
                values,
                batch.get(0).timeMs(),
                batch.get(n - 1).timeMs(),
                gap);
    }

    /** The predictors after the last batch (tests compare them with the decoder's). */
    public PredictorState predictorState() {
        return predictors.snapshot();
    }

    /** Counters of whole batches; may be called from any thread. */
    public FrameStats stats() {
        return stats.snapshot();
    }

    /** Sets the bit of every slot: the captured set a batch's first frame starts from. */
    private void fillAll(byte[] b) {
        Arrays.fill(b, (byte) 0);
        for (int s = 0; s < layout.size(); s++) {
            b[s >>> 3] |= (byte) (1 << (s & 7));
        }
    }

    /** Decides and writes one frame: flags, [dt], [captured], [unavailable], [sent], values. */
    private void writeFrame(
            long seq, Frame f, Predictors p, int[] keyed, int per, boolean writeDt, long dt, byte[] prevCap) {
        int c = f.size();
        for (int b = 0; b < bitmapBytes; b++) { // a loop, not Arrays.fill: a layout's bitmap is a byte or two
            captured[b] = 0;
            unavailableBits[b] = 0;
            sentBits[b] = 0;
        }
        values.reset();
        int flagged = 0;
        int a = 0; // index among captured, not flagged
        int sentCount = 0;
        for (int j = 0; j < c; j++) {
            int s = layout.slot(f.id(j));
            if (s < 0) {
                throw new IllegalArgumentException("seq " + seq + ": signal id " + f.id(j)
                        + " is not in this connection's layout (" + layout + ")");
            }
            captured[s >>> 3] |= (byte) (1 << (s & 7));
            int kind = slots.kind[s];
            if (f.unavailable(j)) {
                if (p.has(kind, s)) {
                    unavailableBits[j >>> 3] |= (byte) (1 << (j & 7));
                    flagged++;
                } else {
                    a++; // not flagged: the decoder infers "unavailable" from "no prediction, not sent"
                }
                stats.bUnavailable[s]++;
                p.forget(s);
                continue;
            }
            boolean key = keyed[s] != per;
            boolean sent;
            if (kind <= Slots.ANGLE) {
                sent = decideFloat(seq, f, j, s, kind, key, p);
            } else if (kind == Slots.LOCATION) {
                sent = decideLocation(seq, f, j, s, key, p);
            } else {
                checkValue(seq, f, j, s);
                sent = decide(f, j, s, kind, key, p);
            }
            if (sent) {
                keyed[s] = per;
                sentBits[a >>> 3] |= (byte) (1 << (a & 7));
                sentCount++;
                stats.bSent[s]++;
            } else {
                stats.bOmitted[s]++;
            }
            a++;
        }
        int notFlagged = c - flagged;
        boolean capturedChanged = false;
        for (int b = 0; b < bitmapBytes; b++) {
            capturedChanged |= captured[b] != prevCap[b];
        }
        int flags = (writeDt ? FrameFormat.DT : 0)
                | (capturedChanged ? FrameFormat.CAPTURED : 0)
                | (flagged > 0 ? FrameFormat.UNAVAILABLE : 0)
                | (sentCount == 0 ? 0 : sentCount == notFlagged ? FrameFormat.ALL_SENT : FrameFormat.SENT);
        frames.writeByte(flags);
        if (writeDt) {
            frames.writeZigzag(dt);
        }
        if (capturedChanged) {
            frames.write(captured, 0, bitmapBytes);
        }
        if (flagged > 0) {
            frames.write(unavailableBits, 0, (c + 7) >>> 3);
        }
        if ((flags & FrameFormat.SENT) != 0) {
            frames.write(sentBits, 0, (notFlagged + 7) >>> 3);
        }
        frames.write(values.buf, 0, values.len);
    }

    /** The law for a float: checks the value, sends or omits it, feeds the predictor. Returns sent. */
    private boolean decideFloat(long seq, Frame f, int j, int s, int kind, boolean key, Predictors p) {
        if (f.kind(j) != Frame.Kind.NUMBER) {
            checkValue(seq, f, j, s); // throws, naming the kind
        }
        double x = f.number(j);
        if (!(x >= slots.minValue[s] && x <= slots.maxValue[s])) {
            checkValue(seq, f, j, s); // throws, naming the range
        }
        double pred = p.p[s];
        double r;
        boolean sent;
        if (!key && !Double.isNaN(pred) && slots.distance(s, x, pred) <= slots.bound[s]) {
            r = pred;
            sent = false;
        } else {
            long u = slots.units(s, x);
            long d = u - slots.base(s, pred);
            if (kind == Slots.ANGLE) {
                d = slots.wrapAngleDelta(s, d);
            }
            values.writeZigzag(d);
            r = slots.fromUnits(s, u);
            sent = true;
        }
        if (kind == Slots.ANGLE) {
            p.updateAngle(s, r);
        } else {
            p.updateFloat(s, r);
        }
        return sent;
    }

    /** The law for a location: the distance in metres against the bound; both coordinates sent together. */
    private boolean decideLocation(long seq, Frame f, int j, int s, boolean key, Predictors p) {
        if (f.kind(j) != Frame.Kind.POSITION) {
            checkValue(seq, f, j, s); // throws, naming the kind
        }
        double lat = f.latitude(j);
        double lon = f.longitude(j);
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
            checkValue(seq, f, j, s); // throws, naming the coordinate
        }
        double plat = p.p[s];
        double plon = p.q[s];
        if (!key && !Double.isNaN(plat) && withinMetres(s, lat, lon, plat, plon)) {
            p.updateLocation(s, plat, plon);
            return false;
        }
        long ulat = slots.coordUnits(s, lat);
        long ulon = slots.wrapLon(s, slots.coordUnits(s, lon));
        long blat = Double.isNaN(plat) ? 0 : slots.coordUnits(s, plat);
        long blon = Double.isNaN(plon) ? 0 : slots.coordUnits(s, plon);
        values.writeZigzag(ulat - blat);
        values.writeZigzag(slots.wrapLon(s, ulon - blon));
        p.updateLocation(s, slots.fromUnits(s, ulat), slots.fromUnits(s, ulon));
        return true;
    }

    /** Applies the law to captured value {@code j} of {@code f}; writes it when sent. Returns sent. */
    private boolean decide(Frame f, int j, int s, int kind, boolean key, Predictors p) {
        switch (kind) {
            case Slots.STRING -> {
                String x = f.string(j);
                if (!key && x.equals(p.str[s])) {
                    return false;
                }
                byte[] b = x.getBytes(StandardCharsets.UTF_8);
                values.writeVarint(b.length);
                values.write(b, 0, b.length);
                p.str[s] = x;
                return true;
            }
            default -> { // INTEGER, ENUM, BOOL
                long x = f.integer(j);
                if (!key && p.known[s] && x == p.last[s]) {
                    return false;
                }
                if (kind == Slots.INTEGER) {
                    values.writeZigzag(x - (p.known[s] ? p.last[s] : 0));
                } else {
                    values.writeVarint(x);
                }
                p.setLast(s, x);
                return true;
            }
        }
    }

    /**
     * Whether a location may be omitted: {@code metres(x, p) <= bound}. The great-circle distance is
     * at least the meridian distance R·|Δφ|, so when that alone exceeds the bound the value is sent
     * without the trigonometry (a moving car at bound 0 every frame). Only this encoder decides; the
     * decoder follows the sent bitmap, so the shortcut cannot make the two disagree, and sending is
     * always within the bound.
     */
    private boolean withinMetres(int s, double lat, double lon, double plat, double plon) {
        double bound = slots.bound[s];
        if (Math.abs(lat - plat) * METRES_PER_DEGREE > bound * (1 + 1e-9) + 1e-9) {
            return false;
        }
        return Slots.metres(lat, lon, plat, plon) <= bound;
    }

    private static final double METRES_PER_DEGREE = io.fleetlog.catalog.LocationType.EARTH_RADIUS_M * Math.PI / 180;

    /** Envelope{batch}: fields in number order, as the generated code would write them. */
    private byte[] envelope(long firstSeq, long firstTimeMs, int n, Gap gap) {
        int blob = frames.len;
        int size = (firstSeq != 0 ? 1 + ByteSink.varintSize(firstSeq) : 0)
                + (firstTimeMs != 0 ? 1 + ByteSink.varintSize(firstTimeMs) : 0)
                + (gap.isGap() ? 2 : 0)
                + 1
                + ByteSink.varintSize(n)
                + (blob > 0 ? 1 + ByteSink.varintSize(blob) + blob : 0)
                + (gap.dropped() != 0 ? 1 + ByteSink.varintSize(gap.dropped()) : 0)
                + (gap.reason().getNumber() != 0
                        ? 1 + ByteSink.varintSize(gap.reason().getNumber())
                        : 0);
        ByteSink out = new ByteSink();
        out.buf = new byte[1 + ByteSink.varintSize(size) + size];
        out.writeByte(FrameFormat.ENVELOPE_BATCH_TAG);
        out.writeVarint(size);
        if (firstSeq != 0) {
            out.writeByte(1 << 3);
            out.writeVarint(firstSeq);
        }
        if (firstTimeMs != 0) {
            out.writeByte(2 << 3);
            out.writeVarint(firstTimeMs);
        }
        if (gap.isGap()) {
            out.writeByte(5 << 3);
            out.writeByte(1);
        }
        out.writeByte(6 << 3);
        out.writeVarint(n);
        if (blob > 0) {
            out.writeByte((7 << 3) | 2);
            out.writeVarint(blob);
            out.write(frames.buf, 0, blob);
        }
        if (gap.dropped() != 0) {
            out.writeByte(8 << 3);
            out.writeVarint(gap.dropped());
        }
        if (gap.reason().getNumber() != 0) {
            out.writeByte(9 << 3);
            out.writeVarint(gap.reason().getNumber());
        }
        if (out.len != out.buf.length) {
            throw new IllegalStateException("envelope size computed as " + out.buf.length + ", wrote " + out.len);
        }
        return out.buf;
    }

    // ---- validation: everything that could make encoding fail, before any state changes ----

    private void validate(long firstSeq, List<Frame> batch, Gap gap) {
        int n = batch.size();
        if (n == 0) {
            throw new IllegalArgumentException("a batch needs at least one frame");
        }
        if (firstSeq < 0 || firstSeq > Long.MAX_VALUE - n) {
            throw new IllegalArgumentException(
                    "seqs " + firstSeq + " + " + n + " frames are out of range (0 .. " + (Long.MAX_VALUE - 1) + ")");
        }
        if (nextSeq >= 0 && firstSeq < nextSeq) {
            throw new IllegalArgumentException(
                    "batch starts at seq " + firstSeq + " but this connection already sent up to " + (nextSeq - 1));
        }
        long jump = nextSeq >= 0 ? firstSeq - nextSeq : 0;
        if (jump > gap.dropped()) {
            throw new IllegalArgumentException("batch starts at seq " + firstSeq + ", " + jump
                    + " after the seq this connection expects next (" + nextSeq + "), but declares "
                    + gap.dropped() + " dropped");
        }
        for (int i = 0; i < n; i++) {
            long t = batch.get(i).timeMs();
            if (t < FrameFormat.MIN_TIME_MS || t >= FrameFormat.MAX_TIME_MS) {
                throw new IllegalArgumentException("seq " + (firstSeq + i) + ": capture time " + t
                        + " ms is not believable (must be within 1990-01-01 .. 2200-01-01)");
            }
        }
    }

    /** Checks one value against its slot's type; the message is built only for a refusal. */
    private void checkValue(long seq, Frame f, int j, int s) {
        Frame.Kind k = f.kind(j);
        switch (slots.kind[s]) {
            case Slots.FLOAT, Slots.ANGLE -> {
                expect(seq, s, k, Frame.Kind.NUMBER, "a number");
                double x = f.number(j);
                if (!(x >= slots.minValue[s] && x <= slots.maxValue[s])) {
                    io.fleetlog.catalog.FloatType t = (io.fleetlog.catalog.FloatType) slots.signal[s].type();
                    throw refuse(seq, s, " " + x + " " + t.unit() + " is outside " + t.min() + ".." + t.max());
                }
            }
            case Slots.LOCATION -> {
                expect(seq, s, k, Frame.Kind.POSITION, "a position");
                double lat = f.latitude(j);
                double lon = f.longitude(j);
                if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
                    try {
                        new Position(lat, lon);
                    } catch (IllegalArgumentException e) {
                        throw refuse(seq, s, ": " + e.getMessage());
                    }
                }
            }
            case Slots.INTEGER -> {
                expect(seq, s, k, Frame.Kind.INTEGER, "an integer");
                long v = f.integer(j);
                if (v < slots.minUnits[s] || v > slots.maxUnits[s]) {
                    throw refuse(seq, s, " " + v + " is outside " + slots.minUnits[s] + ".." + slots.maxUnits[s]);
                }
            }
            case Slots.ENUM -> {
                expect(seq, s, k, Frame.Kind.INTEGER, "an enum code");
                if (!slots.hasCode(s, f.integer(j))) {
                    throw refuse(
                            seq,
                            s,
                            ": " + f.integer(j) + " is not one of its " + slots.codes[s].length + " enum codes");
                }
            }
            case Slots.BOOL -> {
                expect(seq, s, k, Frame.Kind.INTEGER, "a boolean");
                long v = f.integer(j);
                if (v != 0 && v != 1) {
                    throw refuse(seq, s, ": boolean " + v + " is not 0 or 1");
                }
            }
            default -> {
                expect(seq, s, k, Frame.Kind.STRING, "a string");
                String x = f.string(j);
                if (!wellFormed(x)) {
                    throw refuse(seq, s, ": string has an unpaired surrogate (not UTF-8)");
                }
                int bytes = x.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > slots.maxBytes[s]) {
                    throw refuse(
                            seq, s, ": string of " + bytes + " UTF-8 bytes exceeds maxlength " + slots.maxBytes[s]);
                }
            }
        }
    }

    private IllegalArgumentException refuse(long seq, int s, String what) {
        return new IllegalArgumentException("seq " + seq + ": " + slots.name(s) + what);
    }

    private void expect(long seq, int s, Frame.Kind got, Frame.Kind want, String what) {
        if (got != want) {
            throw refuse(seq, s, " needs " + what + ", got " + got);
        }
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }
}
