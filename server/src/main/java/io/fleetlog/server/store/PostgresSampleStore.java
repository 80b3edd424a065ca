package io.fleetlog.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production store: PostgreSQL through a HikariCP pool, schema by Flyway
 * ({@code db/postgresql/V*.sql}). One row per frame: {@code samples(vehicle_id, seq, capture_ms,
 * data)}, {@code data} the frame as {@link io.fleetlog.frame.FrameRecords} (any signals, exactly as
 * appended); the vehicle's catalogue in {@code catalogues(hash, text)} and {@code
 * vehicles.catalogue_hash}.
 *
 * <p>An append is one transaction: lock the vehicle's row, insert (COPY straight into the
 * partitioned {@code samples} table when every seq is above the stored {@code last_seq}; otherwise
 * COPY into a session-local staging table, then {@code INSERT … SELECT … ON CONFLICT DO NOTHING},
 * so resends are ignored), and update the vehicle's totals. Daily partitions are created on demand, each in its own short transaction before the data
 * transaction. Totals are read from the database, so several server replicas may share it.
 *
 * <p>The schema comes from the URL's {@code currentSchema} parameter (default {@code public}) and is
 * created when missing. Thread-safe.
 */
final class PostgresSampleStore implements ChunkedStore {
    private static final Logger log = LoggerFactory.getLogger(PostgresSampleStore.class);
    private static final DateTimeFormatter DAY_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final String STAGING = "CREATE TEMP TABLE IF NOT EXISTS fleetlog_frames_staging (vehicle_id"
            + " integer, seq bigint, capture_ms bigint, data bytea) ON COMMIT DELETE ROWS";
    private static final String COLUMNS = "vehicle_id, seq, capture_ms, data";

    private final String url;
    private final HikariDataSource pool;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Set<Long> days = ConcurrentHashMap.newKeySet();
    /** Days whose sample_chunks partition is known to exist. */
    private final Set<Long> chunkDays = ConcurrentHashMap.newKeySet();

    private final StoredCatalogues catalogues = new StoredCatalogues();
    private volatile boolean closed;
    private final StoreLayout layout;
    private ChunkMerger merger;
    private final MergeDue mergeDue = new MergeDue();
    /** See {@link ChunkedStore#beforeMergeCommit}: a throw rolls the merge back. */
    private volatile Runnable beforeMergeCommit = () -> {};

    private final io.fleetlog.server.history.RollupTables rollups;

    private PostgresSampleStore(String url, HikariDataSource pool, StoreLayout layout) {
        this.url = url;
        this.pool = pool;
        this.layout = layout;
        this.rollups = io.fleetlog.server.history.RollupTables.postgres(pool::getConnection);
    }

    @Override
    public Optional<io.fleetlog.server.history.RollupStore> rollups() {
        return Optional.of(rollups);
    }

    static PostgresSampleStore open(String url) {
        return open(url, StoreLayout.DEFAULT, true);
    }

    /**
     * Opens the store; with {@link StoreLayout#CHUNKS} and {@code background}, a {@link ChunkMerger}
     * thread merges sealed rows (tests pass false and call {@link #mergeSealed} themselves).
     */
    static PostgresSampleStore open(String url, StoreLayout layout, boolean background) {
        String schema = schemaOf(url);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setPoolName("fleetlog-pg");
        hc.setMaximumPoolSize(Integer.getInteger("fleetlog.pg.poolSize", 8));
        hc.setMinimumIdle(1);
        hc.setConnectionInitSql(STAGING);
        hc.setAutoCommit(true);
        Flyway.configure()
                .dataSource(url, null, null)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/postgresql")
                .load()
                .migrate();
        HikariDataSource pool = new HikariDataSource(hc);
        log.info("store_opened kind=postgresql url={} schema={} layout={}", Stores.redact(url), schema, layout);
        PostgresSampleStore s = new PostgresSampleStore(url, pool, layout);
        if (layout == StoreLayout.CHUNKS && background) {
            s.merger = ChunkMerger.start("postgresql", () -> s.mergeSealed(false));
        }
        return s;
    }

    static String schemaOf(String url) {
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String kv : url.substring(q + 1).split("&")) {
                if (kv.startsWith("currentSchema=")) {
                    return kv.substring("currentSchema=".length());
                }
            }
        }
        return "public";
    }

    @Override
    public VehicleTotals totals(String vin) {
        return query(
                "SELECT last_seq, samples, last_capture_ms FROM vehicles WHERE vin = ?",
                ps -> ps.setString(1, vin),
                rs -> rs.next() ? new VehicleTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3)) : VehicleTotals.NONE);
    }

    @Override
    public void append(String vin, List<Sample> samples) {
        Vin.check(vin);
        if (samples.isEmpty()) {
            return;
        }
        check();
        int id = idFor(vin);
        ensurePartitions(samples);
        mergeDue.appended(vin);
        io.fleetlog.catalog.Catalogue catalogue = catalogue(vin);
        long maxSeq = Long.MIN_VALUE;
        long maxT = Long.MIN_VALUE;
        for (Sample s : samples) {
            maxSeq = Math.max(maxSeq, s.seq());
            maxT = Math.max(maxT, s.captureTimeMs());
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Sample> fresh = insert(c, id, vin, catalogue, samples);
                long inserted = fresh.size();
                rollups.add(c, id, catalogue, fresh);
                try (PreparedStatement ps = c.prepareStatement("UPDATE vehicles SET last_seq = greatest(last_seq, ?),"
                        + " samples = samples + ?, last_capture_ms = greatest(last_capture_ms, ?) WHERE id = ?")) {
                    ps.setLong(1, maxSeq);
                    ps.setLong(2, inserted);
                    ps.setLong(3, maxT);
                    ps.setInt(4, id);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new StoreException(
                    "append of " + vin + " seqs " + samples.get(0).seq() + ".." + maxSeq + " failed: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Inserts the samples not yet stored. The vehicle's row is locked first (serialising appends of
     * one vehicle); every stored seq is ≤ its {@code last_seq}, so a batch entirely above it is
     * COPYed straight into {@code samples}; otherwise (a resend) through the staging table and
     * {@code ON CONFLICT DO NOTHING}.
     */
    private List<Sample> insert(
            Connection c, int id, String vin, io.fleetlog.catalog.Catalogue cat, List<Sample> samples)
            throws SQLException, IOException {
        long last;
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM vehicles WHERE id = ? FOR UPDATE")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
        }
        long minSeq = Long.MAX_VALUE;
        for (Sample s : samples) {
            minSeq = Math.min(minSeq, s.seq());
        }
        if (layout == StoreLayout.CHUNKS) {
            return insertChunk(c, id, vin, cat, samples, minSeq <= last);
        }
        if (minSeq <= last) {
            samples = withoutChunked(c, id, vin, samples);
            if (samples.isEmpty()) {
                return List.of();
            }
        }
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        byte[] rows = copyText(id, samples);
        if (minSeq > last) {
            copy.copyIn("COPY samples (" + COLUMNS + ") FROM STDIN", new ByteArrayInputStream(rows));
            return samples;
        }
        copy.copyIn("COPY fleetlog_frames_staging FROM STDIN", new ByteArrayInputStream(rows));
        // The seqs the insert stored (a resend's duplicates are not returned): what the rollups add.
        Set<Long> stored = new java.util.HashSet<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("INSERT INTO samples (" + COLUMNS + ") SELECT " + COLUMNS
                        + " FROM fleetlog_frames_staging ON CONFLICT DO NOTHING RETURNING seq")) {
            while (rs.next()) {
                stored.add(rs.getLong(1));
            }
        }
        List<Sample> fresh = new ArrayList<>(stored.size());
        for (Sample s : samples) {
            if (stored.remove(s.seq())) {
                fresh.add(s);
            }
        }
        return fresh;
    }

    /**
     * The chunk layout's insert, under the vehicle's row lock: the batch's new frames (no seq repeated;
     * when {@code mayHoldStored}, none a chunk or a tail row of a database written before already
     * holds) as one small chunk per window they fall in, compacted later by the merger. Returns them.
     */
    private List<Sample> insertChunk(
            Connection c,
            int id,
            String vin,
            io.fleetlog.catalog.Catalogue cat,
            List<Sample> samples,
            boolean mayHoldStored)
            throws SQLException {
        List<Sample> fresh = Chunks.uniqueSeqs(samples);
        if (mayHoldStored) {
            fresh = withoutTail(c, id, withoutChunked(c, id, vin, fresh));
        }
        if (fresh.isEmpty()) {
            return fresh;
        }
        mergeDue.chunkWritten(vin, Chunks.minWindow(fresh));
        Chunks.insert(c, id, Chunks.encode(cat, fresh));
        return fresh;
    }

    /** The samples whose seq is not a row of the tail (a database written before chunks). */
    private static List<Sample> withoutTail(Connection c, int id, List<Sample> samples) throws SQLException {
        if (samples.isEmpty()) {
            return samples;
        }
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        for (Sample s : samples) {
            minSeq = Math.min(minSeq, s.seq());
            maxSeq = Math.max(maxSeq, s.seq());
            minT = Math.min(minT, s.captureTimeMs());
            maxT = Math.max(maxT, s.captureTimeMs());
        }
        Set<Long> held = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM samples WHERE vehicle_id = ?"
                + " AND seq >= ? AND seq <= ? AND capture_ms >= ? AND capture_ms <= ?")) {
            ps.setInt(1, id);
            ps.setLong(2, minSeq);
            ps.setLong(3, maxSeq);
            ps.setLong(4, minT);
            ps.setLong(5, maxT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getLong(1));
                }
            }
        }
        if (held.isEmpty()) {
            return samples;
        }
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            if (!held.contains(s.seq())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The samples of a resend that no chunk holds (the tail's own duplicates: ON CONFLICT DO NOTHING). */
    private List<Sample> withoutChunked(Connection c, int id, String vin, List<Sample> samples) throws SQLException {
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        for (Sample s : samples) {
            minSeq = Math.min(minSeq, s.seq());
            maxSeq = Math.max(maxSeq, s.seq());
            minT = Math.min(minT, s.captureTimeMs());
            maxT = Math.max(maxT, s.captureTimeMs());
        }
        java.util.function.LongPredicate chunked =
                PostgresChunks.chunkedSeqs(c, id, vin, minSeq, maxSeq, minT, maxT, this::catalogueOfHash);
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            if (!chunked.test(s.seq())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The catalogue a stored chunk names (the built-in one or one of the catalogues table). */
    private io.fleetlog.catalog.Catalogue catalogueOfHash(String hash) {
        return catalogues.get(
                hash,
                h -> query(
                        "SELECT text FROM catalogues WHERE hash = ?",
                        ps -> ps.setString(1, h),
                        rs -> rs.next() ? rs.getString(1) : null));
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * COPY text format, tab separated: {@code id, seq, capture_ms, data}, the bytea in hex ({@code
     * \\x…}: the backslash escaped for COPY).
     */
    static byte[] copyText(int id, List<Sample> samples) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(samples.size() * 160);
        byte[] idBytes = Integer.toString(id).getBytes(StandardCharsets.US_ASCII);
        for (Sample s : samples) {
            out.writeBytes(idBytes);
            out.write('\t');
            out.writeBytes(Long.toString(s.seq()).getBytes(StandardCharsets.US_ASCII));
            out.write('\t');
            out.writeBytes(Long.toString(s.captureTimeMs()).getBytes(StandardCharsets.US_ASCII));
            out.write('\t');
            out.write('\\');
            out.write('\\');
            out.write('x');
            for (byte x : SampleRows.data(s)) {
                out.write(HEX[(x >> 4) & 0xf]);
                out.write(HEX[x & 0xf]);
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    private void ensurePartitions(List<Sample> samples) {
        long first = Math.floorDiv(samples.get(0).captureTimeMs(), DAY_MS);
        long last = Math.floorDiv(samples.get(samples.size() - 1).captureTimeMs(), DAY_MS);
        for (Sample s : samples) {
            long d = Math.floorDiv(s.captureTimeMs(), DAY_MS);
            first = Math.min(first, d);
            last = Math.max(last, d);
        }
        for (long d = first; d <= last; d++) {
            if (layout == StoreLayout.CHUNKS) {
                // the chunk layout appends into sample_chunks: its days' partitions, not the tail's
                if (!chunkDays.contains(d)) {
                    createPartition("sample_chunks", d);
                    chunkDays.add(d);
                }
            } else if (!days.contains(d)) {
                createPartition("samples", d);
                days.add(d);
            }
        }
        try {
            rollups.prepare(samples);
        } catch (SQLException e) {
            throw new StoreException("cannot create rollup partitions: " + e.getMessage(), e);
        }
    }

    /** The chunk table of one capture day: sample_chunks_pYYYYMMDD. */
    static String chunkPartitionName(long day) {
        return "sample_chunks_p" + DAY_NAME.format(Instant.ofEpochMilli(day * DAY_MS));
    }

    /** The table of one capture day ({@code day} = days since the epoch, UTC): samples_pYYYYMMDD. */
    static String partitionName(long day) {
        return "samples_p" + DAY_NAME.format(Instant.ofEpochMilli(day * DAY_MS));
    }

    private void createPartition(String parent, long day) {
        String name = parent.equals("samples") ? partitionName(day) : chunkPartitionName(day);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // Serialises creators (other threads, other replicas) so IF NOT EXISTS cannot race.
                st.execute("SELECT pg_advisory_xact_lock(4711001)");
                st.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + parent + " FOR VALUES FROM ("
                        + day * DAY_MS + ") TO (" + (day + 1) * DAY_MS + ")");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot create partition " + name + ": " + e.getMessage(), e);
        }
    }

    private int idFor(String vin) {
        Integer id = ids.get(vin);
        if (id != null) {
            return id;
        }
        id = query(
                "INSERT INTO vehicles (vin) VALUES (?) ON CONFLICT (vin) DO UPDATE SET vin = EXCLUDED.vin RETURNING id",
                ps -> ps.setString(1, vin),
                rs -> {
                    rs.next();
                    return rs.getInt(1);
                });
        ids.put(vin, id);
        return id;
    }

    @Override
    public void scan(String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink) {
        Integer id = idIfKnown(vin);
        if (id == null || limit <= 0) {
            return;
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // pgjdbc streams with a cursor only outside autocommit
            // one snapshot for the tail and the chunks: a merge committing meanwhile is seen whole or not at all
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement tail = c.prepareStatement(
                            "SELECT seq, capture_ms, data FROM samples WHERE"
                                    + " vehicle_id = ? AND capture_ms >= ? AND capture_ms < ? ORDER BY capture_ms, seq LIMIT ?");
                    PreparedStatement chunks = c.prepareStatement(PostgresChunks.SCAN)) {
                tail.setInt(1, id);
                tail.setLong(2, fromMs);
                tail.setLong(3, toMs);
                tail.setLong(4, limit);
                tail.setFetchSize(2000);
                chunks.setInt(1, id);
                chunks.setLong(2, Chunks.windowFloor(fromMs));
                chunks.setLong(3, toMs);
                chunks.setFetchSize(16);
                try (ResultSet t = tail.executeQuery();
                        ResultSet ch = chunks.executeQuery()) {
                    Chunks.merge(
                            Chunks.rows(t, vin),
                            Chunks.chunks(ch, this::catalogueOfHash, vin),
                            fromMs,
                            toMs,
                            limit,
                            sink);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        } catch (SQLException e) {
            throw new StoreException("scan of " + vin + " failed: " + e.getMessage(), e);
        }
    }

    private Integer idIfKnown(String vin) {
        Integer id = ids.get(vin);
        if (id != null) {
            return id;
        }
        return query("SELECT id FROM vehicles WHERE vin = ?", ps -> ps.setString(1, vin), rs -> {
            if (!rs.next()) {
                return null;
            }
            ids.put(vin, rs.getInt(1));
            return rs.getInt(1);
        });
    }

    /**
     * One step of the chunk merger: per vehicle one transaction ({@link PostgresChunks#merge}) under the
     * vehicle's row lock, moving up to {@link PostgresChunks#MAX_MERGE_ROWS} sealed tail rows.
     */
    @Override
    public long mergeSealed(boolean all) {
        if (layout != StoreLayout.CHUNKS) {
            return 0; // the rows layout never merges
        }
        check();
        long moved = 0;
        for (String vin : all ? vins() : mergeDue.take(this::vins)) {
            Integer id = idIfKnown(vin);
            long n;
            try {
                n = id == null ? 0 : mergeVehicle(id, vin, all);
            } catch (StoreException e) {
                mergeDue.again(vin);
                throw e;
            }
            if (n > 0) {
                mergeDue.again(vin);
            }
            moved += n;
        }
        return moved;
    }

    @Override
    public void beforeMergeCommit(Runnable hook) {
        beforeMergeCommit = hook;
    }

    private long mergeVehicle(int id, String vin, boolean all) {
        io.fleetlog.catalog.Catalogue cat = catalogue(vin);
        while (true) {
            Set<Long> missing = new java.util.TreeSet<>();
            long moved = 0;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long lastCapture;
                    try (PreparedStatement ps =
                            c.prepareStatement("SELECT last_capture_ms FROM vehicles WHERE id = ? FOR UPDATE")) {
                        ps.setInt(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            lastCapture = rs.getLong(1);
                        }
                    }
                    PostgresChunks.Sealed sealed =
                            PostgresChunks.sealed(c, id, vin, all ? Long.MAX_VALUE : Chunks.sealedBefore(lastCapture));
                    for (long d : sealed.rows() == 0 ? Set.<Long>of() : sealed.days()) {
                        if (!chunkDays.contains(d)) {
                            missing.add(d);
                        }
                    }
                    if (sealed.rows() > 0 && missing.isEmpty()) {
                        PostgresChunks.merge(c, id, vin, sealed, cat, this::catalogueOfHash);
                        beforeMergeCommit.run();
                        moved = sealed.rows();
                    } else if (sealed.rows() == 0) {
                        // No legacy tail rows left: compact the small chunks appends wrote into sealed windows.
                        long sealBefore = all ? Long.MAX_VALUE : Chunks.sealedBefore(lastCapture);
                        Chunks.Compaction done = Chunks.compact(
                                c,
                                id,
                                vin,
                                all ? Long.MIN_VALUE : mergeDue.compactFrom(vin),
                                sealBefore,
                                all ? Integer.MAX_VALUE : Chunks.MAX_COMPACT_WINDOWS,
                                cat,
                                this::catalogueOfHash);
                        if (!all) {
                            mergeDue.compacted(vin, done.nextFrom()); // row lock held: no append meanwhile
                        }
                        moved = done.frames();
                        if (moved == 0 && done.nextFrom() < sealBefore) {
                            moved = 1; // windows left that needed no rewrite: the next step goes on from there
                        }
                        if (moved > 0) {
                            beforeMergeCommit.run();
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    mergeDue.compactionFailed(vin);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException | RuntimeException e) {
                throw e instanceof StoreException se
                        ? se
                        : new StoreException("merge of " + vin + " into chunks failed: " + e.getMessage(), e);
            }
            if (missing.isEmpty()) {
                return moved;
            }
            // Partitions are created in their own transaction (DDL on the parent), then the step runs again.
            for (long d : missing) {
                createPartition("sample_chunks", d);
                chunkDays.add(d);
            }
        }
    }

    @Override
    public List<String> vins() {
        return query("SELECT vin FROM vehicles ORDER BY vin", ps -> {}, rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        });
    }

    @Override
    public void upsertVehicle(Vehicle v) {
        check();
        query(
                "INSERT INTO vehicles (vin, model, name) VALUES (?, ?, ?) ON CONFLICT (vin) DO UPDATE SET"
                        + " model = coalesce(EXCLUDED.model, vehicles.model), name = coalesce(EXCLUDED.name,"
                        + " vehicles.name) RETURNING id",
                ps -> {
                    ps.setString(1, v.vin());
                    ps.setString(2, v.model());
                    ps.setString(3, v.name());
                },
                rs -> {
                    rs.next();
                    ids.put(v.vin(), rs.getInt(1));
                    return null;
                });
    }

    @Override
    public int vehicleNumber(String vin) {
        Integer id = idIfKnown(vin);
        return id == null ? -1 : id;
    }

    @Override
    public Optional<Vehicle> vehicle(String vin) {
        return query(
                "SELECT vin, model, name FROM vehicles WHERE vin = ?",
                ps -> ps.setString(1, vin),
                rs -> rs.next()
                        ? Optional.of(new Vehicle(rs.getString(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty());
    }

    @Override
    public void recordEvent(VehicleEvent e) {
        check();
        int id = idFor(e.vin());
        query(
                "INSERT INTO events (vehicle_id, t_ms, kind, from_seq, to_seq, detail) VALUES (?,?,?,?,?,?)"
                        + " RETURNING id",
                ps -> {
                    ps.setInt(1, id);
                    ps.setLong(2, e.tMs());
                    ps.setString(3, e.kind().name());
                    ps.setLong(4, e.fromSeq());
                    ps.setLong(5, e.toSeq());
                    ps.setString(6, e.detail());
                },
                rs -> null);
    }

    @Override
    public io.fleetlog.catalog.Catalogue catalogue(String vin) {
        String hash = query(
                "SELECT catalogue_hash FROM vehicles WHERE vin = ?",
                ps -> ps.setString(1, vin),
                rs -> rs.next() ? rs.getString(1) : null);
        if (hash == null) {
            return io.fleetlog.catalog.Catalogue.builtin();
        }
        return catalogues.get(
                hash,
                h -> query(
                        "SELECT text FROM catalogues WHERE hash = ?",
                        ps -> ps.setString(1, h),
                        rs -> rs.next() ? rs.getString(1) : null));
    }

    @Override
    public void useCatalogue(String vin, io.fleetlog.catalog.Catalogue catalogue) {
        Vin.check(vin);
        check();
        int id = idFor(vin);
        if (layout == StoreLayout.CHUNKS && !catalogue(vin).hash().equals(catalogue.hash())) {
            // A catalogue change seals the vehicle's chunk: its tail is merged over the catalogue it was
            // captured under first (frames appended meanwhile are merged later, over the new one).
            while (mergeVehicle(id, vin, true) > 0) {
                // one step moves at most MAX_MERGE_ROWS rows
            }
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO catalogues (hash, text) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING");
                    PreparedStatement upd = c.prepareStatement("UPDATE vehicles SET catalogue_hash = ? WHERE id = ?")) {
                ins.setString(1, catalogue.hash());
                ins.setString(2, catalogue.toText());
                ins.executeUpdate();
                upd.setString(1, catalogue.hash());
                upd.setInt(2, id);
                upd.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(
                    "recording catalogue " + catalogue.shortId() + " for " + vin + " failed: " + e.getMessage(), e);
        }
        catalogues.put(catalogue);
    }

    /**
     * One transaction on one connection: the offsets first (their rows locked, so a second sink of the
     * partition waits and then finds the offset moved), then every write in order.
     */
    @Override
    public void applyConsumed(List<StoreWrite> writes, List<ConsumedOffset> offsets) {
        check();
        Map<String, Integer> vehicleIds = new LinkedHashMap<>();
        for (StoreWrite w : writes) {
            Vin.check(w.vin());
            vehicleIds.computeIfAbsent(w.vin(), this::idFor);
            if (w instanceof StoreWrite.Append a && !a.samples().isEmpty()) {
                ensurePartitions(a.samples());
                mergeDue.appended(a.vin());
            }
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                moveOffsets(c, offsets);
                for (StoreWrite w : writes) {
                    applyWrite(c, vehicleIds.get(w.vin()), w);
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("applying " + writes.size() + " consumed writes failed: " + e.getMessage(), e);
        }
        for (StoreWrite w : writes) {
            if (w instanceof StoreWrite.UseCatalogue u) {
                catalogues.put(u.catalogue());
            }
        }
    }

    private static void moveOffsets(Connection c, List<ConsumedOffset> offsets) throws SQLException {
        try (PreparedStatement upd = c.prepareStatement("UPDATE kafka_offsets SET next_offset = ?"
                        + " WHERE consumer_group = ? AND topic = ? AND partition_id = ? AND next_offset = ?");
                PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO kafka_offsets"
                                + " (consumer_group, topic, partition_id, next_offset) VALUES (?,?,?,?) ON CONFLICT DO NOTHING")) {
            for (ConsumedOffset o : offsets) {
                PreparedStatement ps = o.expected() == ConsumedOffset.NONE ? ins : upd;
                int i = 1;
                if (ps == upd) {
                    ps.setLong(i++, o.next());
                }
                ps.setString(i++, o.group());
                ps.setString(i++, o.topic());
                ps.setInt(i++, o.partition());
                ps.setLong(i, ps == upd ? o.expected() : o.next());
                if (ps.executeUpdate() != 1) {
                    throw new OffsetConflictException("offset of group " + o.group() + " in " + o.topic() + "-"
                            + o.partition() + " is not " + o.expected() + " any more: another consumer wrote it");
                }
            }
        }
    }

    private void applyWrite(Connection c, int id, StoreWrite w) throws SQLException, IOException {
        switch (w) {
            case StoreWrite.Append a -> {
                if (a.samples().isEmpty()) {
                    return;
                }
                long maxSeq = Long.MIN_VALUE;
                long maxT = Long.MIN_VALUE;
                for (Sample s : a.samples()) {
                    maxSeq = Math.max(maxSeq, s.seq());
                    maxT = Math.max(maxT, s.captureTimeMs());
                }
                io.fleetlog.catalog.Catalogue cat = catalogue(a.vin());
                List<Sample> fresh = insert(c, id, a.vin(), cat, a.samples());
                long inserted = fresh.size();
                rollups.add(c, id, cat, fresh);
                try (PreparedStatement ps = c.prepareStatement("UPDATE vehicles SET last_seq = greatest(last_seq, ?),"
                        + " samples = samples + ?, last_capture_ms = greatest(last_capture_ms, ?) WHERE id = ?")) {
                    ps.setLong(1, maxSeq);
                    ps.setLong(2, inserted);
                    ps.setLong(3, maxT);
                    ps.setInt(4, id);
                    ps.executeUpdate();
                }
            }
            case StoreWrite.Event ev -> {
                VehicleEvent e = ev.event();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (vehicle_id, t_ms, kind, from_seq,"
                        + " to_seq, detail) VALUES (?,?,?,?,?,?)")) {
                    ps.setInt(1, id);
                    ps.setLong(2, e.tMs());
                    ps.setString(3, e.kind().name());
                    ps.setLong(4, e.fromSeq());
                    ps.setLong(5, e.toSeq());
                    ps.setString(6, e.detail());
                    ps.executeUpdate();
                }
            }
            case StoreWrite.UpsertVehicle u -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE vehicles SET model = coalesce(?, model)," + " name = coalesce(?, name) WHERE id = ?")) {
                    ps.setString(1, u.vehicle().model());
                    ps.setString(2, u.vehicle().name());
                    ps.setInt(3, id);
                    ps.executeUpdate();
                }
            }
            case StoreWrite.UseCatalogue u -> {
                try (PreparedStatement ins = c.prepareStatement(
                                "INSERT INTO catalogues (hash, text) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING");
                        PreparedStatement upd =
                                c.prepareStatement("UPDATE vehicles SET catalogue_hash = ? WHERE id = ?")) {
                    ins.setString(1, u.catalogue().hash());
                    ins.setString(2, u.catalogue().toText());
                    ins.executeUpdate();
                    upd.setString(1, u.catalogue().hash());
                    upd.setInt(2, id);
                    upd.executeUpdate();
                }
            }
        }
    }

    @Override
    public Map<Integer, Long> consumedOffsets(String group, String topic) {
        return query(
                "SELECT partition_id, next_offset FROM kafka_offsets WHERE consumer_group = ? AND topic = ?",
                ps -> {
                    ps.setString(1, group);
                    ps.setString(2, topic);
                },
                rs -> {
                    Map<Integer, Long> out = new java.util.HashMap<>();
                    while (rs.next()) {
                        out.put(rs.getInt(1), rs.getLong(2));
                    }
                    return out;
                });
    }

    @Override
    public List<VehicleEvent> events(String vin, long fromMs, long toMs) {
        return query(
                "SELECT e.t_ms, e.kind, e.from_seq, e.to_seq, e.detail FROM events e JOIN vehicles v ON v.id ="
                        + " e.vehicle_id WHERE v.vin = ? AND e.t_ms >= ? AND e.t_ms < ? ORDER BY e.t_ms, e.id",
                ps -> {
                    ps.setString(1, vin);
                    ps.setLong(2, fromMs);
                    ps.setLong(3, toMs);
                },
                rs -> {
                    List<VehicleEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new VehicleEvent(
                                vin,
                                rs.getLong(1),
                                VehicleEvent.Kind.valueOf(rs.getString(2)),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getString(5)));
                    }
                    return out;
                });
    }

    /**
     * Drops each daily partition that ends at or before the cutoff: {@code DETACH PARTITION …
     * CONCURRENTLY} (appends go on), then, in one transaction, subtract its rows per vehicle from the
     * totals and drop it. Then deletes the older events. A sample with an old capture time that
     * arrives later recreates its day's partition; the next purge removes it.
     */
    @Override
    public long purgeBefore(long cutoffMs) {
        SampleStore.checkCutoff(cutoffMs);
        check();
        long cutoffDay = Math.floorDiv(cutoffMs, DAY_MS);
        // Attached partitions, and what an interrupted earlier purge left: a detach still pending, or
        // a table detached but not dropped.
        Map<String, Attachment> old = query(
                "SELECT c.relname, c.relispartition, coalesce((SELECT i.inhdetachpending FROM pg_inherits i"
                        + " WHERE i.inhrelid = c.oid), false) FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                        + " AND c.relname ~ '^(samples|sample_chunks)_p[0-9]{8}$' ORDER BY c.relname",
                ps -> {}, rs -> {
                    Map<String, Attachment> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        if (dayOf(rs.getString(1)) < cutoffDay) {
                            out.put(
                                    rs.getString(1),
                                    !rs.getBoolean(2)
                                            ? Attachment.DETACHED
                                            : rs.getBoolean(3) ? Attachment.PENDING : Attachment.ATTACHED);
                        }
                    }
                    return out;
                });
        long removed = 0;
        for (Map.Entry<String, Attachment> e : old.entrySet()) {
            (e.getKey().startsWith("samples_p") ? days : chunkDays).remove(dayOf(e.getKey()));
            removed += dropPartition(e.getKey(), e.getValue());
        }
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE t_ms < ?")) {
            ps.setLong(1, cutoffMs);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete events before " + cutoffMs + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private static long dayOf(String partition) {
        return Math.floorDiv(
                java.time.LocalDate.parse(partition.substring(partition.length() - 8), DAY_NAME)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli(),
                DAY_MS);
    }

    /** Where a day table stands: a partition, a partition whose detach was interrupted, or detached. */
    private enum Attachment {
        ATTACHED,
        PENDING,
        DETACHED
    }

    /** Drops a day of samples or of sample_chunks; the vehicles' counts drop by its rows or chunk frames. */
    private long dropPartition(String name, Attachment attachment) {
        boolean chunks = name.startsWith("sample_chunks_p");
        try (Connection c = pool.getConnection()) {
            if (attachment != Attachment.DETACHED) {
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER TABLE " + (chunks ? "sample_chunks" : "samples") + " DETACH PARTITION " + name
                            + (attachment == Attachment.PENDING ? " FINALIZE" : " CONCURRENTLY"));
                }
            }
            c.setAutoCommit(false);
            long removed = 0;
            try (Statement st = c.createStatement()) {
                List<long[]> perVehicle = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT vehicle_id, " + (chunks ? "sum(frames)" : "count(*)")
                        + " FROM " + name + " GROUP BY vehicle_id")) {
                    while (rs.next()) {
                        perVehicle.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE vehicles SET samples = samples - ? WHERE id = ?")) {
                    for (long[] v : perVehicle) {
                        ps.setLong(1, v[1]);
                        ps.setLong(2, v[0]);
                        ps.executeUpdate();
                        removed += v[1];
                    }
                }
                st.execute("DROP TABLE " + name);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            log.info("retention_partition_dropped partition={} samples={}", name, removed);
            return removed;
        } catch (SQLException e) {
            throw new StoreException("cannot drop partition " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long openLinks(String vin) {
        return query(
                "SELECT coalesce(sum(CASE e.kind WHEN 'ONLINE' THEN 1 WHEN 'OFFLINE' THEN -1 ELSE 0 END), 0)"
                        + " FROM events e JOIN vehicles v ON v.id = e.vehicle_id WHERE v.vin = ?",
                ps -> ps.setString(1, vin),
                rs -> {
                    rs.next();
                    return rs.getLong(1);
                });
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "postgresql");
        m.put("url", Stores.redact(url));
        m.put("schema", schemaOf(url));
        m.put("layout", layout.toString());
        m.put("partitionsKnown", days.size());
        if (!closed) {
            var mx = pool.getHikariPoolMXBean();
            if (mx != null) {
                m.put("poolActive", mx.getActiveConnections());
                m.put("poolIdle", mx.getIdleConnections());
            }
        }
        return m;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (merger != null) {
            merger.close(); // a merge step in progress commits or rolls back first
        }
        closed = true;
        pool.close(); // waits for borrowed connections, so in-flight transactions finish first
        log.info("store_closed kind=postgresql");
    }

    @Override
    public Optional<SessionStore> sessions() {
        return Optional.of(sessionStore);
    }

    private final SessionStore sessionStore = new SessionStore() {
        @Override
        public void replaceSessions(String vin, long fromMs, long toMs, List<Drive> drives, List<Charge> charges) {
            SessionStore.checkWindow(fromMs, toMs, drives, charges);
            check();
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    JdbcSessions.replace(c, vin, fromMs, toMs, drives, charges);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StoreException("sessions of " + vin + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public List<Drive> drives(String vin, long fromMs, long toMs, long afterStartMs, int limit) {
            return read(c -> JdbcSessions.drives(c, vin, fromMs, toMs, afterStartMs, limit));
        }

        @Override
        public Optional<Drive> drive(String vin, long startMs) {
            return read(c -> JdbcSessions.drive(c, vin, startMs));
        }

        @Override
        public List<Charge> charges(String vin, long fromMs, long toMs, long afterStartMs, int limit) {
            return read(c -> JdbcSessions.charges(c, vin, fromMs, toMs, afterStartMs, limit));
        }

        @Override
        public Optional<Charge> charge(String vin, long startMs) {
            return read(c -> JdbcSessions.charge(c, vin, startMs));
        }
    };

    private interface ReadWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(ReadWork<T> work) {
        check();
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    private void check() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }
}
