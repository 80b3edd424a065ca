package io.fleetlog.bench.edge;

import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.sample.Sample;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Benchmark command for the edge spool: durable append throughput with group commit, and drain
 * (peek + ack, i.e. read + delete) throughput, in samples per second, printed as a table.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fleetlog.bench.edge.SpoolBench [--samples N] [--synchronous full|normal|off]
 *     [--group-samples N] [--chunk N] [--drain-batch N] [--dir DIR]
 * </pre>
 *
 * Samples come from the drive simulator (10,000 pre-generated, reused). A warm-up round of 20 % of
 * the samples on a separate file runs first and is not reported. Append: the producer appends
 * chunks as a vehicle would, group commits run on the spool's thread, timing stops when the last
 * commit returned ({@code flush}). Drain: peek a batch from the oldest seq, ack its last seq, repeat
 * until the spool is empty — the uplink's read + delete path without the network.
 */
public final class SpoolBench {
    private SpoolBench() {}

    /**
     * One measured phase: wall-clock seconds and the CPU seconds the whole process used meanwhile (all
     * threads: producer, spool thread, JIT, GC), so a loaded machine still shows what one core does.
     */
    public record Result(String phase, long samples, double seconds, double cpuSeconds) {
        public double perSecond() {
            return samples / seconds;
        }

        public double perCpuSecond() {
            return samples / cpuSeconds;
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        long samples = 1_000_000;
        SpoolConfig.Synchronous sync = SpoolConfig.Synchronous.FULL;
        int group = SpoolConfig.DEFAULT_GROUP_COMMIT_SAMPLES;
        int chunk = 1_000;
        int drainBatch = 2_000;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = Long.parseLong(args[++i]);
                case "--synchronous" -> sync = SpoolConfig.Synchronous.parse(args[++i]);
                case "--group-samples" -> group = Integer.parseInt(args[++i]);
                case "--chunk" -> chunk = Integer.parseInt(args[++i]);
                case "--drain-batch" -> drainBatch = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + " (known: --samples --synchronous --group-samples --chunk --drain-batch --dir)");
            }
        }
        List<Result> r = run(samples, sync, group, chunk, drainBatch, dir);
        print(System.out, r, samples, sync, group, chunk, drainBatch);
    }

    /** Runs both phases in a fresh spool under {@code dir} (a temp dir when null) and deletes it. */
    public static List<Result> run(
            long samples, SpoolConfig.Synchronous sync, int group, int chunk, int drainBatch, Path dir)
            throws IOException, InterruptedException {
        Path d = dir == null ? Files.createTempDirectory("spool-bench") : Files.createDirectories(dir);
        Path file = d.resolve("bench-" + System.nanoTime() + ".spool");
        List<Sample> pool = pool(10_000);
        SpoolConfig config = SpoolConfig.defaults()
                .withGroupCommit(SpoolConfig.DEFAULT_GROUP_COMMIT_INTERVAL, group)
                .withSynchronous(sync)
                .withMaxSamples(Math.max(samples, 1), SpoolConfig.FullPolicy.BLOCK);
        List<Result> out = new ArrayList<>();
        try (Spool warm = Spools.open(d.resolve(file.getFileName() + "-warmup"), config)) {
            // JIT warm-up on a separate file, not reported: 20 % of the samples, both phases
            long w = Math.max(1, samples / 5);
            append(warm, pool, w, chunk, "warm-up");
            drain(warm, w, drainBatch);
        }
        try (Spool spool = Spools.open(file, config)) {
            out.add(append(spool, pool, samples, chunk, "append (group commit)"));
            out.add(drain(spool, samples, drainBatch));
        } finally {
            try (Stream<Path> files = Files.list(d)) {
                for (Path p : files.filter(p -> p.getFileName()
                                .toString()
                                .startsWith(file.getFileName().toString()))
                        .sorted(Comparator.reverseOrder())
                        .toList()) {
                    Files.deleteIfExists(p);
                }
            }
            if (dir == null) {
                Files.deleteIfExists(d);
            }
        }
        return out;
    }

    static List<Sample> pool(int n) {
        DriveSimulator sim = new DriveSimulator(VehicleModel.MODEL3, 1, 1_764_180_000_000L, Duration.ofMillis(20L * n));
        List<Sample> out = new ArrayList<>(n);
        for (Sample s = sim.next(); s != null; s = sim.next()) {
            out.add(s);
        }
        return out;
    }

    static Result append(Spool spool, List<Sample> pool, long samples, int chunk, String phase)
            throws InterruptedException {
        List<Sample> buf = new ArrayList<>(chunk);
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        long done = 0;
        int i = 0;
        while (done < samples) {
            buf.clear();
            int n = (int) Math.min(chunk, samples - done);
            for (int k = 0; k < n; k++) {
                buf.add(pool.get(i));
                i = i + 1 == pool.size() ? 0 : i + 1;
            }
            spool.append(buf);
            done += n;
        }
        spool.flush();
        return new Result(phase, samples, (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
    }

    static Result drain(Spool spool, long samples, int batch) {
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        long from = 0;
        long drained = 0;
        while (true) {
            List<Sample> got = spool.peek(from, batch);
            if (got.isEmpty()) {
                break;
            }
            long last = got.get(got.size() - 1).seq();
            drained += spool.ack(last);
            from = last + 1;
        }
        if (drained != samples) {
            throw new IllegalStateException("drained " + drained + " of " + samples + " samples");
        }
        return new Result(
                "drain (peek " + batch + " + ack)", drained, (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
    }

    static void print(
            PrintStream out,
            List<Result> results,
            long samples,
            SpoolConfig.Synchronous sync,
            int group,
            int chunk,
            int drainBatch) {
        out.printf(
                Locale.ROOT,
                "spool benchmark: %,d samples, synchronous=%s, group commit %d samples / %d ms, append chunk %d, %d cores%n",
                samples,
                sync,
                group,
                SpoolConfig.DEFAULT_GROUP_COMMIT_INTERVAL.toMillis(),
                chunk,
                Runtime.getRuntime().availableProcessors());
        out.printf(
                Locale.ROOT,
                "| %-28s | %12s | %9s | %12s | %11s | %16s |%n",
                "phase",
                "samples",
                "seconds",
                "samples/s",
                "cpu seconds",
                "samples/cpu-s");
        out.printf(
                Locale.ROOT,
                "|%s|%s|%s|%s|%s|%s|%n",
                "-".repeat(30),
                "-".repeat(14),
                "-".repeat(11),
                "-".repeat(14),
                "-".repeat(13),
                "-".repeat(18));
        for (Result r : results) {
            out.printf(
                    Locale.ROOT,
                    "| %-28s | %,12d | %9.3f | %,12.0f | %11.3f | %,16.0f |%n",
                    r.phase(),
                    r.samples(),
                    r.seconds(),
                    r.perSecond(),
                    r.cpuSeconds(),
                    r.perCpuSecond());
        }
    }
}
