package io.fleetlog.server.store;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The SQLite side of the chunk layout ({@link Chunks}): the {@code sample_chunks} table and the SQL
 * that merges the {@code frames} tail into it and reads it. Every method runs inside the caller's
 * transaction on the caller's connection (the merge on the writer's, so it is serialised with appends).
 *
 * <table>
 *   <caption>sample_chunks (a rowid table: chunks are kilobytes, too wide for WITHOUT ROWID)</caption>
 *   <tr><th>column</th><th>meaning</th></tr>
 *   <tr><td>vehicle_id</td><td>vehicles.id</td></tr>
 *   <tr><td>window_ms</td><td>start of the chunk's one-minute capture-time window; unique index
 *       (vehicle_id, window_ms, first_seq)</td></tr>
 *   <tr><td>first_seq, last_seq</td><td>lowest and highest seq of the chunk (holes possible)</td></tr>
 *   <tr><td>first_ms, last_ms</td><td>earliest and latest capture time of the chunk</td></tr>
 *   <tr><td>frames</td><td>number of frames; {@code last_seq - first_seq + 1} when it has no hole</td></tr>
 *   <tr><td>data</td><td>{@link io.fleetlog.chunk.FrameChunk} bytes</td></tr>
 * </table>
 */
final class SqliteChunks {
    private SqliteChunks() {}

    static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS sample_chunks(vehicle_id INTEGER NOT NULL, window_ms INTEGER NOT NULL,"
                + " first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, first_ms INTEGER NOT NULL,"
                + " last_ms INTEGER NOT NULL, frames INTEGER NOT NULL, data BLOB NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS sample_chunks_key ON sample_chunks(vehicle_id, window_ms, first_seq)"
    };

    /** Tail rows one merge step moves at most (20 minutes at 50 Hz). */
    static final int MAX_MERGE_ROWS = 60_000;

    /** Chunk rows {@code (window_ms, data)} of windows {@code [fromWindow, toMs)}, for {@link Chunks#chunks}. */
    static final String SCAN = "SELECT window_ms, data FROM sample_chunks WHERE vehicle_id = ? AND window_ms >= ?"
            + " AND window_ms < ? ORDER BY window_ms, first_seq";

    /**
     * Moves the vehicle's oldest tail rows captured before {@code sealBefore} (at most {@link
     * #MAX_MERGE_ROWS}) into chunks: per window the union with the chunks it already has, re-encoded
     * over {@code cat}; then deletes those rows and the replaced chunks. Returns the rows moved.
     */
    static long merge(
            Connection c, int id, String vin, long sealBefore, Catalogue cat, Function<String, Catalogue> catalogues)
            throws SQLException {
        Map<Long, List<Sample>> tail = new TreeMap<>();
        long lastSeq = Long.MIN_VALUE;
        int rows = 0;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT seq, t, data FROM frames WHERE vehicle_id = ? ORDER BY seq LIMIT ?")) {
            ps.setInt(1, id);
            ps.setInt(2, MAX_MERGE_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                // capture time grows with seq: the sealed rows are a prefix of the tail
                while (rs.next() && rs.getLong(2) < sealBefore) {
                    Sample s = SampleRows.read(rs, vin);
                    tail.computeIfAbsent(Chunks.window(s.captureTimeMs()), w -> new ArrayList<>())
                            .add(s);
                    lastSeq = s.seq();
                    rows++;
                }
            }
        }
        if (rows == 0) {
            return 0;
        }
        Map<Long, List<Sample>> existing = existingChunks(c, id, vin, tail, catalogues);
        try (PreparedStatement delChunks =
                        c.prepareStatement("DELETE FROM sample_chunks WHERE vehicle_id = ? AND window_ms = ?");
                PreparedStatement ins = c.prepareStatement("INSERT INTO sample_chunks(vehicle_id, window_ms,"
                        + " first_seq, last_seq, first_ms, last_ms, frames, data) VALUES (?,?,?,?,?,?,?,?)")) {
            for (Map.Entry<Long, List<Sample>> w : tail.entrySet()) {
                List<Sample> old = existing.getOrDefault(w.getKey(), List.of());
                if (!old.isEmpty()) {
                    delChunks.setInt(1, id);
                    delChunks.setLong(2, w.getKey());
                    delChunks.executeUpdate();
                }
                for (Chunks.Chunk ch : Chunks.encode(cat, Chunks.union(old, w.getValue()))) {
                    bind(ins, id, ch);
                    ins.executeUpdate();
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM frames WHERE vehicle_id = ? AND seq <= ?")) {
            del.setInt(1, id);
            del.setLong(2, lastSeq);
            del.executeUpdate();
        }
        return rows;
    }

    private static void bind(PreparedStatement ins, int id, Chunks.Chunk ch) throws SQLException {
        ins.setInt(1, id);
        ins.setLong(2, ch.windowMs());
        ins.setLong(3, ch.firstSeq());
        ins.setLong(4, ch.lastSeq());
        ins.setLong(5, ch.firstMs());
        ins.setLong(6, ch.lastMs());
        ins.setInt(7, ch.frames());
        ins.setBytes(8, ch.data());
    }

    /** The decoded frames of the chunks of the windows of {@code tail}, per window. */
    private static Map<Long, List<Sample>> existingChunks(
            Connection c, int id, String vin, Map<Long, List<Sample>> tail, Function<String, Catalogue> catalogues)
            throws SQLException {
        Map<Long, List<Sample>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT window_ms, data FROM sample_chunks WHERE vehicle_id = ? AND window_ms = ?")) {
            for (long w : tail.keySet()) {
                ps.setInt(1, id);
                ps.setLong(2, w);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(w, x -> new ArrayList<>())
                                .addAll(Chunks.decode(rs.getBytes(2), catalogues, vin, w));
                    }
                }
            }
        }
        return out;
    }

    /** The seqs of {@code [fromSeq, toSeq]} that chunks of windows {@code [fromMs, toMs]} hold. */
    static LongPredicate chunkedSeqs(
            Connection c,
            int id,
            String vin,
            long fromSeq,
            long toSeq,
            long fromMs,
            long toMs,
            Function<String, Catalogue> catalogues)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, last_seq, frames, window_ms, data"
                + " FROM sample_chunks WHERE vehicle_id = ? AND window_ms >= ? AND window_ms <= ?"
                + " AND first_seq <= ? AND last_seq >= ?")) {
            ps.setInt(1, id);
            ps.setLong(2, Chunks.windowFloor(fromMs));
            ps.setLong(3, toMs);
            ps.setLong(4, toSeq);
            ps.setLong(5, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
                return Chunks.seqsOf(rs, catalogues, vin);
            }
        }
    }

    /** Chunk frames with {@code fromSeq <= seq <= toSeq} and {@code fromMs <= t <= toMs}. */
    static List<Sample> stored(
            Connection c,
            int id,
            String vin,
            long fromSeq,
            long toSeq,
            long fromMs,
            long toMs,
            Function<String, Catalogue> catalogues)
            throws SQLException {
        List<Sample> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT window_ms, data FROM sample_chunks WHERE vehicle_id = ?"
                + " AND window_ms >= ? AND window_ms <= ? AND first_seq <= ? AND last_seq >= ?")) {
            ps.setInt(1, id);
            ps.setLong(2, Chunks.windowFloor(fromMs));
            ps.setLong(3, toMs);
            ps.setLong(4, toSeq);
            ps.setLong(5, fromSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (Sample s : Chunks.decode(rs.getBytes(2), catalogues, vin, rs.getLong(1))) {
                        if (s.seq() >= fromSeq
                                && s.seq() <= toSeq
                                && s.captureTimeMs() >= fromMs
                                && s.captureTimeMs() <= toMs) {
                            out.add(s);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Retention: deletes the vehicle's chunks of windows before {@code cutoffMs}; returns their frames. */
    static long purge(Connection c, int id, long cutoffMs) throws SQLException {
        long frames;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(sum(frames), 0) FROM sample_chunks WHERE vehicle_id = ? AND window_ms < ?")) {
            ps.setInt(1, id);
            ps.setLong(2, cutoffMs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                frames = rs.getLong(1);
            }
        }
        if (frames > 0) {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sample_chunks WHERE vehicle_id = ? AND window_ms < ?")) {
                ps.setInt(1, id);
                ps.setLong(2, cutoffMs);
                ps.executeUpdate();
            }
        }
        return frames;
    }
}
