package io.fleetlog.server.history;

/**
 * The rollup tiers: a bucket is {@code [start, start + ms)} of capture time with {@code start} a
 * multiple of {@code ms} since the epoch (UTC). 10 s serves charts of about an hour to a day at 2,000
 * points (a day is 8,640 buckets), 1 min serves a week and more (a week is 10,080 buckets); raw frames
 * serve shorter ranges (docs/server.md, "Rollups").
 */
public enum Step {
    TEN_SECONDS(10_000L, "10s"),
    ONE_MINUTE(60_000L, "1m");

    private final long ms;
    private final String suffix;

    Step(long ms, String suffix) {
        this.ms = ms;
        this.suffix = suffix;
    }

    /** Bucket width in ms. */
    public long ms() {
        return ms;
    }

    /** {@code 10s} or {@code 1m}: the tables' suffix and the name used in flags and responses. */
    public String suffix() {
        return suffix;
    }

    /** The table of numeric buckets: {@code rollups_10s}, {@code rollups_1m}. */
    public String table() {
        return "rollups_" + suffix;
    }

    /** The table of per-state counts of enum and boolean signals: {@code rollup_states_10s}, … */
    public String statesTable() {
        return "rollup_states_" + suffix;
    }

    /** Start of the bucket holding {@code tMs}. */
    public long bucketOf(long tMs) {
        return Math.floorDiv(tMs, ms) * ms;
    }
}
