package io.fleetlog.bench.peer;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What a receiving side stored, per VIN, in the order it stored it: distinct seqs, duplicate
 * deliveries and deliveries that arrived after a higher seq of the same VIN (reordered).
 *
 * <p>Thread-safe (every method is synchronized). {@link #record} is called after the sample is
 * stored and before it is acknowledged, so {@link #distinct()} never counts something the store has
 * not committed. Time of the latest new sample is kept in {@link System#nanoTime()} units for the
 * recovery-time measurement.
 */
final class Tally {

    private static final class PerVin {
        final BitSet seen = new BitSet();
        long distinct;
        long duplicates;
        long reordered;
        long highest = Long.MIN_VALUE;
    }

    private final Map<String, PerVin> byVin = new HashMap<>();
    private long distinct;
    private long duplicates;
    private long reordered;
    private long lastNewNanos;

    /** One stored delivery of {@code seq} (>= 0) of {@code vin}. */
    synchronized void record(String vin, long seq, long nowNanos) {
        if (seq < 0 || seq > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("seq " + seq + " of " + vin + " is outside [0, 2^31)");
        }
        PerVin v = byVin.computeIfAbsent(vin, k -> new PerVin());
        if (v.seen.get((int) seq)) {
            v.duplicates++;
            duplicates++;
            return;
        }
        v.seen.set((int) seq);
        if (seq < v.highest) {
            v.reordered++;
            reordered++;
        }
        v.highest = Math.max(v.highest, seq);
        v.distinct++;
        distinct++;
        lastNewNanos = nowNanos;
    }

    synchronized long distinct() {
        return distinct;
    }

    synchronized long distinct(String vin) {
        PerVin v = byVin.get(vin);
        return v == null ? 0 : v.distinct;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long reordered() {
        return reordered;
    }

    /** {@link System#nanoTime()} of the latest new (not duplicate) sample, 0 when none. */
    synchronized long lastNewNanos() {
        return lastNewNanos;
    }

    /** Whether seqs 1..n of {@code vin} are all present. */
    synchronized boolean complete(String vin, long n) {
        PerVin v = byVin.get(vin);
        return n == 0 || (v != null && v.seen.nextClearBit(1) > n);
    }
}
