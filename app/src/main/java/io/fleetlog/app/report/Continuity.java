package io.fleetlog.app.report;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.LegacyFields;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
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
 * time that was never captured is <em>unexpected</em>. For matched rows every captured signal is
 * checked against its stored value, per signal of the catalogue: a float's error in its unit (on the
 * circle for an angle) and a location's in metres against the signal's effective bound; every other
 * type (integer, boolean, enum, string) must be equal, and a captured-unavailable value must be stored
 * unavailable — each difference is counted over its bound. A captured signal the stored frame lacks is
 * <em>lost</em>, a stored signal that was not captured <em>invented</em>. Memory is O(1) in the
 * streams: it never holds more than one sample of each. Not thread-safe.
 */
public final class Continuity {
    private final Catalogue catalogue;
    private long captured;
    private long stored;
    private long missing;
    private long duplicated;
    private long outOfOrder;
    private long unexpected;
    private long stillBuffered;
    private final double[] maxError;
    private final long[] overBound;
    private final long[] compared;
    private final long[] lost;
    private final long[] invented;
    private long lastStoredSeq = Long.MIN_VALUE;
    private long lastStoredTime = Long.MIN_VALUE;
    private boolean orderChecked;

    /** A comparison of frames over {@code catalogue} (their ids are its ids). */
    public Continuity(Catalogue catalogue) {
        this.catalogue = catalogue;
        int n = catalogue.size();
        maxError = new double[n];
        overBound = new long[n];
        compared = new long[n];
        lost = new long[n];
        invented = new long[n];
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
        Frame x = captured.frame();
        Frame r = stored.frame();
        int i = 0;
        int j = 0;
        while (i < x.size() || j < r.size()) {
            if (j >= r.size() || (i < x.size() && x.id(i) < r.id(j))) {
                count(lost, x.id(i++));
            } else if (i >= x.size() || r.id(j) < x.id(i)) {
                count(invented, r.id(j++));
            } else {
                compare(x.id(i), x, i++, r, j++);
            }
        }
    }

    private void count(long[] counter, int id) {
        if (id < counter.length) {
            counter[id]++;
        } else {
            unexpected++; // an id outside the catalogue: no signal to book it under
        }
    }

    private void compare(int id, Frame x, int i, Frame r, int j) {
        if (id >= compared.length) {
            unexpected++;
            return;
        }
        compared[id]++;
        Signal sig = catalogue.signal(id);
        double e;
        boolean within;
        if (x.kind(i) != r.kind(j)) {
            e = Double.POSITIVE_INFINITY;
            within = false;
        } else {
            switch (x.kind(i)) {
                case NUMBER -> {
                    e = sig.distance(x.number(i), r.number(j));
                    within = sig.withinBound(x.number(i), r.number(j));
                }
                case POSITION -> {
                    e = LocationType.distanceMetres(x.position(i), r.position(j));
                    within = sig.withinBound(x.position(i), r.position(j));
                }
                case INTEGER -> {
                    within = x.integer(i) == r.integer(j);
                    e = within ? 0 : Double.POSITIVE_INFINITY;
                }
                case STRING -> {
                    within = x.string(i).equals(r.string(j));
                    e = within ? 0 : Double.POSITIVE_INFINITY;
                }
                default -> { // both unavailable
                    within = true;
                    e = 0;
                }
            }
        }
        maxError[id] = Math.max(maxError[id], e);
        if (!within) {
            overBound[id]++;
        }
    }

    /**
     * What the comparison found for one signal: values compared, the largest error (a float's unit, a
     * location's metres; exact types 0 or infinity), how many were beyond the signal's effective bound
     * (exact types: different), lost (captured, not stored) and invented (stored, not captured).
     */
    public record SignalResult(
            Signal signal, long compared, double maxError, double bound, long overBound, long lost, long invented) {

        /** Whether every value of this signal arrived within its bound and none was invented. */
        public boolean ok() {
            return overBound == 0 && lost == 0 && invented == 0;
        }
    }

    /** One result per signal of the catalogue that was captured or stored, in catalogue order. */
    public List<SignalResult> signals() {
        List<SignalResult> out = new ArrayList<>();
        for (int id = 0; id < compared.length; id++) {
            if (compared[id] + lost[id] + invented[id] > 0) {
                out.add(result(id));
            }
        }
        return out;
    }

    /** The result for one signal (by name or alias). */
    public SignalResult signal(String name) {
        return result(catalogue.id(name));
    }

    private SignalResult result(int id) {
        Signal s = catalogue.signal(id);
        return new SignalResult(
                s, compared[id], maxError[id], s.effectiveBound(), overBound[id], lost[id], invented[id]);
    }

    public Catalogue catalogue() {
        return catalogue;
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

    /**
     * The largest error of the signal carrying legacy field {@code f} (latitude and longitude: the
     * location's, in metres).
     */
    public double maxError(Field f) {
        return signal(LegacyFields.of(f).signal()).maxError();
    }

    /** Values of the signal carrying legacy field {@code f} beyond its bound. */
    public long overBound(Field f) {
        return signal(LegacyFields.of(f).signal()).overBound();
    }

    /** Whether the promise held: nothing missing, duplicated, out of order or unexpected, all within bounds. */
    public boolean perfect() {
        long over = 0;
        for (int id = 0; id < overBound.length; id++) {
            over += overBound[id] + lost[id] + invented[id];
        }
        return missing == 0 && duplicated == 0 && outOfOrder == 0 && unexpected == 0 && over == 0;
    }
}
