package io.fleetlog.edge.spool;

import io.fleetlog.sample.Sample;
import java.nio.file.Path;
import java.util.List;

/**
 * A vehicle's durable FIFO of captured samples: append → group commit → peek → send → ack deletes.
 *
 * <p><b>Guarantees.</b> {@link #append} gives the samples consecutive seqs and queues them; they are
 * committed together at the next group commit (after at most {@link SpoolConfig#groupCommitInterval},
 * or earlier once {@link SpoolConfig#groupCommitSamples} wait, or on {@link #flush}). A committed
 * sample survives a process crash (and with {@code synchronous=FULL} a power loss); samples still in
 * the group-commit window when the process dies are lost, and so are their seqs' only traces — no
 * committed seq is ever reused, because the next seq is persisted in the same transaction as the
 * samples. {@link #peek} returns committed samples only, so nothing can be sent before it is durable.
 * {@link #ack} deletes, durably, every sample up to a seq. When full, {@link SpoolConfig.FullPolicy}
 * decides: {@code BLOCK} makes {@code append} wait for acks, {@code DROP_OLDEST} deletes the oldest
 * samples in the commit that overflows and counts them in {@link SpoolStats#dropped()}.
 *
 * <p><b>Integrity.</b> Every stored chunk carries a checksum that is verified on every read; a chunk
 * that fails (bit rot) is never returned or rewritten: it is moved as found to a quarantine, logged
 * and counted in {@link SpoolStats#quarantined()}, and {@link #holeCause} names it. Nothing leaves the
 * spool but through {@link #ack} (acknowledged), {@code DROP_OLDEST} (counted), {@link #reject} and
 * the quarantine (both kept for inspection); {@link #renumber} moves seqs and deletes nothing.
 *
 * <p><b>Threads.</b> Every method is thread-safe; all SQLite work runs on the spool's own platform
 * thread (JNI must not pin virtual-thread carriers), callers wait for it. <b>Failure.</b> A failed
 * commit throws {@link SpoolException} from the next call and leaves the file as it was before that
 * commit. <b>Not guaranteed:</b> ordering between samples appended concurrently by several threads
 * (use one producer per spool).
 */
public interface Spool extends AutoCloseable {

    Path path();

    /**
     * Assigns consecutive seqs to {@code samples} (their own seqs are ignored) and queues them for the
     * next group commit.
     *
     * @return the seq of the first sample, or {@link #nextSeq()} when {@code samples} is empty
     * @throws InterruptedException while waiting for space under {@code BLOCK}
     * @throws SpoolException when the spool is closed or a commit failed
     */
    long append(List<Sample> samples) throws InterruptedException;

    /** Commits every sample appended so far and returns the highest committed seq (-1 when none). */
    long flush();

    /** Up to {@code max} committed samples with {@code seq >= fromSeq}, oldest first. */
    List<Sample> peek(long fromSeq, int max);

    /** Deletes every buffered sample with {@code seq <= upToSeq}; returns how many were deleted. */
    int ack(long upToSeq);

    /**
     * Moves the buffered samples {@code firstSeq..lastSeq} to the {@code rejected} table (kept for
     * inspection with the reason) so they no longer block the spool; returns how many were moved.
     */
    int reject(long firstSeq, long lastSeq, String reason);

    /**
     * The server holds seqs this spool never sent (a lost or replaced spool file, another writer):
     * moves every buffered sample with {@code seq >= fromSeq}, and the numbering of every sample
     * appended later, forward by {@code toSeq - fromSeq}, so the first such sample gets {@code toSeq}
     * or later. Nothing is deleted; set-aside rows in that range move with them. Counted in {@link
     * SpoolStats#renumbered()} and {@link SpoolStats#seqConflicts()}; afterwards {@link
     * #sentThrough()} is {@code toSeq - 1}. Durable in one transaction.
     *
     * @return the buffered samples renumbered
     */
    long renumber(long fromSeq, long toSeq);

    /** Every seq the uplink may ever have sent from this spool is at most this; -1 when none. */
    long sentThrough();

    /**
     * Records durably, before the caller sends them, that seqs up to {@code lastSeq} may be sent
     * (the mark may run ahead of {@code lastSeq} by a small slack, to save writes). No-op when
     * already covered.
     */
    void markSent(long lastSeq);

    /**
     * Declares the input the next appends come from ({@code id}: e.g. a content hash of a log file).
     * Returns how many of its samples this spool already committed when it was the spool's last
     * input (a restart after a crash skips exactly those), or 0 — and forgets the old input — when it
     * is another one. The count is written in every group commit.
     */
    long resumeSource(String id);

    /** Why seqs {@code fromSeq..toSeq}, absent from the spool and never acked, are missing. */
    HoleCause holeCause(long fromSeq, long toSeq);

    /** Highest committed seq, -1 when none (cheap, no SQLite call). */
    long lastCommittedSeq();

    /** The seq the next appended sample gets. */
    long nextSeq();

    /** Committed samples buffered (cheap, no SQLite call). */
    long depth();

    SpoolStats stats();

    /** Commits what is pending, checkpoints the WAL and closes the file. Idempotent. */
    @Override
    void close();
}
