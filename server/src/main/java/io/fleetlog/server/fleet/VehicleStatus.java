package io.fleetlog.server.fleet;

import io.fleetlog.frame.Frames;
import io.fleetlog.sample.Sample;
import java.util.HashMap;
import java.util.Map;

/**
 * What the server knows about one vehicle beyond the store: link state, what its edge last reported
 * (spool depth, oldest buffered sample), wire statistics, recorded gaps, the newest stored sample, and
 * what the live feed has not published yet. Thread-safe (every method synchronises on the instance).
 */
public final class VehicleStatus {
    /** Link states as the JSON API names them. */
    public enum Link {
        ONLINE("online"),
        OFFLINE("offline"),
        DRAINING("draining");

        public final String json;

        Link(String json) {
            this.json = json;
        }
    }

    /** A stored range not yet published to the live feed (merged across batches). */
    public record StoredRange(long fromSeq, long toSeq, long fromMs, long toMs) {}

    private final String vin;
    private int connections;
    private String edgeLink = "";
    private long spoolDepth;
    private long oldestBufferedMs = -1;
    private long droppedByEdge;
    /** As the edge last reported (EdgeStatus 8..11): set aside as corrupt, set aside as rejected, seq conflicts, renumbered. */
    private long quarantinedByEdge;

    private long rejectedByEdge;
    private long seqConflictsByEdge;
    private long renumberedByEdge;
    private long bytesReceived;
    private long samplesReceived;
    private long fullProtobufBytes;
    private long gaps;
    private long gapSamples;
    private long lastGapFrom = -1;
    private long lastGapTo = -1;
    private long conflicts;
    private String lastConflict;
    /** The newest seq the edge reported captured (EdgeStatus), -1 when unknown. */
    private long reportedNewestSeq = -1;

    private Sample latest;
    private SignalStats finishedStats = SignalStats.EMPTY;
    private final Map<Object, SignalStats> connectionStats = new HashMap<>();
    // live feed bookkeeping
    private StoredRange pendingStored;
    private boolean pendingSample;
    private boolean stateChanged = true;
    private Link sentLink;
    // Link states in the order they happened since the live feed last looked (bounded).
    private final java.util.ArrayDeque<Link> transitions = new java.util.ArrayDeque<>();
    private Link recordedLink = Link.OFFLINE;
    private long lastStateSentMs = Long.MIN_VALUE / 2;

    VehicleStatus(String vin) {
        this.vin = vin;
    }

    public String vin() {
        return vin;
    }

    public synchronized void connected() {
        connections++;
        stateChanged = true;
        recordTransition();
    }

    public synchronized void disconnected(Object connection) {
        connections = Math.max(0, connections - 1);
        SignalStats s = connectionStats.remove(connection);
        if (s != null) {
            finishedStats = finishedStats.plus(s);
        }
        stateChanged = true;
        recordTransition();
    }

    /**
     * Whether the gap {@code from..to} is the one recorded last: a batch whose commit failed after
     * its gap was recorded comes again (the edge resends it) and must not count the gap twice.
     */
    public synchronized boolean gapRecorded(long from, long to) {
        return from == lastGapFrom && to == lastGapTo;
    }

    /** A gap of seqs {@code from..to} was recorded in the store. */
    public synchronized void gap(long from, long to) {
        gaps++;
        gapSamples += to - from + 1;
        lastGapFrom = from;
        lastGapTo = to;
        stateChanged = true;
    }

    /** A resend of seqs {@code from..to} disagreed with the store and was refused. */
    public synchronized void conflict(long from, long to, String what) {
        conflicts++;
        lastConflict = "seqs " + from + ".." + to + ": " + what;
        stateChanged = true;
    }

    public synchronized long conflictCount() {
        return conflicts;
    }

    /**
     * An EdgeStatus message: spool depth, oldest buffered capture time (≤ 0 = none), link, drops and
     * the newest captured seq (≤ 0 = not reported). With the newest seq, later acks lower the depth
     * shown (what was buffered then and is stored now is no longer buffered), so a vehicle that
     * drained and closed cleanly does not show a stale depth while offline.
     */
    public synchronized void edgeReported(long depth, long oldestMs, String link, long dropped, long newestSeq) {
        edgeReported(depth, oldestMs, link, dropped);
        reportedNewestSeq = newestSeq > 0 ? newestSeq : -1;
    }

    /**
     * What the edge reports it set aside or renumbered (EdgeStatus fields 8..11, totals since its
     * spool was created): shown beside the server's own counts, so data kept on a vehicle instead of
     * stored is visible here too.
     */
    public synchronized void edgeSetAside(long quarantined, long rejected, long seqConflicts, long renumbered) {
        quarantinedByEdge = Math.max(0, quarantined);
        rejectedByEdge = Math.max(0, rejected);
        seqConflictsByEdge = Math.max(0, seqConflicts);
        renumberedByEdge = Math.max(0, renumbered);
    }

    /** An EdgeStatus message: spool depth, oldest buffered capture time (≤ 0 = none), link, drops. */
    public synchronized void edgeReported(long depth, long oldestMs, String link, long dropped) {
        reportedNewestSeq = -1;
        if (depth != spoolDepth || !link.equals(edgeLink)) {
            stateChanged = true;
        }
        spoolDepth = depth;
        oldestBufferedMs = depth > 0 && oldestMs > 0 ? oldestMs : -1;
        edgeLink = link;
        droppedByEdge = dropped;
        recordTransition();
    }

    /** Remembers a change of {@link #link()}, so a drain shorter than a live-feed tick is still seen. */
    private void recordTransition() {
        Link now = link();
        if (now != recordedLink) {
            recordedLink = now;
            if (transitions.size() >= 8) {
                transitions.pollFirst();
            }
            transitions.addLast(now);
        }
    }

    /** The oldest link change the live feed has not published yet, or null. */
    public synchronized Link takeTransition() {
        Link l = transitions.pollFirst();
        if (l != null) {
            stateChanged = true; // the current state follows after the transitions, unthrottled
        }
        return l;
    }

    /** A batch arrived: its wire bytes, frames and the size the same frames take uncompressed (see IngestConnection). */
    public synchronized void received(long wireBytes, long samples, long fullBytes) {
        bytesReceived += wireBytes;
        samplesReceived += samples;
        fullProtobufBytes += fullBytes;
    }

    public synchronized void compression(Object connection, SignalStats stats) {
        connectionStats.put(connection, stats);
    }

    /**
     * A batch was committed: {@code frames} hold seqs {@code fromSeq..toSeq} in order. The latest
     * values take every frame's newer than what they hold (a signal captured early in a batch and not
     * again is not missed).
     */
    public synchronized void stored(
            long fromSeq, long toSeq, long fromMs, long toMs, java.util.List<io.fleetlog.frame.Frame> frames) {
        if (reportedNewestSeq >= 0 && spoolDepth > 0) {
            long left = Math.max(0, Math.min(spoolDepth, reportedNewestSeq - toSeq));
            if (left != spoolDepth) {
                spoolDepth = left;
                oldestBufferedMs = left == 0 ? -1 : oldestBufferedMs;
                stateChanged = true;
            }
        }
        long skip = latest == null ? 0 : Math.max(0, latest.seq() + 1 - fromSeq); // frames already held
        if (skip < frames.size()) {
            java.util.List<io.fleetlog.frame.Frame> newer = frames.subList((int) skip, frames.size());
            latest = new Sample(toSeq, Frames.overlay(latest == null ? null : latest.frame(), Frames.latest(newer)));
        }
        pendingSample = true;
        StoredRange p = pendingStored;
        pendingStored = p == null
                ? new StoredRange(fromSeq, toSeq, fromMs, toMs)
                : new StoredRange(
                        Math.min(p.fromSeq, fromSeq),
                        Math.max(p.toSeq, toSeq),
                        Math.min(p.fromMs, fromMs),
                        Math.max(p.toMs, toMs));
    }

    public synchronized Link link() {
        if (connections == 0) {
            return Link.OFFLINE;
        }
        return "DRAINING".equalsIgnoreCase(edgeLink) ? Link.DRAINING : Link.ONLINE;
    }

    /** The newest value of every signal captured since the server started, as a sample (null: none). */
    public synchronized Sample latest() {
        return latest;
    }

    public synchronized long gapCount() {
        return gaps;
    }

    public synchronized long gapSamples() {
        return gapSamples;
    }

    public synchronized SignalStats compressionStats() {
        SignalStats s = finishedStats;
        for (SignalStats c : connectionStats.values()) {
            s = s.plus(c);
        }
        return s;
    }

    /** Fills the non-store fields of a VehicleState JSON object. */
    synchronized void describe(Map<String, Object> m) {
        m.put("link", link().json);
        m.put("spoolDepth", spoolDepth);
        m.put("oldestBufferedMs", oldestBufferedMs > 0 ? oldestBufferedMs : null);
        m.put("bytesReceived", bytesReceived);
        m.put("bytesPerSample", samplesReceived == 0 ? 0.0 : round2((double) bytesReceived / samplesReceived));
        m.put(
                "fullProtobufBytesPerSample",
                samplesReceived == 0 ? 0.0 : round2((double) fullProtobufBytes / samplesReceived));
        m.put("gaps", gaps);
        m.put("gapSamples", gapSamples);
        m.put("droppedByEdge", droppedByEdge);
        m.put("quarantinedByEdge", quarantinedByEdge);
        m.put("rejectedByEdge", rejectedByEdge);
        m.put("seqConflictsByEdge", seqConflictsByEdge);
        m.put("renumberedByEdge", renumberedByEdge);
        m.put("conflicts", conflicts);
        m.put("lastConflict", lastConflict);
        m.put("connections", connections);
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Takes the stored range the live feed has not published (null when none). */
    public synchronized StoredRange takeStored() {
        StoredRange r = pendingStored;
        pendingStored = null;
        return r;
    }

    /** Takes the newest stored sample if it was not published yet (null when none). */
    public synchronized Sample takeSample() {
        if (!pendingSample) {
            return null;
        }
        pendingSample = false;
        return latest;
    }

    /** Whether a vehicle event is due: the state changed and the last one went out ≥ {@code minGapMs} ago. */
    public synchronized boolean takeStateChange(long nowMs, long minGapMs) {
        // A link change (online, draining, offline) goes out at once; spool-depth updates are throttled.
        boolean linkChanged = link() != sentLink;
        if (!stateChanged || (!linkChanged && nowMs - lastStateSentMs < minGapMs)) {
            return false;
        }
        stateChanged = false;
        sentLink = link();
        lastStateSentMs = nowMs;
        return true;
    }
}
