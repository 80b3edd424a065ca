package io.fleetlog.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.frame.Frame;
import io.fleetlog.frame.FrameRecords;
import io.fleetlog.frame.Frames;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 5 (spool bit rot) and the spool half of items 1 and 2: damage a real spool file
 * on purpose (SQLite edits that bypass the spool, raw byte edits), reopen, and check that nothing
 * rotten is sent, that it is set aside with a reason and counted, and that renumbering and resuming
 * keep every sample. Each test fails on the version-1 spool (no checksums, no renumbering).
 */
class SpoolIntegrityTest {
    static final SpoolConfig MANUAL = SpoolConfig.defaults().withGroupCommit(Duration.ofSeconds(10), 1_000_000);
    static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("v.spool");
    }

    Spool open() {
        return Spools.open(file(), MANUAL);
    }

    void write(int n) throws Exception {
        try (Spool s = open()) {
            s.append(TestSamples.range(0, n));
            s.flush();
        }
    }

    /** Rewrites a chunk's data behind the spool's back (the checksum stays the old one). */
    void editChunk(long firstSeq, java.util.function.Consumer<byte[]> edit) throws Exception {
        replaceChunkData(firstSeq, d -> {
            edit.accept(d);
            return d;
        });
    }

    /** Replaces a chunk's data behind the spool's back (the checksum stays the old one). */
    void replaceChunkData(long firstSeq, java.util.function.UnaryOperator<byte[]> edit) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                PreparedStatement read = c.prepareStatement("SELECT data FROM samples WHERE first_seq = ?");
                PreparedStatement put = c.prepareStatement("UPDATE samples SET data = ? WHERE first_seq = ?")) {
            read.setLong(1, firstSeq);
            byte[] data;
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).as("chunk at %d", firstSeq).isTrue();
                data = rs.getBytes(1);
            }
            put.setBytes(1, edit.apply(data));
            put.setLong(2, firstSeq);
            assertThat(put.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * Where a chunk's frame records hold field {@code f} of {@link TestSamples#of}{@code (seq)}: the
     * first occurrence of the value's 8 big-endian bytes (a number or a position's coordinate).
     */
    static int offset(byte[] data, long seq, Field f) {
        byte[] v = new byte[8];
        BE_DOUBLES.set(v, 0, TestSamples.of(seq).get(f));
        int at = indexOf(data, v);
        assertThat(at).as("%s of seq %d in the chunk", f, seq).isNotNegative();
        return at;
    }

    private static final VarHandle BE_DOUBLES =
            MethodHandles.byteArrayViewVarHandle(double[].class, java.nio.ByteOrder.BIG_ENDIAN);

    @Test
    void aLatitudeMovedByAHundredthOfADegreeIsQuarantinedNotSent() throws Exception {
        write(1_000); // chunks 0..511 and 512..999
        editChunk(0, d -> {
            int o = offset(d, 10, Field.LATITUDE);
            BE_DOUBLES.set(d, o, (double) BE_DOUBLES.get(d, o) + 0.01);
        });
        try (Spool s = open()) {
            List<Sample> got = s.peek(0, 2_000);
            assertThat(got).extracting(Sample::seq).first().isEqualTo(512L);
            assertThat(got).hasSize(488).allSatisfy(x -> assertThat(x).isEqualTo(TestSamples.of(x.seq())));
            SpoolStats st = s.stats();
            assertThat(st.quarantined()).isEqualTo(512);
            assertThat(st.depth()).isEqualTo(488);
            assertThat(st.oldestSeq()).isEqualTo(512);
            assertThat(s.holeCause(0, 511)).isEqualTo(HoleCause.QUARANTINED);
        }
        List<SetAside> aside = Spools.setAside(file(), 10);
        assertThat(aside).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(SetAside.Kind.QUARANTINED);
            assertThat(a.firstSeq()).isZero();
            assertThat(a.lastSeq()).isEqualTo(511);
            assertThat(a.reason()).contains("checksum mismatch");
        });
        // durable: a reopen neither resurrects nor forgets it
        try (Spool s = open()) {
            assertThat(s.stats().quarantined()).isEqualTo(512);
            assertThat(s.peek(0, 10)).extracting(Sample::seq).first().isEqualTo(512L);
        }
        assertThat(Spools.inspect(file()).quarantined()).isEqualTo(512);
    }

    @Test
    void aCaptureTimeMovedByADayInTheChunkIsQuarantined() throws Exception {
        write(600);
        replaceChunkData(0, d -> {
            try {
                List<Frame> frames = new ArrayList<>(FrameRecords.decodeAll(d));
                frames.set(100, Frames.retimed(frames.get(100), frames.get(100).timeMs() + 86_400_000L));
                return FrameRecords.encodeAll(frames);
            } catch (FrameRecords.FrameFormatException e) {
                throw new AssertionError(e);
            }
        });
        try (Spool s = open()) {
            List<Sample> got = s.peek(0, 1_000);
            assertThat(got).extracting(Sample::seq).doesNotContain(100L);
            assertThat(got).allSatisfy(x -> assertThat(x).isEqualTo(TestSamples.of(x.seq())));
            assertThat(s.stats().quarantined()).isEqualTo(512);
        }
    }

    @Test
    void aRottenLastSeqOfTheNewestChunkDoesNotMoveTheNextSeq() throws Exception {
        write(600);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement()) {
            st.execute("UPDATE samples SET last_seq = 1000000000000000 WHERE first_seq = 512");
        }
        try (Spool s = open()) {
            assertThat(s.nextSeq()).isEqualTo(600);
            assertThat(s.stats().quarantined()).isEqualTo(1_000_000_000_000_000L - 512 + 1);
            assertThat(s.append(TestSamples.range(600, 1))).isEqualTo(600);
        }
    }

    @Test
    void anAckEndingInsideARottenChunkDoesNotGiveItAFreshChecksum() throws Exception {
        write(1_000);
        editChunk(0, d -> d[offset(d, 300, Field.SPEED)] ^= 0x01);
        try (Spool s = open()) {
            s.ack(100);
            assertThat(s.stats().quarantined()).isEqualTo(512);
            assertThat(s.peek(0, 2_000)).extracting(Sample::seq).first().isEqualTo(512L);
        }
    }

    @Test
    void aRejectOrDropOfARottenChunkQuarantinesItInstead() throws Exception {
        write(1_000);
        editChunk(512, d -> d[offset(d, 512 + 3, Field.POWER)] ^= 0x40);
        try (Spool s = open()) {
            s.reject(600, 600, "test");
            assertThat(s.stats().quarantined()).isEqualTo(488);
            assertThat(s.stats().rejected()).isZero();
            assertThat(s.peek(0, 2_000)).hasSize(512);
        }
    }

    @Test
    void aRottenChunkMetByTheDropOldestOfAGroupCommitIsQuarantinedAndTheCommitSucceeds() throws Exception {
        SpoolConfig small = MANUAL.withMaxSamples(15, SpoolConfig.FullPolicy.DROP_OLDEST);
        try (Spool s = Spools.open(file(), small)) {
            s.append(TestSamples.range(0, 10));
            s.flush();
            editChunk(0, d -> d[offset(d, 5, Field.SOC)] ^= 0x10); // rots while the spool is open
            s.append(TestSamples.range(10, 10));
            s.flush();
            SpoolStats st = s.stats();
            assertThat(st.quarantined()).isEqualTo(10);
            assertThat(st.dropped()).isZero();
            assertThat(st.depth()).isEqualTo(10);
            assertThat(st.oldestSeq()).isEqualTo(10);
            assertThat(s.ack(19)).isEqualTo(10);
            assertThat(s.depth()).isZero();
        }
    }

    @Test
    void aVersion1SpoolIsMigratedAndItsSamplesStillArrive() throws Exception {
        // the version-1 layout, as fleetlog 0.1 wrote it
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)");
            st.execute("CREATE TABLE samples (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                    + " first_t INTEGER NOT NULL, last_t INTEGER NOT NULL, data BLOB NOT NULL)");
            st.execute("CREATE TABLE rejected (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, v BLOB NOT NULL,"
                    + " reason TEXT NOT NULL, rejected_ms INTEGER NOT NULL)");
            st.execute("INSERT INTO meta VALUES ('format', 'fleetlog-spool'), ('version', 1), ('next_seq', 20),"
                    + " ('dropped', 0), ('rejected', 0), ('created_ms', 0)");
            st.execute("PRAGMA application_id = " + SqliteSpool.APPLICATION_ID);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO samples VALUES (?, ?, ?, ?, ?)")) {
                List<Sample> chunk = TestSamples.range(10, 10);
                ps.setLong(1, 10);
                ps.setLong(2, 19);
                ps.setLong(3, chunk.get(0).captureTimeMs());
                ps.setLong(4, chunk.get(9).captureTimeMs());
                ps.setBytes(5, ChunkTable.legacyPack(chunk));
                ps.executeUpdate();
            }
        }
        SpoolStats before = Spools.inspect(file());
        assertThat(before.depth()).isEqualTo(10);
        assertThat(before.quarantined()).isZero();
        try (Spool s = open()) {
            assertThat(s.peek(0, 100))
                    .containsExactlyElementsOf(
                            TestSamples.range(10, 10).stream().map(x -> x).toList());
            assertThat(s.sentThrough())
                    .as("a version-1 edge may have sent all it committed")
                    .isEqualTo(19);
            assertThat(s.append(TestSamples.range(20, 1))).isEqualTo(20);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'version'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void aNewerFormatVersionIsRefusedNamingBothVersions() throws Exception {
        write(5);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement()) {
            st.execute("UPDATE meta SET value = 9 WHERE key = 'version'");
        }
        assertThatThrownBy(this::open)
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("version 9")
                .hasMessageContaining("versions 1 to 3");
    }

    @Test
    void renumberMovesEveryUnsentSampleAfterTheServersSeqsAndDeletesNothing() throws Exception {
        try (Spool s = open()) {
            s.append(TestSamples.range(0, 700));
            s.flush();
            s.reject(650, 651, "test");
            s.append(TestSamples.range(700, 5)); // pending: moves too
            long moved = s.renumber(0, 10_000);
            assertThat(moved).isEqualTo(703);
            List<Sample> got = s.peek(0, 2_000);
            assertThat(got).hasSize(703);
            assertThat(got.get(0).seq()).isEqualTo(10_000);
            for (Sample x : got) {
                Sample original = TestSamples.of(x.seq() - 10_000);
                assertThat(x.captureTimeMs()).isEqualTo(original.captureTimeMs());
                assertThat(x.values()).containsExactly(original.values());
            }
            assertThat(s.holeCause(10_650, 10_651)).isEqualTo(HoleCause.SET_ASIDE);
            assertThat(s.nextSeq()).isEqualTo(10_705);
            assertThat(s.sentThrough()).isEqualTo(9_999);
            assertThat(s.append(TestSamples.range(705, 1))).isEqualTo(10_705);
        }
        try (Spool s = open()) {
            SpoolStats st = s.stats();
            assertThat(st.renumbered()).isEqualTo(703);
            assertThat(st.seqConflicts()).isEqualTo(1);
            assertThat(st.nextSeq()).isEqualTo(10_706);
            assertThat(st.oldestSeq()).isEqualTo(10_000);
            assertThat(s.peek(10_000, 5_000)).hasSize(704);
        }
    }

    /**
     * The uplink renumbers from just after its sent mark, which may fall inside a chunk (chunks hold
     * up to 512 samples): the chunk is split, the samples below keep their seqs, the rest move, and
     * both halves still verify (reopened).
     */
    @Test
    void renumberFromTheMiddleOfAChunkSplitsIt() throws Exception {
        try (Spool s = open()) {
            s.append(TestSamples.range(0, 700));
            s.flush();
            assertThat(s.renumber(300, 5_000)).isEqualTo(400);
            List<Sample> got = s.peek(0, 2_000);
            assertThat(got).hasSize(700);
            for (int i = 0; i < 700; i++) {
                Sample x = got.get(i);
                assertThat(x.seq()).isEqualTo(i < 300 ? i : i - 300 + 5_000);
                assertThat(x.captureTimeMs()).isEqualTo(TestSamples.of(i).captureTimeMs());
                assertThat(x.values()).containsExactly(TestSamples.of(i).values());
            }
        }
        try (Spool s = open()) {
            assertThat(s.peek(0, 2_000)).hasSize(700);
            assertThat(s.stats().quarantined()).as("both halves verify").isZero();
            assertThat(s.nextSeq()).isEqualTo(5_400);
        }
    }

    @Test
    void renumberOfAnEmptySpoolMovesTheNextSeq() throws Exception {
        try (Spool s = open()) {
            assertThat(s.renumber(0, 122)).isZero();
            assertThat(s.append(TestSamples.range(0, 1))).isEqualTo(122);
        }
    }

    @Test
    void markSentIsDurableAndRunsAheadByTheSlackOnly() throws Exception {
        try (Spool s = open()) {
            assertThat(s.sentThrough()).isEqualTo(-1);
            s.append(TestSamples.range(0, 100));
            s.flush();
            s.markSent(49);
            assertThat(s.sentThrough()).isEqualTo(99 + SqliteSpool.SENT_MARK_SLACK);
        }
        try (Spool s = open()) {
            assertThat(s.sentThrough()).isEqualTo(99 + SqliteSpool.SENT_MARK_SLACK);
        }
    }

    @Test
    void resumeSourceCountsOnlyCommittedSamplesOfTheSameInput() throws Exception {
        try (Spool s = open()) {
            assertThat(s.resumeSource("sha256:aaa")).isZero();
            s.append(TestSamples.range(0, 30));
            s.flush();
            s.append(TestSamples.range(30, 5)); // lost in the "crash" below? no: close commits
        }
        try (Spool s = open()) {
            assertThat(s.resumeSource("sha256:aaa")).isEqualTo(35);
            assertThat(s.resumeSource("sha256:bbb"))
                    .as("another log starts over")
                    .isZero();
            s.append(TestSamples.range(35, 3));
            s.flush();
            assertThat(s.resumeSource("sha256:aaa")).isZero();
        }
    }

    /**
     * Random appends, acks, rejects, drop-oldest, reopens, renumbers and chunks rotting behind the
     * spool's back, compared after every step with a model (stored seq → which generated sample).
     */
    @Test
    void randomOperationsWithRenumbersAndRotMatchAModel() throws Exception {
        java.util.Random r = new java.util.Random(7);
        java.util.TreeMap<Long, Long> model = new java.util.TreeMap<>();
        long next = 0;
        long index = 0;
        long quarantined = 0;
        long max = 3_000;
        SpoolConfig c = MANUAL.withMaxSamples(max, SpoolConfig.FullPolicy.DROP_OLDEST);
        Spool s = Spools.open(file(), c);
        try {
            for (int step = 0; step < 250; step++) {
                int op = r.nextInt(14);
                if (op < 5) {
                    int n = 1 + r.nextInt(r.nextBoolean() ? 50 : 1_200);
                    assertThat(s.append(TestSamples.range(index, n))).isEqualTo(next);
                    for (int i = 0; i < n; i++) {
                        model.put(next++, index++);
                    }
                    s.flush();
                    while (model.size() > max) {
                        model.pollFirstEntry();
                    }
                } else if (op < 7 && !model.isEmpty()) {
                    long upTo = model.firstKey() + r.nextInt(700) - 5;
                    model.headMap(upTo, true).clear();
                    s.ack(upTo);
                } else if (op < 8 && !model.isEmpty()) {
                    long first = model.firstKey() + r.nextInt((int) (model.lastKey() - model.firstKey() + 1));
                    long last = first + r.nextInt(600);
                    assertThat(s.reject(first, last, "test"))
                            .isEqualTo(model.subMap(first, true, last, true).size());
                    model.subMap(first, true, last, true).clear();
                } else if (op < 10) {
                    long from = model.isEmpty() ? next : model.firstKey();
                    long delta = 1 + r.nextInt(5_000);
                    assertThat(s.renumber(from, from + delta)).isEqualTo(model.size());
                    java.util.TreeMap<Long, Long> moved = new java.util.TreeMap<>();
                    model.forEach((k, v) -> moved.put(k + delta, v));
                    model = moved;
                    next = Math.max(next, from) + delta;
                } else if (op < 12 && !model.isEmpty()) {
                    long[] chunk = anyChunk(r);
                    editChunk(chunk[0], d -> d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8)));
                    quarantined += chunk[1] - chunk[0] + 1;
                    model.subMap(chunk[0], true, chunk[1], true).clear();
                    s.peek(0, 100_000); // meets it now, before a drop-oldest could
                } else if (op == 13) {
                    s.close();
                    s = Spools.open(file(), c);
                }
                List<Sample> all = s.peek(0, 100_000);
                assertThat(all).extracting(Sample::seq).containsExactlyElementsOf(model.keySet());
                for (Sample x : all) {
                    Sample original = TestSamples.of(model.get(x.seq()));
                    assertThat(x.captureTimeMs()).isEqualTo(original.captureTimeMs());
                    assertThat(x.values()).containsExactly(original.values());
                }
                assertThat(s.depth()).isEqualTo(model.size());
                assertThat(s.nextSeq()).isEqualTo(next);
                assertThat(s.stats().oldestSeq()).isEqualTo(model.isEmpty() ? -1 : model.firstKey());
                assertThat(s.stats().quarantined()).isEqualTo(quarantined);
            }
        } finally {
            s.close();
        }
    }

    /** first_seq and last_seq of a random chunk of the spool file. */
    long[] anyChunk(java.util.Random r) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT first_seq, last_seq FROM samples ORDER BY first_seq")) {
            List<long[]> all = new java.util.ArrayList<>();
            while (rs.next()) {
                all.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
            return all.get(r.nextInt(all.size()));
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
