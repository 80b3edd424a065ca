package io.fleetlog.server.store;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.chunk.ChunkFormatException;
import io.fleetlog.chunk.FrameChunk;
import io.fleetlog.sample.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The chunk layout shared by both stores: which frames go into one chunk, and how readers merge
 * chunks with the row tail. A chunk holds frames of one vehicle whose capture times fall in one
 * {@link #WINDOW_MS} window (a window never crosses a UTC day, so retention stays a day drop), in seq
 * order, encoded with {@link FrameChunk} over the vehicle's catalogue at merge time (the chunk's header
 * names it; the format is lossless over any catalogue). A window normally holds one chunk; more only
 * past {@link #MAX_FRAMES} frames or {@link #MAX_ENTRIES} entries, then with disjoint seq ranges.
 * Stateless; thread-safe.
 */
final class Chunks {
    private Chunks() {}

    /** Capture time one chunk covers at most (ms): one minute, 3,000 frames at 50 Hz. */
    static final long WINDOW_MS = 60_000;

    /**
     * A window is sealed (merged) once the vehicle's newest capture time is this far past its end (ms),
     * so frames arriving a little late still land in the tail.
     */
    static final long SEAL_LAG_MS = 60_000;

    /** Frames in one chunk at most (a window at 50 Hz holds 3,000). */
    static final int MAX_FRAMES = 16_384;

    /** Entries (captured values) in one chunk at most: half the format's limit. */
    static final long MAX_ENTRIES = FrameChunk.MAX_ENTRIES / 2;

    /** Orders samples as every read returns them: capture time, then seq. */
    static final Comparator<Sample> TIME_SEQ =
            Comparator.comparingLong(Sample::captureTimeMs).thenComparingLong(Sample::seq);

    /** One encoded chunk, as a row of {@code sample_chunks}. */
    record Chunk(long windowMs, long firstSeq, long lastSeq, long firstMs, long lastMs, int frames, byte[] data) {}

    /** The start of the window of capture time {@code t} (ms). */
    static long window(long t) {
        return Math.floorDiv(t, WINDOW_MS) * WINDOW_MS;
    }

    /** The lowest window start a read from {@code t} must look at, without overflow at the extremes. */
    static long windowFloor(long t) {
        return t < Long.MIN_VALUE + WINDOW_MS ? Long.MIN_VALUE : window(t);
    }

    /**
     * The first window start that is not sealed yet for a vehicle whose newest capture time is {@code
     * lastCaptureMs}: windows starting before it end at least {@link #SEAL_LAG_MS} before that time.
     */
    static long sealedBefore(long lastCaptureMs) {
        return window(lastCaptureMs - SEAL_LAG_MS);
    }

    /**
     * Encodes {@code samples} (unique seqs, any order) over {@code cat}: grouped by window, in seq order
     * within each, split past the limits.
     */
    static List<Chunk> encode(Catalogue cat, List<Sample> samples) {
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingLong((Sample s) -> window(s.captureTimeMs()))
                .thenComparingLong(Sample::seq));
        List<Chunk> out = new ArrayList<>();
        int start = 0;
        long entries = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Sample s = sorted.get(i);
            boolean newWindow = i > start
                    && window(s.captureTimeMs()) != window(sorted.get(start).captureTimeMs());
            if (newWindow || i - start == MAX_FRAMES || entries + s.frame().size() > MAX_ENTRIES) {
                out.add(chunk(cat, sorted.subList(start, i)));
                start = i;
                entries = 0;
            }
            entries += s.frame().size();
        }
        if (start < sorted.size()) {
            out.add(chunk(cat, sorted.subList(start, sorted.size())));
        }
        return out;
    }

    private static Chunk chunk(Catalogue cat, List<Sample> frames) {
        long firstMs = Long.MAX_VALUE;
        long lastMs = Long.MIN_VALUE;
        for (Sample s : frames) {
            firstMs = Math.min(firstMs, s.captureTimeMs());
            lastMs = Math.max(lastMs, s.captureTimeMs());
        }
        return new Chunk(
                window(frames.get(0).captureTimeMs()),
                frames.get(0).seq(),
                frames.get(frames.size() - 1).seq(),
                firstMs,
                lastMs,
                frames.size(),
                FrameChunk.encode(cat, frames));
    }

    /**
     * The union of a window's chunk frames and its sealed tail rows, by seq. A tail row whose seq a
     * chunk already holds cannot exist (appends check chunks first); were it there, the chunk's frame
     * is kept, so a merge never changes a stored frame.
     */
    static List<Sample> union(List<Sample> chunkFrames, List<Sample> tail) {
        TreeMap<Long, Sample> bySeq = new TreeMap<>();
        for (Sample s : tail) {
            bySeq.put(s.seq(), s);
        }
        for (Sample s : chunkFrames) {
            bySeq.put(s.seq(), s);
        }
        return new ArrayList<>(bySeq.values());
    }

    /** The SHA-256 hex of the catalogue a chunk was written over, from its header. */
    static String catalogueHash(byte[] chunk) {
        if (chunk.length < FrameChunk.HEADER_BYTES) {
            throw new StoreException("stored chunk of " + chunk.length + " bytes is shorter than its header");
        }
        return HexFormat.of().formatHex(Arrays.copyOfRange(chunk, 5, 37));
    }

    /** Decodes a stored chunk over the catalogue its header names; damage is a StoreException. */
    static List<Sample> decode(byte[] chunk, Function<String, Catalogue> catalogues, String vin, long windowMs) {
        try {
            return FrameChunk.decode(catalogues.apply(catalogueHash(chunk)), chunk);
        } catch (ChunkFormatException e) {
            throw new StoreException(
                    "stored chunk of " + vin + " at window " + windowMs + " ms (" + chunk.length
                            + " bytes) does not read back: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The seqs held by chunks, from rows {@code (first_seq, last_seq, frames, window_ms, data)}: a chunk
     * without holes counts as its range (no decoding), others are decoded.
     */
    static LongPredicate seqsOf(ResultSet rs, Function<String, Catalogue> catalogues, String vin) throws SQLException {
        List<long[]> ranges = new ArrayList<>();
        Set<Long> seqs = new HashSet<>();
        while (rs.next()) {
            long first = rs.getLong(1);
            long last = rs.getLong(2);
            if (last - first + 1 == rs.getLong(3)) {
                ranges.add(new long[] {first, last});
            } else {
                for (Sample s : decode(rs.getBytes(5), catalogues, vin, rs.getLong(4))) {
                    seqs.add(s.seq());
                }
            }
        }
        return seq -> {
            for (long[] r : ranges) {
                if (seq >= r[0] && seq <= r[1]) {
                    return true;
                }
            }
            return seqs.contains(seq);
        };
    }

    /** A source of samples in {@link #TIME_SEQ} order; {@code null} at the end. */
    interface Cursor {
        Sample next() throws SQLException;
    }

    /** Tail rows {@code (seq, t, data)} of a result set, in the order of its query. */
    static Cursor rows(ResultSet rs, String vin) {
        return () -> rs.next() ? SampleRows.read(rs, vin) : null;
    }

    /**
     * The frames of chunk rows {@code (window_ms, data)} ordered by window, decoded one window at a
     * time (memory: one window's chunks; an append writes its frames as a small chunk, so a window not
     * compacted yet holds several, whose seq and time spans may overlap after a backfill), each window
     * in {@link #TIME_SEQ} order.
     */
    static Cursor chunks(ResultSet rs, Function<String, Catalogue> catalogues, String vin) {
        return new Cursor() {
            private List<Sample> current = List.of();
            private int next;
            private boolean onRow; // rs stands on a row not decoded yet
            private boolean done;

            @Override
            public Sample next() throws SQLException {
                while (next == current.size()) {
                    if (done || (!onRow && !rs.next())) {
                        done = true;
                        return null;
                    }
                    long w = rs.getLong(1);
                    List<Sample> window = new ArrayList<>(decode(rs.getBytes(2), catalogues, vin, w));
                    onRow = false;
                    while (rs.next()) {
                        if (rs.getLong(1) != w) {
                            onRow = true;
                            break;
                        }
                        window.addAll(decode(rs.getBytes(2), catalogues, vin, w));
                    }
                    done = !onRow;
                    window.sort(TIME_SEQ);
                    current = window;
                    next = 0;
                }
                return current.get(next++);
            }
        };
    }

    /** {@code samples} without repeated seqs (the first of each kept), in their order. */
    static List<Sample> uniqueSeqs(List<Sample> samples) {
        Set<Long> seen = new HashSet<>(samples.size() * 2);
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            if (seen.add(s.seq())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The lowest window of {@code samples} (not empty). */
    static long minWindow(List<Sample> samples) {
        long t = Long.MAX_VALUE;
        for (Sample s : samples) {
            t = Math.min(t, s.captureTimeMs());
        }
        return window(t);
    }

    /**
     * Streams the merge of two cursors in {@link #TIME_SEQ} order to {@code sink}: only samples with
     * {@code fromMs <= t < toMs}, at most {@code limit}. A seq met in both (never stored so) is given once.
     */
    static void merge(Cursor tail, Cursor chunks, long fromMs, long toMs, long limit, Consumer<Sample> sink)
            throws SQLException {
        Sample a = tail.next();
        Sample b = chunks.next();
        long sent = 0;
        while ((a != null || b != null) && sent < limit) {
            Sample s;
            if (b == null || (a != null && TIME_SEQ.compare(a, b) < 0)) {
                s = a;
                a = tail.next();
            } else {
                if (a != null && a.seq() == b.seq()) {
                    a = tail.next();
                }
                s = b;
                b = chunks.next();
            }
            if (s.captureTimeMs() >= fromMs && s.captureTimeMs() < toMs) {
                sink.accept(s);
                sent++;
            }
        }
    }

    /** Sealed windows one compaction step rewrites at most (20 minutes of one vehicle). */
    static final int MAX_COMPACT_WINDOWS = 20;

    /** Inserts {@code chunks} of vehicle {@code id} into {@code sample_chunks} (SQL both stores share). */
    static void insert(Connection c, int id, List<Chunk> chunks) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO sample_chunks (vehicle_id, window_ms, first_seq,"
                + " last_seq, first_ms, last_ms, frames, data) VALUES (?,?,?,?,?,?,?,?)")) {
            for (Chunk ch : chunks) {
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
            ins.executeBatch();
        }
    }

    /**
     * What one compaction step did: the frames it re-encoded, and the window from which the next step
     * must look ({@code sealBefore} when every sealed window was visited).
     */
    record Compaction(long frames, long nextFrom) {}

    /**
     * Compacts the vehicle's sealed windows {@code [from, sealBefore)} that hold more than one chunk
     * (the small chunks appends wrote): per window, in the caller's transaction, the union of its
     * chunks re-encoded over {@code cat} replaces them. At most {@code maxWindows} windows; a window
     * whose frames need as many chunks as it has (past {@link #MAX_FRAMES}) is left as it is.
     */
    static Compaction compact(
            Connection c,
            int id,
            String vin,
            long from,
            long sealBefore,
            int maxWindows,
            Catalogue cat,
            Function<String, Catalogue> catalogues)
            throws SQLException {
        List<Long> windows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT window_ms FROM sample_chunks WHERE vehicle_id = ?"
                + " AND window_ms >= ? AND window_ms < ? GROUP BY window_ms HAVING count(*) > 1"
                + " ORDER BY window_ms LIMIT ?")) {
            ps.setInt(1, id);
            ps.setLong(2, from);
            ps.setLong(3, sealBefore);
            ps.setInt(4, maxWindows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    windows.add(rs.getLong(1));
                }
            }
        }
        long frames = 0;
        try (PreparedStatement sel =
                        c.prepareStatement("SELECT data FROM sample_chunks WHERE vehicle_id = ? AND window_ms = ?");
                PreparedStatement del =
                        c.prepareStatement("DELETE FROM sample_chunks WHERE vehicle_id = ? AND window_ms = ?")) {
            for (long w : windows) {
                List<Sample> all = new ArrayList<>();
                int old = 0;
                sel.setInt(1, id);
                sel.setLong(2, w);
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        all.addAll(decode(rs.getBytes(1), catalogues, vin, w));
                        old++;
                    }
                }
                List<Chunk> merged = encode(cat, union(all, List.of()));
                if (merged.size() >= old) {
                    continue;
                }
                del.setInt(1, id);
                del.setLong(2, w);
                del.executeUpdate();
                insert(c, id, merged);
                frames += all.size();
            }
        }
        long nextFrom = windows.size() == maxWindows ? windows.get(windows.size() - 1) + WINDOW_MS : sealBefore;
        return new Compaction(frames, nextFrom);
    }
}
