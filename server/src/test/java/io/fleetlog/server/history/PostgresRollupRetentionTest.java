package io.fleetlog.server.history;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

class PostgresRollupRetentionTest extends RollupRetentionContract {
    private Postgres.Schema schema;

    @Override
    SampleStore open() {
        schema = Postgres.newSchema();
        return Stores.open(schema.url());
    }

    @AfterEach
    void drop() {
        schema.drop();
    }

    @Override
    List<String> partitions() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                        + " c.relnamespace WHERE n.nspname = current_schema() AND c.relname ~ '^rollup'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
