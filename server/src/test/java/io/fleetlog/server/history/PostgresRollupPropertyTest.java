package io.fleetlog.server.history;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Postgres;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The rollups' law against the real PostgreSQL, in a schema of its own. */
class PostgresRollupPropertyTest extends RollupPropertyContract {
    private static Postgres.Schema schema;
    private static SampleStore store;

    @BeforeContainer
    static void open() {
        schema = Postgres.newSchema();
        store = Stores.open(schema.url());
    }

    @AfterContainer
    static void close() {
        store.close();
        schema.drop();
    }

    @Override
    SampleStore store() {
        return store;
    }
}
