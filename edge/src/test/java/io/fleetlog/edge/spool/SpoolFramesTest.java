package io.fleetlog.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.RandomFrames;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Format 3: a spool chunk holds any frames losslessly (strings, enums, positions, unavailable marks,
 * any subset of signals), keeps its checksum and quarantine, and older spools are converted.
 */
class SpoolFramesTest {
    static final SpoolConfig MANUAL = SpoolConfig.defaults().withGroupCommit(Duration.ofSeconds(10), 1_000_000);
    static final Catalogue CAT = Catalogue.builtin();

    static Path tempFile() throws Exception {
        Path dir = Files.createTempDirectory("spool-frames");
        return dir.resolve("v.spool");
    }

    static void deleteAll(Path file) throws Exception {
        try (var s = Files.list(file.getParent())) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(file.getParent());
    }

    static List<Frame> framesOf(List<Sample> samples) {
        return samples.stream().map(Sample::frame).toList();
    }

    @Property(tries = 40)
    void randomSparseFramesRoundTripThroughAppendFlushPeekAckAndReopen(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 1_500) int n) throws Exception {
        Random r = new Random(seed);
        List<Frame> frames = RandomFrames.frames(CAT, r, 1_764_180_000_000L + r.nextInt(1_000_000), n);
        Path file = tempFile();
        try {
            int acked = r.nextInt(n + 1);
            try (Spool s = Spools.open(file, MANUAL)) {
                // appended in random slices, committed in random group commits
                int i = 0;
                while (i < n) {
                    int k = 1 + r.nextInt(Math.min(n - i, 700));
                    List<Sample> slice = new ArrayList<>();
                    for (Frame f : frames.subList(i, i + k)) {
                        slice.add(new Sample(-1, f));
                    }
                    assertThat(s.append(slice)).isEqualTo(i);
                    if (r.nextBoolean()) {
                        s.flush();
                    }
                    i += k;
                }
                assertThat(s.flush()).isEqualTo(n - 1);
                List<Sample> got = s.peek(0, n + 10);
                assertThat(got).extracting(Sample::seq).containsExactlyElementsOf(seqs(0, n));
                assertThat(framesOf(got)).containsExactlyElementsOf(frames);
                long from = r.nextInt(n);
                assertThat(framesOf(s.peek(from, 37)))
                        .containsExactlyElementsOf(frames.subList((int) from, (int) Math.min(n, from + 37)));
                assertThat(s.ack(acked - 1)).isEqualTo(acked);
            }
            try (Spool s = Spools.open(file, MANUAL)) {
                assertThat(s.depth()).isEqualTo(n - acked);
                assertThat(framesOf(s.peek(0, n + 10))).containsExactlyElementsOf(frames.subList(acked, n));
                assertThat(s.stats().quarantined()).isZero();
            }
        } finally {
            deleteAll(file);
        }
    }

    @Property(tries = 40)
    void aFlippedBitInAFrameChunkIsQuarantinedAndNothingWrongIsReturned(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        int n = 600 + r.nextInt(600); // two or three chunks
        List<Frame> frames = RandomFrames.frames(CAT, r, 1_764_180_000_000L, n);
        Path file = tempFile();
        try {
            try (Spool s = Spools.open(file, MANUAL)) {
                s.append(frames.stream().map(f -> new Sample(-1, f)).toList());
                s.flush();
            }
            long chunk = ChunkTable.CHUNK_SAMPLES
                    * (long) r.nextInt((n + ChunkTable.CHUNK_SAMPLES - 1) / ChunkTable.CHUNK_SAMPLES);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    PreparedStatement read = c.prepareStatement("SELECT data FROM samples WHERE first_seq = ?");
                    PreparedStatement put = c.prepareStatement("UPDATE samples SET data = ? WHERE first_seq = ?")) {
                read.setLong(1, chunk);
                byte[] d;
                try (ResultSet rs = read.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    d = rs.getBytes(1);
                }
                d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                put.setBytes(1, d);
                put.setLong(2, chunk);
                put.executeUpdate();
            }
            long lastOfChunk = Math.min(n, chunk + ChunkTable.CHUNK_SAMPLES) - 1;
            try (Spool s = Spools.open(file, MANUAL)) {
                List<Sample> got = s.peek(0, n);
                assertThat(got).extracting(Sample::seq).noneMatch(q -> q >= chunk && q <= lastOfChunk);
                assertThat(got).allSatisfy(x -> assertThat(x.frame()).isEqualTo(frames.get((int) x.seq())));
                assertThat(s.stats().quarantined()).isEqualTo(lastOfChunk - chunk + 1);
                assertThat(s.holeCause(chunk, lastOfChunk)).isEqualTo(HoleCause.QUARANTINED);
            }
        } finally {
            deleteAll(file);
        }
    }

    @Test
    void aRejectKeepsTheWholeFrameInTheRejectedTable() throws Exception {
        Path file = tempFile();
        try {
            List<Frame> frames = RandomFrames.frames(CAT, new Random(7), 1_764_180_000_000L, 20);
            try (Spool s = Spools.open(file, MANUAL)) {
                s.append(frames.stream().map(f -> new Sample(-1, f)).toList());
                s.flush();
                assertThat(s.reject(5, 6, "test")).isEqualTo(2);
                assertThat(framesOf(s.peek(0, 100))).hasSize(18).doesNotContain(frames.get(5), frames.get(6));
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT seq, v FROM rejected ORDER BY seq")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(5);
                assertThat(io.fleetlog.frame.FrameRecords.decode(rs.getBytes(2)))
                        .isEqualTo(frames.get(5));
            }
        } finally {
            deleteAll(file);
        }
    }

    /** A version-2 spool as fleetlog 0.2 wrote it: 72-byte legacy samples, CRC-32C per chunk. */
    static void writeVersion2(Path file, List<List<Sample>> chunks, boolean rotFirst) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)");
            st.execute("CREATE TABLE samples (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                    + " first_t INTEGER NOT NULL, last_t INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL)");
            st.execute("CREATE TABLE quarantined (id INTEGER PRIMARY KEY, first_seq INTEGER, last_seq INTEGER,"
                    + " first_t INTEGER, last_t INTEGER, data BLOB, crc INTEGER, reason TEXT NOT NULL,"
                    + " quarantined_ms INTEGER NOT NULL)");
            st.execute("CREATE TABLE rejected (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, v BLOB NOT NULL,"
                    + " reason TEXT NOT NULL, rejected_ms INTEGER NOT NULL)");
            long next = chunks.getLast().getLast().seq() + 1;
            st.execute("INSERT INTO meta VALUES ('format', 'fleetlog-spool'), ('version', 2), ('next_seq', " + next
                    + "), ('dropped', 0), ('rejected', 1), ('quarantined', 0), ('renumbered', 0),"
                    + " ('seq_conflicts', 0), ('sent_through', 3), ('created_ms', 0)");
            st.execute("PRAGMA application_id = " + SqliteSpool.APPLICATION_ID);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?)")) {
                for (List<Sample> chunk : chunks) {
                    long f = chunk.getFirst().seq();
                    long l = chunk.getLast().seq();
                    long ft = chunk.getFirst().captureTimeMs();
                    long lt = chunk.getLast().captureTimeMs();
                    byte[] data = ChunkTable.legacyPack(chunk);
                    long crc = ChunkTable.crc(f, l, ft, lt, data);
                    if (rotFirst && chunk == chunks.getFirst()) {
                        data[20] ^= 0x04;
                    }
                    ps.setLong(1, f);
                    ps.setLong(2, l);
                    ps.setLong(3, ft);
                    ps.setLong(4, lt);
                    ps.setBytes(5, data);
                    ps.setLong(6, crc);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rejected VALUES (2, ?, ?, 'old reason', 0)")) {
                Sample x = TestSamples.of(2);
                ps.setLong(1, x.captureTimeMs());
                byte[] row = ChunkTable.legacyPack(List.of(x));
                ps.setBytes(2, java.util.Arrays.copyOfRange(row, Long.BYTES, row.length));
                ps.executeUpdate();
            }
        }
    }

    @Test
    void aVersion2SpoolIsConvertedInOneOpenAndEverySampleReadsBackTheSame() throws Exception {
        Path file = tempFile();
        try {
            writeVersion2(file, List.of(TestSamples.range(3, 512), TestSamples.range(515, 100)), false);
            assertThat(Spools.inspect(file).depth())
                    .as("inspect does not convert")
                    .isEqualTo(612);
            try (Spool s = Spools.open(file, MANUAL)) {
                List<Sample> got = s.peek(0, 1_000);
                assertThat(got).containsExactlyElementsOf(TestSamples.range(3, 612));
                assertThat(got.get(4).get(Field.ELEVATION))
                        .as("NaN stays unavailable")
                        .isNaN();
                assertThat(s.sentThrough()).isEqualTo(3);
                assertThat(s.stats().quarantined()).isZero();
                assertThat(s.append(TestSamples.range(615, 1))).isEqualTo(615);
                assertThat(s.reject(600, 600, "new")).isEqualTo(1);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'version'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
                try (ResultSet rs = st.executeQuery("SELECT v FROM rejected WHERE seq = 2")) {
                    rs.next();
                    assertThat(io.fleetlog.frame.FrameRecords.decode(rs.getBytes(1)))
                            .isEqualTo(TestSamples.of(2).frame());
                }
            }
        } finally {
            deleteAll(file);
        }
    }

    @Test
    void aRottenVersion2ChunkIsQuarantinedAsFoundDuringTheConversion() throws Exception {
        Path file = tempFile();
        try {
            writeVersion2(file, List.of(TestSamples.range(0, 512), TestSamples.range(512, 10)), true);
            try (Spool s = Spools.open(file, MANUAL)) {
                assertThat(s.peek(0, 1_000)).containsExactlyElementsOf(TestSamples.range(512, 10));
                assertThat(s.stats().quarantined()).isEqualTo(512);
                assertThat(s.holeCause(3, 511)).isEqualTo(HoleCause.QUARANTINED); // seq 2 was rejected
            }
            assertThat(Spools.setAside(file, 10))
                    .filteredOn(a -> a.kind() == SetAside.Kind.QUARANTINED)
                    .singleElement()
                    .satisfies(a -> assertThat(a.reason()).contains("checksum mismatch", "format 3"));
        } finally {
            deleteAll(file);
        }
    }

    @Test
    void aConversionThatFailsLeavesTheFileUnchangedAndSaysWhatToDo() throws Exception {
        Path file = tempFile();
        try {
            writeVersion2(file, List.of(TestSamples.range(0, 10)), false);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement st = c.createStatement()) {
                st.execute("DROP TABLE quarantined"); // damaged beyond conversion
            }
            assertThatThrownBy(() -> Spools.open(file, MANUAL))
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining(file.toAbsolutePath().toString())
                    .hasMessageContaining("version-2 spool")
                    .hasMessageContaining("move the file aside");
            assertThat(Spools.inspect(file).depth()).isEqualTo(10);
        } finally {
            deleteAll(file);
        }
    }

    static List<Long> seqs(long first, int n) {
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(first + i);
        }
        return out;
    }
}
