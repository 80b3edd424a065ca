package io.fleetlog.bench.server;

import io.fleetlog.bench.codec.CodecV2Sizes;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.v2.FrameDecoder;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.LegacyFrames;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreLayout;
import io.fleetlog.server.store.Stores;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Frames at rest, rows against chunks side by side in one run (issue 16): for each workload (the
 * demo simulator's 8 driving fields, and 40 signals of the built-in catalogue), each store (SQLite,
 * PostgreSQL) and each layout ({@code rows}, {@code chunks}) a fresh database gets {@code vehicles}
 * cars × {@code minutes} of 50 Hz frames, reconstructed through the v2 codec as the server stores
 * them, appended in batches of {@code batch} frames by one thread per car ({@link SampleStore#append}
 * returns after the commit: what an ack waits for). The chunk layout's background merger runs during
 * the ingest, as in production.
 *
 * <p>Measured: ingest frames/s (first append → last commit returned); then the tail is flushed into
 * chunks ({@link Stores#compactAll}), every car is checked to hold exactly its frames (one read back
 * in full), and the bytes on disk per frame are taken: SQLite, the file after {@code VACUUM};
 * PostgreSQL, {@code pg_total_relation_size} (heap, indexes, TOAST) summed over every table of the
 * store's schema (partitions included) after {@code VACUUM} and after {@code VACUUM FULL}. Both
 * net of the same store empty (its schema: a few pages per table), so the figure is what the frames
 * add.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.server.StoreBench
 * [--minutes M] [--vehicles V] [--batch B] [--pg JDBC_URL|none]}.
 */
public final class StoreBench {
    static final long T0 = 1_764_180_000_000L;
    private static final Catalogue BUILTIN = Catalogue.builtin();

    private final int minutes;
    private final int vehicles;
    private final int batch;
    private final String pg;
    private final PrintStream out;

    StoreBench(Map<String, String> opts, PrintStream out) {
        this.minutes = Integer.parseInt(opts.getOrDefault("minutes", "30"));
        this.vehicles = Integer.parseInt(opts.getOrDefault("vehicles", "2"));
        this.batch = Integer.parseInt(opts.getOrDefault("batch", "250"));
        this.pg = opts.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        this.out = out;
        if (minutes < 1 || vehicles < 1 || batch < 1) {
            throw new IllegalArgumentException(
                    "minutes " + minutes + ", vehicles " + vehicles + " and batch " + batch + " must be ≥ 1");
        }
    }

    public static void main(String[] args) throws Exception {
        ServerBench.quietLogs();
        new StoreBench(ServerBench.options(args), System.out).run();
        System.exit(0);
    }

    /** One measured configuration. */
    record Result(
            String store,
            String workload,
            StoreLayout layout,
            long frames,
            double ingestPerSecond,
            double bytesPerFrame,
            double bytesPerFrameFull) {}

    List<Result> run() throws Exception {
        List<Result> results = new ArrayList<>();
        for (int signals : new int[] {8, 40}) {
            List<List<Sample>> cars = workload(signals);
            String name = signals + " signals";
            for (String store : pg.equals("none") ? List.of("sqlite") : List.of("sqlite", "postgresql")) {
                for (StoreLayout layout : StoreLayout.values()) {
                    results.add(store.equals("sqlite") ? sqlite(name, cars, layout) : postgres(name, cars, layout));
                }
            }
        }
        print(results);
        return results;
    }

    /** Per car, {@code minutes} of 50 Hz frames as the server stores them (through the v2 codec). */
    List<List<Sample>> workload(int signals) throws Exception {
        List<List<Sample>> cars = new ArrayList<>();
        for (int v = 0; v < vehicles; v++) {
            DriveSimulator sim = new DriveSimulator(VehicleModel.MODEL3, 1 + v, T0, Duration.ofMinutes(minutes));
            List<Sample> legacy = new ArrayList<>();
            for (Sample s; (s = sim.next()) != null; ) {
                legacy.add(new Sample(s.seq(), s.captureTimeMs(), s.values())); // the 8 driving fields only
            }
            FrameLayout layout = signals == 40 ? CodecV2Sizes.wide(BUILTIN) : legacyLayout();
            List<Frame> captured = new ArrayList<>();
            if (signals == 40) {
                captured.addAll(CodecV2Sizes.wideFrames(layout, legacy));
            } else {
                legacy.forEach(s -> captured.add(s.frame()));
            }
            cars.add(reconstructed(layout, captured));
        }
        return cars;
    }

    private static FrameLayout legacyLayout() {
        int[] ids = new int[Field.COUNT - 1];
        int k = 0;
        for (Field f : Field.values()) {
            if (f != Field.LONGITUDE) { // latitude and longitude are one location signal
                ids[k++] = LegacyFrames.id(f);
            }
        }
        Arrays.sort(ids);
        return FrameLayout.of(BUILTIN, ids);
    }

    /** Sent through the v2 codec in one-second batches and decoded, as ingest stores them. */
    private static List<Sample> reconstructed(FrameLayout layout, List<Frame> captured) throws Exception {
        FrameEncoder enc = new FrameEncoder(layout);
        FrameDecoder dec = new FrameDecoder(layout);
        List<Sample> out = new ArrayList<>(captured.size());
        long seq = 0;
        for (int from = 0; from < captured.size(); from += 50) {
            List<Frame> b = captured.subList(from, Math.min(captured.size(), from + 50));
            for (Frame f : dec.decode(enc.encode(seq, b).bytes()).frames()) {
                out.add(new Sample(seq++, f));
            }
        }
        return out;
    }

    private Result sqlite(String workload, List<List<Sample>> cars, StoreLayout layout) throws Exception {
        Path dir = Files.createTempDirectory("storebench");
        Path file = dir.resolve("fleetlog.db");
        String url = "jdbc:sqlite:" + file;
        Stores.open(url, layout).close();
        long empty = sqliteBytes(url, file);
        double rate;
        try (SampleStore store = Stores.open(url, layout)) {
            rate = ingest(store, cars);
            Stores.compactAll(store);
            check(store, cars);
        }
        long bytes = sqliteBytes(url, file) - empty;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        long frames = frames(cars);
        return new Result("sqlite", workload, layout, frames, rate, (double) bytes / frames, Double.NaN);
    }

    /** The file (and any WAL) after a checkpoint and {@code VACUUM}. */
    private static long sqliteBytes(String url, Path file) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            st.execute("VACUUM");
        }
        long bytes = 0;
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path p = Path.of(file + suffix);
            bytes += Files.exists(p) ? Files.size(p) : 0;
        }
        return bytes;
    }

    private Result postgres(String workload, List<List<Sample>> cars, StoreLayout layout) throws Exception {
        String schema = "storebench_" + layout + "_" + System.nanoTime();
        String url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        double rate;
        long empty;
        try (SampleStore store = Stores.open(url, layout)) {
            try (Connection c = DriverManager.getConnection(url);
                    Statement st = c.createStatement()) {
                st.execute("VACUUM FULL");
                empty = schemaBytes(st, schema);
            }
            rate = ingest(store, cars);
            Stores.compactAll(store);
            check(store, cars);
        }
        long frames = frames(cars);
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("VACUUM");
            long vacuumed = schemaBytes(st, schema) - empty;
            st.execute("VACUUM FULL");
            long full = schemaBytes(st, schema) - empty;
            return new Result(
                    "postgresql", workload, layout, frames, rate, (double) vacuumed / frames, (double) full / frames);
        } finally {
            ServerBench.dropSchema(url);
        }
    }

    /** Heap, indexes and TOAST of every table of the schema (partitions included; parents hold nothing). */
    private static long schemaBytes(Statement st, String schema) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema
                + "' AND c.relkind = 'r'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Appends every car's frames in batches, one thread per car; frames/s until the last commit. */
    private double ingest(SampleStore store, List<List<Sample>> cars) throws Exception {
        List<String> vins = vins(cars.size());
        long start = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int v = 0; v < cars.size(); v++) {
                List<Sample> car = cars.get(v);
                String vin = vins.get(v);
                fs.add(ex.submit(() -> {
                    for (int from = 0; from < car.size(); from += batch) {
                        store.append(vin, car.subList(from, Math.min(car.size(), from + batch)));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        return frames(cars) / ((System.nanoTime() - start) / 1e9);
    }

    /** Every car holds exactly its frames; the first one is read back whole and compared. */
    private static void check(SampleStore store, List<List<Sample>> cars) {
        List<String> vins = vins(cars.size());
        for (int v = 0; v < cars.size(); v++) {
            if (store.count(vins.get(v)) != cars.get(v).size()) {
                throw new IllegalStateException(vins.get(v) + " holds " + store.count(vins.get(v)) + " frames, not "
                        + cars.get(v).size());
            }
        }
        List<Sample> back = new ArrayList<>();
        store.scan(vins.get(0), Long.MIN_VALUE, Long.MAX_VALUE, back::add);
        if (!back.equals(cars.get(0))) {
            throw new IllegalStateException("the frames of " + vins.get(0) + " did not read back equal");
        }
    }

    private static List<String> vins(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(DriveSimulator.vin(VehicleModel.MODEL3, i));
        }
        return out;
    }

    private static long frames(List<List<Sample>> cars) {
        return cars.stream().mapToLong(List::size).sum();
    }

    private void print(List<Result> results) {
        out.println();
        out.println("| store | workload | layout | frames | ingest frames/s | bytes/frame (VACUUM) |"
                + " bytes/frame (VACUUM FULL) | size rows/chunks | ingest chunks/rows |");
        out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            Result rows = results.stream()
                    .filter(x -> x.store().equals(r.store())
                            && x.workload().equals(r.workload())
                            && x.layout() == StoreLayout.ROWS)
                    .findFirst()
                    .orElse(r);
            boolean chunks = r.layout() == StoreLayout.CHUNKS;
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %,d | %,.0f | %.1f | %s | %s | %s |%n",
                    r.store(),
                    r.workload(),
                    r.layout(),
                    r.frames(),
                    r.ingestPerSecond(),
                    r.bytesPerFrame(),
                    Double.isNaN(r.bytesPerFrameFull())
                            ? "–"
                            : String.format(Locale.ROOT, "%.1f", r.bytesPerFrameFull()),
                    chunks ? String.format(Locale.ROOT, "%.1f×", best(rows) / best(r)) : "",
                    chunks ? String.format(Locale.ROOT, "%.2f×", r.ingestPerSecond() / rows.ingestPerSecond()) : "");
        }
        out.flush();
    }

    /** The smaller of the two sizes (VACUUM FULL when measured). */
    private static double best(Result r) {
        return Double.isNaN(r.bytesPerFrameFull()) ? r.bytesPerFrame() : r.bytesPerFrameFull();
    }
}
