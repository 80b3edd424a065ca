package io.fleetlog.bench.server;

import io.fleetlog.bench.codec.CodecV2Sizes;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end server benchmark: a real {@link FleetServer} on 127.0.0.1 and real WebSocket edges in
 * the same JVM (so the clients' CPU counts against the server: conservative on a 2-core box).
 *
 * <ol>
 *   <li>Ingest throughput into SQLite and into PostgreSQL, side by side: {@code vehicles} connections
 *       send pre-encoded batches ({@code batch} samples, at most {@code window} unacked per
 *       connection) until {@code samples} are acked; samples/s = samples / (first send → last ack).
 *       Every run checks the store holds exactly the samples sent.
 *   <li>The samples endpoint: one vehicle's samples as CSV and JSON, samples/s read by the client.
 *   <li>Concurrency: {@code fleet} vehicle connections at 50 Hz (a 5-sample batch every 100 ms each)
 *       for {@code seconds}, into SQLite; p50/p99/max ack latency (send → ack, client side).
 * </ol>
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.server.ServerBench
 * [--samples N] [--vehicles V] [--batch B] [--window W] [--fleet F] [--seconds S] [--pg JDBC_URL|none]
 * [--signals 8|40]}: frames of today's 8 fields (the 7 built-in signals that carry them) or of 40
 * signals ({@link CodecV2Sizes#wide}); a "sample" is one frame.
 */
public final class ServerBench {
    static final long T0 = 1_764_180_000_000L;
    static final Catalogue CATALOGUE = Catalogue.builtin();
    /** What every connection announces: the whole built-in catalogue, as a real edge does. */
    static final FrameLayout LAYOUT = FrameLayout.all(CATALOGUE);

    private final Map<String, String> opts;
    private int signals = 8;
    private final PrintStream out;

    ServerBench(Map<String, String> opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        new ServerBench(options(args), System.out).run();
        System.exit(0);
    }

    /** {@code --name value} pairs as a map (name without the dashes). */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }

    /** Per-frame debug logging would dominate the figures; keep warnings only. */
    static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    long opt(String name, long def) {
        return Long.parseLong(opts.getOrDefault(name, Long.toString(def)));
    }

    /** Runs everything and returns the measured rows (also printed as a table). */
    List<String[]> run() throws Exception {
        int samples = (int) opt("samples", 2_000_000);
        int vehicles = (int) opt("vehicles", 4);
        int batch = (int) opt("batch", 5_000);
        int window = (int) opt("window", 4);
        int fleet = (int) opt("fleet", 1_000);
        int seconds = (int) opt("seconds", 20);
        signals = (int) opt("signals", 8);
        if (signals != 8 && signals != 40) {
            throw new IllegalArgumentException("--signals " + signals + ": 8 or 40");
        }
        String pg = opts.getOrDefault(
                "pg",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=bench_"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
        Path dir = Files.createTempDirectory("fleetlog-bench");
        List<String[]> rows = new ArrayList<>();
        out.printf(
                Locale.ROOT,
                "fleetlog server benchmark: %d samples (frames of %d signals), %d vehicles, batches of %d, window %d;"
                        + " fleet %d x 50 Hz for %d s; %d cores, load average %.1f at start%n",
                samples,
                signals,
                vehicles,
                batch,
                window,
                fleet,
                seconds,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        List<String> stores = new ArrayList<>(List.of("jdbc:sqlite:" + dir.resolve("bench.db")));
        if (!pg.equals("none")) {
            stores.add(pg);
        }
        for (String db : stores) {
            String kind = db.startsWith("jdbc:sqlite") ? "sqlite" : "postgresql";
            Map<String, String> tokens = tokens(vehicles, 0);
            try (FleetServer s = FleetServer.start(config(db, tokens))) {
                long cpu0 = cpuNanos();
                double ingest = ingest(s, tokens, samples, batch, window);
                double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
                rows.add(row("ingest end to end (WebSocket → " + kind + " → ack)", ingest, "samples/s"));
                rows.add(row(
                        "ingest per CPU-second of this JVM, server + clients (" + kind + ")",
                        samples / cpuSeconds,
                        "samples/CPU-s"));
                String vin = tokens.keySet().iterator().next();
                rows.add(row("samples endpoint, CSV (" + kind + ")", read(s, vin, "csv"), "samples/s"));
                rows.add(row("samples endpoint, JSON (" + kind + ")", read(s, vin, "json"), "samples/s"));
            } finally {
                if (kind.equals("postgresql")) {
                    dropSchema(db);
                }
            }
        }
        if (fleet > 0) {
            Map<String, String> tokens = tokens(fleet, 1);
            try (FleetServer s = FleetServer.start(config("jdbc:sqlite:" + dir.resolve("fleet.db"), tokens))) {
                rows.addAll(fleet(s, tokens, seconds));
            }
        }
        rows.add(row(
                "system load average at the end (2 cores shared with other jobs)",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                ""));
        printTable(rows);
        return rows;
    }

    /** CPU time of this process (all threads), ns; -1 when the JVM does not tell. */
    public static long cpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    static ServerConfig config(String db, Map<String, String> tokens) {
        return ServerConfig.defaults(TokenStore.demo(tokens))
                .withDb(db)
                .withLimits(new ServerConfig.Limits(16 << 20, 65_536, 10, 256));
    }

    static Map<String, String> tokens(int n, int series) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(Vin.withCheckDigit(String.format("5YJ3E1EA0K%d%06d", series, i)), "token-" + i);
        }
        return m;
    }

    /** Ingest throughput over {@code tokens.size()} connections; verifies the stored count. */
    double ingest(FleetServer s, Map<String, String> tokens, int samples, int batch, int window) throws Exception {
        int per = samples / tokens.size();
        HttpClient http = HttpClient.newHttpClient();
        List<List<byte[]>> encoded = new ArrayList<>();
        for (int v = 0; v < tokens.size(); v++) {
            encoded.add(encode(per, batch, signals));
        }
        List<BenchEdge> edges = new ArrayList<>();
        for (var e : tokens.entrySet()) {
            edges.add(BenchEdge.open(http, s.baseUrl(), e.getKey(), e.getValue(), LAYOUT));
        }
        CountDownLatch done = new CountDownLatch(edges.size());
        long start = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int v = 0; v < edges.size(); v++) {
            BenchEdge edge = edges.get(v);
            List<byte[]> batches = encoded.get(v);
            senders.add(Thread.ofVirtual().start(() -> send(edge, batches, batch, per, window, done)));
        }
        if (!done.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("ingest did not finish in 600 s");
        }
        long nanos = System.nanoTime() - start;
        for (BenchEdge e : edges) {
            if (e.failure() != null) {
                throw new IllegalStateException("edge failed: " + e.failure());
            }
            e.close();
        }
        long stored = 0;
        for (String vin : tokens.keySet()) {
            stored += s.store().count(vin);
        }
        if (stored != (long) per * tokens.size()) {
            throw new IllegalStateException("stored " + stored + " samples, sent " + per * tokens.size());
        }
        return stored / (nanos / 1e9);
    }

    static void send(BenchEdge edge, List<byte[]> batches, int batch, int per, int window, CountDownLatch done) {
        send(edge, batches, batch, per, window, done, b -> {});
    }

    /** As above; {@code onSend} is told each batch's index just before it is handed to the socket. */
    static void send(
            BenchEdge edge,
            List<byte[]> batches,
            int batch,
            int per,
            int window,
            CountDownLatch done,
            java.util.function.IntConsumer onSend) {
        Semaphore inFlight = new Semaphore(window);
        AtomicLong acked = new AtomicLong(-1);
        edge.onAck(seq -> {
            long before = acked.getAndAccumulate(seq, Math::max);
            if (seq > before) {
                inFlight.release((int) ((seq - Math.max(before, -1)) / batch));
            }
            if (seq >= per - 1) {
                done.countDown();
            }
        });
        try {
            for (int i = 0; i < batches.size(); i++) {
                inFlight.acquire();
                onSend.accept(i);
                edge.sendNow(batches.get(i)).join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<byte[]> encode(int n, int batch, int signals) {
        FrameEncoder enc = new FrameEncoder(LAYOUT);
        List<byte[]> out = new ArrayList<>();
        for (int first = 0; first < n; first += batch) {
            List<Sample> b = new ArrayList<>(batch);
            for (int i = first; i < Math.min(n, first + batch); i++) {
                b.add(sample(i, T0 + i * 20L));
            }
            out.add(enc.encode(first, frames(b, signals)).bytes());
        }
        return out;
    }

    /** The frames of {@code samples}: their own 7 signals, or 40 ({@link CodecV2Sizes#wideFrames}). */
    static List<Frame> frames(List<Sample> samples, int signals) {
        if (signals == 40) {
            return CodecV2Sizes.wideFrames(CodecV2Sizes.wide(CATALOGUE), samples);
        }
        List<Frame> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            out.add(s.frame());
        }
        return out;
    }

    static Sample sample(long seq, long t) {
        double x = seq / 50.0;
        double[] v = new double[Field.COUNT];
        v[0] = 40 + 20 * Math.sin(x / 10);
        v[1] = 15 + 30 * Math.sin(x / 3);
        v[2] = 80 - x / 1000 % 70;
        v[3] = (x * 3) % 360;
        v[4] = 1000 + x * 0.015;
        v[5] = 37.4 + x * 1e-6;
        v[6] = -122.1 + x * 1e-6;
        v[7] = 12 + Math.sin(x / 50);
        return new Sample(seq, t, v);
    }

    /** Reads one vehicle's samples from the endpoint; samples/s as received by the client. */
    double read(FleetServer s, String vin, String format) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create(s.baseUrl() + "/api/vehicles/" + vin + "/samples?format=" + format))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        long count = 0;
        byte[] buf = new byte[1 << 16];
        // CSV: one line per frame; JSON: one "seq" key per frame (values nest objects, so '}' won't do)
        byte[] marker = format.equals("csv") ? new byte[] {'\n'} : "\"seq\":".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    matched = buf[i] == marker[matched] ? matched + 1 : (buf[i] == marker[0] ? 1 : 0);
                    if (matched == marker.length) {
                        count++;
                        matched = 0;
                    }
                }
            }
        }
        long nanos = System.nanoTime() - start;
        long rows = format.equals("csv") ? count - 1 : count;
        if (rows != s.store().count(vin)) {
            throw new IllegalStateException(format + " returned " + rows + " samples, store holds "
                    + s.store().count(vin));
        }
        return rows / (nanos / 1e9);
    }

    /** {@code tokens.size()} vehicles at 50 Hz for {@code seconds}; ack latency percentiles. */
    List<String[]> fleet(FleetServer s, Map<String, String> tokens, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        List<BenchEdge> edges = new ArrayList<>();
        List<FrameEncoder> encoders = new ArrayList<>();
        List<ConcurrentLinkedQueue<long[]>> pending = new ArrayList<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong ackedBatches = new AtomicLong();
        long connectStart = System.nanoTime();
        List<Map.Entry<String, String>> entries = new ArrayList<>(tokens.entrySet());
        BenchEdge[] opened = new BenchEdge[entries.size()];
        Semaphore connecting = new Semaphore(64); // vehicles come online in parallel, 64 handshakes at a time
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < entries.size(); i++) {
                int idx = i;
                pool.submit(() -> {
                    connecting.acquire();
                    try {
                        opened[idx] = BenchEdge.open(
                                http,
                                s.baseUrl(),
                                entries.get(idx).getKey(),
                                entries.get(idx).getValue(),
                                LAYOUT);
                    } finally {
                        connecting.release();
                    }
                    return null;
                });
            }
        }
        for (BenchEdge edge : opened) {
            if (edge == null) {
                throw new IllegalStateException("a fleet connection did not open");
            }
            ConcurrentLinkedQueue<long[]> q = new ConcurrentLinkedQueue<>();
            edge.onAck(seq -> {
                long now = System.nanoTime();
                long[] p;
                while ((p = q.peek()) != null && p[0] <= seq) {
                    q.poll();
                    latencies.add(now - p[1]);
                    ackedBatches.incrementAndGet();
                }
            });
            edges.add(edge);
            encoders.add(new FrameEncoder(LAYOUT));
            pending.add(q);
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        int ticks = seconds * 10;
        ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch finished = new CountDownLatch(ticks);
        long[] sent = new long[1];
        long start = System.nanoTime();
        tick.scheduleAtFixedRate(
                () -> {
                    long k = ticks - finished.getCount();
                    if (k >= ticks) {
                        return;
                    }
                    for (int v = 0; v < edges.size(); v++) {
                        List<Sample> b = new ArrayList<>(5);
                        for (int i = 0; i < 5; i++) {
                            long seq = k * 5 + i;
                            b.add(sample(seq, T0 + seq * 20));
                        }
                        byte[] bytes = encoders.get(v)
                                .encode(k * 5, frames(b, signals))
                                .bytes();
                        pending.get(v).add(new long[] {k * 5 + 4, System.nanoTime()});
                        edges.get(v).sendNow(bytes);
                        sent[0] += 5;
                    }
                    finished.countDown();
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
        finished.await(seconds + 120L, TimeUnit.SECONDS);
        tick.shutdown();
        long expected = (long) ticks * 5 * edges.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ackedBatches.get() < (long) ticks * edges.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long failures = edges.stream().filter(e -> e.failure() != null).count();
        edges.forEach(BenchEdge::close);
        long stored = 0;
        for (String vin : tokens.keySet()) {
            stored += s.store().count(vin);
        }
        long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        List<String[]> rows = new ArrayList<>();
        String tag = edges.size() + " vehicles x 50 Hz, " + seconds + " s (sqlite)";
        rows.add(row("fleet: connections opened (" + tag + ")", edges.size() / connectSeconds, "connections/s"));
        rows.add(row("fleet: samples stored / sent (" + tag + ")", stored, "of " + expected));
        rows.add(row("fleet: stored rate (" + tag + ")", stored / elapsed, "samples/s"));
        rows.add(row("fleet: ack latency p50 (" + tag + ")", pct(l, 0.50) / 1e6, "ms"));
        rows.add(row("fleet: ack latency p99 (" + tag + ")", pct(l, 0.99) / 1e6, "ms"));
        rows.add(row("fleet: ack latency max (" + tag + ")", l.length == 0 ? 0 : l[l.length - 1] / 1e6, "ms"));
        rows.add(row("fleet: connections failed (" + tag + ")", failures, ""));
        return rows;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static String[] row(String what, double value, String unit) {
        String v =
                value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
        return new String[] {what, v, unit};
    }

    void printTable(List<String[]> rows) {
        printTable(out, rows);
    }

    /** Prints {@code rows} (measurement, value, unit) as a Markdown table: every bench's output format. */
    public static void printTable(PrintStream out, List<String[]> rows) {
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(5);
        out.println();
        out.printf("| %-" + w0 + "s | %" + w1 + "s | %s%n", "measurement", "value", "unit |");
        out.println("|" + "-".repeat(w0 + 2) + "|" + "-".repeat(w1 + 2) + "|------|");
        for (String[] r : rows) {
            out.printf("| %-" + w0 + "s | %" + w1 + "s | %s |%n", r[0], r[1], r[2]);
        }
        out.flush();
    }

    /** Drops the schema named by {@code currentSchema=} in a PostgreSQL URL, if any (a bench's private schema). */
    public static void dropSchema(String url) {
        int q = url.indexOf("currentSchema=");
        if (q < 0) {
            return;
        }
        String schema = url.substring(q + "currentSchema=".length()).replaceAll("&.*", "");
        String base = url.replaceAll("currentSchema=[^&]*&?", "");
        try (Connection c = DriverManager.getConnection(base);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    static String describe(Object o) {
        return o instanceof long[] a ? Arrays.toString(a) : String.valueOf(o);
    }
}
