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
import java.util.zip.CRC32C;

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
 *   <tr><td>{@code crc INTEGER}</td><td>CRC-32C (format version 2) over {@code first_seq},
 *       {@code last_seq}, {@code first_t}, {@code last_t} (each int64 little-endian) and then
 *       {@code data}; checked on every read</td></tr>
 * </table>
 *
 * <p>A chunk whose checksum, length or times do not match (bit rot, a bad flash page, a hand edit)
 * is never decoded: every read that meets one throws {@link CorruptChunk}, and the spool moves the
 * row as it is into the {@code quarantined} table ({@link #quarantine}) and retries. A chunk that is
 * rewritten (an ack, drop or reject ending inside it, a renumbering) is verified first, so a
 * rewrite never gives rotten bytes a fresh checksum.
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
    private final PreparedStatement one;
    private final PreparedStatement quarantineRow;

    ChunkTable(Connection db) throws SQLException {
        insert = db.prepareStatement(
                "INSERT INTO samples (first_seq, last_seq, first_t, last_t, data, crc) VALUES (?, ?, ?, ?, ?, ?)");
        chunkAt = db.prepareStatement("SELECT max(first_seq) FROM samples WHERE first_seq <= ?");
        from = db.prepareStatement("SELECT " + COLUMNS + " FROM samples WHERE first_seq >= ? ORDER BY first_seq");
        countUpTo = db.prepareStatement("SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM samples"
                + " WHERE first_seq <= ? AND last_seq <= ?");
        deleteUpTo = db.prepareStatement("DELETE FROM samples WHERE first_seq <= ? AND last_seq <= ?");
        straddling = db.prepareStatement(
                "SELECT " + COLUMNS + " FROM samples WHERE first_seq <= ? AND last_seq > ? ORDER BY first_seq");
        deleteOne = db.prepareStatement("DELETE FROM samples WHERE first_seq = ?");
        overlapping = db.prepareStatement(
                "SELECT " + COLUMNS + " FROM samples WHERE first_seq <= ? AND last_seq >= ? ORDER BY first_seq");
        oldestRows = db.prepareStatement("SELECT first_seq, last_seq FROM samples ORDER BY first_seq");
        one = db.prepareStatement("SELECT " + COLUMNS + " FROM samples WHERE first_seq = ?");
        quarantineRow = db.prepareStatement("INSERT INTO quarantined (first_seq, last_seq, first_t, last_t, data, crc,"
                + " reason, quarantined_ms) SELECT first_seq, last_seq, first_t, last_t, data, crc, ?, ? FROM samples"
                + " WHERE first_seq = ?");
    }

    private static final String COLUMNS = "first_seq, last_seq, first_t, last_t, data, crc";

    static void create(Statement st) throws SQLException {
        st.execute("CREATE TABLE samples (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                + " first_t INTEGER NOT NULL, last_t INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL)");
        createQuarantine(st);
    }

    /** The table for chunks that failed verification: the row as it was, with the reason. */
    static void createQuarantine(Statement st) throws SQLException {
        st.execute("CREATE TABLE quarantined (id INTEGER PRIMARY KEY, first_seq INTEGER, last_seq INTEGER,"
                + " first_t INTEGER, last_t INTEGER, data BLOB, crc INTEGER, reason TEXT NOT NULL,"
                + " quarantined_ms INTEGER NOT NULL)");
    }

    /**
     * Format 1 → 2: adds the {@code crc} column, computed over the rows as they are now (they were
     * never checksummed, so this is the last moment they can be vouched for), and the quarantine.
     */
    static void migrateFromVersion1(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("ALTER TABLE samples ADD COLUMN crc INTEGER");
            createQuarantine(st);
        }
        List<Long> keys = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT first_seq FROM samples ORDER BY first_seq")) {
            while (rs.next()) {
                keys.add(rs.getLong(1));
            }
        }
        try (PreparedStatement read = db.prepareStatement(
                        "SELECT first_seq, last_seq, first_t, last_t, data FROM samples" + " WHERE first_seq = ?");
                PreparedStatement write = db.prepareStatement("UPDATE samples SET crc = ? WHERE first_seq = ?")) {
            for (long k : keys) {
                read.setLong(1, k);
                try (ResultSet rs = read.executeQuery()) {
                    if (rs.next()) {
                        write.setLong(
                                1, crc(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5)));
                        write.setLong(2, k);
                        write.executeUpdate();
                    }
                }
            }
        }
    }

    /** CRC-32C of a chunk row (see the table). */
    static long crc(long firstSeq, long lastSeq, long firstT, long lastT, byte[] data) {
        byte[] head = new byte[4 * Long.BYTES];
        LONGS.set(head, 0, firstSeq);
        LONGS.set(head, 8, lastSeq);
        LONGS.set(head, 16, firstT);
        LONGS.set(head, 24, lastT);
        CRC32C c = new CRC32C();
        c.update(head);
        if (data != null) {
            c.update(data);
        }
        return c.getValue();
    }

    /** A row as stored, before verification. */
    record Chunk(long firstSeq, long lastSeq, long firstT, long lastT, byte[] data, Long crc) {
        /** Why this row cannot be trusted, or {@code null} when it verifies. */
        String problem() {
            if (crc == null) {
                return "no checksum";
            }
            long computed = ChunkTable.crc(firstSeq, lastSeq, firstT, lastT, data);
            if (computed != crc) {
                return "checksum mismatch (stored 0x" + Long.toHexString(crc) + ", computed 0x"
                        + Long.toHexString(computed) + ")";
            }
            long n = lastSeq - firstSeq + 1;
            if (data == null || n < 1 || n > CHUNK_SAMPLES || data.length != n * SAMPLE_BYTES) {
                return "seqs " + firstSeq + ".." + lastSeq + " do not match " + (data == null ? 0 : data.length)
                        + " bytes of data";
            }
            if ((long) LONGS.get(data, 0) != firstT || (long) LONGS.get(data, data.length - SAMPLE_BYTES) != lastT) {
                return "first_t/last_t do not match the samples' capture times";
            }
            return null;
        }

        /** Samples claimed by the row (what {@code depth} counted for it). */
        long claimed() {
            return lastSeq - firstSeq + 1;
        }
    }

    private static Chunk read(ResultSet rs) throws SQLException {
        long crc = rs.getLong(6);
        Long c = rs.wasNull() ? null : crc;
        return new Chunk(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5), c);
    }

    /** Reads and verifies; a row that does not verify throws {@link CorruptChunk}. */
    private static Chunk verified(ResultSet rs) throws SQLException {
        Chunk c = read(rs);
        String problem = c.problem();
        if (problem != null) {
            throw new CorruptChunk(c.firstSeq(), c.lastSeq(), problem);
        }
        return c;
    }

    /** Verifies the row at {@code firstSeq} (throws {@link CorruptChunk}); false when there is none. */
    boolean verify(long firstSeq) throws SQLException {
        one.setLong(1, firstSeq);
        try (ResultSet rs = one.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            verified(rs);
            return true;
        }
    }

    /**
     * Moves the row at {@code firstSeq} as it is into {@code quarantined} and deletes it from
     * {@code samples}; returns the samples it claimed (0 when there was no such row).
     */
    long quarantine(long firstSeq, String reason, long nowMs) throws SQLException {
        long claimed = 0;
        one.setLong(1, firstSeq);
        try (ResultSet rs = one.executeQuery()) {
            if (!rs.next()) {
                return 0;
            }
            claimed = read(rs).claimed();
        }
        quarantineRow.setString(1, reason);
        quarantineRow.setLong(2, nowMs);
        quarantineRow.setLong(3, firstSeq);
        quarantineRow.executeUpdate();
        deleteOne.setLong(1, firstSeq);
        deleteOne.executeUpdate();
        return claimed;
    }

    /**
     * Adds {@code delta} to the seq of every sample with {@code seq >= fromSeq}, verifying each chunk
     * before it gets its new checksum. A chunk that straddles {@code fromSeq} is split there: its
     * samples below keep their seqs, the rest move.
     */
    void shift(long fromSeq, long delta) throws SQLException {
        List<Long> keys = new ArrayList<>();
        oldestRows.clearParameters();
        try (ResultSet rs = oldestRows.executeQuery()) {
            while (rs.next()) {
                if (rs.getLong(2) >= fromSeq) {
                    keys.add(rs.getLong(1));
                }
            }
        }
        List<Chunk> moved = new ArrayList<>(keys.size());
        List<Chunk> stay = new ArrayList<>(1);
        for (long k : keys) {
            one.setLong(1, k);
            try (ResultSet rs = one.executeQuery()) {
                rs.next();
                Chunk c = verified(rs);
                if (c.firstSeq() < fromSeq) {
                    int below = (int) (fromSeq - c.firstSeq());
                    byte[] head = java.util.Arrays.copyOfRange(c.data(), 0, below * SAMPLE_BYTES);
                    byte[] tail = java.util.Arrays.copyOfRange(c.data(), below * SAMPLE_BYTES, c.data().length);
                    stay.add(new Chunk(
                            c.firstSeq(),
                            fromSeq - 1,
                            c.firstT(),
                            (long) LONGS.get(head, head.length - SAMPLE_BYTES),
                            head,
                            null));
                    moved.add(new Chunk(fromSeq, c.lastSeq(), (long) LONGS.get(tail, 0), c.lastT(), tail, null));
                } else {
                    moved.add(c);
                }
            }
        }
        // delete first, then insert: the new keys may overlap old ones (delta smaller than the span)
        for (long k : keys) {
            deleteOne.setLong(1, k);
            deleteOne.executeUpdate();
        }
        for (Chunk c : stay) {
            write(c.firstSeq(), c.lastSeq(), c.firstT(), c.lastT(), c.data());
        }
        for (Chunk c : moved) {
            write(c.firstSeq() + delta, c.lastSeq() + delta, c.firstT(), c.lastT(), c.data());
        }
    }

    private void write(long f, long l, long firstT, long lastT, byte[] data) throws SQLException {
        insert.setLong(1, f);
        insert.setLong(2, l);
        insert.setLong(3, firstT);
        insert.setLong(4, lastT);
        insert.setBytes(5, data);
        insert.setLong(6, crc(f, l, firstT, lastT, data));
        insert.executeUpdate();
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
        write(first.seq(), last.seq(), first.captureTimeMs(), last.captureTimeMs(), pack(c));
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
                Chunk c = verified(rs);
                unpack(c.firstSeq(), c.data(), fromSeq, max, out);
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
                Chunk c = verified(rs);
                firstOfChunk = c.firstSeq();
                unpack(firstOfChunk, c.data(), upTo + 1, Integer.MAX_VALUE, keep);
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
                Chunk c = verified(rs);
                long f = c.firstSeq();
                chunks.add(new long[] {f});
                unpack(f, c.data(), f, Integer.MAX_VALUE, all);
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
