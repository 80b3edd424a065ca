package io.fleetlog.server.testing;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.ForwardingSampleStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written store wrapper with a failure switch: while {@link #failCommits} is set, every
 * {@link #append} fails at its commit point (nothing is written) and is counted.
 */
public final class FailingStore extends ForwardingSampleStore {
    private static final java.util.concurrent.Executor VIRTUAL =
            r -> Thread.ofVirtual().start(r);
    public final AtomicBoolean failCommits = new AtomicBoolean();
    public final AtomicInteger failedAppends = new AtomicInteger();
    /**
     * Holds the append whose first seq is {@code seq} until {@code latch} opens (later appends
     * overtake it). Keyed by seq, not "the next append": the server's appends run concurrently, so
     * which one arrives here first is not fixed.
     */
    public void holdAppendStartingAt(long seq, java.util.concurrent.CountDownLatch latch) {
        holdSeq = seq;
        hold = latch;
    }

    /** Appends that reached the hold (so a test knows the held batch is in flight). */
    public final AtomicInteger held = new AtomicInteger();

    private volatile long holdSeq = -1;
    private volatile java.util.concurrent.CountDownLatch hold;

    public FailingStore(SampleStore inner) {
        super(inner);
    }

    @Override
    public void append(String vin, List<Sample> samples) {
        java.util.concurrent.CountDownLatch latch = hold;
        if (latch != null && !samples.isEmpty() && samples.get(0).seq() == holdSeq) {
            held.incrementAndGet();
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted");
            }
        }
        if (failCommits.get()) {
            failedAppends.incrementAndGet();
            throw new StoreException("injected commit failure");
        }
        delegate.append(vin, samples);
    }

    /** Through {@link #append}, so the failure switch applies to the server's pipelined path too. */
    @Override
    public java.util.concurrent.CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> append(vin, samples), VIRTUAL);
    }
}
