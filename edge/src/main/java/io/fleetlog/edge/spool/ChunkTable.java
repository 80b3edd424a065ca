package io.fleetlog.edge.spool;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code samples} table of a spool: runs of consecutive samples stored as chunks, one row per up to
 * {@link #CHUNK_SAMPLES} samples.
 *
 * <table>
 *   <caption>samples</caption>
 *   <tr><th>column</th><th>meaning</th></tr>
 *   <tr><td>{@code first_seq INTEGER PRIMARY KEY}</td><td>seq of the chunk's first sample</td></tr>
 *   <tr><td>{@code last_seq INTEGER NOT NULL}</td><td>seq of its last sample; the chunk holds every
 *       seq in between (chunks never overlap; holes lie between chunks)</td></tr>
 *   <tr><td>{@code first_t}, {@code last_t INTEGER NOT NULL}</td><td>capture times (epoch ms) of the
 *       first and last sample</td></tr>
 *   <tr><td>{@code data BLOB NOT NULL}</td><td>per sample, in seq order, {@link #SAMPLE_BYTES} = 72
 *       bytes little-endian: capture time int64 ms, then the {@link Field#COUNT} values as IEEE-754
 *       float64 in field order (NaN = unavailable)</td></tr>
 * </table>
 *
 * <p>One row per chunk instead of one per sample because every row costs SQLite B-tree work and
 * every bound or read column a JNI call in sqlite-jdbc; per-sample work is then plain Java. Deleting
 * part of a chunk (an ack, a drop or a reject that ends inside it) rewrites that one chunk. Used only
 * on the spool thread, inside the caller's transaction.
 */
final class ChunkTable {
    static final int CHUNK_SAMPLES = 512;
    static final int SAMPLE_BYTES = Long.BYTES + Field.COUNT * Double.BYTES;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLES =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final PreparedStatement insert;
    private final PreparedStatement chunkAt;
    private final PreparedStatement from;
    private final PreparedStatement countUpTo;
    private final PreparedStatement deleteUpTo;
    private final PreparedStatement straddling;
    private final PreparedStatement deleteOne;
    private final PreparedStatement overlapping;
    private final PreparedStatement oldestRows;

    ChunkTable(Connection db) throws SQLException {
        insert = db.prepareStatement(
                "INSERT INTO samples (first_seq, last_seq, first_t, last_t, data) VALUES (?, ?, ?, ?, ?)");
        chunkAt = db.prepareStatement("SELECT max(first_seq) FROM samples WHERE first_seq <= ?");
        from = db.prepareStatement("SELECT first_seq, data FROM samples WHERE first_seq >= ? ORDER BY first_seq");
        countUpTo = db.prepareStatement("SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM samples"
                + " WHERE first_seq <= ? AND last_seq <= ?");
        deleteUpTo = db.prepareStatement("DELETE FROM samples WHERE first_seq <= ? AND last_seq <= ?");
        straddling = db.prepareStatement(
                "SELECT first_seq, data FROM samples WHERE first_seq <= ? AND last_seq > ? ORDER BY first_seq");
        deleteOne = db.prepareStatement("DELETE FROM samples WHERE first_seq = ?");
        overlapping = db.prepareStatement(
                "SELECT first_seq, data FROM samples WHERE first_seq <= ? AND last_seq >= ? ORDER BY first_seq");
        oldestRows = db.prepareStatement("SELECT first_seq, last_seq FROM samples ORDER BY first_seq");
    }

    static void create(Statement st) throws SQLException {
        st.execute("CREATE TABLE samples (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                + " first_t INTEGER NOT NULL, last_t INTEGER NOT NULL, data BLOB NOT NULL)");
    }

    /** Inserts samples with consecutive seqs as chunks. */
    void insert(List<Sample> samples) throws SQLException {
        for (int i = 0; i < samples.size(); i += CHUNK_SAMPLES) {
            insertChunk(samples.subList(i, Math.min(samples.size(), i + CHUNK_SAMPLES)));
        }
    }

    private void insertChunk(List<Sample> c) throws SQLException {
        Sample first = c.get(0);
        Sample last = c.get(c.size() - 1);
        insert.setLong(1, first.seq());
        insert.setLong(2, last.seq());
        insert.setLong(3, first.captureTimeMs());
        insert.setLong(4, last.captureTimeMs());
        insert.setBytes(5, pack(c));
        insert.executeUpdate();
    }

    /** Up to {@code max} samples with {@code seq >= fromSeq}, in seq order. */
    List<Sample> peek(long fromSeq, int max) throws SQLException {
        List<Sample> out = new ArrayList<>(Math.min(max, 4096));
        chunkAt.setLong(1, fromSeq);
        long start = fromSeq;
        try (ResultSet rs = chunkAt.executeQuery()) {
            if (rs.next()) {
                long s = rs.getLong(1);
                if (!rs.wasNull()) {
                    start = s;
                }
            }
        }
        from.setLong(1, start);
        try (ResultSet rs = from.executeQuery()) {
            while (out.size() < max && rs.next()) {
                unpack(rs.getLong(1), rs.getBytes(2), fromSeq, max, out);
            }
        }
        return out;
    }

    /** Deletes every sample with {@code seq <= upTo}; returns how many. */
    long deleteUpTo(long upTo) throws SQLException {
        countUpTo.setLong(1, upTo);
        countUpTo.setLong(2, upTo);
        long n;
        try (ResultSet rs = countUpTo.executeQuery()) {
            rs.next();
            n = rs.getLong(1);
        }
        deleteUpTo.setLong(1, upTo);
        deleteUpTo.setLong(2, upTo);
        deleteUpTo.executeUpdate();
        straddling.setLong(1, upTo);
        straddling.setLong(2, upTo);
        List<Sample> keep = new ArrayList<>();
        long firstOfChunk = -1;
        try (ResultSet rs = straddling.executeQuery()) {
            if (rs.next()) {
                firstOfChunk = rs.getLong(1);
                unpack(firstOfChunk, rs.getBytes(2), upTo + 1, Integer.MAX_VALUE, keep);
            }
        }
        if (firstOfChunk >= 0) {
            n += keep.get(0).seq() - firstOfChunk;
            rewrite(firstOfChunk, keep);
        }
        return n;
    }

    /** Deletes the {@code excess} oldest samples (holes between chunks do not count). */
    long dropOldest(long excess) throws SQLException {
        long left = excess;
        long upTo = -1;
        try (ResultSet rs = oldestRows.executeQuery()) {
            while (left > 0 && rs.next()) {
                long first = rs.getLong(1);
                long n = rs.getLong(2) - first + 1;
                upTo = first + Math.min(n, left) - 1;
                left -= Math.min(n, left);
            }
        }
        return upTo < 0 ? 0 : deleteUpTo(upTo);
    }

    /** Removes the samples {@code first..last} and returns them (for the rejected table). */
    List<Sample> remove(long first, long last) throws SQLException {
        overlapping.setLong(1, last);
        overlapping.setLong(2, first);
        List<long[]> chunks = new ArrayList<>();
        List<Sample> all = new ArrayList<>();
        try (ResultSet rs = overlapping.executeQuery()) {
            while (rs.next()) {
                long f = rs.getLong(1);
                chunks.add(new long[] {f});
                unpack(f, rs.getBytes(2), f, Integer.MAX_VALUE, all);
            }
        }
        List<Sample> removed = new ArrayList<>();
        List<Sample> before = new ArrayList<>();
        List<Sample> after = new ArrayList<>();
        for (Sample s : all) {
            (s.seq() < first ? before : s.seq() > last ? after : removed).add(s);
        }
        for (long[] c : chunks) {
            deleteOne.setLong(1, c[0]);
            deleteOne.executeUpdate();
        }
        if (!before.isEmpty()) {
            insert(before);
        }
        if (!after.isEmpty()) {
            insert(after);
        }
        return removed;
    }

    private void rewrite(long firstSeq, List<Sample> keep) throws SQLException {
        deleteOne.setLong(1, firstSeq);
        deleteOne.executeUpdate();
        if (!keep.isEmpty()) {
            insert(keep);
        }
    }

    static byte[] pack(List<Sample> c) {
        byte[] b = new byte[c.size() * SAMPLE_BYTES];
        int o = 0;
        for (Sample s : c) {
            LONGS.set(b, o, s.captureTimeMs());
            double[] v = s.values();
            for (int f = 0; f < Field.COUNT; f++) {
                DOUBLES.set(b, o + Long.BYTES + f * Double.BYTES, v[f]);
            }
            o += SAMPLE_BYTES;
        }
        return b;
    }

    /** Appends the chunk's samples with {@code seq >= fromSeq} to {@code out} while it holds fewer than max. */
    static void unpack(long firstSeq, byte[] b, long fromSeq, int max, List<Sample> out) {
        if (b == null || b.length == 0 || b.length % SAMPLE_BYTES != 0) {
            throw new SpoolException("chunk at seq " + firstSeq + " has " + (b == null ? 0 : b.length)
                    + " bytes, not a multiple of " + SAMPLE_BYTES);
        }
        int n = b.length / SAMPLE_BYTES;
        int i = fromSeq <= firstSeq ? 0 : (int) Math.min(n, fromSeq - firstSeq);
        for (; i < n && out.size() < max; i++) {
            int o = i * SAMPLE_BYTES;
            double[] v = new double[Field.COUNT];
            for (int f = 0; f < Field.COUNT; f++) {
                v[f] = (double) DOUBLES.get(b, o + Long.BYTES + f * Double.BYTES);
            }
            out.add(new Sample(firstSeq + i, (long) LONGS.get(b, o), v));
        }
    }
}
