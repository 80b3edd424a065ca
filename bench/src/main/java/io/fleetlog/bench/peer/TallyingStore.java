package io.fleetlog.bench.peer;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.store.VehicleTotals;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * fleetlog's {@link SampleStore} with a {@link Tally} of every committed append: after the delegate's
 * transaction returned, each sample of the call is recorded in commit order — so the tally sees what
 * the store made durable, resends (which the store ignores) as duplicates, and any seq stored after a
 * higher one as reordered. Both stacks store through this class, so they are counted the same way.
 */
final class TallyingStore implements SampleStore {

    private final SampleStore delegate;
    private final Tally tally;

    TallyingStore(SampleStore delegate, Tally tally) {
        this.delegate = delegate;
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

    private void record(String vin, List<Sample> samples) {
        long now = System.nanoTime();
        for (Sample s : samples) {
            tally.record(vin, s.seq(), now);
        }
    }

    @Override
    public long lastSeq(String vin) {
        return delegate.lastSeq(vin);
    }

    @Override
    public long count(String vin) {
        return delegate.count(vin);
    }

    @Override
    public VehicleTotals totals(String vin) {
        return delegate.totals(vin);
    }

    @Override
    public void scan(String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink) {
        delegate.scan(vin, fromMs, toMs, limit, sink);
    }

    @Override
    public List<String> vins() {
        return delegate.vins();
    }

    @Override
    public void upsertVehicle(Vehicle vehicle) {
        delegate.upsertVehicle(vehicle);
    }

    @Override
    public Optional<Vehicle> vehicle(String vin) {
        return delegate.vehicle(vin);
    }

    @Override
    public void recordEvent(VehicleEvent event) {
        delegate.recordEvent(event);
    }

    @Override
    public List<VehicleEvent> events(String vin, long fromMs, long toMs) {
        return delegate.events(vin, fromMs, toMs);
    }

    @Override
    public Map<String, Object> describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
