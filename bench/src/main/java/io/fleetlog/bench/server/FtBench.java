package io.fleetlog.bench.server;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.ft.FtStream;
import io.fleetlog.ft.FtWriter;
import io.fleetlog.ft.client.FramePayloads;
import io.fleetlog.ft.client.FtTls;
import io.fleetlog.ft.pki.DevCa;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.ft.FtConfig;
import io.fleetlog.server.tls.TlsConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Fleet Telemetry ingest benchmark (issue 15): a real {@link FleetServer} with its Fleet Telemetry
 * listener, {@code cars} simulated cars in the same JVM, each over its own mutual-TLS connection with
 * its own certificate (CN = VIN, from {@link DevCa}), sending vehicle-data records of {@code datums}
 * typed Datums as fast as their acks allow ({@code window} records unacked per car). It measures
 * records acked per second during {@code seconds} after {@code warmup} seconds, the send-to-ack
 * latency (p50/p99/max), the CPU seconds per record of the whole JVM (server and cars), and checks
 * that the store holds exactly the acked records. SQLite and PostgreSQL side by side.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.server.FtBench [--cars 1000]
 * [--window 2] [--datums 20] [--warmup 5] [--seconds 20] [--pg JDBC_URL|none]}.
 */
public final class FtBench {
    private static final long T0 = 1_790_000_000_000L;
    private static final Catalogue CAT = Catalogue.builtin();

    private final Map<String, String> opts;
    private final PrintStream out;

    FtBench(Map<String, String> opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ServerBench.quietLogs();
        new FtBench(ServerBench.options(args), System.out).run();
        System.exit(0);
    }

    private long opt(String name, long def) {
        return Long.parseLong(opts.getOrDefault(name, Long.toString(def)));
    }

    List<String[]> run() throws Exception {
        int cars = (int) opt("cars", 1000);
        int window = (int) opt("window", 2);
        int datums = (int) opt("datums", 20);
        int warmup = (int) opt("warmup", 5);
        int seconds = (int) opt("seconds", 20);
        String pg = opts.getOrDefault(
                "pg",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=ftbench_"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
        Path dir = Files.createTempDirectory("fleetlog-ftbench");
        out.printf(
                Locale.ROOT,
                "fleetlog Fleet Telemetry benchmark: %d cars over mutual TLS, %d Datums per record, window %d,"
                        + " %d s warm-up + %d s measured; %d cores, load average %.1f at start%n",
                cars,
                datums,
                window,
                warmup,
                seconds,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        DevCa ca = DevCa.create(dir.resolve("ca"), "bench CA", Duration.ofDays(1));
        DevCa.Issued server = ca.issueServer(dir.resolve("server"), List.of("localhost"), Duration.ofDays(1));
        List<String> vins = new ArrayList<>();
        List<SSLContext> contexts = new ArrayList<>();
        for (int i = 0; i < cars; i++) {
            String vin = Vin.withCheckDigit(String.format(Locale.ROOT, "5YJ3E1EA0P%07d", 3_000_000 + i));
            DevCa.Issued c = ca.issueVehicle(dir.resolve("car" + i), vin, Duration.ofDays(1));
            vins.add(vin);
            contexts.add(FtTls.clientContext(c.certFile(), c.keyFile(), dir.resolve("ca/ca.pem")));
        }
        List<Integer> ids = signals(datums);
        List<String[]> rows = new ArrayList<>();
        List<String> stores = new ArrayList<>(List.of("jdbc:sqlite:" + dir.resolve("ft.db")));
        if (!pg.equals("none")) {
            stores.add(pg);
        }
        for (String db : stores) {
            String kind = db.startsWith("jdbc:sqlite") ? "sqlite" : "postgresql";
            ServerConfig cfg = ServerBench.config(db, Map.of())
                    .withTls(TlsConfig.of(server.certFile(), server.keyFile()).withClientCa(dir.resolve("ca/ca.pem")))
                    .withFleetTelemetry(FtConfig.onPort(0).withRateLimit(0, Duration.ofSeconds(1)));
            try (FleetServer s = FleetServer.start(cfg)) {
                rows.addAll(measure(s, kind, vins, contexts, ids, window, warmup, seconds));
            } finally {
                if (kind.equals("postgresql")) {
                    ServerBench.dropSchema(db);
                }
            }
        }
        rows.add(ServerBench.row(
                "system load average at the end (2 cores shared with other jobs)",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                ""));
        new ServerBench(Map.of(), out).printTable(rows);
        return rows;
    }

    /** {@code n} built-in signals that have a Fleet Telemetry Field, of the kinds a car sends most. */
    static List<Integer> signals(int n) {
        FramePayloads enc = new FramePayloads(CAT);
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < CAT.size() && ids.size() < n; id++) {
            Signal s = CAT.signal(id);
            if (enc.sent(id)
                    && (s.type() instanceof FloatType
                            || s.type() instanceof IntegerType
                            || s.type() instanceof BooleanType
                            || s.type() instanceof EnumType
                            || s.type() instanceof LocationType)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Record {@code i} of a car: values that change a little every record. */
    static Frame frame(List<Integer> ids, long tMs, int i) {
        Frame.Builder b = Frame.builder(tMs, ids.size());
        for (int id : ids) {
            Signal s = CAT.signal(id);
            switch (s.type()) {
                case FloatType f ->
                    b.number(id, Math.max(f.min(), Math.min(f.max(), Math.round((i % 500) * 0.7) / 10.0)));
                case IntegerType t -> b.integer(id, Math.max(t.min(), Math.min(t.max(), i % 100)));
                case BooleanType bt -> b.bool(id, (i & 1) == 0);
                case EnumType e ->
                    b.integer(id, e.values().get(i % e.values().size()).code());
                case LocationType l -> b.position(id, 37.4 + (i % 1000) * 1e-5, -122.1);
                default -> {}
            }
        }
        return b.build();
    }

    private List<String[]> measure(
            FleetServer s,
            String kind,
            List<String> vins,
            List<SSLContext> contexts,
            List<Integer> ids,
            int window,
            int warmup,
            int seconds)
            throws Exception {
        int cars = vins.size();
        int port = s.fleetTelemetry().port();
        FramePayloads enc = new FramePayloads(CAT);
        AtomicLong failures = new AtomicLong();
        AtomicLong ackedTotal = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        long[] phase = new long[2]; // measurement start, end (nanos); 0 = not yet
        Flags flags = new Flags();
        CountDownLatch connected = new CountDownLatch(cars);
        CountDownLatch done = new CountDownLatch(cars);
        Semaphore handshakes = new Semaphore(32);
        long connectStart = System.nanoTime();
        for (int c = 0; c < cars; c++) {
            String vin = vins.get(c);
            SSLContext ctx = contexts.get(c);
            Thread.ofVirtual().name("car-" + c).start(() -> {
                FtWsClient ws = null;
                try {
                    handshakes.acquire();
                    try {
                        ws = FtWsClient.connect(ctx, "localhost", port);
                    } finally {
                        handshakes.release();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    connected.countDown();
                    done.countDown();
                    return;
                }
                connected.countDown();
                runCar(ws, vin, enc, ids, window, flags, phase, ackedTotal, errors, latencies);
                ws.close();
                done.countDown();
            });
        }
        connected.await(300, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        flags.go = true;
        Thread.sleep(warmup * 1000L);
        long cpu0 = ServerBench.cpuNanos();
        long acked0 = ackedTotal.get();
        phase[0] = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        phase[1] = System.nanoTime();
        long acked1 = ackedTotal.get();
        double cpu = (ServerBench.cpuNanos() - cpu0) / 1e9;
        flags.stop = true;
        done.await(120, TimeUnit.SECONDS);
        double measured = (phase[1] - phase[0]) / 1e9;
        long recs = acked1 - acked0;
        long stored = 0;
        for (String vin : vins) {
            stored += s.store().count(vin);
        }
        long[] l = latencies.stream()
                .flatMapToLong(Arrays::stream)
                .filter(x -> x > 0)
                .sorted()
                .toArray();
        List<String[]> rows = new ArrayList<>();
        String tag = kind + ", " + cars + " cars";
        rows.add(ServerBench.row(
                "Fleet Telemetry records acked after commit (" + tag + ")", recs / measured, "records/s"));
        rows.add(ServerBench.row("  Datums acked (" + tag + ")", recs * ids.size() / measured, "Datums/s"));
        rows.add(ServerBench.row("  ack latency p50 (" + kind + ")", ServerBench.pct(l, 0.50) / 1e6, "ms"));
        rows.add(ServerBench.row("  ack latency p99 (" + kind + ")", ServerBench.pct(l, 0.99) / 1e6, "ms"));
        rows.add(ServerBench.row("  ack latency max (" + kind + ")", l.length == 0 ? 0 : l[l.length - 1] / 1e6, "ms"));
        rows.add(ServerBench.row(
                "  CPU per 1,000 records, server + cars (" + kind + ")", cpu * 1000 / Math.max(1, recs), "CPU-s"));
        rows.add(ServerBench.row(
                "  records stored / acked in all (" + kind + ")",
                stored,
                "/ " + String.format(Locale.ROOT, "%,d", ackedTotal.get())));
        rows.add(ServerBench.row(
                "  connections failed / error replies (" + kind + ")", failures.get(), "/ " + errors.get()));
        rows.add(ServerBench.row("  time to connect all cars (" + kind + ")", connectSeconds, "s"));
        if (stored != ackedTotal.get()) {
            throw new IllegalStateException(
                    kind + ": " + stored + " records stored but " + ackedTotal.get() + " acked");
        }
        return rows;
    }

    static final class Flags {
        volatile boolean go;
        volatile boolean stop;
    }

    /** One car: a reader thread takes acks, this thread sends while fewer than {@code window} are unacked. */
    private static void runCar(
            FtWsClient ws,
            String vin,
            FramePayloads enc,
            List<Integer> ids,
            int window,
            Flags flags,
            long[] phase,
            AtomicLong ackedTotal,
            AtomicLong errors,
            ConcurrentLinkedQueue<long[]> latencies) {
        Semaphore slots = new Semaphore(window);
        int cap = 1 << 16;
        long[] sentAt = new long[cap];
        long[] mine = new long[cap];
        int[] nLat = {0};
        AtomicLong outstanding = new AtomicLong();
        byte[] sender = ("vehicle_device." + vin).getBytes(StandardCharsets.UTF_8);
        byte[] topic = "V".getBytes(StandardCharsets.UTF_8);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    byte[] m = ws.readMessage();
                    if (m == null) {
                        return;
                    }
                    long now = System.nanoTime();
                    FtEnvelope env = FtEnvelope.parse(m);
                    if (env.messageType() != FtEnvelope.TYPE_ACK) {
                        errors.incrementAndGet();
                    } else {
                        int i = Integer.parseInt(env.txidText());
                        ackedTotal.incrementAndGet();
                        long p0 = phase[0];
                        long p1 = phase[1];
                        if (p0 != 0 && now >= p0 && (p1 == 0 || now < p1) && nLat[0] < cap) {
                            mine[nLat[0]++] = now - sentAt[i & (cap - 1)];
                        }
                    }
                    outstanding.decrementAndGet();
                    slots.release();
                }
            } catch (Exception e) {
                // connection gone
            }
        });
        try {
            while (!flags.go) {
                Thread.sleep(10);
            }
            for (int i = 0; !flags.stop; i++) {
                slots.acquire();
                if (flags.stop) {
                    break;
                }
                Frame f = frame(ids, T0 + i * 1000L, i);
                byte[] payload =
                        enc.payload(vin, f, FramePayloads.Style.TYPED, false).toByteArray();
                byte[] txid = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                byte[] msg = FtWriter.stream(
                        txid, topic, txid, new FtStream(f.timeMs() / 1000, sender, payload, null, null, 0));
                sentAt[i & (cap - 1)] = System.nanoTime();
                outstanding.incrementAndGet();
                ws.sendBinary(msg);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            // connection gone
        } finally {
            ws.close();
            try {
                reader.join(5_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            latencies.add(Arrays.copyOf(mine, nLat[0]));
        }
    }
}
