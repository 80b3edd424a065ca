package io.fleetlog.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** The store contract and the chunk layout's own tests on SQLite. */
class SqliteChunkedStoreTest extends ChunkLayoutContract {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("data/fleetlog.db");
    }

    @Override
    ChunkedStore openLayout(StoreLayout layout) {
        return SqliteSampleStore.open(url(), layout, false);
    }

    @Override
    long tailRows() throws Exception {
        return count("frames");
    }

    @Override
    long chunkRows() throws Exception {
        return count("sample_chunks");
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    void dropChunkSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(url());
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE sample_chunks");
        }
    }
}
