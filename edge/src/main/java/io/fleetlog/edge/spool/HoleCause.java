package io.fleetlog.edge.spool;

/** Why a run of seqs is missing from a spool (see {@link Spool#holeCause}). */
public enum HoleCause {
    /** Nothing is missing. */
    NONE,
    /** Deleted by the drop-oldest policy (the spool was full). */
    DROPPED,
    /** Failed the spool's checksum: kept in the {@code quarantined} table, never sent. */
    QUARANTINED,
    /** Rejected by the server or invalid on the edge: kept in the {@code rejected} table. */
    SET_ASIDE,
    /** Some quarantined, some set aside. */
    MIXED
}
