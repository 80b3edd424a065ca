package io.fleetlog.server.history;

import java.util.List;

/**
 * Reading and trimming a store's rollups ({@link Rollups}; written in the store's append
 * transaction, so a read sees exactly the committed samples' buckets). Thread-safe.
 */
public interface RollupStore {

    /** Buckets of one signal of {@code vin} with {@code fromMs <= start < toMs}, oldest first. */
    List<Bucket> buckets(String vin, Step step, int signalId, long fromMs, long toMs);

    /**
     * The buckets of several signals in one read, each signal's oldest first (signals in any order):
     * what a chart of many signals reads.
     */
    default java.util.Map<Integer, List<Bucket>> buckets(
            String vin, Step step, int[] signalIds, long fromMs, long toMs) {
        java.util.Map<Integer, List<Bucket>> out = new java.util.HashMap<>();
        for (int id : signalIds) {
            out.put(id, buckets(vin, step, id, fromMs, toMs));
        }
        return out;
    }

    /**
     * The buckets of several signals merged, in the database, into output buckets of {@code widthMs}
     * (a multiple of the step) from {@code startMs}: per signal at most {@code (toMs - startMs) /
     * widthMs} rows instead of {@code widthMs / step} times as many, each {@link Bucket#startMs} the
     * output bucket's start. Equal to merging {@link #buckets} in memory (up to the rounding of the sum).
     */
    java.util.Map<Integer, List<Bucket>> merged(
            String vin, Step step, int[] signalIds, long startMs, long toMs, long widthMs);

    /** State counts of one enum or boolean signal with {@code fromMs <= start < toMs}, by start then state. */
    List<StateCount> states(String vin, Step step, int signalId, long fromMs, long toMs);

    /**
     * Retention of one tier: removes the buckets of every vehicle that start before {@code cutoffMs},
     * by dropping whole partitions (PostgreSQL: days for 10 s, months for 1 min; a partition is dropped
     * only when it ends at or before the cutoff) or by short key-range deletes (SQLite).
     *
     * @return the number of numeric buckets removed
     */
    long purgeBefore(Step step, long cutoffMs);
}
