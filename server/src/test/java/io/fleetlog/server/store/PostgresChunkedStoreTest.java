package io.fleetlog.server.store;

import io.fleetlog.server.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;

/** The store contract and the chunk layout's own tests on the real PostgreSQL, a schema per test. */
class PostgresChunkedStoreTest extends ChunkLayoutContract {
    private Postgres.Schema schema;

    @Override
    ChunkedStore openLayout(StoreLayout layout) {
        if (schema == null) {
            schema = Postgres.newSchema();
        }
        return PostgresSampleStore.open(schema.url(), layout, false);
    }

    @Override
    long tailRows() throws Exception {
        return count("samples");
    }

    @Override
    long chunkRows() throws Exception {
        return count("sample_chunks");
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** As a database migrated up to V6 left it: no chunk table, no V7 in Flyway's history. */
    @Override
    void dropChunkSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE sample_chunks CASCADE");
            st.execute("DELETE FROM flyway_schema_history WHERE version = '7'");
        }
    }

    @AfterEach
    void dropSchema() {
        store.close();
        schema.drop();
    }
}
