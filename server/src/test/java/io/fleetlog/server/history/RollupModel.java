package io.fleetlog.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.store.SampleStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plain in-memory model of the rollups: every distinct stored sample, rolled up from scratch in
 * one pass, without upserts; and the check that a store's tables say the same.
 */
final class RollupModel {
    static final Catalogue CATALOGUE = Catalogue.builtin();
    static final int SPEED = CATALOGUE.id("VehicleSpeed");
    static final int GEAR = CATALOGUE.id("Gear");
    static final int BRAKE = CATALOGUE.id("BrakePedal");
    static final int LIMIT = CATALOGUE.id("ChargeLimitSoc");
    static final int VERSION = CATALOGUE.id("Version");
    static final int LOCATION = CATALOGUE.id("Location");
    static final List<Integer> ROLLED = List.of(SPEED, GEAR, BRAKE, LIMIT);
    static final long T0 = 1_764_180_000_000L;

    private static final AtomicInteger NEXT_VIN = new AtomicInteger();

    private RollupModel() {}

    static String newVin() {
        return Vin.withCheckDigit(String.format("5YJ3E1EA0KR%06d", NEXT_VIN.incrementAndGet()));
    }

    /** Frame {@code seq} of a test stream, captured at {@code tMs}: its signals and values from {@code seed}. */
    static Sample frame(long seq, long tMs, long seed) {
        long h = seed * 0x9E3779B97F4A7C15L + seq * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        Frame.Builder b = Frame.builder(tMs);
        b.number(SPEED, Math.floorMod(h, 20_000) / 100.0 - 50);
        if ((h & 0x100) != 0) {
            b.integer(GEAR, Math.floorMod(h >>> 9, 7));
        }
        if ((h & 0x200) != 0) {
            b.bool(BRAKE, (h & 0x400) != 0);
        } else if ((h & 0x800) != 0) {
            b.unavailable(BRAKE);
        }
        if ((h & 0x1000) != 0) {
            b.integer(LIMIT, Math.floorMod(h >>> 13, 101));
        }
        if ((h & 0x2000) != 0) {
            b.string(VERSION, "v" + (h & 7));
        }
        if ((h & 0x4000) != 0) {
            b.position(LOCATION, 37.5, -122.1);
        }
        return new Sample(seq, b.build());
    }

    /** The buckets of {@code step} for the distinct samples, keyed by signal then bucket start. */
    static Map<Integer, TreeMap<Long, Bucket>> buckets(Collection<Sample> distinct, Step step) {
        Map<Integer, TreeMap<Long, Bucket>> out = new TreeMap<>();
        for (Sample s : distinct) {
            Frame f = s.frame();
            for (int i = 0; i < f.size(); i++) {
                int id = f.id(i);
                if (!ROLLED.contains(id) || f.unavailable(i)) {
                    continue;
                }
                double v = f.kind(i) == Frame.Kind.NUMBER ? f.number(i) : f.integer(i);
                long start = Math.floorDiv(f.timeMs(), step.ms()) * step.ms();
                out.computeIfAbsent(id, k -> new TreeMap<>())
                        .merge(start, Bucket.of(id, start, f.timeMs(), s.seq(), v), Bucket::merge);
            }
        }
        return out;
    }

    /** State counts: signal → "start/state" → count. */
    static Map<Integer, TreeMap<String, Long>> states(Collection<Sample> distinct, Step step) {
        Map<Integer, TreeMap<String, Long>> out = new TreeMap<>();
        for (Sample s : distinct) {
            Frame f = s.frame();
            for (int id : List.of(GEAR, BRAKE)) {
                int i = f.indexOf(id);
                if (i < 0 || f.unavailable(i)) {
                    continue;
                }
                long start = Math.floorDiv(f.timeMs(), step.ms()) * step.ms();
                out.computeIfAbsent(id, k -> new TreeMap<>()).merge(start + "/" + f.integer(i), 1L, Long::sum);
            }
        }
        return out;
    }

    /** Asserts that every rollup of {@code vin} in {@code store} equals the model of {@code distinct}. */
    static void check(SampleStore store, String vin, Collection<Sample> distinct) {
        RollupStore r = store.rollups().orElseThrow();
        for (Step step : Step.values()) {
            Map<Integer, TreeMap<Long, Bucket>> want = buckets(distinct, step);
            Map<Integer, TreeMap<String, Long>> wantStates = states(distinct, step);
            for (int id : ROLLED) {
                List<Bucket> got = r.buckets(vin, step, id, Long.MIN_VALUE, Long.MAX_VALUE);
                List<Bucket> exp =
                        new ArrayList<>(want.getOrDefault(id, new TreeMap<>()).values());
                assertThat(got).as("%s buckets of signal %d", step, id).hasSameSizeAs(exp);
                for (int k = 0; k < exp.size(); k++) {
                    Bucket g = got.get(k);
                    Bucket e = exp.get(k);
                    String where = step + " signal " + id + " bucket " + e.startMs();
                    assertThat(g.startMs()).as(where).isEqualTo(e.startMs());
                    assertThat(g.count()).as(where + " count").isEqualTo(e.count());
                    assertThat(g.sum()).as(where + " sum").isCloseTo(e.sum(), within(1e-6));
                    assertThat(g.min()).as(where + " min").isEqualTo(e.min());
                    assertThat(g.max()).as(where + " max").isEqualTo(e.max());
                    assertThat(g.lastMs()).as(where + " last time").isEqualTo(e.lastMs());
                    assertThat(g.lastSeq()).as(where + " last seq").isEqualTo(e.lastSeq());
                    assertThat(g.last()).as(where + " last").isEqualTo(e.last());
                }
            }
            var together = r.buckets(
                    vin, step, ROLLED.stream().mapToInt(Integer::intValue).toArray(), Long.MIN_VALUE, Long.MAX_VALUE);
            for (int id : ROLLED) {
                assertThat(together.get(id))
                        .as("%s signal %d read with the others", step, id)
                        .isEqualTo(r.buckets(vin, step, id, Long.MIN_VALUE, Long.MAX_VALUE));
            }
            long start = step.bucketOf(T0) - step.ms();
            long width = 3 * step.ms();
            var merged = r.merged(
                    vin, step, ROLLED.stream().mapToInt(Integer::intValue).toArray(), start, Long.MAX_VALUE, width);
            for (int id : ROLLED) {
                TreeMap<Long, Bucket> exp = new TreeMap<>();
                for (Bucket b : want.getOrDefault(id, new TreeMap<>()).values()) {
                    long out = start + (b.startMs() - start) / width * width;
                    Bucket moved = new Bucket(
                            id, out, b.count(), b.sum(), b.min(), b.max(), b.lastMs(), b.lastSeq(), b.last());
                    exp.merge(out, moved, Bucket::merge);
                }
                List<Bucket> got = merged.get(id);
                assertThat(got)
                        .as("%s signal %d merged in the database", step, id)
                        .hasSize(exp.size());
                int k = 0;
                for (Bucket e : exp.values()) {
                    Bucket g = got.get(k++);
                    assertThat(g.sum()).isCloseTo(e.sum(), within(1e-6));
                    assertThat(new Bucket(
                                    id,
                                    g.startMs(),
                                    g.count(),
                                    e.sum(),
                                    g.min(),
                                    g.max(),
                                    g.lastMs(),
                                    g.lastSeq(),
                                    g.last()))
                            .as("%s signal %d merged bucket %d", step, id, e.startMs())
                            .isEqualTo(e);
                }
            }
            for (int id : List.of(GEAR, BRAKE)) {
                TreeMap<String, Long> got = new TreeMap<>();
                for (StateCount sc : r.states(vin, step, id, Long.MIN_VALUE, Long.MAX_VALUE)) {
                    got.put(sc.startMs() + "/" + sc.state(), sc.count());
                }
                assertThat(got)
                        .as("%s states of signal %d", step, id)
                        .isEqualTo(wantStates.getOrDefault(id, new TreeMap<>()));
            }
            for (int id : List.of(VERSION, LOCATION)) {
                assertThat(r.buckets(vin, step, id, Long.MIN_VALUE, Long.MAX_VALUE))
                        .as("strings and locations are not rolled up")
                        .isEmpty();
            }
        }
    }
}
