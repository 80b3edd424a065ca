package io.fleetlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    @Test
    void purgeAlsoDropsAPartitionAFailedPurgeDetachedButDidNotDrop() throws Exception {
        long day0 = SampleStore.dayStart(Samples.T0);
        store.append(VIN, Samples.drive(0, 100, day0 + 1000));
        store.append(VIN, Samples.drive(100, 100, day0 + SampleStore.DAY_MS + 1000));
        String partition = "samples_p"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(java.time.Instant.ofEpochMilli(day0));
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement()) {
            st.execute("ALTER TABLE samples DETACH PARTITION " + partition); // a purge that died here
        }
        assertThat(store.purgeBefore(day0 + SampleStore.DAY_MS)).isEqualTo(100);
        assertThat(store.count(VIN)).isEqualTo(100);
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = '"
                        + partition + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the detached table is gone").isZero();
        }
    }

    @AfterEach
    void dropSchema() {
        store.close();
        schema.drop();
    }
}
