package io.fleetlog.server.testing;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.store.VehicleTotals;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A hand-written store wrapper with a failure switch: while {@link #failCommits} is set, every
 * {@link #append} fails at its commit point (nothing is written) and is counted.
 */
public final class FailingStore implements SampleStore {
    private final SampleStore inner;
    public final AtomicBoolean failCommits = new AtomicBoolean();
    public final AtomicInteger failedAppends = new AtomicInteger();
    /** When set, the next append waits for it before writing (later appends overtake it). */
    public volatile java.util.concurrent.CountDownLatch holdNext;

    public FailingStore(SampleStore inner) {
        this.inner = inner;
    }

    @Override
    public void append(String vin, List<Sample> samples) {
        java.util.concurrent.CountDownLatch hold = holdNext;
        if (hold != null) {
            holdNext = null;
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted");
            }
        }
        if (failCommits.get()) {
            failedAppends.incrementAndGet();
            throw new StoreException("injected commit failure");
        }
        inner.append(vin, samples);
    }

    @Override
    public VehicleTotals totals(String vin) {
        return inner.totals(vin);
    }

    @Override
    public void scan(String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink) {
        inner.scan(vin, fromMs, toMs, limit, sink);
    }

    @Override
    public List<String> vins() {
        return inner.vins();
    }

    @Override
    public void upsertVehicle(Vehicle vehicle) {
        inner.upsertVehicle(vehicle);
    }

    @Override
    public Optional<Vehicle> vehicle(String vin) {
        return inner.vehicle(vin);
    }

    @Override
    public void recordEvent(VehicleEvent event) {
        inner.recordEvent(event);
    }

    @Override
    public List<VehicleEvent> events(String vin, long fromMs, long toMs) {
        return inner.events(vin, fromMs, toMs);
    }

    @Override
    public Map<String, Object> describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
