package io.fleetlog.bench.edge;

import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark command: the CPU a live edge spends per CAN frame. A real {@code fleetlog edge --can -}
 * child JVM reads candump lines from its standard input at a fixed rate (default 2,000 frames/s, a
 * busy 500 kbit/s bus), decodes, spools and uplinks them to a server in this process; its CPU time
 * (all threads, from {@link ProcessHandle.Info#totalCpuDuration()}) is sampled after a warm-up and at
 * the end of the feed.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fleetlog.bench.edge.LiveCanBench [--rate FRAMES_PER_S]
 *     [--seconds S] [--warmup S] [--dir DIR]
 * </pre>
 *
 * The frames: a simulated Model 3 drive through the built-in DBC (about 125 frames/s the mapping
 * reads) plus frames of IDs the DBC does not know, up to the rate, as a real bus carries many messages
 * a mapping ignores. The edge exits 0 only when every sample is acknowledged; the command fails
 * otherwise.
 */
public final class LiveCanBench {
    private static final String VIN = "5YJ3E1EB4PF100001";
    private static final String TOKEN = "live-can-bench";

    private LiveCanBench() {}

    /**
     * The measured window.
     *
     * @param frames frames piped in the window
     * @param seconds wall seconds of the window
     * @param cpuSeconds CPU seconds the edge JVM used in the window (all threads)
     * @param samples samples the edge stored on the server (whole run)
     * @param totalFrames frames piped (whole run)
     */
    public record Result(long frames, double seconds, double cpuSeconds, long samples, long totalFrames) {
        public double microsPerFrame() {
            return cpuSeconds * 1e6 / frames;
        }

        public double coreShare() {
            return cpuSeconds / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = 2_000;
        double seconds = 30;
        double warmup = 10;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path d = dir == null ? Files.createTempDirectory("livecan-bench") : dir;
        Result r = run(rate, seconds, warmup, d);
        print(System.out, r, rate, seconds, warmup);
    }

    /** Feeds {@code rate} frames/s for {@code warmup + seconds} seconds; measures the last {@code seconds}. */
    public static Result run(int rate, double seconds, double warmup, Path dir) throws Exception {
        List<String> lines = frames(rate, seconds + warmup, dir);
        try (FleetServer server = FleetServer.start(ServerConfig.defaults(TokenStore.demo(Map.of(VIN, TOKEN)))
                .withDb("jdbc:sqlite:" + dir.resolve("store.db")))) {
            Path token = Files.writeString(dir.resolve("token"), TOKEN);
            Process edge = edge(dir, server.baseUrl(), token);
            long warmFrames = Math.round(warmup * rate);
            long cpuAtWarm = 0;
            long nanosAtWarm = 0;
            long start = System.nanoTime();
            try (OutputStream in = edge.getOutputStream()) {
                StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < lines.size(); i++) {
                    if (i == warmFrames) {
                        flush(in, chunk);
                        cpuAtWarm = cpuNanos(edge);
                        nanosAtWarm = System.nanoTime();
                    }
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 2_000_000) {
                        flush(in, chunk);
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    chunk.append(lines.get(i)).append('\n');
                }
                flush(in, chunk);
                long cpuAtEnd = cpuNanos(edge);
                long nanosAtEnd = System.nanoTime();
                in.close();
                if (!edge.waitFor(120, TimeUnit.SECONDS) || edge.exitValue() != 0) {
                    edge.destroyForcibly();
                    throw new IllegalStateException(
                            "the edge did not deliver everything and exit 0; see " + dir.resolve("edge.log"));
                }
                long[] stored = {0};
                server.store().scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, s -> stored[0]++);
                return new Result(
                        lines.size() - warmFrames,
                        (nanosAtEnd - nanosAtWarm) / 1e9,
                        (cpuAtEnd - cpuAtWarm) / 1e9,
                        stored[0],
                        lines.size());
            } finally {
                edge.destroyForcibly();
            }
        }
    }

    private static void flush(OutputStream in, StringBuilder chunk) throws IOException {
        in.write(chunk.toString().getBytes(StandardCharsets.ISO_8859_1));
        in.flush();
        chunk.setLength(0);
    }

    private static long cpuNanos(Process p) {
        return p.info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report a process's CPU time"))
                .toNanos();
    }

    private static Process edge(Path dir, String server, Path token) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = List.of(
                java,
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.fleetlog.app.Main",
                "edge",
                "--can",
                "-",
                "--vin",
                VIN,
                "--server",
                server,
                "--token-file",
                token.toString(),
                "--spool-dir",
                dir.resolve("spool").toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("edge.log").toFile())
                .start();
    }

    /** Model 3 drive frames, topped up to {@code rate} with frames of IDs the DBC does not know, timed now. */
    static List<String> frames(int rate, double seconds, Path dir) throws IOException {
        long now = System.currentTimeMillis();
        long t0 = now - now % 20;
        Path log = dir.resolve("drive.candump");
        try (CandumpWriter w = CandumpWriter.create(log)) {
            new Model3CanEncoder("can0")
                    .writeLog(
                            new DriveSimulator(
                                    VehicleModel.MODEL3, 1, t0, Duration.ofMillis((long) (seconds * 1000) + 20)),
                            w);
        }
        List<String> drive = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        long n = Math.round(seconds * rate);
        List<String> out = new ArrayList<>((int) n);
        int d = 0;
        for (long i = 0; i < n; i++) {
            long us = t0 * 1000 + (long) (i * 1e6 / rate);
            if (d < drive.size() && micros(drive.get(d)) <= us) {
                String l = drive.get(d++);
                out.add(String.format(
                        Locale.ROOT, "(%d.%06d)%s", us / 1_000_000, us % 1_000_000, l.substring(l.indexOf(')') + 1)));
            } else {
                out.add(String.format(
                        Locale.ROOT,
                        "(%d.%06d) can0 %03X#%016X",
                        us / 1_000_000,
                        us % 1_000_000,
                        0x700 + (int) (i % 64),
                        i));
            }
        }
        return out;
    }

    private static long micros(String l) {
        String ts = l.substring(1, l.indexOf(')'));
        int dot = ts.indexOf('.');
        return Long.parseLong(ts.substring(0, dot)) * 1_000_000 + Long.parseLong(ts.substring(dot + 1));
    }

    static void print(PrintStream out, Result r, int rate, double seconds, double warmup) {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        out.printf(
                Locale.ROOT,
                "LiveCanBench: fleetlog edge --can - at %,d frames/s, %.0f s measured after %.0f s warm-up"
                        + " (%d cores, load average %.1f)%n",
                rate,
                seconds,
                warmup,
                Runtime.getRuntime().availableProcessors(),
                load);
        out.println("| frames measured | wall s | edge CPU s | CPU µs per frame | share of one core |"
                + " samples stored (all acked) |");
        out.println("|---:|---:|---:|---:|---:|---:|");
        out.printf(
                Locale.ROOT,
                "| %,d | %.1f | %.2f | %.1f | %.1f %% | %,d of %,d frames piped |%n",
                r.frames(),
                r.seconds(),
                r.cpuSeconds(),
                r.microsPerFrame(),
                100 * r.coreShare(),
                r.samples(),
                r.totalFrames());
    }
}
