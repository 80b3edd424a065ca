package io.fleetlog.server.trips;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Postgres;

/** The deriver on the real PostgreSQL on 127.0.0.1:5432, in a schema of its own per test. */
class PostgresDeriverTest extends DeriverContract {
    @Override
    SampleStore open() {
        return Stores.open(Postgres.newSchema().url());
    }
}
