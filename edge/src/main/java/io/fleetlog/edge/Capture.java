package io.fleetlog.edge;

import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture step of the edge: takes samples from a {@link Source} and commits them to the {@link
 * Spool}, one {@link #step(Instant)} at a time, the way {@link io.fleetlog.edge.uplink.Uplink#runOnce}
 * is the uplink's step.
 *
 * <p>{@code step(now)} commits, in source order, every sample whose capture time is at or before
 * {@code now}, at most {@code maxChunk} of them in one spool append; the first sample after {@code now}
 * is held (read but not committed) for a later step. A {@linkplain Source#live() live} source's
 * sample is committed as soon as it is read (one per step: its next one may be seconds away). The
 * product edge steps with {@link Instant#MAX} (every sample as soon as the source gives it); a harness
 * that replays a recording at a chosen speed steps with a clock of its own. The clock only decides
 * <em>when</em> a sample is committed, never its capture time or its place: samples reach the spool in
 * source order whatever {@code now} does (a clock running backwards only commits nothing new), and the
 * spool assigns their seqs. Durable first: {@link #captured()} and the capture times count a sample
 * only after its append returned.
 *
 * <p>Not thread-safe: one capture thread calls {@code step}; the counters may be read from any thread;
 * {@link #stop()} may be called from any thread and makes the next step end the capture.
 */
public final class Capture {
    /**
     * What a step did.
     *
     * @param committed samples committed by this step
     * @param ended the source is exhausted (or the capture was stopped): no further step commits anything
     * @param heldCaptureMs capture time of the held sample (read, not yet due), or -1 when none is held
     */
    public record Step(int committed, boolean ended, long heldCaptureMs) {}

    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);

    private final Source source;
    private final Spool spool;
    private final int maxChunk;
    private final boolean live;
    private final List<Sample> chunk = new ArrayList<>();
    private Sample held;
    private boolean ended;
    private volatile boolean stopRequested;
    private volatile long captured;
    private volatile long firstCaptureMs = -1;
    private volatile long lastCaptureMs = -1;
    private volatile long peakDepth;

    /**
     * @param maxChunk at most this many samples per step and spool append (≥ 1)
     */
    public Capture(Source source, Spool spool, int maxChunk) {
        if (maxChunk < 1) {
            throw new IllegalArgumentException("maxChunk " + maxChunk + " must be at least 1");
        }
        this.source = source;
        this.spool = spool;
        this.maxChunk = maxChunk;
        this.live = source.live();
    }

    /**
     * Commits the samples due at {@code now} (see the class comment). Blocks while the source blocks
     * (a live source waiting for its next frame) and while the spool applies back-pressure.
     *
     * @throws IOException when the source cannot be read (the samples read before it are committed)
     * @throws InterruptedException when interrupted in a blocking spool append; nothing of the chunk
     *     was counted
     */
    public Step step(Instant now) throws IOException, InterruptedException {
        long nowMs = epochMillis(now);
        int committed = 0;
        try {
            while (!ended && chunk.size() < maxChunk) {
                if (stopRequested) {
                    ended = true;
                    held = null;
                    break;
                }
                Sample s = held != null ? held : source.next();
                held = null;
                if (s == null) {
                    ended = true;
                } else if (s.captureTimeMs() > nowMs) {
                    held = s;
                    break;
                } else {
                    chunk.add(s);
                    if (live) {
                        break;
                    }
                }
            }
        } finally {
            // what was read before a source error is committed all the same
            if (!chunk.isEmpty()) {
                committed = commitChunk();
            }
        }
        return new Step(committed, ended, held == null ? -1 : held.captureTimeMs());
    }

    /** {@code now} in ms since the epoch, saturated at the ends of {@code long} ({@link Instant#MAX} = every time). */
    private static long epochMillis(Instant now) {
        if (now.isAfter(LATEST)) {
            return Long.MAX_VALUE;
        }
        return now.isBefore(EARLIEST) ? Long.MIN_VALUE : now.toEpochMilli();
    }

    private int commitChunk() throws InterruptedException {
        spool.append(chunk);
        if (firstCaptureMs < 0) {
            firstCaptureMs = chunk.getFirst().captureTimeMs();
        }
        lastCaptureMs = chunk.getLast().captureTimeMs();
        captured += chunk.size();
        int n = chunk.size();
        chunk.clear();
        SpoolStats st = spool.stats();
        peakDepth = Math.max(peakDepth, st.depth() + st.pending());
        return n;
    }

    /** Ends the capture at the next step (any thread); a held sample is not committed. */
    public void stop() {
        stopRequested = true;
    }

    /** Whether a step saw the end of the source (or a stop). */
    public boolean ended() {
        return ended;
    }

    /** Whether {@link #stop()} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The source, for its description and problem count. */
    public Source source() {
        return source;
    }

    /** Samples committed to the spool, ever. */
    public long captured() {
        return captured;
    }

    /** Capture time of the first committed sample, -1 before it. */
    public long firstCaptureMs() {
        return firstCaptureMs;
    }

    /** Capture time of the newest committed sample, -1 before it. */
    public long lastCaptureMs() {
        return lastCaptureMs;
    }

    /** The largest spool depth (committed and pending) seen after an append. */
    public long peakDepth() {
        return peakDepth;
    }
}
