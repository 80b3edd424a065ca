package io.fleetlog.bench.server;

import io.fleetlog.server.store.SampleStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Capture-to-stored latency of every frame, measured from outside the pipeline: a poller reads each
 * vehicle's {@code last_seq} from the database every {@link #POLL_MS} ms and attributes the time of
 * that read to every batch whose last seq is at or below it. A batch's start is the moment its edge
 * handed it to the WebSocket ({@link #sent}; the benchmark's frames are pre-encoded, so that is
 * their capture time), or for a paced edge the moment the batch was due ({@link #capturedAt}), so
 * that time waiting for the edge's window counts. The figure is therefore late by up to one poll (the interval plus the read),
 * never early. Thread-safe: {@link #sent} from any thread, the rest from the poller and then the
 * caller after {@link #close}.
 */
final class StoredLatency implements AutoCloseable {
    static final long POLL_MS = 5;
    private final SampleStore reader;
    private final List<String> vins;
    private final int batch;
    private final int per;
    private final AtomicLongArray[] sentNanos;
    private final long[][] latencyNanos;
    private final int[] next;
    private final Thread poller;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    StoredLatency(SampleStore reader, List<String> vins, int batch, int per) {
        this.reader = reader;
        this.vins = vins;
        this.batch = batch;
        this.per = per;
        int batches = (per + batch - 1) / batch;
        sentNanos = new AtomicLongArray[vins.size()];
        latencyNanos = new long[vins.size()][batches];
        next = new int[vins.size()];
        for (int v = 0; v < vins.size(); v++) {
            sentNanos[v] = new AtomicLongArray(batches);
        }
        poller = Thread.ofPlatform().name("bench-latency-poll").unstarted(this::loop);
    }

    void start() {
        poller.start();
    }

    /** Vehicle {@code v}'s batch {@code b} is handed to the socket now. */
    void sent(int v, int b) {
        sentNanos[v].set(b, System.nanoTime());
    }

    /** Vehicle {@code v}'s batch {@code b} was complete at {@code nanoTime} (a paced edge's capture time). */
    void capturedAt(int v, int b, long nanoTime) {
        sentNanos[v].set(b, nanoTime);
    }

    private void loop() {
        try {
            while (!stop) {
                pollOnce();
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void pollOnce() {
        for (int v = 0; v < vins.size(); v++) {
            long last = reader.lastSeq(vins.get(v));
            long now = System.nanoTime();
            while (next[v] < latencyNanos[v].length && lastSeqOf(next[v]) <= last) {
                long sent = sentNanos[v].get(next[v]);
                if (sent == 0) {
                    throw new IllegalStateException(
                            vins.get(v) + ": batch " + next[v] + " stored (last_seq " + last + ") before it was sent");
                }
                latencyNanos[v][next[v]++] = now - sent;
            }
        }
    }

    private long lastSeqOf(int b) {
        return Math.min((long) (b + 1) * batch, per) - 1;
    }

    /** Stops the poller after one last read; every batch must then be stored. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        poller.join();
        if (failure != null) {
            throw failure;
        }
        pollOnce();
        for (int v = 0; v < vins.size(); v++) {
            if (next[v] < latencyNanos[v].length) {
                throw new IllegalStateException(vins.get(v) + ": batch " + next[v] + " not stored");
            }
        }
    }

    /** The {@code q} quantile (0..1) over frames, in milliseconds (every frame of a batch has its latency). */
    double quantileMs(double q) {
        List<long[]> byBatch = new ArrayList<>(); // {latency, frames}
        for (long[] lat : latencyNanos) {
            for (int b = 0; b < lat.length; b++) {
                byBatch.add(new long[] {lat[b], lastSeqOf(b) - (long) b * batch + 1});
            }
        }
        long[][] sorted = byBatch.toArray(long[][]::new);
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        long frames = Arrays.stream(sorted).mapToLong(a -> a[1]).sum();
        long rank = (long) Math.ceil(q * frames);
        long seen = 0;
        for (long[] a : sorted) {
            seen += a[1];
            if (seen >= rank) {
                return a[0] / 1e6;
            }
        }
        return sorted[sorted.length - 1][0] / 1e6;
    }
}
