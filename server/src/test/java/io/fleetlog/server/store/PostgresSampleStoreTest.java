package io.fleetlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract against the real PostgreSQL on 127.0.0.1:5432, in a schema of its own per test. */
class PostgresSampleStoreTest extends SampleStoreContract {
    private Postgres.Schema schema;

    /** This class runs the contract in the rows layout; {@link PostgresChunkedStoreTest} in chunks. */
    @Override
    SampleStore openStore() {
        schema = Postgres.newSchema();
        return Stores.open(schema.url(), StoreLayout.ROWS);
    }

    @Override
    SampleStore reopen() {
        store.close();
        return Stores.open(schema.url(), StoreLayout.ROWS);
    }

    /** 100 samples on {@code day0} and 100 the day after; returns the first day's partition. */
    private String twoDaysOfSamples(long day0) {
        store.append(VIN, Samples.drive(0, 100, day0 + 1000));
        store.append(VIN, Samples.drive(100, 100, day0 + SampleStore.DAY_MS + 1000));
        return PostgresSampleStore.partitionName(day0 / SampleStore.DAY_MS);
    }

    /**
     * A schema of version 1 (eight columns a sample) migrates to frames: the old rows stay in
     * samples_v1 (partitions renamed, so retention does not touch them), counts restart, last_seq stays.
     */
    @Test
    void aVersion1SchemaKeepsItsRowsAsideAndTheVehicleGoesOnFromItsLastSeq() throws Exception {
        store.close();
        Postgres.Schema old = Postgres.newSchema();
        try {
            org.flywaydb.core.Flyway.configure()
                    .dataSource(old.url(), null, null)
                    .schemas(old.name())
                    .defaultSchema(old.name())
                    .createSchemas(true)
                    .locations("classpath:db/postgresql")
                    .target("1")
                    .load()
                    .migrate();
            long day = SampleStore.dayStart(Samples.T0) / SampleStore.DAY_MS;
            try (Connection c = DriverManager.getConnection(old.url());
                    Statement st = c.createStatement()) {
                st.execute("INSERT INTO vehicles (vin, last_seq, samples, last_capture_ms) VALUES ('" + VIN
                        + "', 0, 1, " + Samples.T0 + ")");
                st.execute("CREATE TABLE " + PostgresSampleStore.partitionName(day) + " PARTITION OF samples FOR VALUES"
                        + " FROM (" + day * SampleStore.DAY_MS + ") TO (" + (day + 1) * SampleStore.DAY_MS + ")");
                st.execute("INSERT INTO samples (vehicle_id, seq, capture_ms, speed, reconstructed) SELECT id, 0, "
                        + Samples.T0 + ", 12.5, 0 FROM vehicles");
            }
            store = Stores.open(old.url());
            assertThat(store.lastSeq(VIN)).isEqualTo(0);
            assertThat(store.count(VIN)).isZero();
            store.append(VIN, Samples.drive(1, 10, Samples.T0 + 20));
            List<Sample> out = new ArrayList<>();
            store.scan(VIN, 0, Long.MAX_VALUE, out::add);
            assertThat(out).containsExactlyElementsOf(Samples.drive(1, 10, Samples.T0 + 20));
            try (Connection c = DriverManager.getConnection(old.url());
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*), min(speed) FROM samples_v1")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the old row kept aside").isEqualTo(1);
                assertThat(rs.getDouble(2)).isEqualTo(12.5);
            }
            assertThat(store.purgeBefore(SampleStore.dayStart(Samples.T0) + SampleStore.DAY_MS))
                    .as("only the new frames are purged")
                    .isEqualTo(10);
            try (Connection c = DriverManager.getConnection(old.url());
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM samples_v1")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        } finally {
            store.close();
            old.drop();
            store = Stores.open(schema.url()); // for closeStore
        }
    }

    @Test
    void purgeAlsoDropsAPartitionAFailedPurgeDetachedButDidNotDrop() throws Exception {
        long day0 = SampleStore.dayStart(Samples.T0);
        String partition = twoDaysOfSamples(day0);
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

    @Test
    void purgeFinishesADetachACrashLeftPending() throws Exception {
        long day0 = SampleStore.dayStart(Samples.T0);
        String partition = twoDaysOfSamples(day0);
        // A reader's open transaction makes DETACH … CONCURRENTLY wait in its second phase; the
        // statement timeout then interrupts it there, as a crash would: the detach stays pending.
        try (Connection reader = DriverManager.getConnection(schema.url());
                Connection detacher = DriverManager.getConnection(schema.url());
                Statement r = reader.createStatement();
                Statement d = detacher.createStatement()) {
            reader.setAutoCommit(false);
            r.executeQuery("SELECT count(*) FROM samples").close();
            d.execute("SET statement_timeout = 1000");
            assertThatThrownBy(() -> d.execute("ALTER TABLE samples DETACH PARTITION " + partition + " CONCURRENTLY"))
                    .hasMessageContaining("statement timeout");
            reader.rollback();
            try (ResultSet rs =
                    d.executeQuery("SELECT i.inhdetachpending FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname = current_schema() AND c.relname = '" + partition + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the detach is pending").isTrue();
            }
        }
        assertThat(store.purgeBefore(day0 + SampleStore.DAY_MS)).isEqualTo(100);
        assertThat(store.count(VIN)).isEqualTo(100);
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        assertThat(out).hasSize(100).allMatch(x -> x.seq() >= 100);
    }

    @AfterEach
    void dropSchema() {
        store.close();
        schema.drop();
    }
}
