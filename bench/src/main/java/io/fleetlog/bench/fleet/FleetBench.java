package io.fleetlog.bench.fleet;

import io.fleetlog.sample.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The fleet benchmark: one command, one markdown table (issue 5, item 4).
 *
 * <ol>
 *   <li>backlog drain of a dead zone ({@link BacklogDrain});
 *   <li>capture → stored latency while online ({@link OnlineLatency});
 *   <li>bytes per sample of the simulated highway and city drives and the real Tessie drive in five
 *       encodings ({@link WireSizes}, {@link Drives});
 *   <li>peak heap and CPU of the edge fleet in a 64 MB child JVM ({@link EdgeFootprint}).
 * </ol>
 *
 * <p>Run from the repository root after {@code ./mvnw -B -ntp -q -pl bench -am verify}:
 * {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.fleet.FleetBench [--quick] [--out FILE]}.
 * It prints the table on stdout; the full run also rewrites {@code docs/bench-fleet.md} (with the
 * machine, date, JDK and command), {@code --quick} (tiny sizes, seconds; what the smoke test runs)
 * writes a file only when {@code --out} is given. Every figure is measured in this run; a missed goal
 * is shown as missed.
 */
public final class FleetBench {
    static final String COMMAND = "java -cp bench/target/benchmarks.jar io.fleetlog.bench.fleet.FleetBench";
    static final Path DEFAULT_OUT = Path.of("docs", "bench-fleet.md");

    static final double DRAIN_GOAL_S = 10;
    static final double LATENCY_P99_GOAL_MS = 300;
    static final double HIGHWAY_GOAL_PCT = 80;
    static final double CITY_GOAL_PCT = 40;
    static final long HEAP_GOAL_BYTES = 64L << 20;

    /**
     * How big each benchmark is.
     *
     * @param vehicles fleet size of benchmarks 1, 2 and 4
     * @param deadZoneSeconds capture seconds buffered per vehicle before the drain
     * @param latencySeconds real-time capture seconds of the latency run
     * @param latencyWarmUp capture time at the start of the latency run left out of the percentiles
     * @param driveScan capture time of the simulated drive the highway and city stretches are taken from
     * @param driveSeconds longest simulated stretch measured for bytes per sample
     * @param edgeSeconds capture seconds per vehicle of the footprint run (at max speed)
     */
    record Sizes(
            int vehicles,
            int deadZoneSeconds,
            double latencySeconds,
            Duration latencyWarmUp,
            Duration driveScan,
            int driveSeconds,
            int edgeSeconds) {

        static Sizes full() {
            return new Sizes(5, 3600, 25, Duration.ofSeconds(2), Duration.ofHours(3), 600, 600);
        }

        static Sizes quick() {
            return new Sizes(5, 20, 2, Duration.ofMillis(500), Duration.ofMinutes(15), 60, 20);
        }
    }

    /** Everything one run measured. */
    record Report(
            Sizes sizes,
            BacklogDrain.Result drain,
            OnlineLatency.Result latency,
            WireSizes.Result highway,
            WireSizes.Result city,
            Optional<WireSizes.Result> tessie,
            EdgeFootprint.Result edge,
            Instant finished) {}

    private FleetBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> {
                    if (i + 1 == args.length) {
                        usage("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        quietLogs();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Report r = run(quick ? Sizes.quick() : Sizes.full());
        String table = table(r);
        System.out.print(table);
        if (out == null && !quick && Files.isDirectory(DEFAULT_OUT.getParent())) {
            out = DEFAULT_OUT;
        }
        if (out != null) {
            String command = COMMAND + (args.length == 0 ? "" : " " + String.join(" ", args));
            Files.writeString(out, document(r, table, command, load), StandardCharsets.UTF_8);
            System.out.println("written to " + out);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: " + COMMAND + " [--quick] [--out FILE]");
        System.exit(2);
    }

    /** Runs the four benchmarks in a temporary directory, which is deleted afterwards. */
    static Report run(Sizes sizes) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("fleetbench");
        try {
            List<BenchVehicle> fleet = BenchVehicle.fleet(sizes.vehicles());
            long t = System.nanoTime();
            Drives.Simulated drives = Drives.simulated(sizes.driveScan(), sizes.driveSeconds());
            WireSizes.Result highway = WireSizes.measure("simulated highway", Drives.simulatedVin(), drives.highway());
            WireSizes.Result city = WireSizes.measure("simulated city", Drives.simulatedVin(), drives.city());
            Optional<List<Sample>> real = Drives.tessie();
            Optional<WireSizes.Result> tessie =
                    real.map(s -> WireSizes.measure("real Tessie drive", Drives.simulatedVin(), s));
            t = progress("bytes per sample", t);
            OnlineLatency.Result latency = OnlineLatency.run(
                    Files.createDirectory(work.resolve("latency")),
                    fleet,
                    sizes.latencySeconds(),
                    1.0,
                    sizes.latencyWarmUp());
            t = progress("online latency", t);
            BacklogDrain.Result drain = BacklogDrain.run(
                    Files.createDirectory(work.resolve("drain")),
                    fleet,
                    sizes.deadZoneSeconds(),
                    Duration.ofSeconds(120));
            t = progress("backlog drain", t);
            EdgeFootprint.Result edge =
                    EdgeFootprint.run(Files.createDirectory(work.resolve("edge")), fleet, sizes.edgeSeconds());
            progress("edge footprint", t);
            return new Report(sizes, drain, latency, highway, city, tessie, edge, Instant.now());
        } finally {
            deleteTree(work);
        }
    }

    /** Says on stderr that a phase is done and how long it took; returns now. */
    private static long progress(String phase, long since) {
        long now = System.nanoTime();
        System.err.printf(Locale.ROOT, "fleetbench: %s done in %.1f s%n", phase, (now - since) / 1e9);
        return now;
    }

    // ---- the table

    /** The one markdown table of a run. */
    static String table(Report r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(drainRow(r.drain()));
        rows.add(latencyRow(r.latency(), r.sizes()));
        rows.add(sizeRow("3a", r.highway(), HIGHWAY_GOAL_PCT));
        rows.add(sizeRow("3b", r.city(), CITY_GOAL_PCT));
        rows.add(r.tessie().map(t -> sizeRow("3c", t, Double.NaN)).orElse(new String[] {
            "3c",
            "Bytes per sample, real Tessie drive",
            "not measured: " + Drives.tessiePath() + " is missing",
            "none",
            "n/a"
        }));
        rows.add(edgeRow(r.edge()));
        StringBuilder b = new StringBuilder();
        b.append("| # | Benchmark | Measured | Goal | Verdict |\n");
        b.append("|---|---|---|---|---|\n");
        for (String[] row : rows) {
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return b.toString();
    }

    private static String[] drainRow(BacklogDrain.Result d) {
        boolean all = d.stored() == d.samples();
        String what = String.format(
                Locale.ROOT,
                "Backlog drain: %d vehicles × %s dead zone at 50 Hz (%,d samples in the spools)",
                d.vehicles(),
                seconds(d.samples() / d.vehicles() / 50.0),
                d.samples());
        String measured = all
                ? String.format(
                        Locale.ROOT,
                        "all %,d stored in **%.2f s** (%,.0f samples/s; the first after %.2f s; the server's store"
                                + " was busy committing during %.2f s of it); acked on every edge (spools empty) after"
                                + " %.2f s",
                        d.stored(),
                        d.storedSeconds(),
                        d.samplesPerSecond(),
                        d.firstStoredSeconds(),
                        d.storeBusySeconds(),
                        d.ackedSeconds())
                : String.format(
                        Locale.ROOT,
                        "only %,d of %,d stored after %.1f s (timeout)",
                        d.stored(),
                        d.samples(),
                        d.storedSeconds());
        return new String[] {"1", what, measured, "< 10 s", verdict(all && d.storedSeconds() < DRAIN_GOAL_S)};
    }

    private static String[] latencyRow(OnlineLatency.Result l, Sizes sizes) {
        String what = String.format(
                Locale.ROOT,
                "Capture → stored latency while online: %d vehicles in real time for %s (%,d samples after a"
                        + " %s warm-up)",
                l.vehicles(),
                seconds(l.seconds()),
                l.samples(),
                seconds(sizes.latencyWarmUp().toMillis() / 1000.0));
        String measured = String.format(
                Locale.ROOT,
                "p50 **%.0f ms**, p99 **%.0f ms**, max %.0f ms; %d captured samples not stored",
                l.p50(),
                l.p99(),
                l.max(),
                l.missing());
        return new String[] {
            "2", what, measured, "p99 < 300 ms", verdict(l.samples() > 0 && l.missing() == 0 && l.p99() < 300)
        };
    }

    private static String[] sizeRow(String id, WireSizes.Result s, double goalPct) {
        String what = String.format(
                Locale.ROOT,
                "Bytes per sample, %s (%,d samples, %s of capture)",
                s.drive(),
                s.samples(),
                seconds(s.captureSeconds()));
        String measured = String.format(
                Locale.ROOT,
                "fleetlog **%.2f** · full protobuf %.2f · JSON %.2f · gzip JSON %.2f · zstd protobuf %.2f B/sample;"
                        + " fleetlog is **%.1f %%** smaller than full protobuf",
                s.perSample(s.fleetlog()),
                s.perSample(s.fullProtobuf()),
                s.perSample(s.json()),
                s.perSample(s.gzipJson()),
                s.perSample(s.zstdProtobuf()),
                s.savingVsProtobuf());
        if (Double.isNaN(goalPct)) {
            return new String[] {id, what, measured, "none (reported)", "n/a"};
        }
        return new String[] {
            id,
            what,
            measured,
            String.format(Locale.ROOT, "≥ %.0f %% smaller than full protobuf", goalPct),
            verdict(s.samples() > 0 && s.savingVsProtobuf() >= goalPct)
        };
    }

    private static String[] edgeRow(EdgeFootprint.Result e) {
        boolean ok = e.exitCode() == 0 && e.drained() && e.buffered() == 0;
        String what = String.format(
                Locale.ROOT,
                "Edge fleet footprint: %d agents × %s of drive at max speed (%,d samples), child JVM with %s",
                e.vehicles(),
                seconds(e.seconds()),
                e.samples(),
                EdgeFootprint.MAX_HEAP);
        String measured = String.format(
                Locale.ROOT,
                "%s; peak used heap **%.1f MB** (sampled every %d ms; at most %.1f MB right after a GC; heap"
                        + " pools' peaks add up to %.1f MB; limit %.0f MB, %s); CPU %.2f s in %.2f s wall ="
                        + " **%.1f µs/sample**",
                ok ? "captured, sent and acked everything" : "did NOT finish cleanly (exit " + e.exitCode() + ")",
                e.peakHeapBytes() / 1048576.0,
                EdgeFleetProcess.SAMPLE_MS,
                e.afterGcBytes() / 1048576.0,
                e.poolPeakBytes() / 1048576.0,
                e.maxHeapBytes() / 1048576.0,
                e.gc().replace('_', ' '),
                e.cpuSeconds(),
                e.wallSeconds(),
                e.cpuMicrosPerSample());
        return new String[] {"4", what, measured, "runs in a 64 MB heap", verdict(ok)};
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**MISSED**";
    }

    /** "25 s", "2.5 s", "10 min", "1 h". */
    private static String seconds(double s) {
        if (s != Math.rint(s)) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long n = (long) s;
        if (n >= 3600 && n % 3600 == 0) {
            return n / 3600 + " h";
        }
        if (n >= 60 && n % 60 == 0) {
            return n / 60 + " min";
        }
        return String.format(Locale.ROOT, "%,d s", n);
    }

    // ---- the document

    static String document(Report r, String table, String command, double loadAtStart) {
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(ZoneOffset.UTC)
                .format(r.finished());
        return """
                # Fleet benchmark

                Generated by one command, from the repository root, after \
                `./mvnw -B -ntp -q -pl bench -am verify` (it rewrites this file):

                ```
                %s
                ```

                - Date: %s
                - Machine: %s
                - JDK: %s
                - Load average when the run started: %s (other builds may share the machine)

                %s
                ## How each row is measured

                %s
                """.formatted(
                        command,
                        date,
                        machine(),
                        jdk(),
                        loadAtStart < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", loadAtStart),
                        table,
                        method(r.sizes()));
    }

    private static String method(Sizes s) {
        return METHOD.formatted(
                seconds(s.deadZoneSeconds()),
                s.deadZoneSeconds() * 50L,
                seconds(s.driveScan().toSeconds()),
                seconds(s.driveSeconds()),
                seconds(s.edgeSeconds()));
    }

    private static final String METHOD = """
            Server and edges run on this one machine over loopback: the server is the real `FleetServer`
            (Javalin/Jetty, WebSocket `/ingest`) with a fresh embedded SQLite store; each vehicle is a real
            `VehicleAgent` (SQLite spool with the default settings, synchronous=FULL, WebSocket uplink with
            the default batch sizes) connected through its own fault proxy, as in the demo. The fleet is 5
            simulated cars (Model 3, Model Y, Model S Plaid, Model X, Model 3), seeds 1–5.
            The rows are numbered as in issue 5; they run in the order 3, 2, 1, 4.

            1. **Backlog drain.** Each vehicle's spool is filled with its first %s of simulated 50 Hz
               drive (%,d samples) through the same `Spool.append` the capture thread uses while the
               link is cut. Then the agents start on those spools with the server reachable and nothing new
               to capture; the clock runs from their start (connect, handshake, drain batches of 2,000)
               until the server's store counts every sample, and until every edge's spool is empty (all
               acknowledged); "the first after" is when the first batch was committed (connect and
               handshake); "busy committing" is the wall time during which at least one
               store append (`append` or the pipelined `appendAsync` the ingest uses) was in progress on
               the server, from submission to commit (close to the whole drain time means the
               store's single SQLite writer is the bottleneck, much less means the edges or the wire are).
               Filling the spools is not timed. It runs after the latency run in the same JVM
               (a fresh server and fresh agents, but a warm JIT, as on a vehicle that has been running).
            2. **Latency.** The five cars capture in real time. "Appended" is the wall time the agent's
               capture loop asks its source for the next sample, right after it appended this one to the
               spool (the loop paces each sample to its capture time); "stored" is the wall time the
               server's store append (`appendAsync`) that committed it completed. Both are `System.nanoTime()` of one
               JVM. The latency includes the spool's group commit (≤ 100 ms), the uplink's live flush
               (≤ 100 ms), the wire, decoding and the store's commit. The first seconds (the first
               connection's handshake) are left out, as the row says.
            3. **Bytes per sample.** Highway: the longest stretch of the simulator's route (Model 3, seed 1,
               first %s) at ≥ 55 mph; city: the longest stretch at ≤ 38 mph that includes a stop; each cut to
               %s. The real drive is the Tessie export of a Model Y from `../shared/data/real/` (one sample
               per CSV row, about 13 s apart — as `fleetlog replay` sends it without resampling), so every
               sample there is far from its predecessor and keyframes (every 30 s) are frequent. fleetlog =
               the codec with the default thresholds (speed 2 mph, power 5 kW, SoC 0.5 %%, heading 5°, the
               rest lossless) in batches of 50 samples, Envelope bytes without WebSocket framing. Full
               protobuf = one length-delimited `FullSample` per sample. JSON = one compact object per line
               at the wire resolution. gzip JSON and zstd protobuf (level 3) compress the **whole** drive as
               one stream — more context than a live logger sending small batches ever has.
            4. **Edge footprint.** The five agents run in a child JVM with `-Xmx64m` (the server stays in the
               parent), each capturing %s of drive at max speed and sending it; the child waits until
               everything is acknowledged and closes the agents. Peak used heap is sampled every 10 ms
               (`MemoryMXBean`; with a 64 MB limit the collector lets garbage pile up as far as it likes, so
               this is not the working set); "right after a GC" is the largest heap occupancy reported by
               the collectors' notifications after a collection (closer to the live set); the sum of the
               heap pools' peak usages is an upper bound. CPU is the child's process CPU time
               (`OperatingSystemMXBean.getProcessCpuTime`, JVM start-up excluded) divided by
               the samples captured; it covers simulation, spool (SQLite), encoding, WebSocket and proxy.
            """;

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // not Linux: the CPU model is only decoration
        }
        long memory =
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getTotalMemorySize()
                        : 0;
        return String.format(
                Locale.ROOT,
                "%s %s (%s), %d cores, %s, %.1f GB RAM",
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                cpu,
                memory / 1e9);
    }

    private static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
    }

    /** Logs of the server and agents go to WARN unless FLEETLOG_LOG_LEVEL says otherwise. */
    private static void quietLogs() {
        if (System.getenv("FLEETLOG_LOG_LEVEL") == null
                && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                        instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
