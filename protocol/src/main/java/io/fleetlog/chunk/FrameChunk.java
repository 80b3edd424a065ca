package io.fleetlog.chunk;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A lossless columnar block of one vehicle's frames at rest: {@link #encode} then {@link #decode} gives
 * back the same samples exactly — seqs, capture times, every entry's kind, omitted mark and value bits,
 * strings — in the same order. The catalogue only makes it smaller (a float that is a whole number of
 * its signal's resolution is stored as wire units; an omitted value that replays the v2 codec's
 * prediction is stored as nothing); anything else is stored as raw bits, so no input is refused for
 * not fitting the catalogue.
 *
 * <p>Layout (all multi-byte header fields big-endian; docs/chunks.md has every column):
 *
 * <table>
 *   <caption>Header, {@value #HEADER_BYTES} bytes</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th></tr>
 *   <tr><td>0</td><td>4</td><td>magic {@code FLCK}</td></tr>
 *   <tr><td>4</td><td>1</td><td>format version ({@value #VERSION})</td></tr>
 *   <tr><td>5</td><td>32</td><td>SHA-256 of the catalogue ({@link Catalogue#hash()})</td></tr>
 *   <tr><td>37</td><td>4</td><td>frame count</td></tr>
 *   <tr><td>41</td><td>4</td><td>body length in bytes</td></tr>
 *   <tr><td>45</td><td>4</td><td>CRC-32C of bytes 0..44 and the body</td></tr>
 *   <tr><td>49</td><td>n</td><td>body: seq series, time series, signal count, one column per signal</td></tr>
 * </table>
 *
 * <p>{@link #decode} checks the magic, version, catalogue hash, lengths and CRC before reading the
 * body, then every count against {@link #MAX_FRAMES}, {@link #MAX_ENTRIES} and the bytes left before it
 * allocates; it throws a {@link ChunkFormatException} naming the byte offset and never returns frames
 * other than those encoded. Stateless and thread-safe.
 */
public final class FrameChunk {

    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    /** Bytes before the body. */
    public static final int HEADER_BYTES = 49;
    /** Most frames in one chunk (43 minutes at 50 Hz). */
    public static final int MAX_FRAMES = 131_072;
    /** Most entries (captured signals, summed over the frames) in one chunk. */
    public static final int MAX_ENTRIES = 1 << 23;
    /** Most distinct signal ids (columns) in one chunk. */
    public static final int MAX_SIGNALS = Catalogue.MAX_SIGNALS;
    /** Longest string value in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 65_535;

    private static final byte[] MAGIC = {'F', 'L', 'C', 'K'};
    private static final Frame.Kind[] KINDS = Frame.Kind.values();
    private static final int OMITTED = 0x80;
    private static final int MAX_KIND_SYMBOL = OMITTED | (KINDS.length - 1);
    // how one float or position is stored
    static final int QUANTISED = 0;
    static final int PREDICTED = 1;
    static final int RAW = 2;

    private FrameChunk() {}

    /**
     * The chunk of {@code frames}, in their order (seqs and times need not ascend).
     *
     * @throws IllegalArgumentException for more than {@link #MAX_FRAMES} frames, {@link #MAX_ENTRIES}
     *     entries or {@link #MAX_SIGNALS} signals, or a string longer than {@link #MAX_STRING_BYTES}
     */
    public static byte[] encode(Catalogue cat, List<Sample> frames) {
        int n = frames.size();
        if (n > MAX_FRAMES) {
            throw new IllegalArgumentException("a chunk holds at most " + MAX_FRAMES + " frames, got " + n);
        }
        ChunkOut body = new ChunkOut(64 + n * 16);
        long[] seqs = new long[n];
        long[] times = new long[n];
        Map<Integer, Column> columns = new HashMap<>();
        long entries = 0;
        Sample[] rows = frames.toArray(new Sample[0]);
        for (int row = 0; row < n; row++) {
            Sample s = rows[row];
            seqs[row] = s.seq();
            Frame f = s.frame();
            times[row] = f.timeMs();
            entries += f.size();
            for (int i = 0; i < f.size(); i++) {
                columns.computeIfAbsent(f.id(i), Column::new).add(row, i);
            }
        }
        if (entries > MAX_ENTRIES) {
            throw new IllegalArgumentException(
                    "a chunk holds at most " + MAX_ENTRIES + " entries, " + n + " frames hold " + entries);
        }
        if (columns.size() > MAX_SIGNALS) {
            throw new IllegalArgumentException(
                    "a chunk holds at most " + MAX_SIGNALS + " signals, " + n + " frames hold " + columns.size());
        }
        body.series(seqs, n);
        body.series(times, n);
        int[] ids =
                columns.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        body.varint(ids.length);
        int prev = -1;
        for (int id : ids) {
            body.varint(id - prev - 1L);
            prev = id;
            ColumnCodec.write(body, cat, columns.get(id), rows, n);
        }
        return withHeader(cat, n, body.toArray());
    }

    /**
     * The samples of a chunk written by {@link #encode} over the same catalogue.
     *
     * @throws ChunkFormatException if the bytes are not such a chunk (wrong magic, version or catalogue,
     *     a bad checksum, a truncated or malformed body, a count past a limit); the message says which
     *     and at what byte
     */
    public static List<Sample> decode(Catalogue cat, byte[] bytes) throws ChunkFormatException {
        int n = checkHeader(cat, bytes);
        ChunkIn in = new ChunkIn(bytes, HEADER_BYTES, bytes.length);
        long[] seqs = in.series(n, "seq series");
        long[] times = in.series(n, "time series");
        int signals = in.count(Math.min(MAX_SIGNALS, (long) n * in.left()), "signal count");
        // A row holds at most one entry per column: sized so, no row grows while the columns fill it
        // (up to 16 columns; a frame holding every column is built without a copy).
        int capacity = Math.max(1, Math.min(signals, 16));
        Frame.Builder[] rows = new Frame.Builder[n];
        for (int i = 0; i < n; i++) {
            rows[i] = Frame.builder(times[i], capacity);
        }
        long id = -1;
        long entries = 0;
        for (int c = 0; c < signals; c++) {
            long d = in.varint();
            if (d < 0 || d > Integer.MAX_VALUE - 1 - id) {
                throw in.error("signal id past " + Integer.MAX_VALUE + " (after id " + id + ", delta " + d + ")");
            }
            id += 1 + d;
            entries += ColumnCodec.read(in, cat, (int) id, rows, MAX_ENTRIES - entries);
        }
        if (in.left() != 0) {
            throw in.error(in.left() + " trailing bytes");
        }
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Sample(seqs[i], rows[i].build()));
        }
        return out;
    }

    /** The frame count of a chunk, from its header alone (no checksum or catalogue check). */
    public static int frameCount(byte[] bytes) throws ChunkFormatException {
        if (bytes.length < HEADER_BYTES || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new ChunkFormatException("chunk, byte 0: not a frame chunk (no FLCK header)");
        }
        return int4(bytes, 37);
    }

    private static byte[] withHeader(Catalogue cat, int frames, byte[] body) {
        ChunkOut out = new ChunkOut(HEADER_BYTES + body.length);
        out.bytes(MAGIC);
        out.byte1(VERSION);
        out.bytes(HexFormat.of().parseHex(cat.hash()));
        out.int4(frames);
        out.int4(body.length);
        byte[] head = out.toArray();
        out.int4(crc(head, body, 0, body.length));
        out.bytes(body);
        return out.toArray();
    }

    /** CRC-32C of the header's first 45 bytes, then {@code len} body bytes of {@code src} from {@code from}. */
    private static int crc(byte[] head, byte[] src, int from, int len) {
        CRC32C crc = new CRC32C();
        crc.update(head, 0, 45);
        crc.update(src, from, len);
        return (int) crc.getValue();
    }

    /** Checks everything but the body; returns the frame count. */
    private static int checkHeader(Catalogue cat, byte[] b) throws ChunkFormatException {
        if (b.length < HEADER_BYTES) {
            throw new ChunkFormatException(
                    "chunk, byte " + b.length + ": truncated header (" + b.length + " of " + HEADER_BYTES + " bytes)");
        }
        if (!Arrays.equals(b, 0, 4, MAGIC, 0, 4)) {
            throw new ChunkFormatException("chunk, byte 0: not a frame chunk (no FLCK magic)");
        }
        if (b[4] != VERSION) {
            throw new ChunkFormatException(
                    "chunk, byte 4: format version " + (b[4] & 0xff) + " (this code reads version " + VERSION + ")");
        }
        String hash = HexFormat.of().formatHex(b, 5, 37);
        if (!hash.equals(cat.hash())) {
            throw new ChunkFormatException(
                    "chunk, byte 5: written over catalogue " + hash.substring(0, 16) + ", not " + cat.shortId());
        }
        int frames = int4(b, 37);
        if (frames < 0 || frames > MAX_FRAMES) {
            throw new ChunkFormatException(
                    "chunk, byte 37: frame count " + Integer.toUnsignedString(frames) + " is above " + MAX_FRAMES);
        }
        int bodyLength = int4(b, 41);
        if (bodyLength != b.length - HEADER_BYTES) {
            throw new ChunkFormatException("chunk, byte 41: body length " + Integer.toUnsignedString(bodyLength)
                    + ", but " + (b.length - HEADER_BYTES) + " bytes follow the header");
        }
        if (int4(b, 45) != crc(b, b, HEADER_BYTES, b.length - HEADER_BYTES)) {
            throw new ChunkFormatException("chunk, byte 45: CRC-32C mismatch (damaged chunk)");
        }
        return frames;
    }

    private static int int4(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Where one signal's entries are: (row, entry index in that row's frame), in row order. */
    static final class Column {
        final int id;
        int size;
        int[] rows = new int[16];
        int[] entries = new int[16];

        Column(int id) {
            this.id = id;
        }

        void add(int row, int entry) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
                entries = Arrays.copyOf(entries, size * 2);
            }
            rows[size] = row;
            entries[size] = entry;
            size++;
        }
    }

    /** The float type of signal {@code id}, or null when it has none in {@code cat}. */
    static FloatType floatType(Catalogue cat, int id) {
        return id < cat.size() && cat.signal(id).type() instanceof FloatType f ? f : null;
    }

    static LocationType locationType(Catalogue cat, int id) {
        return id < cat.size() && cat.signal(id).type() instanceof LocationType l ? l : null;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int kindSymbol(Frame f, int i) {
        return f.kind(i).ordinal() | (f.omitted(i) ? OMITTED : 0);
    }

    static Frame.Kind kindOf(int symbol) {
        return KINDS[symbol & 0x7f];
    }

    static boolean omitted(int symbol) {
        return (symbol & OMITTED) != 0;
    }

    static int maxKindSymbol() {
        return MAX_KIND_SYMBOL;
    }
}
