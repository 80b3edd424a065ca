package io.fleetlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@link SampleStoreContract} in the chunk layout, plus what the layout adds: resends before and
 * after a compaction, a fault at the compaction's commit, backfill inside a chunk's span, retention of
 * chunks, a reader streaming while the writer compacts, a rows-layout database (a row tail) opened with
 * chunks, and a seeded property test against an in-memory model. Every append writes small chunks;
 * the inherited tests run on a store that compacts everything after every second append, so they see
 * small chunks, compacted ones and both mixed.
 */
abstract class ChunkLayoutContract extends SampleStoreContract {
    static final long W0 = Samples.T0; // a window start (T0 is a whole hour)
    static final int WINDOW_FRAMES = (int) (Chunks.WINDOW_MS / Samples.PERIOD_MS); // 3,000

    /** Opens the test's database in {@code layout} without the background merger. */
    abstract ChunkedStore openLayout(StoreLayout layout) throws Exception;

    /** Rows in the tail table, all vehicles. */
    abstract long tailRows() throws Exception;

    /** Rows in the chunk table, all vehicles. */
    abstract long chunkRows() throws Exception;

    /** Turns the (closed) test database into one of before chunks: no chunk table, as the old code left it. */
    abstract void dropChunkSchema() throws Exception;

    @Override
    SampleStore openStore() throws Exception {
        return new MergingStore(openLayout(StoreLayout.CHUNKS));
    }

    @Override
    SampleStore reopen() throws Exception {
        store.close();
        return new MergingStore(openLayout(StoreLayout.CHUNKS));
    }

    /** The store under the merging wrapper: appends through it do not merge by themselves. */
    ChunkedStore chunked() {
        return (ChunkedStore) ((MergingStore) store).delegate();
    }

    /** Merges the whole tail after every second append. */
    static final class MergingStore extends ForwardingSampleStore {
        private int appends;

        MergingStore(ChunkedStore delegate) {
            super(delegate);
        }

        SampleStore delegate() {
            return delegate;
        }

        @Override
        public void append(String vin, List<Sample> samples) {
            delegate.append(vin, samples);
            if (++appends % 2 == 0) {
                ((ChunkedStore) delegate).mergeAll();
            }
        }
    }

    private List<Sample> scanAll(SampleStore s, String vin) {
        List<Sample> out = new ArrayList<>();
        s.scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }

    @Test
    void resendsBeforeAndAfterAMergeAreIgnored() throws Exception {
        ChunkedStore s = chunked();
        List<Sample> in = Samples.drive(0, 2 * WINDOW_FRAMES, W0);
        s.append(VIN, in.subList(0, 1000));
        s.append(VIN, in.subList(1000, WINDOW_FRAMES));
        s.append(VIN, in.subList(0, WINDOW_FRAMES)); // before the compaction: both small chunks hold it
        assertThat(s.count(VIN)).isEqualTo(WINDOW_FRAMES);
        assertThat(tailRows()).as("appends write no row").isZero();
        assertThat(chunkRows())
                .as("one small chunk per append that stored frames")
                .isEqualTo(2);
        assertThat(s.mergeAll()).isEqualTo(WINDOW_FRAMES);
        assertThat(chunkRows()).isEqualTo(1);
        s.append(VIN, in.subList(1000, 4000)); // 1000..2999 sit in the chunk, 3000..3999 are new
        s.append(VIN, in.subList(2990, 3010)); // across the compacted chunk and the small one
        assertThat(s.count(VIN)).isEqualTo(4000);
        assertThat(tailRows()).isZero();
        assertThat(chunkRows()).isEqualTo(2);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in.subList(0, 4000));
        assertThat(s.stored(VIN, 2990, 3009, W0, Long.MAX_VALUE)).containsExactlyElementsOf(in.subList(2990, 3010));
        s.mergeAll();
        s.append(VIN, in.subList(0, 4000));
        assertThat(s.count(VIN)).isEqualTo(4000);
        assertThat(tailRows()).isZero();
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in.subList(0, 4000));
    }

    @Test
    void aFaultAtTheMergesCommitLosesAndDoublesNothingAndTheMergeRunsAfterAReopen() throws Exception {
        List<Sample> in = Samples.drive(0, 2 * WINDOW_FRAMES + 100, W0);
        for (int b = 0; b < in.size(); b += 250) {
            chunked().append(VIN, in.subList(b, Math.min(in.size(), b + 250)));
        }
        assertThat(chunkRows()).as("one small chunk per batch").isEqualTo(25);
        chunked().beforeMergeCommit(() -> {
            throw new IllegalStateException("fault injected at the merge's commit");
        });
        assertThatThrownBy(() -> chunked().mergeAll())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("fault injected");
        assertThat(chunkRows()).as("the compaction rolled back").isEqualTo(25);
        assertThat(tailRows()).isZero();
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        // closed with the small chunks not compacted (a crash between append and merge), then reopened
        store = reopen();
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        assertThat(chunked().mergeSealed(false))
                .as("only the windows a minute older than the newest frame")
                .isEqualTo(WINDOW_FRAMES);
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        assertThat(chunked().mergeAll())
                .as("the second window; the third holds one chunk already")
                .isEqualTo(WINDOW_FRAMES);
        assertThat(tailRows()).isZero();
        assertThat(chunkRows()).isEqualTo(3);
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        assertThat(store.count(VIN)).isEqualTo(in.size());
    }

    @Test
    void backfillInsideAChunksSpanIsReadInPlaceAndMergedIntoThatChunk() throws Exception {
        ChunkedStore s = chunked();
        List<Sample> in = Samples.drive(0, WINDOW_FRAMES, W0); // exactly one window
        s.append(VIN, in.subList(0, 1000));
        s.append(VIN, in.subList(1500, WINDOW_FRAMES));
        s.mergeAll();
        assertThat(chunkRows()).isEqualTo(1);
        s.append(VIN, in.subList(1000, 1500)); // the hole, inside the chunk's seq and time span
        assertThat(chunkRows())
                .as("a small chunk overlapping the compacted one")
                .isEqualTo(2);
        assertThat(s.count(VIN)).isEqualTo(WINDOW_FRAMES);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in);
        assertThat(s.stored(VIN, 990, 1509, W0, Long.MAX_VALUE)).containsExactlyElementsOf(in.subList(990, 1510));
        List<Sample> part = new ArrayList<>();
        s.scan(VIN, in.get(995).captureTimeMs(), in.get(1005).captureTimeMs(), part::add);
        assertThat(part).containsExactlyElementsOf(in.subList(995, 1005));
        // a fault while re-encoding the chunk with the backfill leaves both as they were
        s.beforeMergeCommit(() -> {
            throw new IllegalStateException("fault injected at the merge's commit");
        });
        assertThatThrownBy(s::mergeAll).isInstanceOf(StoreException.class);
        assertThat(tailRows()).isZero();
        assertThat(chunkRows()).isEqualTo(2);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in);
        s.beforeMergeCommit(() -> {});
        assertThat(s.mergeAll()).as("the window's frames, re-encoded").isEqualTo(WINDOW_FRAMES);
        assertThat(tailRows()).isZero();
        assertThat(chunkRows()).as("one chunk for the window, re-encoded").isEqualTo(1);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in);
        s.append(VIN, in.subList(1000, 1500)); // now a resend into a chunk with no hole
        assertThat(s.count(VIN)).isEqualTo(WINDOW_FRAMES);
        assertThat(chunkRows()).isEqualTo(1);
    }

    @Test
    void aCatalogueChangeInsideAWindowKeepsEveryFrameThroughTheCompaction() throws Exception {
        ChunkedStore s = chunked();
        List<Sample> in = new ArrayList<>(Samples.drive(0, 100, W0));
        s.append(VIN, in);
        s.useCatalogue(VIN, Catalogue.builtin()); // the same catalogue: nothing to seal
        s.useCatalogue(VIN, extended());
        assertThat(tailRows()).isZero();
        assertThat(chunkRows()).as("written over the old catalogue").isEqualTo(1);
        List<Sample> more = Samples.sparse(extended(), 100, 50, W0 + 2000, 3); // the same window
        s.append(VIN, more);
        in.addAll(more);
        assertThat(chunkRows()).as("and one over the new").isEqualTo(2);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in);
        s.mergeAll();
        assertThat(chunkRows()).isEqualTo(1);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in);
    }

    @Test
    void retentionDropsTheChunksAndTailOfOldDays() throws Exception {
        ChunkedStore s = chunked();
        long day0 = SampleStore.dayStart(Samples.T0);
        long day = SampleStore.DAY_MS;
        List<Sample> in = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            in.addAll(Samples.drive(d * WINDOW_FRAMES, WINDOW_FRAMES, day0 + d * day + 3_600_000));
        }
        s.append(VIN, in);
        s.mergeAll();
        List<Sample> tail = Samples.drive(3 * WINDOW_FRAMES, 100, day0 + 2 * day + 7_200_000);
        s.append(VIN, tail);
        assertThat(chunkRows()).isEqualTo(4);
        assertThat(s.purgeBefore(day0 + 2 * day)).isEqualTo(2 * WINDOW_FRAMES);
        assertThat(chunkRows()).isEqualTo(2);
        assertThat(s.count(VIN)).isEqualTo(WINDOW_FRAMES + 100);
        assertThat(s.lastSeq(VIN)).isEqualTo(3 * WINDOW_FRAMES + 99);
        List<Sample> kept = new ArrayList<>(in.subList(2 * WINDOW_FRAMES, 3 * WINDOW_FRAMES));
        kept.addAll(tail);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(kept);
        assertThat(s.purgeBefore(day0 + 3 * day)).isEqualTo(WINDOW_FRAMES + 100);
        assertThat(s.count(VIN)).isZero();
        assertThat(scanAll(s, VIN)).isEmpty();
    }

    @Test
    void aReaderStreamingWhileTheWriterAppendsAndMergesSeesEveryAckedFrameExactlyOnce() throws Exception {
        ChunkedStore s = chunked();
        List<Sample> in = Samples.drive(0, 20 * WINDOW_FRAMES, W0); // 20 minutes
        AtomicInteger acked = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int b = 0; b < in.size() / 1000; b++) {
                    s.append(VIN, in.subList(b * 1000, (b + 1) * 1000));
                    acked.set((b + 1) * 1000);
                    s.mergeSealed(false);
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        int scans = 0;
        while (writer.isAlive() || scans < 3) {
            int before = acked.get();
            List<Sample> out = scanAll(s, VIN);
            assertThat(out.size()).as("every frame acked before the scan").isGreaterThanOrEqualTo(before);
            assertThat(out).as("in order, once each").isEqualTo(in.subList(0, out.size()));
            scans++;
        }
        writer.join();
        assertThat(failed.get()).isNull();
        assertThat(chunkRows()).as("the writer merged meanwhile").isGreaterThan(10);
        assertThat(scanAll(s, VIN)).containsExactlyElementsOf(in);
    }

    @Test
    void aDatabaseOfBeforeChunksIsReadWholeAndCompactedInPlace() throws Exception {
        store.close();
        List<Sample> in = Samples.drive(0, 5 * WINDOW_FRAMES + 7, W0);
        try (ChunkedStore rows = openLayout(StoreLayout.ROWS)) {
            rows.append(VIN, in.subList(0, 4000));
            rows.append(VIN, in.subList(4000, in.size()));
            rows.append(OTHER, in.subList(0, 10));
        }
        dropChunkSchema();
        store = new MergingStore(openLayout(StoreLayout.CHUNKS));
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        // a resend of tail rows plus new frames: only the new ones are stored (as a chunk)
        List<Sample> more = Samples.drive(in.size(), 5, in.get(in.size() - 1).captureTimeMs() + Samples.PERIOD_MS);
        List<Sample> resend = new ArrayList<>(in.subList(in.size() - 10, in.size()));
        resend.addAll(more);
        chunked().append(VIN, resend);
        in = new ArrayList<>(in);
        in.addAll(more);
        assertThat(store.count(VIN)).isEqualTo(in.size());
        assertThat(chunkRows()).isEqualTo(1);
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        assertThat(chunked().mergeSealed(false))
                .as("the windows a minute older than the newest frame")
                .isEqualTo(4 * WINDOW_FRAMES);
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        chunked().mergeAll();
        assertThat(tailRows()).isZero();
        assertThat(scanAll(store, VIN)).containsExactlyElementsOf(in);
        assertThat(scanAll(store, OTHER)).containsExactlyElementsOf(in.subList(0, 10));
        assertThat(store.count(VIN)).isEqualTo(in.size());
        assertThat(store.lastSeq(VIN)).isEqualTo(in.size() - 1);
    }

    /**
     * Property: any frames (every kind of value), appended in any batching with resends and backfill
     * of holes, merged at random points (sealed windows or everything), read back by scan (whole and
     * by time range), stored and count exactly as a plain map of what was appended. Seeded: a failure
     * names its case. ({@link ChunkStorePropertiesTest} runs the same case under jqwik.)
     */
    @Test
    void anyFramesInAnyBatchingMergedAtRandomPointsReadBackAsTheModel() throws Exception {
        Catalogue cat = extended();
        int cases = 24;
        List<String> vins = Samples.vins(cases);
        for (int k = 0; k < cases; k++) {
            checkOneCase(chunked(), vins.get(k), cat, new Random(1600 + k), "case " + k);
        }
    }

    /** One case of the property: random frames, batching, resends, holes and merges against a model. */
    static void checkOneCase(ChunkedStore s, String vin, Catalogue cat, Random r, String name) {
        if (r.nextBoolean()) {
            s.useCatalogue(vin, cat);
        }
        int n = 1 + r.nextInt(3 * WINDOW_FRAMES);
        long t0 = W0 + r.nextInt(3) * SampleStore.DAY_MS - r.nextInt(120_000);
        List<Sample> all = Samples.sparse(cat, r.nextInt(5), n, t0, r.nextLong());
        TreeMap<Long, Sample> model = new TreeMap<>();
        int steps = 1 + r.nextInt(12);
        for (int step = 0; step < steps; step++) {
            int from = r.nextInt(n);
            int to = Math.min(n, from + 1 + r.nextInt(r.nextBoolean() ? 50 : 2000));
            List<Sample> batch = new ArrayList<>();
            for (Sample x : all.subList(from, to)) {
                if (r.nextInt(10) != 0) { // holes within a batch too
                    batch.add(x);
                }
            }
            s.append(vin, batch);
            batch.forEach(x -> model.putIfAbsent(x.seq(), x));
            switch (r.nextInt(3)) {
                case 0 -> s.mergeSealed(false);
                case 1 -> s.mergeAll();
                default -> {}
            }
        }
        String at = name + " (" + n + " frames, " + steps + " batches)";
        List<Sample> expect = new ArrayList<>(model.values());
        List<Sample> whole = new ArrayList<>();
        s.scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, whole::add);
        assertThat(whole).as(at).containsExactlyElementsOf(expect);
        assertThat(s.count(vin)).as(at).isEqualTo(model.size());
        if (!expect.isEmpty()) {
            long a = all.get(r.nextInt(n)).captureTimeMs();
            long b = a + r.nextInt(90_000);
            List<Sample> part = new ArrayList<>();
            s.scan(vin, a, b, part::add);
            assertThat(part)
                    .as(at + " time range")
                    .containsExactlyElementsOf(expect.stream()
                            .filter(x -> x.captureTimeMs() >= a && x.captureTimeMs() < b)
                            .toList());
            long fs = all.get(r.nextInt(n)).seq();
            long ts = fs + r.nextInt(500);
            assertThat(s.stored(vin, fs, ts, Long.MIN_VALUE, Long.MAX_VALUE))
                    .as(at + " stored")
                    .containsExactlyElementsOf(model.subMap(fs, true, ts, true).values());
        }
    }
}
