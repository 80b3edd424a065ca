package io.fleetlog.server.store;

import io.fleetlog.sample.Sample;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link SampleStore} that hands every call to another one: the base of decorators that count,
 * time or fail on purpose (tests, benchmarks), which override only what they change. Thread-safety
 * and failure behaviour are the delegate's.
 */
public abstract class ForwardingSampleStore implements SampleStore {
    protected final SampleStore delegate;

    protected ForwardingSampleStore(SampleStore delegate) {
        this.delegate = delegate;
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
    public void append(String vin, List<Sample> samples) {
        delegate.append(vin, samples);
    }

    @Override
    public io.fleetlog.catalog.Catalogue catalogue(String vin) {
        return delegate.catalogue(vin);
    }

    @Override
    public void useCatalogue(String vin, io.fleetlog.catalog.Catalogue catalogue) {
        delegate.useCatalogue(vin, catalogue);
    }

    @Override
    public CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
        return delegate.appendAsync(vin, samples);
    }

    @Override
    public void scan(String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink) {
        delegate.scan(vin, fromMs, toMs, limit, sink);
    }

    @Override
    public List<Sample> stored(String vin, long fromSeq, long toSeq, long fromMs, long toMs) {
        return delegate.stored(vin, fromSeq, toSeq, fromMs, toMs);
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
    public int vehicleNumber(String vin) {
        return delegate.vehicleNumber(vin);
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
    public long openLinks(String vin) {
        return delegate.openLinks(vin);
    }

    @Override
    public long purgeBefore(long cutoffMs) {
        return delegate.purgeBefore(cutoffMs);
    }

    @Override
    public Optional<SessionStore> sessions() {
        return delegate.sessions();
    }

    @Override
    public Optional<io.fleetlog.server.history.RollupStore> rollups() {
        return delegate.rollups();
    }

    @Override
    public void applyConsumed(List<StoreWrite> writes, List<ConsumedOffset> offsets) {
        delegate.applyConsumed(writes, offsets);
    }

    @Override
    public Map<Integer, Long> consumedOffsets(String group, String topic) {
        return delegate.consumedOffsets(group, topic);
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
