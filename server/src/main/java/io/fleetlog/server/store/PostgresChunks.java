package io.fleetlog.server.store;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The PostgreSQL side of the chunk layout ({@link Chunks}): the SQL that merges the {@code samples}
 * tail into {@code sample_chunks} (schema: {@code db/postgresql/V7__chunks.sql}) and reads it. Every
 * method runs in the caller's transaction; the merge holds the vehicle's row lock, as appends do, so
 * a merge and an append of one vehicle never interleave.
 */
final class PostgresChunks {
    private PostgresChunks() {}

    /** Tail rows one merge step moves at most (20 minutes at 50 Hz). */
    static final int MAX_MERGE_ROWS = 60_000;

    /** Chunk rows {@code (window_ms, data)} of windows {@code [fromWindow, toMs)}, for {@link Chunks#chunks}. */
    static final String SCAN = "SELECT window_ms, data FROM sample_chunks WHERE vehicle_id = ? AND window_ms >= ?"
            + " AND window_ms < ? ORDER BY window_ms, first_seq";

    /** The sealed tail rows a merge step takes, and the days their chunks need partitions for. */
    record Sealed(Map<Long, List<Sample>> byWindow, int rows, Sample first, Sample last) {
        Set<Long> days() {
            Set<Long> out = new TreeSet<>();
            for (long w : byWindow.keySet()) {
                out.add(Math.floorDiv(w, SampleStore.DAY_MS));
            }
            return out;
        }
    }

    /** The vehicle's oldest tail rows captured before {@code sealBefore}, at most {@link #MAX_MERGE_ROWS}. */
    static Sealed sealed(Connection c, int id, String vin, long sealBefore) throws SQLException {
        Map<Long, List<Sample>> byWindow = new TreeMap<>();
        Sample first = null;
        Sample last = null;
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, capture_ms, data FROM samples WHERE vehicle_id = ?"
                + " AND capture_ms < ? ORDER BY capture_ms, seq LIMIT ?")) {
            ps.setInt(1, id);
            ps.setLong(2, sealBefore);
            ps.setInt(3, MAX_MERGE_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Sample s = SampleRows.read(rs, vin);
                    byWindow.computeIfAbsent(Chunks.window(s.captureTimeMs()), w -> new ArrayList<>())
                            .add(s);
                    first = first == null ? s : first;
                    last = s;
                    rows++;
                }
            }
        }
        return new Sealed(byWindow, rows, first, last);
    }

    /**
     * Replaces the chunks of the windows of {@code sealed} with the union of their frames and the
     * sealed rows, encoded over {@code cat}, and deletes those rows. Needs the chunk partitions of
     * {@link Sealed#days()}.
     */
    static void merge(
            Connection c, int id, String vin, Sealed sealed, Catalogue cat, Function<String, Catalogue> catalogues)
            throws SQLException {
        Long[] windows = sealed.byWindow().keySet().toArray(new Long[0]);
        Map<Long, List<Sample>> existing = new HashMap<>();
        Array ws = c.createArrayOf("bigint", windows);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT window_ms, data FROM sample_chunks WHERE vehicle_id = ? AND window_ms = ANY(?)")) {
            ps.setInt(1, id);
            ps.setArray(2, ws);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long w = rs.getLong(1);
                    existing.computeIfAbsent(w, x -> new ArrayList<>())
                            .addAll(Chunks.decode(rs.getBytes(2), catalogues, vin, w));
                }
            }
        }
        if (!existing.isEmpty()) {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sample_chunks WHERE vehicle_id = ? AND window_ms = ANY(?)")) {
                ps.setInt(1, id);
                ps.setArray(2, ws);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO sample_chunks (vehicle_id, window_ms, first_seq,"
                + " last_seq, first_ms, last_ms, frames, data) VALUES (?,?,?,?,?,?,?,?)")) {
            for (Map.Entry<Long, List<Sample>> w : sealed.byWindow().entrySet()) {
                for (Chunks.Chunk ch :
                        Chunks.encode(cat, Chunks.union(existing.getOrDefault(w.getKey(), List.of()), w.getValue()))) {
                    ins.setInt(1, id);
                    ins.setLong(2, ch.windowMs());
                    ins.setLong(3, ch.firstSeq());
                    ins.setLong(4, ch.lastSeq());
                    ins.setLong(5, ch.firstMs());
                    ins.setLong(6, ch.lastMs());
                    ins.setInt(7, ch.frames());
                    ins.setBytes(8, ch.data());
                    ins.addBatch();
                }
            }
            ins.executeBatch();
        }
        deleteRows(c, id, vin, sealed);
    }

    /** Deletes exactly the sealed rows: every tail row up to the last one read, in (capture_ms, seq) order. */
    private static void deleteRows(Connection c, int id, String vin, Sealed sealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM samples WHERE vehicle_id = ? AND capture_ms >= ?"
                + " AND capture_ms <= ? AND (capture_ms, seq) <= (?, ?)")) {
            ps.setInt(1, id);
            ps.setLong(2, sealed.first().captureTimeMs());
            ps.setLong(3, sealed.last().captureTimeMs());
            ps.setLong(4, sealed.last().captureTimeMs());
            ps.setLong(5, sealed.last().seq());
            int n = ps.executeUpdate();
            if (n != sealed.rows()) {
                // Cannot happen while the vehicle's row is locked; refuse rather than lose a row.
                throw new StoreException("merge of " + vin + " read " + sealed.rows() + " tail rows but would delete "
                        + n + "; rolled back");
            }
        }
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
}
