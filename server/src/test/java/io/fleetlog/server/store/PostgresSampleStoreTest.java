package io.fleetlog.server.store;

import io.fleetlog.server.testing.Postgres;
import org.junit.jupiter.api.AfterEach;

/** The contract against the real PostgreSQL on 127.0.0.1:5432, in a schema of its own per test. */
class PostgresSampleStoreTest extends SampleStoreContract {
    private Postgres.Schema schema;

    @Override
    SampleStore openStore() {
        schema = Postgres.newSchema();
        return Stores.open(schema.url());
    }

    @Override
    SampleStore reopen() {
        store.close();
        return Stores.open(schema.url());
    }

    @AfterEach
    void dropSchema() {
        store.close();
        schema.drop();
    }
}
