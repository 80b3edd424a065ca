package io.fleetlog.server.history;

/**
 * One signal's values in one bucket of capture time: how many, their sum (mean = sum / count), min,
 * max, and the last value: the one with the greatest capture time, ties broken by the greater seq
 * ({@code lastMs}, {@code lastSeq} kept so a late sample merges correctly). Enum codes and booleans
 * (0/1) are numbers here too. Immutable.
 */
public record Bucket(
        int signalId,
        long startMs,
        long count,
        double sum,
        double min,
        double max,
        long lastMs,
        long lastSeq,
        double last) {

    /** A bucket of one value. */
    public static Bucket of(int signalId, long startMs, long tMs, long seq, double v) {
        return new Bucket(signalId, startMs, 1, v, v, v, tMs, seq, v);
    }

    public double mean() {
        return sum / count;
    }

    /** Whether {@code (tMs, seq)} comes after this bucket's last value. */
    boolean laterThanLast(long tMs, long seq) {
        return tMs > lastMs || (tMs == lastMs && seq > lastSeq);
    }

    /** Both buckets' values as one bucket (the upsert arithmetic of the tables, in memory). */
    public Bucket merge(Bucket o) {
        boolean theirs = laterThanLast(o.lastMs, o.lastSeq);
        return new Bucket(
                signalId,
                Math.min(startMs, o.startMs),
                count + o.count,
                sum + o.sum,
                Math.min(min, o.min),
                Math.max(max, o.max),
                theirs ? o.lastMs : lastMs,
                theirs ? o.lastSeq : lastSeq,
                theirs ? o.last : last);
    }
}
