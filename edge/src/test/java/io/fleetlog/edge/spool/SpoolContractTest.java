package io.fleetlog.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Sample;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolContractTest {
    @TempDir
    Path dir;

    /** Group commits only on flush (interval 10 s, size 1M), so tests decide when commits happen. */
    static final SpoolConfig MANUAL = SpoolConfig.defaults().withGroupCommit(Duration.ofSeconds(10), 1_000_000);

    Spool open(SpoolConfig c) {
        return Spools.open(dir.resolve("v.spool"), c);
    }

    @Test
    void appendAssignsConsecutiveSeqsAndPeekSeesOnlyCommittedSamples() throws Exception {
        try (Spool s = open(MANUAL)) {
            assertThat(s.append(TestSamples.range(500, 3))).isEqualTo(0);
            assertThat(s.append(TestSamples.range(900, 2))).isEqualTo(3);
            assertThat(s.peek(0, 100)).isEmpty();
            assertThat(s.stats().pending()).isEqualTo(5);
            assertThat(s.flush()).isEqualTo(4);
            List<Sample> got = s.peek(0, 100);
            assertThat(got).extracting(Sample::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(got.get(0)).isEqualTo(TestSamples.of(500).withSeq(0));
            assertThat(got.get(4)).isEqualTo(TestSamples.of(901).withSeq(4));
            assertThat(s.peek(2, 2)).extracting(Sample::seq).containsExactly(2L, 3L);
            SpoolStats st = s.stats();
            assertThat(st.depth()).isEqualTo(5);
            assertThat(st.oldestSeq()).isZero();
            assertThat(st.newestSeq()).isEqualTo(4);
            assertThat(st.oldestTimeMs()).isEqualTo(TestSamples.of(500).captureTimeMs());
            assertThat(st.newestTimeMs()).isEqualTo(TestSamples.of(901).captureTimeMs());
        }
    }

    @Test
    void unavailableValuesRoundTripAsNaN() throws Exception {
        try (Spool s = open(MANUAL)) {
            s.append(List.of(Sample.unavailable(0, TestSamples.T0), TestSamples.of(7)));
            s.flush();
            List<Sample> got = s.peek(0, 10);
            assertThat(got.get(0)).isEqualTo(Sample.unavailable(0, TestSamples.T0));
            assertThat(got.get(1).values()[7]).isNaN();
        }
    }

    @Test
    void groupCommitHappensWithinTheIntervalWithoutFlush() throws Exception {
        SpoolConfig c = SpoolConfig.defaults().withGroupCommit(Duration.ofMillis(20), 1_000_000);
        try (Spool s = open(c)) {
            s.append(TestSamples.range(0, 10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.lastCommittedSeq() < 9 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(s.lastCommittedSeq()).isEqualTo(9);
            assertThat(s.peek(0, 100)).hasSize(10);
        }
    }

    @Test
    void ackDeletesUpToSeqAndRepeatedAcksAreHarmless() throws Exception {
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 10));
            s.flush();
            assertThat(s.ack(3)).isEqualTo(4);
            assertThat(s.ack(3)).isZero();
            assertThat(s.ack(1)).isZero();
            assertThat(s.peek(0, 100)).extracting(Sample::seq).startsWith(4L).hasSize(6);
            assertThat(s.stats().oldestSeq()).isEqualTo(4);
            assertThat(s.stats().oldestTimeMs()).isEqualTo(TestSamples.of(4).captureTimeMs());
            assertThat(s.ack(100)).isEqualTo(6);
            assertThat(s.depth()).isZero();
            assertThat(s.stats().oldestSeq()).isEqualTo(-1);
            assertThat(s.append(TestSamples.range(0, 1))).isEqualTo(10);
        }
    }

    @Test
    void reopenKeepsCommittedSamplesAndContinuesSeqEvenWhenEmpty() throws Exception {
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 20));
            s.flush();
            s.ack(19);
        }
        try (Spool s = open(MANUAL)) {
            assertThat(s.depth()).isZero();
            assertThat(s.nextSeq()).isEqualTo(20);
            s.append(TestSamples.range(0, 5));
        } // close commits what is pending
        try (Spool s = open(MANUAL)) {
            assertThat(s.peek(0, 100)).extracting(Sample::seq).containsExactly(20L, 21L, 22L, 23L, 24L);
            assertThat(s.stats().oldestSeq()).isEqualTo(20);
        }
    }

    @Test
    void blockPolicyMakesAppendWaitUntilAnAckFreesSpace() throws Exception {
        try (Spool s = open(MANUAL.withMaxSamples(10, SpoolConfig.FullPolicy.BLOCK))) {
            s.append(TestSamples.range(0, 10));
            s.flush();
            CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.append(TestSamples.range(10, 3));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            assertThat(blocked).isNotDone();
            s.ack(2);
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(10);
            s.flush();
            assertThat(s.depth()).isEqualTo(10);
            assertThat(s.stats().dropped()).isZero();
            assertThatThrownBy(() -> s.append(TestSamples.range(0, 11)))
                    .hasMessageContaining("exceeds the spool's maxSamples 10");
        }
    }

    @Test
    void dropOldestKeepsTheNewestAndCountsEveryDroppedSample() throws Exception {
        try (Spool s = open(MANUAL.withMaxSamples(10, SpoolConfig.FullPolicy.DROP_OLDEST))) {
            s.append(TestSamples.range(0, 8));
            s.flush();
            s.append(TestSamples.range(8, 7));
            s.flush();
            assertThat(s.peek(0, 100))
                    .extracting(Sample::seq)
                    .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
            assertThat(s.stats().dropped()).isEqualTo(5);
            assertThat(s.stats().oldestSeq()).isEqualTo(5);
        }
        try (Spool s = open(MANUAL)) {
            assertThat(s.stats().dropped()).as("dropped count is durable").isEqualTo(5);
        }
    }

    @Test
    void rejectMovesSamplesAsideForInspection() throws Exception {
        Path file = dir.resolve("v.spool");
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 10));
            s.flush();
            assertThat(s.reject(3, 5, "speed out of range")).isEqualTo(3);
            assertThat(s.peek(0, 100)).extracting(Sample::seq).containsExactly(0L, 1L, 2L, 6L, 7L, 8L, 9L);
            assertThat(s.stats().rejected()).isEqualTo(3);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), min(reason) FROM rejected")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getString(2)).isEqualTo("speed out of range");
        }
    }

    @Test
    void aTextFileIsNotASpool() throws Exception {
        Path f = dir.resolve("notes.spool");
        Files.writeString(f, "hello, this is not sqlite\n");
        assertThatThrownBy(() -> Spools.open(f, MANUAL))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("notes.spool")
                .hasMessageContaining("not a SQLite database");
    }

    @Test
    void anotherSqliteDatabaseIsNotASpool() throws Exception {
        Path f = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        }
        assertThatThrownBy(() -> Spools.open(f, MANUAL))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("not a fleetlog spool")
                .hasMessageContaining("customers");
    }

    @Test
    void aDamagedSpoolFailsTheIntegrityCheckOnOpen() throws Exception {
        Path f = dir.resolve("v.spool");
        try (Spool s = open(MANUAL)) {
            for (int i = 0; i < 10; i++) {
                s.append(TestSamples.range(i * 2000L, 2000));
            }
        }
        long size = Files.size(f);
        assertThat(size).isGreaterThan(100_000);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            Random r = new Random(1);
            byte[] junk = new byte[4096 * 3];
            r.nextBytes(junk);
            raf.seek(4096 * 5);
            raf.write(junk);
        }
        assertThatThrownBy(() -> Spools.open(f, MANUAL))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("v.spool");
    }

    @Test
    void aTruncatedSpoolIsRejected() throws Exception {
        Path f = dir.resolve("v.spool");
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 20_000));
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() / 2 + 1000);
        }
        assertThatThrownBy(() -> Spools.open(f, MANUAL))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("v.spool");
    }

    @Test
    void inspectReadsASpoolThatIsOpenAndBeingWritten() throws Exception {
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 100));
            s.flush();
            assertThat(Spools.inspect(dir.resolve("v.spool")).depth()).isEqualTo(100);
            // the writer goes on after the inspection, and the next inspection sees its commit
            s.append(TestSamples.range(100, 50));
            s.flush();
            s.ack(19);
            SpoolStats st = Spools.inspect(dir.resolve("v.spool"));
            assertThat(st.depth()).isEqualTo(130);
            assertThat(st.oldestSeq()).isEqualTo(20);
            assertThat(st.newestSeq()).isEqualTo(149);
            assertThat(s.stats().depth()).isEqualTo(130);
        }
    }

    @Test
    void inspectOfAnEmptyFileRefusesAndLeavesItEmpty() throws Exception {
        Path f = Files.createFile(dir.resolve("new.spool")); // an edge has just created it
        assertThatThrownBy(() -> Spools.inspect(f))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("is empty");
        assertThat(Files.size(f)).isZero();
        // and the edge can still create its spool there
        try (Spool s = Spools.open(f, MANUAL)) {
            s.append(TestSamples.range(0, 5));
            s.flush();
        }
        assertThat(Spools.inspect(f).depth()).isEqualTo(5);
    }

    @Test
    void inspectNeverChangesTheFile() throws Exception {
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 30));
            s.flush();
        }
        Path f = dir.resolve("v.spool");
        byte[] before = Files.readAllBytes(f);
        assertThat(Spools.inspect(f).depth()).isEqualTo(30);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void inspectReportsDepthAndRangeOfAnExistingSpool() throws Exception {
        try (Spool s = open(MANUAL)) {
            s.append(TestSamples.range(0, 30));
            s.flush();
            s.ack(9);
        }
        SpoolStats st = Spools.inspect(dir.resolve("v.spool"));
        assertThat(st.depth()).isEqualTo(20);
        assertThat(st.oldestSeq()).isEqualTo(10);
        assertThat(st.newestSeq()).isEqualTo(29);
        assertThatThrownBy(() -> Spools.inspect(dir.resolve("missing.spool"))).hasMessageContaining("no such spool");
    }

    @Test
    void configRejectsNonsenseWithTheFieldName() {
        assertThatThrownBy(() -> SpoolConfig.defaults().withMaxSamples(0, SpoolConfig.FullPolicy.BLOCK))
                .hasMessageContaining("maxSamples 0");
        assertThatThrownBy(() -> SpoolConfig.defaults().withGroupCommit(Duration.ZERO, 10))
                .hasMessageContaining("groupCommitInterval");
        assertThat(SpoolConfig.FullPolicy.parse("drop-oldest")).isEqualTo(SpoolConfig.FullPolicy.DROP_OLDEST);
        assertThatThrownBy(() -> SpoolConfig.FullPolicy.parse("lose")).hasMessageContaining("'lose'");
    }

    /**
     * Random appends (small, and larger than a storage chunk), acks, rejects, drops and reopens,
     * compared after every step with a sorted-set model.
     */
    @Test
    void randomOperationsMatchAModel() throws Exception {
        Random r = new Random(42);
        java.util.TreeSet<Long> model = new java.util.TreeSet<>();
        long next = 0;
        long max = 3_000;
        SpoolConfig c = MANUAL.withMaxSamples(max, SpoolConfig.FullPolicy.DROP_OLDEST);
        Spool s = open(c);
        try {
            for (int step = 0; step < 300; step++) {
                int op = r.nextInt(12);
                if (op < 5) {
                    int n = 1 + r.nextInt(r.nextBoolean() ? 50 : 1_200);
                    assertThat(s.append(TestSamples.range(next, n))).isEqualTo(next);
                    for (int i = 0; i < n; i++) {
                        model.add(next++);
                    }
                    s.flush();
                    while (model.size() > max) {
                        model.pollFirst();
                    }
                } else if (op < 8 && !model.isEmpty()) {
                    long upTo = model.first() + r.nextInt(700) - 5;
                    model.headSet(upTo, true).clear();
                    s.ack(upTo);
                } else if (op < 10 && !model.isEmpty()) {
                    long first = model.first() + r.nextInt(Math.max(1, (int) (model.last() - model.first() + 1)));
                    long last = first + r.nextInt(600);
                    int expected = model.subSet(first, true, last, true).size();
                    assertThat(s.reject(first, last, "test")).isEqualTo(expected);
                    model.subSet(first, true, last, true).clear();
                } else if (op == 11) {
                    s.close();
                    s = open(c);
                }
                List<Sample> all = s.peek(0, 100_000);
                assertThat(all).extracting(Sample::seq).containsExactlyElementsOf(model);
                for (Sample x : all) {
                    assertThat(x).isEqualTo(TestSamples.of(x.seq()));
                }
                if (!model.isEmpty()) {
                    long from = model.first() + r.nextInt((int) (model.last() - model.first() + 1));
                    int k = 1 + r.nextInt(700);
                    assertThat(s.peek(from, k))
                            .extracting(Sample::seq)
                            .containsExactlyElementsOf(
                                    model.tailSet(from, true).stream().limit(k).toList());
                }
                assertThat(s.depth()).isEqualTo(model.size());
                assertThat(s.nextSeq()).isEqualTo(next);
                assertThat(s.stats().oldestSeq()).isEqualTo(model.isEmpty() ? -1 : model.first());
            }
        } finally {
            s.close();
        }
    }
}
