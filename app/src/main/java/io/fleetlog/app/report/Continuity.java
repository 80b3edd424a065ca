package io.fleetlog.app.report;

import io.fleetlog.codec.CodecConfig;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Compares what a vehicle captured with what the server stores, sample by sample.
 *
 * <p>Both streams are walked once, in order (captured in capture order, stored in seq order), and
 * joined on capture time, which is unique per vehicle at 50 Hz. A captured sample with no stored row
 * (and not still buffered on the edge) is <em>missing</em>; a second stored row for the same capture
 * time is <em>duplicated</em>; a stored row whose capture time does not increase with its seq, or
 * whose seq does not follow the previous stored seq, is <em>out of order</em>; a stored row for a
 * time that was never captured is <em>unexpected</em>. For matched rows the reconstruction error of
 * every field is measured against the captured value (heading on the circle). Memory is O(1): it
 * never holds more than one sample of each stream. Not thread-safe.
 */
public final class Continuity {
    private final CodecConfig config;
    private long captured;
    private long stored;
    private long missing;
    private long duplicated;
    private long outOfOrder;
    private long unexpected;
    private long stillBuffered;
    private final double[] maxError = new double[Field.COUNT];
    private final long[] overBound = new long[Field.COUNT];
    private long lastStoredSeq = Long.MIN_VALUE;
    private long lastStoredTime = Long.MIN_VALUE;
    private boolean orderChecked;

    public Continuity(CodecConfig config) {
        this.config = config;
    }

    /**
     * Joins the streams.
     *
     * @param capturedStream what the vehicle captured, in capture order
     * @param storedStream what the store holds for the vehicle, in seq order
     * @param buffered samples still durable in the edge spool (they are late, not missing), seq order
     */
    public Continuity compare(
            Iterator<Sample> capturedStream, Iterator<Sample> storedStream, Iterator<Sample> buffered) {
        return join(capturedStream, storedStream, buffered);
    }

    /**
     * As {@link #compare(Iterator, Iterator, Iterator)} for a stored stream held in memory: the order
     * is checked on it as given (seq order), the join runs on a copy sorted by capture time, so a
     * capture stored twice under different seqs counts as duplicated wherever the second copy sits.
     */
    public Continuity compare(Iterator<Sample> capturedStream, List<Sample> storedBySeq, Iterator<Sample> buffered) {
        for (Sample s : storedBySeq) {
            checkOrder(s);
        }
        orderChecked = true;
        List<Sample> byTime = new ArrayList<>(storedBySeq);
        byTime.sort(Comparator.comparingLong(Sample::captureTimeMs).thenComparingLong(Sample::seq));
        return join(capturedStream, byTime.iterator(), buffered);
    }

    private Continuity join(Iterator<Sample> capturedStream, Iterator<Sample> storedStream, Iterator<Sample> buffered) {
        Sample c = next(capturedStream, true);
        Sample s = next(storedStream, false);
        Sample b = nextBuffered(buffered);
        while (c != null) {
            if (s != null && s.captureTimeMs() < c.captureTimeMs()) {
                unexpected++;
                s = next(storedStream, false);
            } else if (s != null && s.captureTimeMs() == c.captureTimeMs()) {
                measure(c, s);
                s = next(storedStream, false);
                while (s != null && s.captureTimeMs() == c.captureTimeMs()) {
                    duplicated++;
                    s = next(storedStream, false);
                }
                c = next(capturedStream, true);
            } else {
                while (b != null && b.captureTimeMs() < c.captureTimeMs()) {
                    b = nextBuffered(buffered);
                }
                if (b != null && b.captureTimeMs() == c.captureTimeMs()) {
                    stillBuffered++;
                } else {
                    missing++;
                }
                c = next(capturedStream, true);
            }
        }
        while (s != null) {
            unexpected++;
            s = next(storedStream, false);
        }
        return this;
    }

    private Sample next(Iterator<Sample> it, boolean isCaptured) {
        if (!it.hasNext()) {
            return null;
        }
        Sample x = it.next();
        if (isCaptured) {
            captured++;
        } else {
            stored++;
            if (!orderChecked) {
                checkOrder(x);
            }
        }
        return x;
    }

    /** A stored row (in seq order) whose seq does not follow, or whose capture time goes back. */
    private void checkOrder(Sample x) {
        boolean seqFollows = lastStoredSeq == Long.MIN_VALUE || x.seq() == lastStoredSeq + 1;
        boolean timeFollows = x.captureTimeMs() > lastStoredTime;
        // A repeated capture time is counted as a duplicate by the join, not here.
        if (!seqFollows || (!timeFollows && x.captureTimeMs() != lastStoredTime)) {
            outOfOrder++;
        }
        lastStoredSeq = x.seq();
        lastStoredTime = Math.max(lastStoredTime, x.captureTimeMs());
    }

    private static Sample nextBuffered(Iterator<Sample> it) {
        return it != null && it.hasNext() ? it.next() : null;
    }

    private void measure(Sample captured, Sample stored) {
        for (Field f : Field.values()) {
            double x = captured.get(f);
            double r = stored.get(f);
            double e;
            if (Double.isNaN(x) || Double.isNaN(r)) {
                e = Double.isNaN(x) == Double.isNaN(r) ? 0 : Double.POSITIVE_INFINITY;
            } else {
                e = f.distance(x, r);
            }
            int i = f.ordinal();
            maxError[i] = Math.max(maxError[i], e);
            // 1e-9 absorbs the binary representation of decimal resolutions (e.g. 0.01 mph).
            if (e > config.bound(f) + 1e-9) {
                overBound[i]++;
            }
        }
    }

    public long captured() {
        return captured;
    }

    public long stored() {
        return stored;
    }

    public long missing() {
        return missing;
    }

    public long duplicated() {
        return duplicated;
    }

    public long outOfOrder() {
        return outOfOrder;
    }

    public long unexpected() {
        return unexpected;
    }

    public long stillBuffered() {
        return stillBuffered;
    }

    public double maxError(Field f) {
        return maxError[f.ordinal()];
    }

    /** Number of samples whose reconstruction of {@code f} exceeded the field's bound. */
    public long overBound(Field f) {
        return overBound[f.ordinal()];
    }

    public CodecConfig config() {
        return config;
    }

    /** Whether the promise held: nothing missing, duplicated, out of order or unexpected, all within bounds. */
    public boolean perfect() {
        long over = 0;
        for (long o : overBound) {
            over += o;
        }
        return missing == 0 && duplicated == 0 && outOfOrder == 0 && unexpected == 0 && over == 0;
    }
}
