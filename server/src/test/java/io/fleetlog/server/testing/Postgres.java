package io.fleetlog.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** The project's test PostgreSQL (127.0.0.1:5432, db test, user postgres, trust auth); a schema per test. */
public final class Postgres {
    public static final String BASE = System.getProperty("fleetlog.pgUrl", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = "postgres";

    private Postgres() {}

    /** A fresh schema name; the store creates it, {@link Schema#drop} removes it. */
    public static Schema newSchema() {
        String name = "t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return new Schema(name, BASE + "?user=" + USER + "&currentSchema=" + name);
    }

    public record Schema(String name, String url) {
        public void drop() {
            try (Connection c = DriverManager.getConnection(BASE + "?user=" + USER);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop schema " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
