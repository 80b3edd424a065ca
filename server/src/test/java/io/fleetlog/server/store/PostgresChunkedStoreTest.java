package io.fleetlog.server.store;

import io.fleetlog.server.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
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

    /**
     * As a database migrated up to V6 left it: no chunk table (V7) and no rollup tables (V8, which
     * comes after V7, so Flyway refuses a history holding V8 without V7), neither in Flyway's history.
     */
    @Override
    void dropChunkSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE sample_chunks CASCADE");
            for (String t :
                    List.of("rollups_10s", "rollups_1m", "rollup_states_10s", "rollup_states_1m", "signal_names")) {
                st.execute("DROP TABLE " + t + " CASCADE"); // with its partitions and the Grafana views on it
            }
            st.execute("DELETE FROM flyway_schema_history WHERE version IN ('7', '8')");
        }
    }

    /** The Grafana view of outages counts the frames captured in them, in small and compacted chunks. */
    @org.junit.jupiter.api.Test
    void grafanaOutagesCountBackfilledFramesInTailAndChunks() throws Exception {
        ChunkedStore s = chunked();
        long start = W0;
        long end = W0 + 5 * Chunks.WINDOW_MS;
        s.recordEvent(VehicleEvent.link(VIN, start, false));
        s.recordEvent(VehicleEvent.link(VIN, end, true));
        s.append(VIN, io.fleetlog.server.testing.Samples.drive(0, 5 * WINDOW_FRAMES, start)); // all inside
        s.append(VIN, io.fleetlog.server.testing.Samples.drive(5 * WINDOW_FRAMES, 100, end)); // after it
        org.assertj.core.api.Assertions.assertThat(backfilled())
                .as("all in small chunks")
                .isEqualTo(5L * WINDOW_FRAMES);
        s.mergeSealed(false);
        org.assertj.core.api.Assertions.assertThat(chunkRows()).isPositive();
        org.assertj.core.api.Assertions.assertThat(backfilled())
                .as("tail and chunks")
                .isEqualTo(5L * WINDOW_FRAMES);
        s.mergeAll();
        org.assertj.core.api.Assertions.assertThat(tailRows()).isZero();
        org.assertj.core.api.Assertions.assertThat(backfilled())
                .as("all chunks")
                .isEqualTo(5L * WINDOW_FRAMES);
    }

    private long backfilled() throws Exception {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT backfilled_frames FROM grafana_outages")) {
            org.assertj.core.api.Assertions.assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @AfterEach
    void dropSchema() {
        store.close();
        schema.drop();
    }
}
