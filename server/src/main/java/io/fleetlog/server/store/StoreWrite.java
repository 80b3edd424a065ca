package io.fleetlog.server.store;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import java.util.List;
import java.util.Objects;

/**
 * One write to a {@link SampleStore}, as a value: what an ingest replica hands to a log (Kafka) and a
 * sink applies with {@link SampleStore#applyConsumed}, in the order they were produced. Each kind
 * means exactly what the store method of the same name does.
 */
public sealed interface StoreWrite {
    /** The vehicle the write belongs to (the log's key: one ordered stream per VIN). */
    String vin();

    /** {@link SampleStore#append}: idempotent on {@code (vin, seq)}. */
    record Append(String vin, List<Sample> samples) implements StoreWrite {
        public Append {
            Objects.requireNonNull(vin, "vin");
            samples = List.copyOf(samples);
        }
    }

    /** {@link SampleStore#recordEvent}. */
    record Event(VehicleEvent event) implements StoreWrite {
        public Event {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public String vin() {
            return event.vin();
        }
    }

    /** {@link SampleStore#upsertVehicle}. */
    record UpsertVehicle(Vehicle vehicle) implements StoreWrite {
        public UpsertVehicle {
            Objects.requireNonNull(vehicle, "vehicle");
        }

        @Override
        public String vin() {
            return vehicle.vin();
        }
    }

    /** {@link SampleStore#useCatalogue}. */
    record UseCatalogue(String vin, Catalogue catalogue) implements StoreWrite {
        public UseCatalogue {
            Objects.requireNonNull(vin, "vin");
            Objects.requireNonNull(catalogue, "catalogue");
        }
    }
}
