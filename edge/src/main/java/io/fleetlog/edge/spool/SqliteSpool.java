package io.fleetlog.edge.spool;

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
 *       'fleetlog-spool', {@code version} = 1, {@code next_seq} and {@code newest_time_ms} (written in every commit),
 *       {@code dropped}, {@code rejected}, {@code created_ms}</td></tr>
 *   <tr><td>{@code samples}</td><td>see {@link ChunkTable}: chunks of up to 512 consecutive samples,
 *       72 bytes each (capture time int64, 8 values float64, little-endian)</td><td>committed, not yet
 *       acknowledged samples</td></tr>
 *   <tr><td>{@code rejected}</td><td>{@code seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, v BLOB NOT
 *       NULL} (the 8 values as float64 little-endian), {@code reason TEXT NOT NULL, rejected_ms INTEGER
 *       NOT NULL}</td><td>samples the server rejected, kept for inspection</td></tr>
 * </table>
 *
 * <p>A group commit is one {@code BEGIN IMMEDIATE} transaction: the chunk inserts (generated keys off), the drop-oldest delete if the spool overflows, and the
 * {@code meta} update of {@code next_seq}, {@code newest_time_ms} and {@code dropped}. Memory is updated only after COMMIT
 * returned.
 */
final class SqliteSpool implements Spool {
    /** "FlSp" — marks a SQLite file as a fleetlog spool. */
    static final int APPLICATION_ID = 0x466C5370;

    static final int FORMAT_VERSION = 1;
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
            return s.stats();
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
                + "), ('next_seq', 0), ('dropped', 0), ('rejected', 0), ('created_ms', "
                + System.currentTimeMillis() + ")");
        st.execute("PRAGMA application_id = " + APPLICATION_ID);
        st.execute("COMMIT");
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
                        if (rs.getInt(2) > FORMAT_VERSION) {
                            throw new SpoolException(path + " has spool format version " + rs.getInt(2)
                                    + "; this build reads up to " + FORMAT_VERSION);
                        }
                    }
                    case "next_seq" -> metaNext = rs.getLong(2);
                    case "newest_time_ms" -> metaNewestTime = rs.getLong(2);
                    case "dropped" -> dropped = rs.getLong(2);
                    case "rejected" -> rejected = rs.getLong(2);
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
            commitTx.execute();
        } catch (SQLException | RuntimeException e) {
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
            if (wasEmpty) {
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

    private void meta(String key, long value) throws SQLException {
        updateMeta.setString(1, key);
        updateMeta.setLong(2, value);
        updateMeta.executeUpdate();
    }

    static byte[] pack(double[] values) {
        byte[] b = new byte[VALUE_BYTES];
        for (int f = 0; f < Field.COUNT; f++) {
            DOUBLES.set(b, f * Double.BYTES, values[f]);
        }
        return b;
    }

    @Override
    public List<Sample> peek(long fromSeq, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("peek max " + max + " must be at least 1");
        }
        return onThread(() -> {
            List<Sample> out = new ArrayList<>(Math.min(max, 4096));
            out.addAll(samples.peek(fromSeq, max));
            return out;
        });
    }

    @Override
    public int ack(long upToSeq) {
        return onThread(() -> {
            if (oldestSeq < 0 || upToSeq < oldestSeq) {
                return 0;
            }
            int n;
            try {
                begin.execute();
                n = (int) samples.deleteUpTo(upToSeq);
                commitTx.execute();
            } catch (SQLException e) {
                rollbackQuietly();
                throw e;
            }
            afterDelete(n, 0);
            return n;
        });
    }

    @Override
    public int reject(long firstSeq, long lastSeq, String reason) {
        return onThread(() -> {
            int n;
            try {
                begin.execute();
                List<Sample> removed = samples.remove(firstSeq, lastSeq);
                long at = System.currentTimeMillis();
                for (Sample x : removed) {
                    insertRejected.setLong(1, x.seq());
                    insertRejected.setLong(2, x.captureTimeMs());
                    insertRejected.setBytes(3, pack(x.values()));
                    insertRejected.setString(4, reason == null ? "" : reason);
                    insertRejected.setLong(5, at);
                    insertRejected.executeUpdate();
                }
                n = removed.size();
                meta("rejected", rejected + n);
                commitTx.execute();
            } catch (SQLException e) {
                rollbackQuietly();
                throw e;
            }
            afterDelete(n, n);
            return n;
        });
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
                    rejected);
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
