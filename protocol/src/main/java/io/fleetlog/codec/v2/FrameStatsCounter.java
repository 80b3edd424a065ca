package io.fleetlog.codec.v2;

/**
 * The counters behind {@link FrameStats}. The owner counts a batch into scratch arrays and {@link
 * #commit}s it only once the batch is done, publishing an immutable snapshot through a volatile field:
 * {@link #snapshot} may be called from any thread and never sees a batch half counted, and a refused
 * batch counts nothing.
 */
final class FrameStatsCounter {
    private final int n;
    private long frames;
    private long batches;
    private long bytes;
    private final long[] sent;
    private final long[] omitted;
    private final long[] unavailable;
    // the batch being counted
    final long[] bSent;
    final long[] bOmitted;
    final long[] bUnavailable;
    private volatile FrameStats published;

    FrameStatsCounter(int slots) {
        n = slots;
        sent = new long[n];
        omitted = new long[n];
        unavailable = new long[n];
        bSent = new long[n];
        bOmitted = new long[n];
        bUnavailable = new long[n];
        published = FrameStats.empty(n);
    }

    /** Starts counting a batch (forgets a batch that was counted but not committed). */
    void begin() {
        java.util.Arrays.fill(bSent, 0);
        java.util.Arrays.fill(bOmitted, 0);
        java.util.Arrays.fill(bUnavailable, 0);
    }

    void commit(int batchFrames, long batchBytes) {
        frames += batchFrames;
        batches++;
        bytes += batchBytes;
        for (int s = 0; s < n; s++) {
            sent[s] += bSent[s];
            omitted[s] += bOmitted[s];
            unavailable[s] += bUnavailable[s];
        }
        published = new FrameStats(frames, batches, bytes, sent.clone(), omitted.clone(), unavailable.clone());
    }

    FrameStats snapshot() {
        FrameStats p = published;
        return new FrameStats(
                p.frames(),
                p.batches(),
                p.bytes(),
                p.sent().clone(),
                p.omitted().clone(),
                p.unavailable().clone());
    }
}
