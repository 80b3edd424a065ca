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
 * @param rejected samples moved aside because the server rejected them (or the edge found them
 *     invalid), ever
 * @param quarantined samples in chunks that failed their checksum and were set aside, ever
 * @param renumbered samples given new seqs because the server held seqs this spool never sent, ever
 * @param seqConflicts times the server held seqs this spool never sent
 * @param sentThrough every seq the uplink may have sent is at most this, -1 when none
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
        long rejected,
        long quarantined,
        long renumbered,
        long seqConflicts,
        long sentThrough) {

    /** Samples set aside on the edge (rejected plus quarantined), ever. */
    public long setAside() {
        return rejected + quarantined;
    }
}
