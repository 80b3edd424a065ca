package io.fleetlog.edge.spool;

import io.fleetlog.frame.FrameRecords;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite spool (see {@link Spool} for the contract).
 *
 * <p>On-disk format (one SQLite database in WAL mode, {@code PRAGMA application_id} = {@link
 * #APPLICATION_ID}):
 *
 * <table>
 *   <caption>spool tables</caption>
 *   <tr><th>table</th><th>columns</th><th>meaning</th></tr>
 *   <tr><td>{@code meta}</td><td>{@code key TEXT PRIMARY KEY, value}</td><td>{@code format} =
 *       'fleetlog-spool', {@code version} = 3, {@code next_seq} and {@code newest_time_ms} (written in every commit),
 *       {@code dropped}, {@code rejected}, {@code quarantined} (samples), {@code renumbered} (samples)
 *       and {@code seq_conflicts} (times the server held seqs this spool never sent), {@code
 *       sent_through} (every seq the uplink may have sent is at most this; written before the send),
 *       {@code source_id} and {@code source_captured} (the input being captured and how many of its
 *       samples are committed, written in every commit; see {@link #resumeSource}), {@code
 *       created_ms}</td></tr>
 *   <tr><td>{@code samples}</td><td>see {@link ChunkTable}: chunks of up to 512 consecutive samples,
 *       their frames as {@link FrameRecords} (any signals, lossless), CRC-32C per
 *       chunk</td><td>committed, not yet acknowledged samples</td></tr>
 *   <tr><td>{@code rejected}</td><td>{@code seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, v BLOB NOT
 *       NULL} (the frame as {@link FrameRecords#encode}), {@code reason TEXT NOT NULL, rejected_ms INTEGER
 *       NOT NULL}</td><td>samples the server rejected (or the edge found invalid), kept for
 *       inspection</td></tr>
 *   <tr><td>{@code quarantined}</td><td>{@code id INTEGER PRIMARY KEY}, then a {@code samples} row
 *       as it was found ({@code first_seq, last_seq, first_t, last_t, data, crc}), {@code reason TEXT
 *       NOT NULL, quarantined_ms INTEGER NOT NULL}</td><td>chunks that failed verification (bit rot),
 *       kept as found, never sent</td></tr>
 * </table>
 *
 * <p><b>Versions.</b> Version 3 stores frames ({@link FrameRecords}); versions 1 and 2 stored 8
 * legacy float64 values per sample. An older spool is converted on the first read-write open, in one
 * transaction: version 1 gets its checksums (computed over the rows as they are), the quarantine and
 * {@code sent_through = next_seq - 1} (a version-1 edge may have sent anything it committed); then
 * every chunk is verified against its version-2 checksum and rewritten as frame records of the
 * built-in catalogue's 7 legacy signals (values exactly, NaN as unavailable) with a fresh checksum, a
 * chunk that fails is moved as found to {@code quarantined} and counted, and every {@code rejected}
 * row's 8 values become a frame record. If the conversion fails the transaction rolls back, the file
 * is unchanged and the open fails naming the file and what to do. {@link #inspect} reads an older
 * spool without changing it. A version newer than {@link #FORMAT_VERSION} is refused.
 *
 * <p>A group commit is one {@code BEGIN IMMEDIATE} transaction: the chunk inserts (generated keys off), the drop-oldest delete if the spool overflows, and the
 * {@code meta} update of {@code next_seq}, {@code newest_time_ms} and {@code dropped}. Memory is updated only after COMMIT
 * returned.
 */
final class SqliteSpool implements Spool {
    /** "FlSp" — marks a SQLite file as a fleetlog spool. */
    static final int APPLICATION_ID = 0x466C5370;

    static final int FORMAT_VERSION = 3;

    /**
     * How far beyond the committed seqs {@link #markSent} records "may have been sent": one meta
     * write per this many live samples (20 s at 50 Hz) instead of one per batch.
     */
    static final long SENT_MARK_SLACK = 1_000;

    private static final Logger log = LoggerFactory.getLogger(SqliteSpool.class);
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    static final int VALUE_BYTES = Field.COUNT * Double.BYTES;
    private static final VarHandle DOUBLES =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final SpoolConfig config;
    private final int maxPending;
    private final ScheduledExecutorService thread;
    private volatile Thread spoolThread;

    // Owned by the spool thread.
    private Connection db;
    private ChunkTable samples;
    private PreparedStatement insertRejected;
    private PreparedStatement updateMeta;
    private PreparedStatement begin;
    private PreparedStatement commitTx;
    private int version = FORMAT_VERSION;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition space = lock.newCondition();
    // Guarded by lock (written only by the spool thread, except pending/nextSeq/closed).
    private ArrayList<Sample> pending = new ArrayList<>();
    private int committing;
    private boolean commitRequested;
    private boolean closed;
    private SpoolException failure;
    private long nextSeq;
    private long depth;
    private long oldestSeq = -1;
    private long oldestTimeMs = -1;
    private long newestSeq = -1;
    private long newestTimeMs = -1;
    private long dropped;
    private long rejected;
    private long quarantined;
    private long renumbered;
    private long seqConflicts;
    private long sentThrough = -1;
    private String sourceId;
    private long sourceCaptured;

    /** Opened by {@link #inspect}: a read-only connection that never creates, converts or writes. */
    private final boolean readOnly;

    private SqliteSpool(Path path, SpoolConfig config, boolean readOnly) {
        this.path = path;
        this.config = config;
        this.readOnly = readOnly;
        this.maxPending = config.maxPending();
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "spool-" + path.getFileName());
            t.setDaemon(true);
            spoolThread = t;
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = ex;
    }

    static SqliteSpool open(Path file, SpoolConfig config) {
        Path abs = file.toAbsolutePath();
        checkHeader(abs);
        SqliteSpool s = new SqliteSpool(abs, config, false);
        try {
            s.onThread(s::openOnThread);
        } catch (RuntimeException e) {
            s.thread.shutdownNow();
            throw e;
        }
        long ms = config.groupCommitInterval().toMillis();
        s.thread.scheduleWithFixedDelay(s::commitQuietly, ms, ms, TimeUnit.MILLISECONDS);
        log.info(
                "spool_opened path={} depth={} next_seq={} dropped={} synchronous={}",
                abs,
                s.depth,
                s.nextSeq,
                s.dropped,
                config.synchronous());
        return s;
    }

    /**
     * The counters of an existing spool, read through a read-only connection: safe while another
     * process has the spool open (or is creating it), and it never changes the file.
     */
    static SpoolStats inspect(Path file) {
        return readOnly(file, SqliteSpool::stats);
    }

    /** Set-aside runs of an existing spool, read like {@link #inspect}. */
    static List<SetAside> inspectSetAside(Path file, int max) {
        return readOnly(file, s -> {
            try {
                return SetAsideTables.list(s.db, max);
            } catch (SQLException e) {
                throw new SpoolException(s.path + ": cannot read the set-aside samples: " + e.getMessage(), e);
            }
        });
    }

    private static <T> T readOnly(Path file, java.util.function.Function<SqliteSpool, T> read) {
        Path abs = file.toAbsolutePath();
        try {
            if (!Files.isRegularFile(abs)) {
                throw new SpoolException(abs + ": no such spool file");
            }
            if (Files.size(abs) == 0) {
                throw new SpoolException(abs + " is empty: not a spool yet (is an edge creating it?)");
            }
        } catch (IOException e) {
            throw new SpoolException(abs + ": cannot read: " + e.getMessage(), e);
        }
        checkHeader(abs);
        SqliteSpool s = new SqliteSpool(abs, SpoolConfig.defaults(), true);
        try {
            s.onThread(s::openOnThread);
            return s.onThread(() -> read.apply(s));
        } finally {
            try {
                s.onThread(() -> {
                    s.closeQuietly();
                    return null;
                });
            } finally {
                s.thread.shutdownNow();
            }
        }
    }

    private static void checkHeader(Path file) {
        try {
            if (!Files.exists(file)) {
                io.fleetlog.files.PrivateFiles.createFile(file); // 0600 in 0700 dirs; SQLite's -wal/-shm inherit it
                return;
            }
            long size = Files.size(file);
            if (size == 0) {
                return;
            }
            byte[] head = new byte[SQLITE_HEADER.length];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (n < head.length || !Arrays.equals(head, SQLITE_HEADER)) {
                throw new SpoolException(file + " is not a fleetlog spool: not a SQLite database (" + size
                        + " bytes, no SQLite header)");
            }
        } catch (IOException e) {
            throw new SpoolException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private Void openOnThread() {
        try {
            Properties p;
            if (readOnly) {
                org.sqlite.SQLiteConfig ro = new org.sqlite.SQLiteConfig();
                ro.setReadOnly(true);
                ro.setBusyTimeout(10000);
                p = ro.toProperties();
            } else {
                p = new Properties();
                p.setProperty("journal_mode", "WAL");
                p.setProperty("synchronous", config.synchronous().name());
                p.setProperty("transaction_mode", "IMMEDIATE");
                p.setProperty("busy_timeout", "10000");
                p.setProperty("jdbc.get_generated_keys", "false");
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + path, p);
            try (Statement st = db.createStatement()) {
                if (!readOnly) {
                    st.execute("PRAGMA journal_mode=WAL");
                    st.execute("PRAGMA synchronous=" + config.synchronous().name());
                }
                String check = quickCheck(st);
                if (!"ok".equals(check)) {
                    throw new SpoolException(path + " is damaged: SQLite quick_check says: " + check);
                }
                int appId = queryInt(st, "PRAGMA application_id");
                if (appId == 0 && tables(st).isEmpty()) {
                    if (readOnly) {
                        throw new SpoolException(path + " holds no spool yet (is an edge creating it?)");
                    }
                    create(st);
                } else if (appId != APPLICATION_ID) {
                    throw new SpoolException(path + " is a SQLite database but not a fleetlog spool (application_id 0x"
                            + Integer.toHexString(appId) + ", tables " + tables(st) + ")");
                }
                load(st);
                if (!readOnly && version < FORMAT_VERSION) {
                    migrate(st);
                    load(st);
                }
            }
            if (readOnly) {
                return null; // no write statements: inspect only reads the counters
            }
            begin = db.prepareStatement("BEGIN IMMEDIATE");
            commitTx = db.prepareStatement("COMMIT");
            samples = new ChunkTable(db);
            insertRejected = db.prepareStatement(
                    "INSERT OR REPLACE INTO rejected (seq, t, v, reason, rejected_ms)" + " VALUES (?, ?, ?, ?, ?)");
            updateMeta = db.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
            verifyNewest();
            return null;
        } catch (SQLException e) {
            closeQuietly();
            throw new SpoolException(path + " cannot be opened as a fleetlog spool: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static String quickCheck(Statement st) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = st.executeQuery("PRAGMA quick_check(5)")) {
            while (rs.next()) {
                if (!b.isEmpty()) {
                    b.append("; ");
                }
                b.append(rs.getString(1));
            }
        }
        return b.toString();
    }

    private static List<String> tables(Statement st) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static int queryInt(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private void create(Statement st) throws SQLException {
        st.execute("BEGIN IMMEDIATE");
        st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)");
        ChunkTable.create(st);
        st.execute("CREATE TABLE rejected (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, v BLOB NOT NULL,"
                + " reason TEXT NOT NULL, rejected_ms INTEGER NOT NULL)");
        st.execute("INSERT INTO meta VALUES ('format', 'fleetlog-spool'), ('version', " + FORMAT_VERSION
                + "), ('next_seq', 0), ('dropped', 0), ('rejected', 0), ('quarantined', 0), ('renumbered', 0),"
                + " ('seq_conflicts', 0), ('sent_through', -1), ('created_ms', "
                + System.currentTimeMillis() + ")");
        st.execute("PRAGMA application_id = " + APPLICATION_ID);
        st.execute("COMMIT");
    }

    /** Format 1 or 2 → 3 in one transaction (see the class comment). */
    private void migrate(Statement st) throws SQLException {
        long lost;
        st.execute("BEGIN IMMEDIATE");
        try {
            if (version < 2) {
                ChunkTable.migrateFromVersion1(db);
                long next;
                try (ResultSet rs = st.executeQuery("SELECT coalesce((SELECT value FROM meta WHERE key = 'next_seq'),"
                        + " 0), coalesce((SELECT max(last_seq) + 1 FROM samples), 0)")) {
                    rs.next();
                    next = Math.max(rs.getLong(1), rs.getLong(2));
                }
                st.execute("INSERT OR REPLACE INTO meta VALUES ('sent_through', " + (next - 1) + ")");
            }
            lost = ChunkTable.migrateFromVersion2(db, System.currentTimeMillis());
            migrateRejected();
            st.execute("INSERT OR REPLACE INTO meta VALUES ('quarantined', coalesce((SELECT value FROM meta WHERE"
                    + " key = 'quarantined'), 0) + " + lost + ")");
            st.execute("INSERT OR REPLACE INTO meta VALUES ('version', " + FORMAT_VERSION + ")");
            st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw new SpoolException(
                    path + " is a version-" + version + " spool and could not be converted to"
                            + " version " + FORMAT_VERSION + " (" + e.getMessage() + "); the file is unchanged: run the"
                            + " fleetlog that wrote it until it has drained, or move the file aside",
                    e);
        }
        if (lost > 0) {
            log.error(
                    "spool_migration_quarantined path={} samples={} (chunks that failed their old checksum"
                            + " were kept as found in the quarantined table)",
                    path,
                    lost);
        }
        log.info("spool_migrated path={} from_version={} to_version={}", path, version, FORMAT_VERSION);
        version = FORMAT_VERSION;
    }

    /** The rejected table's 64-byte legacy values (format 1 and 2) → frame records (format 3). */
    private void migrateRejected() throws SQLException {
        List<long[]> rows = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq, t FROM rejected ORDER BY seq")) {
            while (rs.next()) {
                rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        try (PreparedStatement read = db.prepareStatement("SELECT v FROM rejected WHERE seq = ?");
                PreparedStatement write = db.prepareStatement("UPDATE rejected SET v = ? WHERE seq = ?")) {
            for (long[] r : rows) {
                read.setLong(1, r[0]);
                byte[] v;
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    v = rs.getBytes(1);
                }
                if (v == null || v.length != VALUE_BYTES) {
                    continue; // not a legacy value row: kept as it is, only inspected, never sent
                }
                double[] values = new double[Field.COUNT];
                for (int f = 0; f < Field.COUNT; f++) {
                    double x = (double) DOUBLES.get(v, f * Double.BYTES);
                    values[f] = Double.isInfinite(x) ? Double.NaN : x; // a frame holds no infinity
                }
                write.setBytes(1, FrameRecords.encode(new Sample(r[0], r[1], values).frame()));
                write.setLong(2, r[0]);
                write.executeUpdate();
            }
        }
    }

    /**
     * On open, the newest chunk decides {@code next_seq} and the newest capture time: verify it (and
     * quarantine it if rotten) before trusting either.
     */
    private void verifyNewest() throws SQLException {
        while (true) {
            long key;
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT first_seq FROM samples ORDER BY last_seq DESC LIMIT 1")) {
                if (!rs.next()) {
                    return;
                }
                key = rs.getLong(1);
            }
            try {
                samples.verify(key);
                return;
            } catch (CorruptChunk c) {
                quarantine(c);
                try (Statement st = db.createStatement()) {
                    long metaNext = nextSeq;
                    try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'next_seq'")) {
                        metaNext = rs.next() ? rs.getLong(1) : 0;
                    }
                    try (ResultSet rs = st.executeQuery("SELECT max(last_seq) FROM samples")) {
                        rs.next();
                        long max = rs.getLong(1);
                        boolean any = !rs.wasNull();
                        nextSeq = Math.max(metaNext, any ? max + 1 : 0);
                        newestSeq = nextSeq - 1;
                    }
                }
            }
        }
    }

    /**
     * Moves a chunk that failed verification to {@code quarantined}, in its own transaction, and
     * counts it (spool thread). The caller retries what it was doing.
     */
    private void quarantine(CorruptChunk c) throws SQLException {
        rollbackQuietly(); // the operation that met the chunk may have a transaction open
        long n;
        try {
            begin.execute();
            n = samples.quarantine(c.firstSeq, c.getMessage(), System.currentTimeMillis());
            meta("quarantined", quarantined + n);
            commitTx.execute();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
        long d;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM samples")) {
            rs.next();
            d = rs.getLong(1);
        }
        lock.lock();
        try {
            quarantined += n;
            depth = d;
            space.signalAll();
        } finally {
            lock.unlock();
        }
        refreshOldest();
        log.error(
                "spool_chunk_quarantined path={} first_seq={} last_seq={} samples={} reason=\"{}\"",
                path,
                c.firstSeq,
                c.lastSeq,
                n,
                c.getMessage());
    }

    /** Runs {@code op} (spool thread), quarantining every corrupt chunk it meets and retrying. */
    private <T> T healing(Callable<T> op) throws Exception {
        while (true) {
            try {
                return op.call();
            } catch (CorruptChunk c) {
                quarantine(c); // each round removes one row: this ends
            }
        }
    }

    private void load(Statement st) throws SQLException {
        long metaNext = 0;
        long metaNewestTime = -1;
        try (ResultSet rs = st.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "format" -> {
                        if (!"fleetlog-spool".equals(rs.getString(2))) {
                            throw new SpoolException(
                                    path + " is not a fleetlog spool: format '" + rs.getString(2) + "'");
                        }
                    }
                    case "version" -> {
                        version = rs.getInt(2);
                        if (version > FORMAT_VERSION || version < 1) {
                            throw new SpoolException(path + " has spool format version " + version
                                    + "; this build reads versions 1 to " + FORMAT_VERSION
                                    + " (use the fleetlog that wrote it, or move the file aside)");
                        }
                    }
                    case "next_seq" -> metaNext = rs.getLong(2);
                    case "newest_time_ms" -> metaNewestTime = rs.getLong(2);
                    case "dropped" -> dropped = rs.getLong(2);
                    case "rejected" -> rejected = rs.getLong(2);
                    case "quarantined" -> quarantined = rs.getLong(2);
                    case "renumbered" -> renumbered = rs.getLong(2);
                    case "seq_conflicts" -> seqConflicts = rs.getLong(2);
                    case "sent_through" -> sentThrough = rs.getLong(2);
                    case "source_id" -> sourceId = rs.getString(2);
                    case "source_captured" -> sourceCaptured = rs.getLong(2);
                    default -> {
                        // other keys (created_ms) are informational
                    }
                }
            }
        }
        try (ResultSet rs =
                st.executeQuery("SELECT coalesce(sum(last_seq - first_seq + 1), 0), max(last_seq) FROM samples")) {
            rs.next();
            depth = rs.getLong(1);
            long max = rs.getLong(2);
            boolean any = !rs.wasNull();
            nextSeq = Math.max(metaNext, any ? max + 1 : 0);
        }
        newestSeq = nextSeq - 1;
        try (ResultSet rs = st.executeQuery("SELECT last_t FROM samples ORDER BY first_seq DESC LIMIT 1")) {
            // The newest committed capture time survives a spool drained empty (every sample acked and
            // deleted): a restarted source resumes after it instead of capturing the drive again.
            newestTimeMs = Math.max(metaNewestTime, rs.next() ? rs.getLong(1) : -1);
        }
        refreshOldest();
    }

    /** Reads the oldest buffered sample's seq and time (spool thread). */
    private void refreshOldest() throws SQLException {
        long seq = -1;
        long t = -1;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT first_seq, first_t FROM samples ORDER BY first_seq LIMIT 1")) {
            if (rs.next()) {
                seq = rs.getLong(1);
                t = rs.getLong(2);
            }
        }
        lock.lock();
        try {
            oldestSeq = seq;
            oldestTimeMs = t;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long append(List<Sample> samples) throws InterruptedException {
        int n = samples.size();
        if (config.fullPolicy() == SpoolConfig.FullPolicy.BLOCK && n > config.maxSamples()) {
            throw new IllegalArgumentException(
                    "append of " + n + " samples exceeds the spool's maxSamples " + config.maxSamples());
        }
        lock.lockInterruptibly();
        try {
            while (true) {
                checkUsable();
                int queued = pending.size() + committing;
                boolean diskBehind = queued > 0 && queued + n > maxPending;
                boolean full =
                        config.fullPolicy() == SpoolConfig.FullPolicy.BLOCK && depth + queued + n > config.maxSamples();
                if (!diskBehind && !full) {
                    break;
                }
                if (diskBehind || !pending.isEmpty()) {
                    requestCommitLocked();
                }
                space.await();
            }
            long first = nextSeq;
            for (Sample s : samples) {
                pending.add(s.withSeq(nextSeq++));
            }
            if (pending.size() >= config.groupCommitSamples()) {
                requestCommitLocked();
            }
            return first;
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new SpoolException(path + ": an earlier commit failed: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new SpoolException(path + " is closed");
        }
    }

    private void requestCommitLocked() {
        if (!commitRequested && !thread.isShutdown()) {
            commitRequested = true;
            thread.execute(this::commitQuietly);
        }
    }

    @Override
    public long flush() {
        lock.lock();
        try {
            if (failure != null) {
                checkUsable();
            }
        } finally {
            lock.unlock();
        }
        return onThread(() -> {
            commit();
            return lastCommittedSeq();
        });
    }

    private void commitQuietly() {
        try {
            commit();
        } catch (RuntimeException e) {
            // recorded in failure; the next caller gets it
            log.error("spool_commit_failed path={} error={}", path, e.getMessage());
        }
    }

    /** One group commit (spool thread). */
    private void commit() {
        List<Sample> batch;
        lock.lock();
        try {
            commitRequested = false;
            if (pending.isEmpty() || failure != null) {
                return;
            }
            batch = pending;
            pending = new ArrayList<>(Math.min(batch.size() * 2, maxPending));
            committing = batch.size();
        } finally {
            lock.unlock();
        }
        long excess = 0;
        boolean wasEmpty = depth == 0;
        Sample last = batch.get(batch.size() - 1);
        try {
            excess = healing(() -> writeBatch(batch));
        } catch (Exception e) {
            rollbackQuietly();
            SpoolException f = new SpoolException(
                    path + ": group commit of seqs " + batch.get(0).seq() + ".." + last.seq() + " failed: "
                            + e.getMessage(),
                    e);
            lock.lock();
            try {
                failure = f;
                committing = 0;
                space.signalAll();
            } finally {
                lock.unlock();
            }
            throw f;
        }
        if (excess > 0) {
            log.warn("spool_dropped_oldest path={} samples={} max_samples={}", path, excess, config.maxSamples());
        }
        lock.lock();
        try {
            depth += batch.size() - excess;
            dropped += excess;
            newestSeq = last.seq();
            newestTimeMs = last.captureTimeMs();
            if (wasEmpty || oldestSeq < 0) { // empty before, or emptied by a quarantine during the commit
                oldestSeq = batch.get(0).seq();
                oldestTimeMs = batch.get(0).captureTimeMs();
            }
            committing = 0;
            space.signalAll();
        } finally {
            lock.unlock();
        }
        if (excess > 0) {
            try {
                refreshOldest();
            } catch (SQLException e) {
                log.warn("spool_oldest_unknown path={} error={}", path, e.getMessage());
            }
        }
    }

    /** The group commit's transaction; returns the samples dropped by drop-oldest. */
    private long writeBatch(List<Sample> batch) throws SQLException {
        Sample last = batch.get(batch.size() - 1);
        long excess = 0;
        try {
            begin.execute();
            samples.insert(batch);
            long newDepth = depth + batch.size();
            if (config.fullPolicy() == SpoolConfig.FullPolicy.DROP_OLDEST && newDepth > config.maxSamples()) {
                excess = samples.dropOldest(newDepth - config.maxSamples());
            }
            meta("next_seq", last.seq() + 1);
            meta("newest_time_ms", last.captureTimeMs());
            if (excess > 0) {
                meta("dropped", dropped + excess);
            }
            if (sourceId != null) {
                meta("source_captured", sourceCaptured + batch.size());
            }
            commitTx.execute();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
        if (sourceId != null) {
            sourceCaptured += batch.size(); // spool thread only
        }
        return excess;
    }

    private void meta(String key, long value) throws SQLException {
        updateMeta.setString(1, key);
        updateMeta.setLong(2, value);
        updateMeta.executeUpdate();
    }

    @Override
    public List<Sample> peek(long fromSeq, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("peek max " + max + " must be at least 1");
        }
        return onThread(() -> healing(() -> {
            List<Sample> out = new ArrayList<>(Math.min(max, 4096));
            out.addAll(samples.peek(fromSeq, max));
            return out;
        }));
    }

    @Override
    public int ack(long upToSeq) {
        return onThread(() -> healing(() -> {
            if (oldestSeq < 0 || upToSeq < oldestSeq) {
                return 0;
            }
            int n;
            try {
                begin.execute();
                n = (int) samples.deleteUpTo(upToSeq);
                commitTx.execute();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
            afterDelete(n, 0);
            return n;
        }));
    }

    @Override
    public int reject(long firstSeq, long lastSeq, String reason) {
        return onThread(() -> healing(() -> {
            int n;
            try {
                begin.execute();
                List<Sample> removed = samples.remove(firstSeq, lastSeq);
                long at = System.currentTimeMillis();
                for (Sample x : removed) {
                    insertRejected.setLong(1, x.seq());
                    insertRejected.setLong(2, x.captureTimeMs());
                    insertRejected.setBytes(3, FrameRecords.encode(x.frame()));
                    insertRejected.setString(4, reason == null ? "" : reason);
                    insertRejected.setLong(5, at);
                    insertRejected.executeUpdate();
                }
                n = removed.size();
                meta("rejected", rejected + n);
                commitTx.execute();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
            afterDelete(n, n);
            return n;
        }));
    }

    @Override
    public long renumber(long fromSeq, long toSeq) {
        if (toSeq <= fromSeq || fromSeq < 0) {
            throw new IllegalArgumentException("renumber from seq " + fromSeq + " to " + toSeq + " must move forward");
        }
        return onThread(() -> {
            lock.lock(); // no append may take a seq while the numbering moves
            try {
                commit(); // every seq handed out so far is on disk and moves with the others
                long delta = toSeq - fromSeq;
                long newNext = Math.max(nextSeq, fromSeq) + delta;
                long moved = healing(() -> shiftOnThread(fromSeq, delta, newNext, toSeq - 1));
                nextSeq = newNext;
                newestSeq = newNext - 1;
                renumbered += moved;
                seqConflicts++;
                sentThrough = toSeq - 1;
                refreshOldest();
                log.error(
                        "spool_renumbered path={} from_seq={} to_seq={} samples={} next_seq={}",
                        path,
                        fromSeq,
                        toSeq,
                        moved,
                        newNext);
                return moved;
            } finally {
                lock.unlock();
            }
        });
    }

    private long shiftOnThread(long fromSeq, long delta, long newNext, long sentMark) throws SQLException {
        long moved;
        try {
            begin.execute();
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(sum(last_seq - max(first_seq, " + fromSeq
                            + ") + 1), 0) FROM samples" + " WHERE last_seq >= " + fromSeq)) {
                rs.next();
                moved = rs.getLong(1);
            }
            samples.shift(fromSeq, delta);
            try (Statement st = db.createStatement()) {
                // set-aside rows move with their neighbours, so their seqs still name the same samples
                st.execute("UPDATE rejected SET seq = -(seq + " + delta + ") - 1 WHERE seq >= " + fromSeq);
                st.execute("UPDATE rejected SET seq = -seq - 1 WHERE seq < 0");
                st.execute("UPDATE quarantined SET first_seq = first_seq + " + delta + ", last_seq = last_seq + "
                        + delta + " WHERE first_seq >= " + fromSeq);
            }
            meta("next_seq", newNext);
            meta("renumbered", renumbered + moved);
            meta("seq_conflicts", seqConflicts + 1);
            meta("sent_through", sentMark);
            commitTx.execute();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
        return moved;
    }

    @Override
    public long sentThrough() {
        lock.lock();
        try {
            return sentThrough;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void markSent(long lastSeq) {
        if (lastSeq <= sentThrough()) {
            return;
        }
        onThread(() -> {
            long mark = Math.max(lastSeq, lastCommittedSeq() + SENT_MARK_SLACK);
            meta("sent_through", mark); // autocommit: durable before the caller sends
            lock.lock();
            try {
                sentThrough = mark;
            } finally {
                lock.unlock();
            }
            return null;
        });
    }

    @Override
    public long resumeSource(String id) {
        if (id == null || id.isEmpty() || id.length() > 200) {
            throw new IllegalArgumentException("source id must be 1 to 200 characters, got "
                    + (id == null ? "null" : id.length() + " characters"));
        }
        return onThread(() -> {
            commit(); // samples appended before belong to the previous source
            if (id.equals(sourceId)) {
                return sourceCaptured;
            }
            try {
                begin.execute();
                updateMeta.setString(1, "source_id");
                updateMeta.setString(2, id);
                updateMeta.executeUpdate();
                meta("source_captured", 0);
                commitTx.execute();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
            if (sourceId != null) {
                log.info(
                        "spool_source_changed path={} was=\"{}\" captured_of_it={} now=\"{}\"",
                        path,
                        sourceId,
                        sourceCaptured,
                        id);
            }
            sourceId = id;
            sourceCaptured = 0;
            return 0L;
        });
    }

    @Override
    public HoleCause holeCause(long fromSeq, long toSeq) {
        if (toSeq < fromSeq) {
            return HoleCause.NONE;
        }
        return onThread(() -> SetAsideTables.holeCause(db, fromSeq, toSeq));
    }

    private void afterDelete(int deleted, int rejectedNow) throws SQLException {
        lock.lock();
        try {
            depth -= deleted;
            rejected += rejectedNow;
            space.signalAll();
        } finally {
            lock.unlock();
        }
        if (deleted > 0) {
            refreshOldest();
        }
    }

    @Override
    public long lastCommittedSeq() {
        lock.lock();
        try {
            return newestSeq;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SpoolStats stats() {
        lock.lock();
        try {
            return new SpoolStats(
                    depth,
                    pending.size() + committing,
                    oldestSeq,
                    newestSeq,
                    oldestTimeMs,
                    newestTimeMs,
                    nextSeq,
                    dropped,
                    rejected,
                    quarantined,
                    renumbered,
                    seqConflicts,
                    sentThrough);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            space.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            onThread(() -> {
                try {
                    if (failure == null) {
                        commit();
                    }
                    try (Statement st = db.createStatement()) {
                        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    }
                } finally {
                    closeQuietly();
                }
                return null;
            });
        } finally {
            thread.shutdown();
            try {
                if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("spool_thread_stuck path={}", path);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        SpoolStats s = stats();
        log.info(
                "spool_closed path={} buffered={} oldest_seq={} next_seq={} dropped={}",
                path,
                s.depth(),
                s.oldestSeq(),
                s.nextSeq(),
                s.dropped());
    }

    private void closeQuietly() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException e) {
            // closing after a failure: the original error is what matters
            log.debug("spool_close_error path={} error={}", path, e.getMessage());
        }
    }

    private void rollbackQuietly() {
        try (Statement st = db.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            // no transaction was open (the failure came before BEGIN), or SQLite already rolled it back
            log.debug("spool_rollback_error path={} error={}", path, e.getMessage());
        }
    }

    private <T> T onThread(Callable<T> task) {
        if (Thread.currentThread() == spoolThread) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SpoolException(path + ": " + e.getMessage(), e);
            }
        }
        Future<T> f;
        try {
            f = thread.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new SpoolException(path + " is closed");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpoolException(path + ": interrupted while waiting for the spool thread");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SpoolException se) {
                throw se;
            }
            if (c instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new SpoolException(path + ": " + c.getMessage(), c);
        }
    }
}
