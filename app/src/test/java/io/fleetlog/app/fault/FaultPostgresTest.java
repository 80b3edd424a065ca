package io.fleetlog.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chaos seed with two vehicles (dead zones, resets, a blackholed link, duplicated and delayed
 * frames) against the real PostgreSQL store (127.0.0.1:5432, database {@code test}, user {@code
 * postgres}, trust auth; {@code -Dfleetlog.pgUrl} overrides the base URL), in a fresh schema that is
 * dropped afterwards: the promise holds there as it does on SQLite.
 */
class FaultPostgresTest {
    static final String BASE = System.getProperty("fleetlog.pgUrl", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = "postgres";

    @TempDir
    Path dir;

    @Test
    void chaosAgainstPostgresLosesNothingAndDuplicatesNothing() throws Exception {
        FaultChaosTest.Plan plan = twoVehiclePlan();
        String schema = "fault_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        sql("CREATE SCHEMA " + schema);
        try {
            String url = BASE + "?user=" + USER + "&currentSchema=" + schema;
            try {
                FaultChaosTest.run(plan, url, dir);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("PostgreSQL chaos seed " + plan.seed() + " failed; plan: " + plan, e);
            }
        } finally {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The first seed from 1000 on whose plan has two vehicles. */
    private static FaultChaosTest.Plan twoVehiclePlan() {
        for (long seed = 1_000; ; seed++) {
            FaultChaosTest.Plan p = FaultChaosTest.Plan.of(seed);
            if (p.cars().size() == 2) {
                assertThat(p.chaos()).isNotEmpty();
                return p;
            }
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(BASE + "?user=" + USER);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
