package io.fleetlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetlog.app.demo.Demo;
import io.fleetlog.edge.spool.SpoolConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Grafana panel's SQL against a real PostgreSQL (127.0.0.1:5432, db test, a fresh schema) filled
 * by the real demo: two cars drive 15 min of capture time at 60 times real time through their scripted dead
 * zones into the server's PostgreSQL store, with a spool of 3,000 frames that drops its oldest when full (so
 * the dead zones leave declared gaps as well as backfill), and the server derives their drives and charges.
 * Then deploy/grafana/readonly-role.sql is run with psql, as documented, for a role of this test's own,
 * and every panel's query (macros expanded as Grafana expands them) runs as that role and returns rows.
 * Skipped, with the reason, without PostgreSQL or psql.
 */
class GrafanaSqlTest {
    static final String BASE = "jdbc:postgresql://127.0.0.1:5432/test";
    static final Duration DEMO_TIMEOUT = Duration.ofSeconds(120);
    static final Path PSQL = Path.of("/usr/bin/psql");
    /**
     * 60 times real time: a dead zone lasts at least 3 s of wall time (Demo), 180 s of capture, so a spool
     * of 60 s of frames drops part of each zone but not the whole drive (at full speed a whole drive fits in
     * the first dead zone and the gap swallows it).
     */
    static final double SPEED = 60;

    static final long SPOOL_FRAMES = 3_000;

    @TempDir
    static Path dir;

    static String schema;
    static String role;
    static List<String> vins;

    @BeforeAll
    static void fillTheDatabaseWithTheDemo() throws Exception {
        assumeTrue(reachable("127.0.0.1", 5432), "GrafanaSqlTest: no PostgreSQL on 127.0.0.1:5432, skipped");
        assumeTrue(Files.isExecutable(PSQL), "GrafanaSqlTest: no " + PSQL + " to run readonly-role.sql, skipped");
        String id = Long.toHexString(System.nanoTime());
        schema = "grafana_" + id;
        role = "fleetlog_grafana_" + id;
        Demo.Options o = new Demo.Options(
                2,
                Duration.ofMinutes(15),
                SPEED,
                "127.0.0.1",
                0,
                BASE + "?user=postgres&currentSchema=" + schema,
                dir,
                42,
                true,
                SpoolConfig.defaults().withMaxSamples(SPOOL_FRAMES, SpoolConfig.FullPolicy.DROP_OLDEST));
        long t0 = System.nanoTime();
        try (Demo demo = Demo.start(o)) {
            long deadline = t0 + DEMO_TIMEOUT.toNanos();
            while (!demo.finished()) {
                assertThat(System.nanoTime())
                        .as("the demo finished within " + DEMO_TIMEOUT)
                        .isLessThan(deadline);
                demo.monitor(System.nanoTime());
                Thread.sleep(100);
            }
        } // closing the server derives the sessions still pending
        System.out.printf("GrafanaSqlTest: demo ran in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        try (Connection c = owner();
                Statement st = c.createStatement()) {
            vins = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT vin FROM vehicles ORDER BY vin")) {
                while (rs.next()) {
                    vins.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT (SELECT count(*) FROM drives), (SELECT count(*) FROM charges),"
                            + " (SELECT count(*) FROM events WHERE kind = 'GAP'), (SELECT count(*) FROM events WHERE kind = 'OFFLINE')")) {
                rs.next();
                System.out.printf(
                        "GrafanaSqlTest: %d vehicles, %d drives, %d charges, %d gaps, %d outages%n",
                        vins.size(), rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
        assertThat(vins).hasSize(2);
        // twice: the script must be safe to run again
        psql(
                "-v",
                "schema=" + schema,
                "-v",
                "role=" + role,
                "-f",
                Grafana.dir().resolve("readonly-role.sql").toString());
        psql(
                "-v",
                "schema=" + schema,
                "-v",
                "role=" + role,
                "-f",
                Grafana.dir().resolve("readonly-role.sql").toString());
    }

    @AfterAll
    static void dropSchemaAndRole() throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(BASE + "?user=postgres");
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("DROP OWNED BY " + role); // its CONNECT grant on the database
            st.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void everyPanelsQueryReturnsRowsAsTheReadOnlyRole() throws SQLException {
        String from = Instant.now().minus(Duration.ofDays(1)).toString();
        String to = Instant.now().plus(Duration.ofDays(1)).toString();
        List<String> failures = new ArrayList<>();
        List<Grafana.Query> queries = Grafana.queries();
        try (Connection c = readOnly();
                Statement st = c.createStatement()) {
            for (Grafana.Query q : queries) {
                String sql = Grafana.substitute(q.sql(), from, to, vins);
                try (ResultSet rs = st.executeQuery(sql)) {
                    String shape = shapeProblem(q, rs.getMetaData());
                    if (shape != null) {
                        failures.add(q + ": " + shape);
                    }
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                    }
                    System.out.printf("  %-60s %5d rows%n", q, rows);
                    if (rows == 0) {
                        failures.add(q + ": no rows");
                    }
                } catch (SQLException e) {
                    failures.add(q + ": " + e.getMessage() + "\n" + sql);
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(30);
        assertThat(failures).as("panels whose SQL failed or returned nothing").isEmpty();
    }

    /**
     * What Grafana needs of a result beyond running: a time series (and state timeline) is exactly
     * {@code time, metric, value} (with three columns Grafana names each series by its metric, the VIN);
     * a geomap has numeric {@code lat} and {@code lon}; a variable has {@code __value} and {@code __text}.
     */
    private static String shapeProblem(Grafana.Query q, ResultSetMetaData md) throws SQLException {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i));
        }
        if (q.format().equals("time_series")) {
            boolean ok = cols.size() == 3
                    && cols.get(0).equals("time")
                    && md.getColumnType(1) == Types.TIMESTAMP
                    && cols.get(1).equals("metric")
                    && md.getColumnType(2) == Types.VARCHAR
                    && isNumber(md.getColumnType(3));
            return ok ? null : "a time series must be (time timestamptz, metric text, value number), not " + cols;
        }
        if (q.type().equals("geomap")) {
            int lat = cols.indexOf("lat") + 1;
            int lon = cols.indexOf("lon") + 1;
            boolean ok = lat > 0 && lon > 0 && isNumber(md.getColumnType(lat)) && isNumber(md.getColumnType(lon));
            return ok ? null : "a geomap needs numeric lat and lon columns, not " + cols;
        }
        if (q.type().equals("variable")) {
            return cols.equals(List.of("__value", "__text")) ? null : "a variable needs __value, __text, not " + cols;
        }
        return null;
    }

    private static boolean isNumber(int sqlType) {
        return switch (sqlType) {
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.DOUBLE, Types.REAL, Types.NUMERIC, Types.DECIMAL ->
                true;
            default -> false;
        };
    }

    @Test
    void theVinVariableNarrowsEveryPanelToOneVehicle() throws SQLException {
        String from = Instant.now().minus(Duration.ofDays(1)).toString();
        String to = Instant.now().plus(Duration.ofDays(1)).toString();
        try (Connection c = readOnly();
                Statement st = c.createStatement()) {
            for (Grafana.Query q : Grafana.queries()) {
                String sql = Grafana.substitute(q.sql(), from, to, List.of(vins.get(0)));
                try (ResultSet rs = st.executeQuery(sql)) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        String col = rs.getMetaData().getColumnLabel(i);
                        if (col.equals("vin") || col.equals("metric")) {
                            while (rs.next()) {
                                assertThat(rs.getString(i)).as(q.toString()).isEqualTo(vins.get(0));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theReadOnlyRoleReadsButCannotWriteNorReadTheFrames() throws SQLException {
        try (Connection c = readOnly();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM drives")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
            // its sessions default to read-only transactions ...
            assertSqlState(() -> st.executeUpdate("DELETE FROM drives"), "25006");
            // ... and when it asks for read-write, it still has no privilege to write
            st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
            assertSqlState(() -> st.executeUpdate("DELETE FROM drives"), "42501");
            assertSqlState(
                    () -> st.executeUpdate("INSERT INTO events (vehicle_id, t_ms, kind, from_seq, to_seq, detail)"
                            + " VALUES (1, 0, 'GAP', 0, 0, 'x')"),
                    "42501");
            assertSqlState(() -> st.executeUpdate("UPDATE vehicles SET name = 'x'"), "42501");
            assertSqlState(() -> st.execute("CREATE TABLE grafana_scratch (x int)"), "42501");
            assertSqlState(() -> st.executeQuery("SELECT count(*) FROM samples"), "42501");
            assertSqlState(() -> st.executeQuery("SELECT count(*) FROM catalogues"), "42501");
        }
    }

    interface SqlCall {
        void run() throws SQLException;
    }

    private static void assertSqlState(SqlCall call, String state) {
        assertThatThrownBy(call::run)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                        .as(e.getMessage())
                        .isEqualTo(state));
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(BASE + "?user=postgres&currentSchema=" + schema);
    }

    /** As the role, with no schema in the URL: its search_path comes from the script. */
    private static Connection readOnly() throws SQLException {
        return DriverManager.getConnection(BASE + "?user=" + role);
    }

    private static void psql(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                PSQL.toString(),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "test"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("psql finished").isTrue();
        assertThat(p.exitValue())
                .as("psql " + String.join(" ", args) + ":\n" + out)
                .isZero();
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false; // not reachable: the test is skipped
        }
    }
}
