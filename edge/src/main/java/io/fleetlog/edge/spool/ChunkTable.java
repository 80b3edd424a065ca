package io.fleetlog.edge.spool;

import io.fleetlog.frame.Frame;
import io.fleetlog.frame.FrameRecords;
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
 *   <caption>samples (format version 3)</caption>
 *   <tr><th>column</th><th>meaning</th></tr>
 *   <tr><td>{@code first_seq INTEGER PRIMARY KEY}</td><td>seq of the chunk's first sample</td></tr>
 *   <tr><td>{@code last_seq INTEGER NOT NULL}</td><td>seq of its last sample; the chunk holds every
 *       seq in between (chunks never overlap; holes lie between chunks)</td></tr>
 *   <tr><td>{@code first_t}, {@code last_t INTEGER NOT NULL}</td><td>capture times (epoch ms) of the
 *       first and last sample</td></tr>
 *   <tr><td>{@code data BLOB NOT NULL}</td><td>the chunk's frames in seq order as {@link
 *       FrameRecords#encodeAll} writes them: any signals by catalogue id, numbers as their exact
 *       double bits, integers, enums, booleans, positions, strings, unavailable and omitted marks
 *       (versions 1 and 2: {@link #LEGACY_SAMPLE_BYTES} = 72 bytes per sample, capture time int64
 *       then the 8 legacy values float64, little-endian)</td></tr>
 *   <tr><td>{@code crc INTEGER}</td><td>CRC-32C (since format version 2) over {@code first_seq},
 *       {@code last_seq}, {@code first_t}, {@code last_t} (each int64 little-endian) and then
 *       {@code data}; checked on every read</td></tr>
 * </table>
 *
 * <p>A chunk whose checksum, frame records, frame count or times do not match (bit rot, a bad flash
 * page, a hand edit) is never returned: every read that meets one throws {@link CorruptChunk}, and the
 * spool moves the row as it is into the {@code quarantined} table ({@link #quarantine}) and retries. A
 * chunk that is rewritten (an ack, drop or reject ending inside it, a renumbering) is verified first,
 * so a rewrite never gives rotten bytes a fresh checksum.
 *
 * <p>One row per chunk instead of one per sample because every row costs SQLite B-tree work and
 * every bound or read column a JNI call in sqlite-jdbc; per-sample work is then plain Java. Deleting
 * part of a chunk (an ack, a drop or a reject that ends inside it) rewrites that one chunk. Used only
 * on the spool thread, inside the caller's transaction.
 */
final class ChunkTable {
    static final int CHUNK_SAMPLES = 512;
    /** Bytes per sample in a version-1 or version-2 chunk. */
    static final int LEGACY_SAMPLE_BYTES = Long.BYTES + Field.COUNT * Double.BYTES;

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
        /**
         * Verifies the row — checksum, frame-record structure, frame count, first and last capture
         * time — and indexes its frames (none is decoded yet).
         *
         * @throws CorruptChunk naming what does not match
         */
        FrameIndex index() {
            if (crc == null) {
                throw corrupt("no checksum");
            }
            long computed = ChunkTable.crc(firstSeq, lastSeq, firstT, lastT, data);
            if (computed != crc) {
                throw corrupt("checksum mismatch (stored 0x" + Long.toHexString(crc) + ", computed 0x"
                        + Long.toHexString(computed) + ")");
            }
            long n = lastSeq - firstSeq + 1;
            if (data == null || n < 1 || n > CHUNK_SAMPLES) {
                throw corrupt("seqs " + firstSeq + ".." + lastSeq + " are not a chunk of 1 to " + CHUNK_SAMPLES);
            }
            FrameIndex ix;
            try {
                ix = FrameIndex.of(data, CHUNK_SAMPLES);
            } catch (FrameRecords.FrameFormatException e) {
                throw corrupt("data is not frame records: " + e.getMessage());
            }
            if (ix.size() != n) {
                throw corrupt(
                        "seqs " + firstSeq + ".." + lastSeq + " do not match the " + ix.size() + " frames of its data");
            }
            if (ix.time(0) != firstT || ix.time(ix.size() - 1) != lastT) {
                throw corrupt("first_t/last_t do not match the frames' capture times");
            }
            return ix;
        }

        /** Verifies the row and decodes its frames {@code from} (inclusive) to {@code to}. */
        List<Frame> frames(int from, int to) {
            FrameIndex ix = index();
            try {
                return FrameRecords.decodeAll(ix.slice(from, to));
            } catch (FrameRecords.FrameFormatException e) {
                throw corrupt("data is not frame records: " + e.getMessage());
            }
        }

        /** Verifies the row and decodes all its frames. */
        List<Frame> frames() {
            return frames(0, (int) claimed());
        }

        /** Why this row cannot be trusted, or {@code null} when it verifies. */
        String problem() {
            try {
                frames();
                return null;
            } catch (CorruptChunk c) {
                return c.problem;
            }
        }

        private CorruptChunk corrupt(String problem) {
            return new CorruptChunk(firstSeq, lastSeq, problem);
        }

        /** Samples claimed by the row (what {@code depth} counted for it). */
        long claimed() {
            return lastSeq - firstSeq + 1;
        }

        /** The verified samples of the row, in seq order. */
        List<Sample> samples() {
            List<Frame> frames = frames();
            List<Sample> out = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                out.add(new Sample(firstSeq + i, frames.get(i)));
            }
            return out;
        }
    }

    private static Chunk read(ResultSet rs) throws SQLException {
        long crc = rs.getLong(6);
        Long c = rs.wasNull() ? null : crc;
        return new Chunk(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5), c);
    }

    /** Verifies the row at {@code firstSeq} (throws {@link CorruptChunk}); false when there is none. */
    boolean verify(long firstSeq) throws SQLException {
        one.setLong(1, firstSeq);
        try (ResultSet rs = one.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            read(rs).index();
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
        List<Sample> stay = new ArrayList<>();
        List<List<Sample>> moved = new ArrayList<>(keys.size());
        for (long k : keys) {
            one.setLong(1, k);
            try (ResultSet rs = one.executeQuery()) {
                rs.next();
                List<Sample> all = read(rs).samples(); // verified before it gets a fresh checksum
                List<Sample> move = new ArrayList<>(all.size());
                for (Sample s : all) {
                    if (s.seq() < fromSeq) {
                        stay.add(s);
                    } else {
                        move.add(s.withSeq(s.seq() + delta));
                    }
                }
                moved.add(move);
            }
        }
        // delete first, then insert: the new keys may overlap old ones (delta smaller than the span)
        for (long k : keys) {
            deleteOne.setLong(1, k);
            deleteOne.executeUpdate();
        }
        if (!stay.isEmpty()) {
            insert(stay);
        }
        for (List<Sample> m : moved) {
            insert(m);
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
                Chunk c = read(rs);
                int n = (int) c.claimed();
                int from = fromSeq <= c.firstSeq() ? 0 : (int) Math.min(n, fromSeq - c.firstSeq());
                int to = (int) Math.min(n, (long) from + (max - out.size()));
                if (from < to) {
                    List<Frame> frames = c.frames(from, to); // only the frames asked for are decoded
                    for (int i = 0; i < frames.size(); i++) {
                        out.add(new Sample(c.firstSeq() + from + i, frames.get(i)));
                    }
                }
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
        try (ResultSet rs = straddling.executeQuery()) {
            if (rs.next()) {
                // the tail after upTo is rewritten as it is (verified first: rotten bytes never get a
                // fresh checksum), its bytes copied, not decoded and encoded again
                Chunk c = read(rs);
                FrameIndex ix = c.index();
                int k = (int) (upTo + 1 - c.firstSeq());
                deleteOne.setLong(1, c.firstSeq());
                deleteOne.executeUpdate();
                write(upTo + 1, c.lastSeq(), ix.time(k), c.lastT(), ix.slice(k, ix.size()));
                n += k;
            }
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
        List<Long> chunks = new ArrayList<>();
        List<Sample> all = new ArrayList<>();
        try (ResultSet rs = overlapping.executeQuery()) {
            while (rs.next()) {
                Chunk c = read(rs);
                chunks.add(c.firstSeq());
                all.addAll(c.samples());
            }
        }
        List<Sample> removed = new ArrayList<>();
        List<Sample> before = new ArrayList<>();
        List<Sample> after = new ArrayList<>();
        for (Sample s : all) {
            (s.seq() < first ? before : s.seq() > last ? after : removed).add(s);
        }
        for (long c : chunks) {
            deleteOne.setLong(1, c);
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

    /** The {@code data} of a chunk of consecutive samples. */
    static byte[] pack(List<Sample> c) {
        List<Frame> frames = new ArrayList<>(c.size());
        for (Sample s : c) {
            frames.add(s.frame());
        }
        return FrameRecords.encodeAll(frames);
    }

    // ---- versions 1 and 2

    /**
     * Format 1 → 2: adds the {@code crc} column, computed over the rows as they are now (they were
     * never checksummed, so this is the last moment they can be vouched for), and the quarantine.
     */
    static void migrateFromVersion1(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("ALTER TABLE samples ADD COLUMN crc INTEGER");
            createQuarantine(st);
        }
        try (PreparedStatement read = db.prepareStatement(
                        "SELECT first_seq, last_seq, first_t, last_t, data FROM samples WHERE first_seq = ?");
                PreparedStatement write = db.prepareStatement("UPDATE samples SET crc = ? WHERE first_seq = ?")) {
            for (long k : keys(db)) {
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

    /**
     * Format 2 → 3, inside the caller's transaction: every chunk of 72-byte legacy samples is verified
     * against its version-2 checksum and rewritten as frame records of the 7 legacy signals (the
     * values exactly, NaN as unavailable) with a fresh checksum. A chunk that fails its old checksum or
     * layout is moved as found to {@code quarantined} (never given a fresh checksum). Returns the
     * samples so quarantined.
     */
    static long migrateFromVersion2(Connection db, long nowMs) throws SQLException {
        long quarantined = 0;
        try (PreparedStatement read = db.prepareStatement("SELECT " + COLUMNS + " FROM samples WHERE first_seq = ?");
                PreparedStatement write =
                        db.prepareStatement("UPDATE samples SET data = ?, crc = ? WHERE first_seq = ?");
                PreparedStatement toQuarantine = db.prepareStatement("INSERT INTO quarantined (first_seq, last_seq,"
                        + " first_t, last_t, data, crc, reason, quarantined_ms) SELECT first_seq, last_seq, first_t,"
                        + " last_t, data, crc, ?, ? FROM samples WHERE first_seq = ?");
                PreparedStatement delete = db.prepareStatement("DELETE FROM samples WHERE first_seq = ?")) {
            for (long k : keys(db)) {
                read.setLong(1, k);
                Chunk c;
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    c = read(rs);
                }
                String problem = legacyProblem(c);
                if (problem != null) {
                    toQuarantine.setString(
                            1,
                            "chunk at seqs " + c.firstSeq() + ".." + c.lastSeq() + ": " + problem
                                    + " (found converting the spool to format 3; kept in the version-2 layout)");
                    toQuarantine.setLong(2, nowMs);
                    toQuarantine.setLong(3, k);
                    toQuarantine.executeUpdate();
                    delete.setLong(1, k);
                    delete.executeUpdate();
                    quarantined += c.claimed();
                    continue;
                }
                byte[] data = pack(legacyUnpack(c.firstSeq(), c.data()));
                write.setBytes(1, data);
                write.setLong(2, crc(c.firstSeq(), c.lastSeq(), c.firstT(), c.lastT(), data));
                write.setLong(3, k);
                write.executeUpdate();
            }
        }
        return quarantined;
    }

    private static List<Long> keys(Connection db) throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT first_seq FROM samples ORDER BY first_seq")) {
            while (rs.next()) {
                keys.add(rs.getLong(1));
            }
        }
        return keys;
    }

    /** Why a version-2 row cannot be trusted, or null. */
    static String legacyProblem(Chunk c) {
        if (c.crc() == null) {
            return "no checksum";
        }
        long computed = crc(c.firstSeq(), c.lastSeq(), c.firstT(), c.lastT(), c.data());
        if (computed != c.crc()) {
            return "checksum mismatch (stored 0x" + Long.toHexString(c.crc()) + ", computed 0x"
                    + Long.toHexString(computed) + ")";
        }
        byte[] data = c.data();
        long n = c.claimed();
        if (data == null || n < 1 || n > CHUNK_SAMPLES || data.length != n * LEGACY_SAMPLE_BYTES) {
            return "seqs " + c.firstSeq() + ".." + c.lastSeq() + " do not match " + (data == null ? 0 : data.length)
                    + " bytes of data";
        }
        if ((long) LONGS.get(data, 0) != c.firstT()
                || (long) LONGS.get(data, data.length - LEGACY_SAMPLE_BYTES) != c.lastT()) {
            return "first_t/last_t do not match the samples' capture times";
        }
        for (int o = 0; o < data.length; o += LEGACY_SAMPLE_BYTES) {
            for (int f = 0; f < Field.COUNT; f++) {
                if (Double.isInfinite((double) DOUBLES.get(data, o + Long.BYTES + f * Double.BYTES))) {
                    return "an infinite value at byte " + (o + Long.BYTES + f * Double.BYTES);
                }
            }
        }
        return null;
    }

    /** The legacy samples of a version-1/2 chunk (72 bytes each; NaN = unavailable). */
    static List<Sample> legacyUnpack(long firstSeq, byte[] b) {
        List<Sample> out = new ArrayList<>(b.length / LEGACY_SAMPLE_BYTES);
        for (int o = 0; o + LEGACY_SAMPLE_BYTES <= b.length; o += LEGACY_SAMPLE_BYTES) {
            double[] v = new double[Field.COUNT];
            for (int f = 0; f < Field.COUNT; f++) {
                v[f] = (double) DOUBLES.get(b, o + Long.BYTES + f * Double.BYTES);
            }
            out.add(new Sample(firstSeq + out.size(), (long) LONGS.get(b, o), v));
        }
        return out;
    }

    /** A version-1/2 chunk's data (tests write old spools with it). */
    static byte[] legacyPack(List<Sample> c) {
        byte[] b = new byte[c.size() * LEGACY_SAMPLE_BYTES];
        int o = 0;
        for (Sample s : c) {
            LONGS.set(b, o, s.captureTimeMs());
            double[] v = s.values();
            for (int f = 0; f < Field.COUNT; f++) {
                DOUBLES.set(b, o + Long.BYTES + f * Double.BYTES, v[f]);
            }
            o += LEGACY_SAMPLE_BYTES;
        }
        return b;
    }
}
