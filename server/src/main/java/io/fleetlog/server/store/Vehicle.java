package io.fleetlog.server.store;

import io.fleetlog.sample.Vin;

/** A registered vehicle: VIN, model key (e.g. {@code model3}) and display name; model and name may be null. */
public record Vehicle(String vin, String model, String name) {
    public Vehicle {
        Vin.check(vin);
    }
}
