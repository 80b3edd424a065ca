package io.fleetlog.bench.peer;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.ForwardingSampleStore;
import io.fleetlog.server.store.SampleStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * fleetlog's {@link SampleStore} with a {@link Tally} of every committed append: after the delegate's
 * transaction returned, each sample of the call is recorded in commit order — so the tally sees what
 * the store made durable, resends (which the store ignores) as duplicates, and any seq stored after a
 * higher one as reordered. Both stacks store through this class, so they are counted the same way.
 */
final class TallyingStore extends ForwardingSampleStore {

    private final Tally tally;

    TallyingStore(SampleStore delegate, Tally tally) {
        super(delegate);
        this.tally = tally;
    }

    @Override
    public void append(String vin, List<Sample> samples) {
        delegate.append(vin, samples);
        record(vin, samples);
    }

    /**
     * The delegate's own asynchronous append (fleetlog's server pipelines its commits through it),
     * tallied when its commit completed. The SQLite store completes appends on its one writer thread
     * in commit order, so the tally still sees commit order.
     */
    @Override
    public CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
        return delegate.appendAsync(vin, samples).thenRun(() -> record(vin, samples));
    }

    /**
     * The delegate's own asynchronous append (fleetlog's server pipelines its commits through it),
     * tallied when its commit completed. The SQLite store completes appends on its one writer thread
     * in commit order, so the tally still sees commit order.
     */
    private void record(String vin, List<Sample> samples) {
        long now = System.nanoTime();
        for (Sample s : samples) {
            tally.record(vin, s.seq(), now);
        }
    }
}
