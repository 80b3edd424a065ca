package io.fleetlog.server.history;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.sample.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollup tables of one store (SQLite or PostgreSQL), the same columns in both:
 *
 * <table>
 *   <caption>rollups_10s, rollups_1m: one row per vehicle, signal and bucket</caption>
 *   <tr><th>column</th><th>meaning</th></tr>
 *   <tr><td>vehicle_id, signal_id, bucket_ms</td><td>key; bucket_ms = bucket start, epoch ms</td></tr>
 *   <tr><td>samples</td><td>values in the bucket</td></tr>
 *   <tr><td>sum</td><td>their sum (mean = sum / samples)</td></tr>
 *   <tr><td>min_value, max_value</td><td>extremes</td></tr>
 *   <tr><td>last_ms, last_seq, last_value</td><td>the value of the greatest (capture time, seq)</td></tr>
 * </table>
 *
 * <p>{@code rollup_states_10s}, {@code rollup_states_1m}: {@code (vehicle_id, signal_id, bucket_ms,
 * state)} → {@code samples}, for enum and boolean signals. {@link #add} upserts one append's {@link
 * Rollups.Delta}s with {@code samples + n}, {@code sum + s}, least, greatest and last-by-(time, seq),
 * on the caller's connection inside the caller's transaction: a rollback takes the rollup rows with
 * it, a late or backfilled sample corrects its bucket, and a duplicate never reaches here (the store
 * passes only the samples its insert stored).
 *
 * <p>PostgreSQL ({@code V8__rollups.sql}) partitions the tables by {@code bucket_ms}: 10 s by UTC day,
 * 1 min by UTC month, created on demand by {@link #prepare} before the append transaction (like the
 * samples partitions), dropped by {@link #purgeBefore}. It also records each catalogue's signal names
 * in {@code signal_names} once per process, for the {@code grafana_rollups_*} views. SQLite creates the
 * tables ({@link #sqliteDdl}) {@code WITHOUT ROWID}; retention deletes key ranges per vehicle and signal
 * in short transactions. Thread-safe.
 */
public final class RollupTables implements RollupStore {
    private static final Logger log = LoggerFactory.getLogger(RollupTables.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC);
    private static final long DAY_MS = 86_400_000L;

    /** Where connections come from (a pool, or a new connection to the file); the caller closes them. */
    public interface Connections {
        Connection get() throws SQLException;
    }

    private enum Dialect {
        SQLITE,
        POSTGRES
    }

    private final Dialect dialect;
    private final Connections connections;
    private final Set<String> partitions = ConcurrentHashMap.newKeySet();
    private final Set<String> namedCatalogues = ConcurrentHashMap.newKeySet();

    private RollupTables(Dialect dialect, Connections connections) {
        this.dialect = dialect;
        this.connections = connections;
    }

    public static RollupTables sqlite(Connections readConnections) {
        return new RollupTables(Dialect.SQLITE, readConnections);
    }

    public static RollupTables postgres(Connections pool) {
        return new RollupTables(Dialect.POSTGRES, pool);
    }

    /** SQLite's tables (PostgreSQL's are in {@code db/postgresql/V8__rollups.sql}). */
    public static List<String> sqliteDdl() {
        List<String> ddl = new ArrayList<>();
        for (Step s : Step.values()) {
            ddl.add(
                    "CREATE TABLE IF NOT EXISTS " + s.table() + "(vehicle_id INTEGER NOT NULL, signal_id INTEGER"
                            + " NOT NULL, bucket_ms INTEGER NOT NULL, samples INTEGER NOT NULL, sum REAL NOT NULL,"
                            + " min_value REAL NOT NULL, max_value REAL NOT NULL, last_ms INTEGER NOT NULL, last_seq INTEGER"
                            + " NOT NULL, last_value REAL NOT NULL, PRIMARY KEY(vehicle_id, signal_id, bucket_ms)) WITHOUT ROWID");
            ddl.add("CREATE TABLE IF NOT EXISTS " + s.statesTable() + "(vehicle_id INTEGER NOT NULL, signal_id"
                    + " INTEGER NOT NULL, bucket_ms INTEGER NOT NULL, state INTEGER NOT NULL, samples INTEGER NOT NULL,"
                    + " PRIMARY KEY(vehicle_id, signal_id, bucket_ms, state)) WITHOUT ROWID");
        }
        return ddl;
    }

    // ---- writing ---------------------------------------------------------------------------------

    /**
     * PostgreSQL: creates the partitions {@code samples} will need (each in its own short
     * transaction, serialised by an advisory lock); SQLite: nothing. Call before the append
     * transaction.
     */
    public void prepare(List<Sample> samples) throws SQLException {
        if (dialect != Dialect.POSTGRES || samples.isEmpty()) {
            return;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Sample s : samples) {
            first = Math.min(first, s.captureTimeMs());
            last = Math.max(last, s.captureTimeMs());
        }
        for (long day = Math.floorDiv(first, DAY_MS); day <= Math.floorDiv(last, DAY_MS); day++) {
            long from = day * DAY_MS;
            ensurePartition(Step.TEN_SECONDS, DAY.format(Instant.ofEpochMilli(from)), from, from + DAY_MS);
            LocalDate month = LocalDate.ofEpochDay(day).withDayOfMonth(1);
            long mFrom = month.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            long mTo =
                    month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            ensurePartition(Step.ONE_MINUTE, MONTH.format(Instant.ofEpochMilli(mFrom)), mFrom, mTo);
        }
    }

    private void ensurePartition(Step step, String suffix, long from, long to) throws SQLException {
        String key = step.suffix() + suffix;
        if (partitions.contains(key)) {
            return;
        }
        try (Connection c = connections.get()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(4711008)");
                for (String parent : List.of(step.table(), step.statesTable())) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + parent + "_p" + suffix + " PARTITION OF " + parent
                            + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        partitions.add(key);
    }

    /**
     * Adds what {@code fresh} (the samples this transaction stored, no duplicates) contributes to
     * every tier, on {@code c} inside the caller's transaction.
     */
    public void add(Connection c, int vehicleId, Catalogue catalogue, List<Sample> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        if (dialect == Dialect.POSTGRES) {
            nameSignals(c, catalogue);
        }
        for (Step step : Step.values()) {
            Rollups.Delta d = Rollups.of(fresh, catalogue, step);
            upsertBuckets(c, step, vehicleId, d.buckets());
            upsertStates(c, step, vehicleId, d.states());
        }
    }

    private void upsertBuckets(Connection c, Step step, int vehicleId, List<Bucket> buckets) throws SQLException {
        if (buckets.isEmpty()) {
            return;
        }
        String later =
                "(EXCLUDED.last_ms > r.last_ms OR (EXCLUDED.last_ms = r.last_ms AND EXCLUDED.last_seq > r.last_seq))";
        String least = dialect == Dialect.POSTGRES ? "least" : "min";
        String greatest = dialect == Dialect.POSTGRES ? "greatest" : "max";
        String sql = "INSERT INTO " + step.table() + " AS r (vehicle_id, signal_id, bucket_ms, samples, sum, min_value,"
                + " max_value, last_ms, last_seq, last_value) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (vehicle_id,"
                + " signal_id, bucket_ms) DO UPDATE SET samples = r.samples + EXCLUDED.samples, sum = r.sum + EXCLUDED.sum,"
                + " min_value = " + least + "(r.min_value, EXCLUDED.min_value), max_value = " + greatest
                + "(r.max_value, EXCLUDED.max_value), last_ms = CASE WHEN " + later
                + " THEN EXCLUDED.last_ms ELSE r.last_ms END, last_seq = CASE WHEN " + later
                + " THEN EXCLUDED.last_seq ELSE r.last_seq END, last_value = CASE WHEN " + later
                + " THEN EXCLUDED.last_value ELSE r.last_value END";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Bucket b : buckets) {
                ps.setInt(1, vehicleId);
                ps.setInt(2, b.signalId());
                ps.setLong(3, b.startMs());
                ps.setLong(4, b.count());
                ps.setDouble(5, b.sum());
                ps.setDouble(6, b.min());
                ps.setDouble(7, b.max());
                ps.setLong(8, b.lastMs());
                ps.setLong(9, b.lastSeq());
                ps.setDouble(10, b.last());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertStates(Connection c, Step step, int vehicleId, List<StateCount> states)
            throws SQLException {
        if (states.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + step.statesTable() + " AS r (vehicle_id,"
                + " signal_id, bucket_ms, state, samples) VALUES (?,?,?,?,?) ON CONFLICT (vehicle_id, signal_id,"
                + " bucket_ms, state) DO UPDATE SET samples = r.samples + EXCLUDED.samples")) {
            for (StateCount s : states) {
                ps.setInt(1, vehicleId);
                ps.setInt(2, s.signalId());
                ps.setLong(3, s.startMs());
                ps.setLong(4, s.state());
                ps.setLong(5, s.count());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * PostgreSQL: the catalogue's signal names in {@code signal_names} (once per catalogue and process;
     * the built-in catalogue also under the key {@code builtin}, what a vehicle without a
     * catalogue_hash uses), so the views show names.
     */
    private void nameSignals(Connection c, Catalogue catalogue) throws SQLException {
        if (namedCatalogues.contains(catalogue.hash())) {
            return;
        }
        List<String> keys = new ArrayList<>(List.of(catalogue.hash()));
        if (catalogue.equals(Catalogue.builtin())) {
            keys.add("builtin");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signal_names (catalogue_hash, signal_id, name,"
                + " type, unit) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING")) {
            for (String key : keys) {
                for (int id = 0; id < catalogue.size(); id++) {
                    var sig = catalogue.signal(id);
                    ps.setString(1, key);
                    ps.setInt(2, id);
                    ps.setString(3, sig.name());
                    ps.setString(4, sig.type().keyword());
                    ps.setString(5, sig.type() instanceof FloatType f ? f.unit() : null);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        // remembered only after the caller's commit would be exact; a rollback merely repeats the
        // idempotent insert next time, so remembering now is safe
        namedCatalogues.add(catalogue.hash());
    }

    // ---- reading ---------------------------------------------------------------------------------

    @Override
    public List<Bucket> buckets(String vin, Step step, int signalId, long fromMs, long toMs) {
        List<Bucket> out = new ArrayList<>();
        read(
                vin,
                "SELECT bucket_ms, samples, sum, min_value, max_value, last_ms, last_seq, last_value FROM "
                        + step.table() + " WHERE vehicle_id = ? AND signal_id = ? AND bucket_ms >= ? AND bucket_ms < ?"
                        + " ORDER BY bucket_ms",
                signalId,
                fromMs,
                toMs,
                rs -> out.add(new Bucket(
                        signalId,
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getDouble(3),
                        rs.getDouble(4),
                        rs.getDouble(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getDouble(8))));
        return out;
    }

    @Override
    public java.util.Map<Integer, List<Bucket>> buckets(
            String vin, Step step, int[] signalIds, long fromMs, long toMs) {
        java.util.Map<Integer, List<Bucket>> out = new java.util.HashMap<>();
        StringBuilder in = new StringBuilder();
        for (int id : signalIds) {
            out.put(id, new ArrayList<>());
            in.append(in.isEmpty() ? "" : ",").append(id); // ints: no injection possible
        }
        if (signalIds.length == 0) {
            return out;
        }
        try (Connection c = connections.get()) {
            Integer vehicle = vehicleId(c, vin);
            if (vehicle == null) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT signal_id, bucket_ms, samples, sum, min_value,"
                    + " max_value, last_ms, last_seq, last_value FROM " + step.table() + " WHERE vehicle_id = ? AND"
                    + " signal_id IN (" + in
                    + ") AND bucket_ms >= ? AND bucket_ms < ? ORDER BY signal_id, bucket_ms")) {
                ps.setInt(1, vehicle);
                ps.setLong(2, fromMs);
                ps.setLong(3, toMs);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int id = rs.getInt(1);
                        out.get(id)
                                .add(new Bucket(
                                        id,
                                        rs.getLong(2),
                                        rs.getLong(3),
                                        rs.getDouble(4),
                                        rs.getDouble(5),
                                        rs.getDouble(6),
                                        rs.getLong(7),
                                        rs.getLong(8),
                                        rs.getDouble(9)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rollup read of " + vin + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public java.util.Map<Integer, List<Bucket>> merged(
            String vin, Step step, int[] signalIds, long startMs, long toMs, long widthMs) {
        if (widthMs <= 0 || widthMs % step.ms() != 0) {
            throw new IllegalArgumentException("width " + widthMs + " ms is not a multiple of " + step.ms() + " ms");
        }
        java.util.Map<Integer, List<Bucket>> out = new java.util.HashMap<>();
        StringBuilder in = new StringBuilder();
        for (int id : signalIds) {
            out.put(id, new ArrayList<>());
            in.append(in.isEmpty() ? "" : ",").append(id); // ints: no injection possible
        }
        if (signalIds.length == 0) {
            return out;
        }
        // The rows of one output bucket are buckets of the step with disjoint time spans, so their
        // last_ms differ: the row numbered 1 by last_ms descending holds the output's last value.
        String k = "((bucket_ms - " + startMs + ") / " + widthMs + ")";
        try (Connection c = connections.get()) {
            Integer vehicle = vehicleId(c, vin);
            if (vehicle == null) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT signal_id, k, sum(samples), sum(sum), min(min_value),"
                            + " max(max_value), max(last_ms), max(CASE WHEN rn = 1 THEN last_seq END), max(CASE WHEN rn = 1"
                            + " THEN last_value END) FROM (SELECT signal_id, " + k
                            + " AS k, samples, sum, min_value, max_value,"
                            + " last_ms, last_seq, last_value, row_number() OVER (PARTITION BY signal_id, " + k
                            + " ORDER BY last_ms DESC) AS rn FROM " + step.table()
                            + " WHERE vehicle_id = ? AND signal_id IN ("
                            + in
                            + ") AND bucket_ms >= ? AND bucket_ms < ?) x GROUP BY signal_id, k ORDER BY signal_id, k")) {
                ps.setInt(1, vehicle);
                ps.setLong(2, startMs);
                ps.setLong(3, toMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int id = rs.getInt(1);
                        out.get(id)
                                .add(new Bucket(
                                        id,
                                        startMs + rs.getLong(2) * widthMs,
                                        rs.getLong(3),
                                        rs.getDouble(4),
                                        rs.getDouble(5),
                                        rs.getDouble(6),
                                        rs.getLong(7),
                                        rs.getLong(8),
                                        rs.getDouble(9)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rollup read of " + vin + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<StateCount> states(String vin, Step step, int signalId, long fromMs, long toMs) {
        List<StateCount> out = new ArrayList<>();
        read(
                vin,
                "SELECT bucket_ms, state, samples FROM " + step.statesTable() + " WHERE vehicle_id = ? AND"
                        + " signal_id = ? AND bucket_ms >= ? AND bucket_ms < ? ORDER BY bucket_ms, state",
                signalId,
                fromMs,
                toMs,
                rs -> out.add(new StateCount(signalId, rs.getLong(1), rs.getLong(2), rs.getLong(3))));
        return out;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void read(String vin, String sql, int signalId, long fromMs, long toMs, Row row) {
        try (Connection c = connections.get()) {
            Integer id = vehicleId(c, vin);
            if (id == null) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                ps.setInt(2, signalId);
                ps.setLong(3, fromMs);
                ps.setLong(4, toMs);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.accept(rs);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "rollup read of " + vin + " signal " + signalId + " failed: " + e.getMessage(), e);
        }
    }

    private static Integer vehicleId(Connection c, String vin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM vehicles WHERE vin = ?")) {
            ps.setString(1, vin);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    // ---- retention -------------------------------------------------------------------------------

    @Override
    public long purgeBefore(Step step, long cutoffMs) {
        try {
            return dialect == Dialect.POSTGRES ? dropPartitions(step, cutoffMs) : deleteRanges(step, cutoffMs);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "retention of the " + step.suffix() + " rollups before " + cutoffMs + " failed: " + e.getMessage(),
                    e);
        }
    }

    /** PostgreSQL: detaches (concurrently: appends go on) and drops each partition ending ≤ cutoff. */
    private long dropPartitions(Step step, long cutoffMs) throws SQLException {
        long removed = 0;
        for (String parent : List.of(step.table(), step.statesTable())) {
            List<String[]> old = new ArrayList<>();
            try (Connection c = connections.get();
                    PreparedStatement ps = c.prepareStatement("SELECT c.relname, c.relispartition, coalesce((SELECT"
                            + " i.inhdetachpending FROM pg_inherits i WHERE i.inhrelid = c.oid), false) FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                            + " AND c.relkind = 'r' AND c.relname ~ ? ORDER BY c.relname")) {
                ps.setString(1, "^" + parent + "_p[0-9]+$");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        if (partitionEnd(step, name.substring(parent.length() + 2)) <= cutoffMs) {
                            old.add(new String[] {name, rs.getBoolean(2) ? (rs.getBoolean(3) ? "P" : "A") : "D"});
                        }
                    }
                }
            }
            for (String[] p : old) {
                removed += dropPartition(parent, p[0], p[1], parent.equals(step.table()));
            }
        }
        return removed;
    }

    private long dropPartition(String parent, String name, String state, boolean count) throws SQLException {
        try (Connection c = connections.get();
                Statement st = c.createStatement()) {
            if (!state.equals("D")) {
                st.execute("ALTER TABLE " + parent + " DETACH PARTITION " + name
                        + (state.equals("P") ? " FINALIZE" : " CONCURRENTLY"));
            }
            long rows = 0;
            if (count) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + name)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            st.execute("DROP TABLE " + name);
            partitions.clear(); // a late sample of a dropped span recreates its partition; the next purge drops it
            log.info("retention_partition_dropped partition={} buckets={}", name, rows);
            return rows;
        }
    }

    private static long partitionEnd(Step step, String suffix) {
        if (step == Step.TEN_SECONDS) {
            return LocalDate.parse(suffix, DateTimeFormatter.ofPattern("yyyyMMdd"))
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toEpochMilli()
                    + DAY_MS;
        }
        return LocalDate.parse(suffix + "01", DateTimeFormatter.ofPattern("yyyyMMdd"))
                .plusMonths(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
    }

    /**
     * SQLite: per (vehicle, signal) one {@code DELETE} of a key range, each its own short
     * transaction on a connection of its own (the store's writer waits at most that long).
     */
    private long deleteRanges(Step step, long cutoffMs) throws SQLException {
        long removed = 0;
        try (Connection c = connections.get()) {
            for (String table : List.of(step.table(), step.statesTable())) {
                long vehicle = Long.MIN_VALUE;
                long signal = Long.MIN_VALUE;
                while (true) {
                    try (PreparedStatement next = c.prepareStatement("SELECT vehicle_id, signal_id FROM " + table
                            + " WHERE vehicle_id > ? OR (vehicle_id = ? AND signal_id > ?) ORDER BY vehicle_id,"
                            + " signal_id LIMIT 1")) {
                        next.setLong(1, vehicle);
                        next.setLong(2, vehicle);
                        next.setLong(3, signal);
                        try (ResultSet rs = next.executeQuery()) {
                            if (!rs.next()) {
                                break;
                            }
                            vehicle = rs.getLong(1);
                            signal = rs.getLong(2);
                        }
                    }
                    try (PreparedStatement del = c.prepareStatement(
                            "DELETE FROM " + table + " WHERE vehicle_id = ? AND signal_id = ? AND bucket_ms < ?")) {
                        del.setLong(1, vehicle);
                        del.setLong(2, signal);
                        del.setLong(3, cutoffMs);
                        int n = del.executeUpdate();
                        removed += table.equals(step.table()) ? n : 0;
                    }
                }
            }
        }
        return removed;
    }
}
