package io.fleetlog.bench.fleet;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.ForwardingSampleStore;
import io.fleetlog.server.store.SampleStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SampleStore} decorator that tells a listener, right after each {@link #append} returned
 * or each {@link #appendAsync} completed (that is, after the commit), which samples were committed
 * and when ({@link System#nanoTime()}). It also adds up the wall time during which at least one
 * append was in progress ({@link #busyNanos()}). Everything else is delegated unchanged; thread-safety is the delegate's and the
 * listener's.
 */
final class TimedStore extends ForwardingSampleStore {

    /** Called on the appending thread after the commit of {@code samples} returned. */
    @FunctionalInterface
    interface CommitListener {
        void committed(String vin, List<Sample> samples, long nanoTime);
    }

    private final CommitListener listener;
    private final Object busyLock = new Object();
    private int inFlight; // guarded by busyLock
    private long busySince; // guarded by busyLock
    private long busyNanos; // guarded by busyLock

    TimedStore(SampleStore delegate, CommitListener listener) {
        super(delegate);
        this.listener = listener;
    }

    @Override
    public void append(String vin, List<Sample> samples) {
        begin();
        try {
            delegate.append(vin, samples);
        } finally {
            end();
        }
        listener.committed(vin, samples, System.nanoTime());
    }

    /**
     * Passes the server's pipelined path through to the delegate's own {@code appendAsync} (so the
     * store commits the way it does without the benchmark) and tells the listener when the commit
     * completed.
     */
    @Override
    public CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
        begin();
        CompletableFuture<Void> f;
        try {
            f = delegate.appendAsync(vin, samples);
        } catch (RuntimeException e) {
            end();
            throw e;
        }
        return f.whenComplete((ok, failed) -> {
            end();
            if (failed == null) {
                listener.committed(vin, samples, System.nanoTime());
            }
        });
    }

    private void begin() {
        synchronized (busyLock) {
            if (inFlight++ == 0) {
                busySince = System.nanoTime();
            }
        }
    }

    private void end() {
        long now = System.nanoTime();
        synchronized (busyLock) {
            if (--inFlight == 0) {
                busyNanos += now - busySince;
            }
        }
    }

    /** Wall time during which at least one {@link #append} was in progress, in ns. */
    long busyNanos() {
        synchronized (busyLock) {
            return busyNanos + (inFlight > 0 ? System.nanoTime() - busySince : 0);
        }
    }
}
