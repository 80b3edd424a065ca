package io.fleetlog.edge.spool;

/**
 * A snapshot of a spool's counters.
 *
 * @param depth committed samples buffered (not yet acknowledged)
 * @param pending samples appended but not yet committed (the group-commit window)
 * @param oldestSeq seq of the oldest buffered sample, -1 when empty
 * @param newestSeq highest committed seq ever, -1 when none
 * @param oldestTimeMs capture time of the oldest buffered sample, -1 when empty
 * @param newestTimeMs capture time of the newest committed sample, -1 when none
 * @param nextSeq the seq the next appended sample gets
 * @param dropped samples deleted by the drop-oldest policy, ever
 * @param rejected samples moved aside because the server rejected them, ever
 */
public record SpoolStats(
        long depth,
        long pending,
        long oldestSeq,
        long newestSeq,
        long oldestTimeMs,
        long newestTimeMs,
        long nextSeq,
        long dropped,
        long rejected) {}
