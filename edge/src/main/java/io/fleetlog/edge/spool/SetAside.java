package io.fleetlog.edge.spool;

/**
 * A run of samples a spool set aside instead of sending (for {@code fleetlog inspect} and the replay
 * summary).
 *
 * @param kind which table holds them
 * @param firstSeq first seq of the run (as numbered now)
 * @param lastSeq last seq of the run
 * @param samples samples in the run
 * @param reason why, as recorded
 */
public record SetAside(Kind kind, long firstSeq, long lastSeq, long samples, String reason) {
    /** The table a run is kept in. */
    public enum Kind {
        /** {@code rejected}: the server refused them, or the edge found them invalid. */
        REJECTED,
        /** {@code quarantined}: the chunk failed its checksum on the edge (bit rot). */
        QUARANTINED
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " seqs " + firstSeq + ".." + lastSeq + " (" + samples
                + " samples): " + reason;
    }
}
