package io.fleetlog.server.store;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite file in WAL mode.
 *
 * <p>All writes go through one platform thread (SQLite is JNI and allows one writer): callers enqueue
 * an operation and block until its transaction committed. The writer takes every operation waiting
 * in the queue and commits them together (group commit across connections), so the fsync of one
 * commit is shared by all vehicles. If a group fails, each operation is retried alone so one bad
 * operation fails only its caller. In-memory totals are updated only after the commit returned.
 *
 * <p>Reads open their own connection (WAL readers do not block the writer). {@code synchronous=FULL}:
 * a returned append survives a process crash and a power loss.
 *
 * <table>
 *   <caption>Tables</caption>
 *   <tr><th>table</th><th>key</th><th>columns</th></tr>
 *   <tr><td>vehicles</td><td>id (rowid), vin unique</td><td>model, name, last_seq, samples, last_capture_ms,
 *       catalogue_hash (NULL = the built-in catalogue)</td></tr>
 *   <tr><td>catalogues</td><td>hash (SHA-256 hex)</td><td>text (the canonical catalogue text)</td></tr>
 *   <tr><td>frames (WITHOUT ROWID)</td><td>(vehicle_id, seq)</td><td>t (capture time, ms), data (the frame
 *       as {@link io.fleetlog.frame.FrameRecords}: any signals of the vehicle's catalogue, omitted marks
 *       kept); no second index. A file of before frames has its 8-column {@code samples} rows converted
 *       at open</td></tr>
 *   <tr><td>events</td><td>rowid; index (vehicle_id, t)</td><td>t, kind, from_seq, to_seq, detail</td></tr>
 * </table>
 */
final class SqliteSampleStore implements ChunkedStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteSampleStore.class);
    private static final int QUEUE_CAPACITY = 4096;
    /** A group stops growing at this many samples, to bound transaction size and latency. */
    private static final int MAX_GROUP_SAMPLES = 200_000;

    private final String url;
    private final Connection writeConn;
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<String, VehicleTotals> totals = new ConcurrentHashMap<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<String, Vehicle> vehicles = new ConcurrentHashMap<>();
    /** vin → the hash of its current catalogue, committed values only. */
    private final Map<String, String> catalogueHashes = new ConcurrentHashMap<>();

    private final StoredCatalogues catalogues = new StoredCatalogues();
    private final Thread writer;
    private volatile boolean closed;
    private final Object closeLock = new Object();
    private long commits;
    private long groupedOps;

    private final StoreLayout layout;
    private ChunkMerger merger;
    private final MergeDue mergeDue = new MergeDue();
    /** See {@link ChunkedStore#beforeMergeCommit}: a throw rolls the merge back. */
    private volatile Runnable beforeMergeCommit = () -> {};

    private final io.fleetlog.server.history.RollupTables rollups;

    private SqliteSampleStore(String url, Connection writeConn, StoreLayout layout) {
        this.url = url;
        this.writeConn = writeConn;
        this.layout = layout;
        this.rollups = io.fleetlog.server.history.RollupTables.sqlite(() -> {
            Connection c = DriverManager.getConnection(url);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout=10000");
            }
            return c;
        });
        this.writer = Thread.ofPlatform().name("sqlite-writer").daemon(true).unstarted(this::writeLoop);
    }

    static SqliteSampleStore open(String url) {
        return open(url, StoreLayout.DEFAULT, true);
    }

    /**
     * Opens the store; with {@link StoreLayout#CHUNKS} and {@code background}, a {@link ChunkMerger}
     * thread merges sealed rows (tests pass false and call {@link #mergeSealed} themselves).
     */
    static SqliteSampleStore open(String url, StoreLayout layout, boolean background) {
        try {
            createParent(url);
            Connection c = DriverManager.getConnection(url);
            try (Statement st = c.createStatement()) {
                // 16 KiB pages (new files only; must precede WAL): fewer page splits for these wide rows.
                st.execute("PRAGMA page_size=16384");
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA busy_timeout=10000");
                st.execute("PRAGMA cache_size=-65536");
                for (String ddl : SCHEMA) {
                    st.execute(ddl);
                }
                for (String ddl : JdbcSessions.sqliteDdl()) {
                    st.execute(ddl);
                }
                for (String ddl : SqliteChunks.SCHEMA) {
                    st.execute(ddl);
                }
                for (String ddl : io.fleetlog.server.history.RollupTables.sqliteDdl()) {
                    st.execute(ddl);
                }
                addCatalogueColumn(st);
                convertLegacySamples(c, st);
            }
            c.setAutoCommit(false);
            SqliteSampleStore s = new SqliteSampleStore(url, c, layout);
            s.load();
            s.writer.start();
            if (layout == StoreLayout.CHUNKS && background) {
                s.merger = ChunkMerger.start("sqlite", () -> s.mergeSealed(false));
            }
            log.info("store_opened kind=sqlite url={} vehicles={} layout={}", url, s.ids.size(), layout);
            return s;
        } catch (SQLException e) {
            throw new StoreException("cannot open SQLite store " + url + ": " + e.getMessage(), e);
        }
    }

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS vehicles(id INTEGER PRIMARY KEY, vin TEXT NOT NULL UNIQUE, model TEXT,"
                + " name TEXT, last_seq INTEGER NOT NULL DEFAULT -1, samples INTEGER NOT NULL DEFAULT 0,"
                + " last_capture_ms INTEGER NOT NULL DEFAULT -1, catalogue_hash TEXT)",
        "CREATE TABLE IF NOT EXISTS catalogues(hash TEXT PRIMARY KEY, text TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS frames(vehicle_id INTEGER NOT NULL, seq INTEGER NOT NULL, t INTEGER NOT NULL,"
                + " data BLOB NOT NULL, PRIMARY KEY(vehicle_id, seq)) WITHOUT ROWID",
        // No time index: capture time grows with seq, so time bounds are found by binary search on
        // the primary key (see seqAtOrAfter); one index less doubles the insert rate.
        "DROP INDEX IF EXISTS samples_time",
        "CREATE TABLE IF NOT EXISTS events(vehicle_id INTEGER NOT NULL, t INTEGER NOT NULL, kind TEXT NOT NULL,"
                + " from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL, detail TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS events_time ON events(vehicle_id, t)",
        // Offsets of a Kafka sink's consumer group, committed with the rows they produced
        // (applyConsumed; docs/scale-out.md).
        "CREATE TABLE IF NOT EXISTS kafka_offsets(consumer_group TEXT NOT NULL, topic TEXT NOT NULL,"
                + " partition_id INTEGER NOT NULL, next_offset INTEGER NOT NULL,"
                + " PRIMARY KEY(consumer_group, topic, partition_id))"
    };

    /** A file of before catalogues: its vehicles table gains the (nullable) catalogue_hash column. */
    private static void addCatalogueColumn(Statement st) throws SQLException {
        boolean has = false;
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(vehicles)")) {
            while (rs.next()) {
                has |= "catalogue_hash".equals(rs.getString("name"));
            }
        }
        if (!has) {
            st.execute("ALTER TABLE vehicles ADD COLUMN catalogue_hash TEXT");
        }
    }

    /**
     * A file of before frames (issue 13) holds the eight legacy fields in a {@code samples} table:
     * each row becomes a frame of the built-in catalogue's legacy signals in {@code frames}
     * ({@link io.fleetlog.sample.LegacyFrames}, omitted marks kept), then the old table is dropped, in
     * one transaction. Totals stay as they were (the same rows).
     */
    private static void convertLegacySamples(Connection c, Statement st) throws SQLException {
        try (ResultSet rs =
                st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'samples'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return;
            }
        }
        c.setAutoCommit(false);
        try (PreparedStatement read = c.prepareStatement("SELECT vehicle_id, seq, t, speed, power, soc, heading,"
                        + " odometer, latitude, longitude, elevation, reconstructed FROM samples");
                PreparedStatement write =
                        c.prepareStatement("INSERT OR IGNORE INTO frames(vehicle_id, seq, t, data) VALUES (?,?,?,?)")) {
            long n = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    double[] v = new double[Field.COUNT];
                    for (int f = 0; f < Field.COUNT; f++) {
                        double d = rs.getDouble(4 + f);
                        v[f] = rs.wasNull() ? Double.NaN : d;
                    }
                    Sample s = new Sample(rs.getLong(2), rs.getLong(3), v, rs.getInt(4 + Field.COUNT));
                    write.setInt(1, rs.getInt(1));
                    write.setLong(2, s.seq());
                    write.setLong(3, s.captureTimeMs());
                    write.setBytes(4, SampleRows.data(s));
                    write.executeUpdate();
                    n++;
                }
            }
            st.execute("DROP TABLE samples");
            c.commit();
            log.info("store_converted kind=sqlite legacy_samples={}", n);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void createParent(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        path = q < 0 ? path : path.substring(0, q);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return;
        }
        try {
            io.fleetlog.files.PrivateFiles.createFile(Path.of(path)); // 0600 in 0700 dirs; -wal/-shm inherit it
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create " + Path.of(path).toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private void load() throws SQLException {
        try (Statement st = writeConn.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT id, vin, model, name, last_seq, samples, last_capture_ms, catalogue_hash FROM vehicles")) {
            while (rs.next()) {
                String vin = rs.getString(2);
                ids.put(vin, rs.getInt(1));
                vehicles.put(vin, new Vehicle(vin, rs.getString(3), rs.getString(4)));
                totals.put(vin, new VehicleTotals(rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                committedIds.add(rs.getInt(1));
                if (rs.getString(8) != null) {
                    catalogueHashes.put(vin, rs.getString(8));
                }
            }
        }
        writeConn.commit();
    }

    // ---- public API ----

    @Override
    public VehicleTotals totals(String vin) {
        return totals.getOrDefault(vin, VehicleTotals.NONE);
    }

    @Override
    public void append(String vin, List<Sample> samples) {
        io.fleetlog.sample.Vin.check(vin);
        if (samples.isEmpty()) {
            return;
        }
        submit(new Append(vin, List.copyOf(samples)));
    }

    @Override
    public CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
        io.fleetlog.sample.Vin.check(vin);
        if (samples.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Append op = new Append(vin, List.copyOf(samples));
        try {
            enqueue(op);
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
        return op.done;
    }

    /**
     * One writer operation (one transaction): per vehicle a {@code DELETE} of the seqs below the
     * first sample at or after the cutoff (found by binary search on the key), then the old events.
     * Ingest waits while it runs.
     */
    @Override
    public long purgeBefore(long cutoffMs) {
        SampleStore.checkCutoff(cutoffMs);
        Purge op = new Purge(cutoffMs);
        submit(op);
        return op.removed;
    }

    /**
     * One step of the chunk merger: per vehicle, one writer operation (one transaction) that moves up
     * to {@link SqliteChunks#MAX_MERGE_ROWS} sealed tail rows into chunks; {@code all} treats every row
     * as sealed (tests; a shutdown flush). Returns the rows moved. A failed step throws {@link
     * StoreException} and leaves the rows and chunks as they were.
     */
    @Override
    public long mergeSealed(boolean all) {
        if (layout != StoreLayout.CHUNKS) {
            return 0; // the rows layout never merges
        }
        long moved = 0;
        for (String vin : all ? List.copyOf(ids.keySet()) : mergeDue.take(ids::keySet)) {
            if (closed) {
                mergeDue.again(vin);
                continue;
            }
            Merge op = new Merge(vin, all);
            try {
                submit(op);
            } catch (StoreException e) {
                mergeDue.again(vin);
                mergeDue.compactionFailed(vin);
                throw e;
            }
            if (op.moved > 0) {
                mergeDue.again(vin);
            }
            moved += op.moved;
        }
        return moved;
    }

    @Override
    public void beforeMergeCommit(Runnable hook) {
        beforeMergeCommit = hook;
    }

    private long applyMerge(Merge m) throws SQLException {
        Integer id = ids.get(m.vin);
        if (id == null || !committedIds.contains(id)) {
            return 0;
        }
        long sealBefore =
                m.all ? Long.MAX_VALUE : Chunks.sealedBefore(totals(m.vin).lastCaptureMs());
        io.fleetlog.catalog.Catalogue cat = catalogue(m.vin);
        long moved = SqliteChunks.merge(writeConn, id, m.vin, sealBefore, cat, this::catalogueOfHash);
        if (moved == 0) {
            // No legacy tail rows left: compact the small chunks appends wrote into sealed windows.
            Chunks.Compaction done = Chunks.compact(
                    writeConn,
                    id,
                    m.vin,
                    m.all ? Long.MIN_VALUE : mergeDue.compactFrom(m.vin),
                    sealBefore,
                    m.all ? Integer.MAX_VALUE : Chunks.MAX_COMPACT_WINDOWS,
                    cat,
                    this::catalogueOfHash);
            if (!m.all) {
                mergeDue.compacted(m.vin, done.nextFrom());
            }
            moved = done.frames();
            if (moved == 0 && done.nextFrom() < sealBefore) {
                moved = 1; // windows left that needed no rewrite: the next step goes on from nextFrom
            }
        }
        if (moved > 0) {
            beforeMergeCommit.run();
        }
        return moved;
    }

    @Override
    public void upsertVehicle(Vehicle vehicle) {
        submit(new Upsert(vehicle));
    }

    @Override
    public void recordEvent(VehicleEvent event) {
        submit(new Event(event));
    }

    @Override
    public io.fleetlog.catalog.Catalogue catalogue(String vin) {
        String hash = catalogueHashes.get(vin);
        if (hash == null) {
            return io.fleetlog.catalog.Catalogue.builtin();
        }
        return catalogues.get(hash, this::catalogueText);
    }

    private String catalogueText(String hash) {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT text FROM catalogues WHERE hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("read of catalogue " + hash.substring(0, 16) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void useCatalogue(String vin, io.fleetlog.catalog.Catalogue catalogue) {
        io.fleetlog.sample.Vin.check(vin);
        submit(new UseCatalogue(vin, catalogue));
    }

    @Override
    public Optional<Vehicle> vehicle(String vin) {
        return Optional.ofNullable(vehicles.get(vin));
    }

    @Override
    public int vehicleNumber(String vin) {
        Integer id = ids.get(vin);
        return id == null ? -1 : id;
    }

    @Override
    public List<String> vins() {
        return vehicles.keySet().stream().sorted().toList();
    }

    @Override
    public void scan(String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink) {
        Integer id = ids.get(vin);
        if (id == null || limit <= 0) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false); // one read transaction: tail and chunks from one snapshot
            try {
                scanTailAndChunks(c, id, vin, fromMs, toMs, limit, sink);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("scan of " + vin + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The tail rows of {@code [fromMs, toMs)} (a seq range found by binary search, then filtered by
     * time) merged with the chunks of those windows, in capture-time order.
     */
    private void scanTailAndChunks(
            Connection c, int id, String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink)
            throws SQLException {
        long fromSeq = seqAtOrAfter(c, id, fromMs);
        long toSeq = seqAtOrAfter(c, id, toMs);
        try (PreparedStatement tail = c.prepareStatement("SELECT seq, t, data FROM frames WHERE vehicle_id = ?"
                        + " AND seq >= ? AND seq < ? AND t >= ? AND t < ? ORDER BY seq LIMIT ?");
                PreparedStatement chunks = c.prepareStatement(SqliteChunks.SCAN)) {
            tail.setInt(1, id);
            tail.setLong(2, fromSeq);
            tail.setLong(3, toSeq);
            tail.setLong(4, fromMs);
            tail.setLong(5, toMs);
            tail.setLong(6, limit);
            tail.setFetchSize(1000);
            chunks.setInt(1, id);
            chunks.setLong(2, Chunks.windowFloor(fromMs));
            chunks.setLong(3, toMs);
            try (ResultSet t = tail.executeQuery();
                    ResultSet ch = chunks.executeQuery()) {
                Chunks.merge(
                        Chunks.rows(t, vin), Chunks.chunks(ch, this::catalogueOfHash, vin), fromMs, toMs, limit, sink);
            }
        }
    }

    /** The catalogue a stored chunk names (the built-in one or one of the catalogues table). */
    private io.fleetlog.catalog.Catalogue catalogueOfHash(String hash) {
        return catalogues.get(hash, this::catalogueText);
    }

    /** A range of the primary key (vehicle_id, seq), filtered by time, plus the chunks holding it. */
    @Override
    public List<Sample> stored(String vin, long fromSeq, long toSeq, long fromMs, long toMs) {
        Integer id = ids.get(vin);
        List<Sample> out = new ArrayList<>();
        if (id == null || fromSeq > toSeq) {
            return out;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false); // one snapshot for both tables
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, t, data FROM frames WHERE vehicle_id = ?"
                    + " AND seq >= ? AND seq <= ? AND t >= ? AND t <= ? ORDER BY seq")) {
                ps.setInt(1, id);
                ps.setLong(2, fromSeq);
                ps.setLong(3, toSeq);
                ps.setLong(4, fromMs);
                ps.setLong(5, toMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(SampleRows.read(rs, vin));
                    }
                }
                out.addAll(SqliteChunks.stored(c, id, vin, fromSeq, toSeq, fromMs, toMs, this::catalogueOfHash));
            } finally {
                c.rollback();
            }
            out.sort(java.util.Comparator.comparingLong(Sample::seq));
            return out;
        } catch (SQLException e) {
            throw new StoreException(
                    "read of " + vin + " seqs " + fromSeq + ".." + toSeq + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The smallest stored seq whose capture time is {@code >= t}, or (highest seq + 1) when none:
     * a binary search over the primary key, valid because capture time grows with seq.
     */
    private static long seqAtOrAfter(Connection c, int id, long t) throws SQLException {
        try (PreparedStatement next = c.prepareStatement(
                        "SELECT seq, t FROM frames WHERE vehicle_id = ? AND seq >= ? ORDER BY seq LIMIT 1");
                PreparedStatement max = c.prepareStatement("SELECT max(seq) FROM frames WHERE vehicle_id = ?")) {
            max.setInt(1, id);
            long hi;
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                hi = rs.getLong(1) + 1; // 0 + 1 when the vehicle has no samples: harmless
            }
            long lo = 0;
            next.setInt(1, id);
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                next.setLong(2, mid);
                try (ResultSet rs = next.executeQuery()) {
                    if (!rs.next() || rs.getLong(2) >= t) {
                        hi = mid;
                    } else {
                        lo = rs.getLong(1) + 1;
                    }
                }
            }
            next.setLong(2, lo);
            try (ResultSet rs = next.executeQuery()) {
                return rs.next() ? rs.getLong(1) : lo;
            }
        }
    }

    @Override
    public List<VehicleEvent> events(String vin, long fromMs, long toMs) {
        Integer id = ids.get(vin);
        if (id == null) {
            return List.of();
        }
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT t, kind, from_seq, to_seq, detail FROM events"
                        + " WHERE vehicle_id = ? AND t >= ? AND t < ? ORDER BY t, rowid")) {
            ps.setInt(1, id);
            ps.setLong(2, fromMs);
            ps.setLong(3, toMs);
            List<VehicleEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VehicleEvent(
                            vin,
                            rs.getLong(1),
                            VehicleEvent.Kind.valueOf(rs.getString(2)),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("events of " + vin + " failed: " + e.getMessage(), e);
        }
    }

    /** One writer operation: the writes and the offsets commit together (or roll back together). */
    @Override
    public void applyConsumed(List<StoreWrite> writes, List<ConsumedOffset> offsets) {
        for (StoreWrite w : writes) {
            io.fleetlog.sample.Vin.check(w.vin());
        }
        submit(new Consumed(List.copyOf(writes), List.copyOf(offsets)));
    }

    @Override
    public Map<Integer, Long> consumedOffsets(String group, String topic) {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT partition_id, next_offset FROM kafka_offsets"
                        + " WHERE consumer_group = ? AND topic = ?")) {
            ps.setString(1, group);
            ps.setString(2, topic);
            Map<Integer, Long> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("offsets of " + group + " in " + topic + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long openLinks(String vin) {
        Integer id = ids.get(vin);
        if (id == null) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(CASE kind WHEN 'ONLINE' THEN 1"
                        + " WHEN 'OFFLINE' THEN -1 ELSE 0 END), 0) FROM events WHERE vehicle_id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("open links of " + vin + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "sqlite");
        m.put("url", Stores.redact(url));
        m.put("layout", layout.toString());
        m.put("vehicles", ids.size());
        m.put(
                "samples",
                totals.values().stream().mapToLong(VehicleTotals::samples).sum());
        m.put("commits", commits);
        m.put("queued", queue.size());
        return m;
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (merger != null) {
            merger.close(); // before the writer stops: a merge step in progress commits or rolls back
        }
        try {
            queue.put(new Stop());
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Op> late = new ArrayList<>(); // enqueued concurrently with close, after the writer's last look
        queue.drainTo(late);
        late.forEach(op -> op.done.completeExceptionally(new StoreException("store is closed")));
        try {
            writeConn.close();
        } catch (SQLException e) {
            log.warn("store_close_failed kind=sqlite error={}", e.getMessage());
        }
        log.info("store_closed kind=sqlite commits={} grouped_ops={}", commits, groupedOps);
    }

    // ---- drives and charges (SessionStore) ----

    @Override
    public Optional<io.fleetlog.server.history.RollupStore> rollups() {
        return Optional.of(rollups);
    }

    @Override
    public Optional<SessionStore> sessions() {
        return Optional.of(sessionStore);
    }

    private final SessionStore sessionStore = new SessionStore() {
        @Override
        public void replaceSessions(String vin, long fromMs, long toMs, List<Drive> drives, List<Charge> charges) {
            SessionStore.checkWindow(fromMs, toMs, drives, charges);
            submit(new Sessions(vin, fromMs, toMs, drives, charges));
        }

        @Override
        public List<Drive> drives(String vin, long fromMs, long toMs, long afterStartMs, int limit) {
            return read("drives of " + vin, c -> JdbcSessions.drives(c, vin, fromMs, toMs, afterStartMs, limit));
        }

        @Override
        public Optional<Drive> drive(String vin, long startMs) {
            return read("drive of " + vin, c -> JdbcSessions.drive(c, vin, startMs));
        }

        @Override
        public List<Charge> charges(String vin, long fromMs, long toMs, long afterStartMs, int limit) {
            return read("charges of " + vin, c -> JdbcSessions.charges(c, vin, fromMs, toMs, afterStartMs, limit));
        }

        @Override
        public Optional<Charge> charge(String vin, long startMs) {
            return read("charge of " + vin, c -> JdbcSessions.charge(c, vin, startMs));
        }
    };

    private interface ReadWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, ReadWork<T> work) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        try (Connection c = DriverManager.getConnection(url)) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    // ---- writer ----

    private void enqueue(Op op) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while queueing a write", e);
        }
    }

    private void submit(Op op) {
        enqueue(op);
        try {
            op.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof StoreException se ? se : new StoreException(c.getMessage(), c);
        }
    }

    private void writeLoop() {
        List<Op> group = new ArrayList<>();
        while (true) {
            group.clear();
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int samples = group.get(0).size();
            Op next;
            while (samples < MAX_GROUP_SAMPLES && (next = queue.poll()) != null) {
                group.add(next);
                samples += next.size();
            }
            boolean stop = runGroup(group);
            if (stop) {
                return;
            }
        }
    }

    /** Commits the group; returns true when a Stop was in it (everything before it is committed). */
    private boolean runGroup(List<Op> group) {
        int stopAt = -1;
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i) instanceof Stop) {
                stopAt = i;
                break;
            }
        }
        List<Op> work = stopAt < 0 ? group : group.subList(0, stopAt);
        if (!work.isEmpty() && !commit(work)) {
            for (Op op : work) {
                commit(List.of(op));
            }
        }
        if (stopAt >= 0) {
            for (Op op : group.subList(stopAt + 1, group.size())) {
                op.done.completeExceptionally(new StoreException("store is closed"));
            }
            List<Op> rest = new ArrayList<>();
            queue.drainTo(rest);
            rest.forEach(op -> op.done.completeExceptionally(new StoreException("store is closed")));
            return true;
        }
        return false;
    }

    /** One transaction for {@code ops}; true when committed (futures completed), false after a rollback. */
    private boolean commit(List<Op> ops) {
        Map<String, VehicleTotals> after = new HashMap<>();
        try {
            for (Op op : ops) {
                op.apply(this, after);
            }
            writeTotals(after);
            writeConn.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                writeConn.rollback();
            } catch (SQLException re) {
                log.error("store_rollback_failed kind=sqlite error={}", re.getMessage());
            }
            // New ids handed out in the failed transaction are gone with it.
            ids.entrySet().removeIf(en -> !committedIds.contains(en.getValue()));
            if (ops.size() == 1) {
                log.warn("store_commit_failed kind=sqlite op={} error={}", ops.get(0), e.getMessage());
                ops.get(0).done.completeExceptionally(new StoreException("commit failed: " + e.getMessage(), e));
                return true;
            }
            return false;
        }
        commits++;
        groupedOps += ops.size();
        committedIds.addAll(ids.values());
        ids.keySet().forEach(vin -> vehicles.putIfAbsent(vin, new Vehicle(vin, null, null)));
        totals.putAll(after);
        for (Op op : ops) {
            if (op instanceof Upsert u) {
                vehicles.merge(u.vehicle.vin(), u.vehicle, SqliteSampleStore::mergeVehicle);
            }
            if (op instanceof UseCatalogue uc) {
                catalogues.put(uc.catalogue);
                catalogueHashes.put(uc.vin, uc.catalogue.hash());
            }
            if (op instanceof Consumed c) {
                for (StoreWrite w : c.writes) {
                    switch (w) {
                        case StoreWrite.UpsertVehicle u ->
                            vehicles.merge(u.vin(), u.vehicle(), SqliteSampleStore::mergeVehicle);
                        case StoreWrite.UseCatalogue u -> {
                            catalogues.put(u.catalogue());
                            catalogueHashes.put(u.vin(), u.catalogue().hash());
                        }
                        default -> {}
                    }
                }
            }
            op.done.complete(null);
        }
        return true;
    }

    private final java.util.Set<Integer> committedIds = ConcurrentHashMap.newKeySet();

    static Vehicle mergeVehicle(Vehicle old, Vehicle now) {
        return new Vehicle(
                now.vin(),
                now.model() != null ? now.model() : old.model(),
                now.name() != null ? now.name() : old.name());
    }

    private int idFor(String vin) throws SQLException {
        Integer id = ids.get(vin);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = writeConn.prepareStatement("INSERT INTO vehicles(vin) VALUES (?)")) {
            ps.setString(1, vin);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = writeConn.prepareStatement("SELECT id FROM vehicles WHERE vin = ?")) {
            ps.setString(1, vin);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getInt(1);
            }
        }
        ids.put(vin, id);
        return id;
    }

    /**
     * Rows per multi-row INSERT: one statement step per 64 rows instead of one per row (with the
     * 16 KiB pages, 1.17-1.35x the end-to-end ingest rate: docs/bench-server.md).
     */
    static final int ROWS_PER_INSERT = 64;

    private static final String INSERT_ROW = "(?,?,?,?)";
    private static final int PARAMS_PER_ROW = 4; // vehicle_id, seq, t, data

    private PreparedStatement insertMany;
    private PreparedStatement insertOne;
    private PreparedStatement updateTotals;

    private void applyAppend(Append a, Map<String, VehicleTotals> after) throws SQLException {
        int id = idFor(a.vin);
        if (insertMany == null) {
            String insert = "INSERT OR IGNORE INTO frames(vehicle_id, seq, t, data) VALUES ";
            insertMany = writeConn.prepareStatement(
                    insert + String.join(",", java.util.Collections.nCopies(ROWS_PER_INSERT, INSERT_ROW)));
            insertOne = writeConn.prepareStatement(insert + INSERT_ROW);
            updateTotals = writeConn.prepareStatement(
                    "UPDATE vehicles SET last_seq = ?, samples = ?, last_capture_ms = ? WHERE id = ?");
        }
        insertMany.clearBatch(); // nothing left over from a failed group
        insertOne.clearBatch();
        long lastSeq = after.getOrDefault(a.vin, totals(a.vin)).lastSeq();
        mergeDue.appended(a.vin);
        if (layout == StoreLayout.CHUNKS) {
            applyChunkAppend(a, id, lastSeq, after);
            return;
        }
        List<Sample> samples = a.samples;
        if (mayHoldStored(samples, lastSeq)) {
            applyResend(a, withoutChunked(id, a, lastSeq), id, after);
            return;
        }
        int n = samples.size();
        int full = n - n % ROWS_PER_INSERT;
        long maxSeq = -1;
        long maxT = -1;
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            maxSeq = Math.max(maxSeq, s.seq());
            maxT = Math.max(maxT, s.captureTimeMs());
            if (i < full) {
                bindRow(insertMany, (i % ROWS_PER_INSERT) * PARAMS_PER_ROW, id, s);
                if (i % ROWS_PER_INSERT == ROWS_PER_INSERT - 1) {
                    insertMany.addBatch();
                }
            } else {
                bindRow(insertOne, 0, id, s);
                insertOne.addBatch();
            }
        }
        // Each statement's count is the rows it inserted (OR IGNORE skips samples already stored).
        long inserted = 0;
        for (int c : full > 0 ? insertMany.executeBatch() : new int[0]) {
            inserted += c;
        }
        for (int c : full < n ? insertOne.executeBatch() : new int[0]) {
            inserted += c;
        }
        rollups.add(writeConn, id, catalogue(a.vin), samples);
        // Every sample of the batch is stored now (inserted or there already), so the highest seq and
        // capture time stored are at least the batch's.
        after.put(
                a.vin,
                after.getOrDefault(a.vin, totals(a.vin))
                        .plus(inserted, inserted > 0 ? maxSeq : -1, inserted > 0 ? maxT : -1));
    }

    /**
     * The chunk layout's append: the batch's new frames (none of its seqs repeated, none a chunk or a
     * tail row of a database written before already holds; a batch entirely above {@code lastSeq} needs
     * no read) as one small chunk per window they fall in, compacted later by the merger. Only those
     * frames reach the rollups and the totals.
     */
    private void applyChunkAppend(Append a, int id, long lastSeq, Map<String, VehicleTotals> after)
            throws SQLException {
        List<Sample> fresh = Chunks.uniqueSeqs(a.samples);
        if (mayHoldStored(fresh, lastSeq)) {
            fresh = withoutTail(id, withoutChunked(id, new Append(a.vin, fresh), lastSeq));
        }
        if (fresh.isEmpty()) {
            return;
        }
        long maxSeq = Long.MIN_VALUE;
        long maxT = Long.MIN_VALUE;
        for (Sample s : fresh) {
            maxSeq = Math.max(maxSeq, s.seq());
            maxT = Math.max(maxT, s.captureTimeMs());
        }
        io.fleetlog.catalog.Catalogue cat = catalogue(a.vin);
        mergeDue.chunkWritten(a.vin, Chunks.minWindow(fresh));
        Chunks.insert(writeConn, id, Chunks.encode(cat, fresh));
        rollups.add(writeConn, id, cat, fresh);
        after.put(a.vin, after.getOrDefault(a.vin, totals(a.vin)).plus(fresh.size(), maxSeq, maxT));
    }

    /** The samples of {@code samples} whose seq is not a row of the tail (a database written before). */
    private List<Sample> withoutTail(int id, List<Sample> samples) throws SQLException {
        if (samples.isEmpty()) {
            return samples;
        }
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        for (Sample s : samples) {
            minSeq = Math.min(minSeq, s.seq());
            maxSeq = Math.max(maxSeq, s.seq());
        }
        java.util.Set<Long> held = new java.util.HashSet<>();
        try (PreparedStatement ps =
                writeConn.prepareStatement("SELECT seq FROM frames WHERE vehicle_id = ? AND seq >= ? AND seq <= ?")) {
            ps.setInt(1, id);
            ps.setLong(2, minSeq);
            ps.setLong(3, maxSeq);
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

    /**
     * The samples of {@code a} that no chunk holds: a batch entirely above the stored {@code lastSeq}
     * is returned as is (the common case, no read); a resend is checked against the chunks of its
     * seq and time range (the tail's own duplicates are ignored by {@code INSERT OR IGNORE}).
     */
    private List<Sample> withoutChunked(int id, Append a, long lastSeq) throws SQLException {
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        for (Sample s : a.samples) {
            minSeq = Math.min(minSeq, s.seq());
            maxSeq = Math.max(maxSeq, s.seq());
            minT = Math.min(minT, s.captureTimeMs());
            maxT = Math.max(maxT, s.captureTimeMs());
        }
        if (minSeq > lastSeq) {
            return a.samples;
        }
        java.util.function.LongPredicate chunked =
                SqliteChunks.chunkedSeqs(writeConn, id, a.vin, minSeq, maxSeq, minT, maxT, this::catalogueOfHash);
        List<Sample> out = new ArrayList<>(a.samples.size());
        for (Sample s : a.samples) {
            if (!chunked.test(s.seq())) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether some sample of the batch may be stored already: one at or below the stored last seq. */
    private static boolean mayHoldStored(List<Sample> samples, long lastSeq) {
        for (Sample s : samples) {
            if (s.seq() <= lastSeq) {
                return true;
            }
        }
        return false;
    }

    /**
     * A batch that may repeat stored samples (a resend, a backfill below the last seq): one INSERT per
     * row, so each row's count says whether it was stored now; only those reach the rollups.
     */
    private void applyResend(Append a, List<Sample> unchunked, int id, Map<String, VehicleTotals> after)
            throws SQLException {
        List<Sample> fresh = new ArrayList<>();
        long maxSeq = -1;
        long maxT = -1;
        for (Sample s : unchunked) {
            bindRow(insertOne, 0, id, s);
            if (insertOne.executeUpdate() == 1) {
                fresh.add(s);
                maxSeq = Math.max(maxSeq, s.seq());
                maxT = Math.max(maxT, s.captureTimeMs());
            }
        }
        rollups.add(writeConn, id, catalogue(a.vin), fresh);
        after.put(
                a.vin,
                after.getOrDefault(a.vin, totals(a.vin))
                        .plus(fresh.size(), fresh.isEmpty() ? -1 : maxSeq, fresh.isEmpty() ? -1 : maxT));
    }

    private static void bindRow(PreparedStatement ps, int offset, int id, Sample s) throws SQLException {
        ps.setInt(offset + 1, id);
        ps.setLong(offset + 2, s.seq());
        ps.setLong(offset + 3, s.captureTimeMs());
        ps.setBytes(offset + 4, SampleRows.data(s));
    }

    /** Writes the totals of every vehicle the group touched, once per vehicle. */
    private void writeTotals(Map<String, VehicleTotals> after) throws SQLException {
        for (Map.Entry<String, VehicleTotals> e : after.entrySet()) {
            VehicleTotals t = e.getValue();
            updateTotals.setLong(1, t.lastSeq());
            updateTotals.setLong(2, t.samples());
            updateTotals.setLong(3, t.lastCaptureMs());
            updateTotals.setInt(4, ids.get(e.getKey()));
            updateTotals.executeUpdate();
        }
    }

    private long applyPurge(long cutoffMs, Map<String, VehicleTotals> after) throws SQLException {
        long removed = 0;
        try (PreparedStatement del =
                writeConn.prepareStatement("DELETE FROM frames WHERE vehicle_id = ? AND seq < ?")) {
            for (Map.Entry<String, Integer> e : ids.entrySet()) {
                del.setInt(1, e.getValue());
                del.setLong(2, seqAtOrAfter(writeConn, e.getValue(), cutoffMs));
                long n = del.executeUpdate() + SqliteChunks.purge(writeConn, e.getValue(), cutoffMs);
                if (n > 0) {
                    VehicleTotals t = after.getOrDefault(e.getKey(), totals(e.getKey()));
                    after.put(e.getKey(), new VehicleTotals(t.lastSeq(), t.samples() - n, t.lastCaptureMs()));
                    removed += n;
                }
            }
        }
        try (PreparedStatement ev = writeConn.prepareStatement("DELETE FROM events WHERE t < ?")) {
            ev.setLong(1, cutoffMs);
            ev.executeUpdate();
        }
        return removed;
    }

    private void applyUpsert(Vehicle v) throws SQLException {
        int id = idFor(v.vin());
        try (PreparedStatement ps = writeConn.prepareStatement(
                "UPDATE vehicles SET model = coalesce(?, model), name = coalesce(?, name) WHERE id = ?")) {
            ps.setString(1, v.model());
            ps.setString(2, v.name());
            ps.setInt(3, id);
            ps.executeUpdate();
        }
    }

    private void applyUseCatalogue(UseCatalogue u) throws SQLException {
        int id = idFor(u.vin);
        String current = catalogueHashes.getOrDefault(
                u.vin, io.fleetlog.catalog.Catalogue.builtin().hash());
        if (layout == StoreLayout.CHUNKS && committedIds.contains(id) && !current.equals(u.catalogue.hash())) {
            // A catalogue change seals the vehicle's chunk: its tail is merged over the catalogue it was
            // captured under, in this transaction.
            io.fleetlog.catalog.Catalogue old = catalogue(u.vin);
            while (SqliteChunks.merge(writeConn, id, u.vin, Long.MAX_VALUE, old, this::catalogueOfHash) > 0) {
                // one step moves at most MAX_MERGE_ROWS rows
            }
        }
        try (PreparedStatement ps =
                writeConn.prepareStatement("INSERT OR IGNORE INTO catalogues(hash, text) VALUES (?, ?)")) {
            ps.setString(1, u.catalogue.hash());
            ps.setString(2, u.catalogue.toText());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = writeConn.prepareStatement("UPDATE vehicles SET catalogue_hash = ? WHERE id = ?")) {
            ps.setString(1, u.catalogue.hash());
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    private void applyEvent(VehicleEvent e) throws SQLException {
        int id = idFor(e.vin());
        try (PreparedStatement ps = writeConn.prepareStatement(
                "INSERT INTO events(vehicle_id, t, kind, from_seq, to_seq, detail) VALUES (?,?,?,?,?,?)")) {
            ps.setInt(1, id);
            ps.setLong(2, e.tMs());
            ps.setString(3, e.kind().name());
            ps.setLong(4, e.fromSeq());
            ps.setLong(5, e.toSeq());
            ps.setString(6, e.detail());
            ps.executeUpdate();
        }
    }

    /** Moves each offset from its expected value, or throws {@link OffsetConflictException}. */
    private void applyOffsets(List<ConsumedOffset> offsets) throws SQLException {
        try (PreparedStatement upd = writeConn.prepareStatement("UPDATE kafka_offsets SET next_offset = ?"
                        + " WHERE consumer_group = ? AND topic = ? AND partition_id = ? AND next_offset = ?");
                PreparedStatement ins = writeConn.prepareStatement("INSERT OR IGNORE INTO kafka_offsets"
                        + "(consumer_group, topic, partition_id, next_offset) VALUES (?,?,?,?)")) {
            for (ConsumedOffset o : offsets) {
                int n;
                if (o.expected() == ConsumedOffset.NONE) {
                    ins.setString(1, o.group());
                    ins.setString(2, o.topic());
                    ins.setInt(3, o.partition());
                    ins.setLong(4, o.next());
                    n = ins.executeUpdate();
                } else {
                    upd.setLong(1, o.next());
                    upd.setString(2, o.group());
                    upd.setString(3, o.topic());
                    upd.setInt(4, o.partition());
                    upd.setLong(5, o.expected());
                    n = upd.executeUpdate();
                }
                if (n != 1) {
                    throw new OffsetConflictException("offset of group " + o.group() + " in " + o.topic() + "-"
                            + o.partition() + " is not " + o.expected() + " any more: another consumer wrote it");
                }
            }
        }
    }

    private void applyConsumed(Consumed c, Map<String, VehicleTotals> after) throws SQLException {
        applyOffsets(c.offsets);
        for (StoreWrite w : c.writes) {
            switch (w) {
                case StoreWrite.Append a -> {
                    if (!a.samples().isEmpty()) {
                        applyAppend(new Append(a.vin(), a.samples()), after);
                    }
                }
                case StoreWrite.Event e -> applyEvent(e.event());
                case StoreWrite.UpsertVehicle u -> applyUpsert(u.vehicle());
                case StoreWrite.UseCatalogue u -> applyUseCatalogue(new UseCatalogue(u.vin(), u.catalogue()));
            }
        }
    }

    /** A queued write; {@code done} completes after its commit. */
    private abstract static sealed class Op
            permits Append, Upsert, UseCatalogue, Event, Purge, Sessions, Stop, Consumed, Merge {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        int size() {
            return 1;
        }

        abstract void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException;
    }

    private static final class Append extends Op {
        final String vin;
        final List<Sample> samples;

        Append(String vin, List<Sample> samples) {
            this.vin = vin;
            this.samples = samples;
        }

        @Override
        int size() {
            return samples.size();
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            s.applyAppend(this, after);
        }

        @Override
        public String toString() {
            return "append vin=" + vin + " seqs=" + samples.get(0).seq() + ".."
                    + samples.get(samples.size() - 1).seq();
        }
    }

    private static final class Upsert extends Op {
        final Vehicle vehicle;

        Upsert(Vehicle vehicle) {
            this.vehicle = vehicle;
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            s.applyUpsert(vehicle);
        }
    }

    private static final class UseCatalogue extends Op {
        final String vin;
        final io.fleetlog.catalog.Catalogue catalogue;

        UseCatalogue(String vin, io.fleetlog.catalog.Catalogue catalogue) {
            this.vin = vin;
            this.catalogue = catalogue;
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            s.applyUseCatalogue(this);
        }
    }

    private static final class Event extends Op {
        final VehicleEvent event;

        Event(VehicleEvent event) {
            this.event = event;
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            s.applyEvent(event);
        }
    }

    private static final class Purge extends Op {
        final long cutoffMs;
        long removed; // read by the caller after done completed

        Purge(long cutoffMs) {
            this.cutoffMs = cutoffMs;
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            removed = s.applyPurge(cutoffMs, after);
        }
    }

    private static final class Sessions extends Op {
        final String vin;
        final long fromMs;
        final long toMs;
        final List<Drive> drives;
        final List<Charge> charges;

        Sessions(String vin, long fromMs, long toMs, List<Drive> drives, List<Charge> charges) {
            this.vin = vin;
            this.fromMs = fromMs;
            this.toMs = toMs;
            this.drives = List.copyOf(drives);
            this.charges = List.copyOf(charges);
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            JdbcSessions.replace(s.writeConn, vin, fromMs, toMs, drives, charges);
        }

        @Override
        public String toString() {
            return "sessions vin=" + vin + " window=" + fromMs + ".." + toMs;
        }
    }

    private static final class Consumed extends Op {
        final List<StoreWrite> writes;
        final List<ConsumedOffset> offsets;

        Consumed(List<StoreWrite> writes, List<ConsumedOffset> offsets) {
            this.writes = writes;
            this.offsets = offsets;
        }

        @Override
        int size() {
            int n = 1;
            for (StoreWrite w : writes) {
                n += w instanceof StoreWrite.Append a ? a.samples().size() : 0;
            }
            return n;
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            s.applyConsumed(this, after);
        }

        @Override
        public String toString() {
            return "consumed writes=" + writes.size() + " offsets=" + offsets;
        }
    }

    /** One chunk merge step of one vehicle (the chunk layout; see {@link SqliteChunks#merge}). */
    private static final class Merge extends Op {
        final String vin;
        final boolean all;
        long moved; // read by the caller after done completed

        Merge(String vin, boolean all) {
            this.vin = vin;
            this.all = all;
        }

        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) throws SQLException {
            moved = s.applyMerge(this);
        }

        @Override
        public String toString() {
            return "merge vin=" + vin;
        }
    }

    private static final class Stop extends Op {
        @Override
        void apply(SqliteSampleStore s, Map<String, VehicleTotals> after) {}
    }
}
