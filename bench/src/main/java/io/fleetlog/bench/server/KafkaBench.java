package io.fleetlog.bench.server;

import io.fleetlog.kafka.BusConfig;
import io.fleetlog.kafka.KafkaBusStore;
import io.fleetlog.kafka.Sink;
import io.fleetlog.kafka.Topics;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Scale-out benchmark (docs/scale-out.md): edges → ingest → PostgreSQL end to end, side by side in
 * one run: the single-process server writing PostgreSQL, then one and two ingest replicas on Kafka
 * with one sink. A real one-node KRaft broker runs in this JVM, with the servers, the sink and the
 * WebSocket edges — so the figures are of one 2-core box doing everything, not of a cluster.
 *
 * <p>Each configuration: {@code vehicles} connections (spread over the replicas) send pre-encoded
 * batches of {@code batch} frames, at most {@code window} unacked each, until {@code samples} are
 * acked; frames/s = samples / (first send → the database holding all of them, polled every 20 ms).
 * CPU is this whole JVM's (edges, servers, broker, sink together) per million frames. Every run
 * checks PostgreSQL holds exactly the frames sent.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.server.KafkaBench
 * [--samples N] [--vehicles V] [--batch B] [--window W] [--rate FRAMES_PER_S] [--threads 1]
 * [--pg JDBC_URL_WITHOUT_SCHEMA]}. {@code --rate} paces the edges (all together) so that latency is
 * measured below the pipeline's capacity; without it they send as fast as their window allows and
 * the latency includes the backlog that builds up in front of the slowest stage. {@code --threads}
 * prints each thread's CPU and the component it was counted for.
 */
public final class KafkaBench {
    private final Map<String, String> opts;
    private final PrintStream out;

    KafkaBench(Map<String, String> opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ServerBench.quietLogs();
        new KafkaBench(ServerBench.options(args), System.out).run();
        System.exit(0);
    }

    long opt(String name, long def) {
        return Long.parseLong(opts.getOrDefault(name, Long.toString(def)));
    }

    List<String[]> run() throws Exception {
        int samples = (int) opt("samples", 400_000);
        int vehicles = (int) opt("vehicles", 4);
        int batch = (int) opt("batch", 1_000);
        int window = (int) opt("window", 8);
        String pg = opts.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        out.printf(
                Locale.ROOT,
                "fleetlog scale-out benchmark: %d frames, %d vehicles, batches of %d, window %d, %s; %d cores,"
                        + " load average %.1f at start%n",
                samples,
                vehicles,
                batch,
                window,
                opt("rate", 0) > 0 ? "paced at " + opt("rate", 0) + " frames/s" : "unpaced",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        List<String[]> rows = new ArrayList<>();
        try (KafkaClusterTestKit broker = startBroker()) {
            for (int replicas = 0; replicas <= 2; replicas++) {
                rows.addAll(measure(broker.bootstrapServers(), pg, replicas, samples, vehicles, batch, window));
            }
        }
        rows.add(ServerBench.row(
                "system load average at the end (2 cores shared with other jobs)",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                ""));
        new ServerBench(opts, out).printTable(rows);
        return rows;
    }

    /** One configuration: 0 replicas = the single-process server on PostgreSQL. */
    List<String[]> measure(
            String bootstrap, String pgBase, int replicas, int samples, int vehicles, int batch, int window)
            throws Exception {
        String schema = "kbench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        String url = pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Map<String, String> tokens = ServerBench.tokens(vehicles, 2);
        String what = replicas == 0 ? "single process" : replicas + " replica" + (replicas > 1 ? "s" : "") + " + sink";
        List<FleetServer> servers = new ArrayList<>();
        List<AutoCloseable> closers = new ArrayList<>();
        SampleStore reader = Stores.open(url);
        try {
            Thread sinkThread = null;
            if (replicas == 0) {
                servers.add(FleetServer.start(ServerBench.config(url, tokens)));
            } else {
                BusConfig bus = BusConfig.of(bootstrap).withTopic(schema).withPartitions(6, (short) 1);
                Topics.ensure(bus);
                for (int r = 0; r < replicas; r++) {
                    KafkaBusStore store = KafkaBusStore.open(Stores.open(url), bus, "bench-sink", "bench-r" + r);
                    servers.add(FleetServer.start(ServerBench.config(url, tokens), store));
                }
                SampleStore sinkStore = Stores.open(url);
                Sink sink = Sink.open(bus, "bench-sink", null, sinkStore, new SimpleMeterRegistry());
                sinkThread = Thread.ofPlatform().name("bench-sink").start(sink::run);
                Thread t = sinkThread;
                closers.add(() -> {
                    sink.close();
                    t.join(10_000);
                    sinkStore.close();
                });
            }
            int per = samples / vehicles;
            long total = (long) per * vehicles;
            List<List<byte[]>> encoded = new ArrayList<>();
            for (int v = 0; v < vehicles; v++) {
                encoded.add(ServerBench.encode(per, batch, 8));
            }
            HttpClient http = HttpClient.newHttpClient();
            List<BenchEdge> edges = new ArrayList<>();
            int i = 0;
            for (var e : tokens.entrySet()) {
                FleetServer s = servers.get(i++ % servers.size());
                edges.add(BenchEdge.open(http, s.baseUrl(), e.getKey(), e.getValue(), ServerBench.LAYOUT));
            }
            CountDownLatch acked = new CountDownLatch(edges.size());
            CountDownLatch measured = new CountDownLatch(1);
            StoredLatency latency = new StoredLatency(reader, List.copyOf(tokens.keySet()), batch, per);
            latency.start();
            ThreadCpu cpu0 = ThreadCpu.snapshot();
            long start = System.nanoTime();
            long rate = opt("rate", 0);
            double nanosPerBatch = rate <= 0 ? 0 : 1e9 * batch * vehicles / rate; // per vehicle
            for (int v = 0; v < edges.size(); v++) {
                BenchEdge edge = edges.get(v);
                List<byte[]> batches = encoded.get(v);
                int vehicle = v;
                Thread.ofPlatform() // named, so its CPU counts as the edges'
                        .daemon(true)
                        .name("bench-edge-" + v)
                        .start(() -> {
                            ServerBench.send(edge, batches, batch, per, window, acked, b -> {
                                if (nanosPerBatch > 0) { // paced: batch b is captured at its due time
                                    long due = start + (long) ((b + 1) * nanosPerBatch);
                                    sleepUntil(due);
                                    latency.capturedAt(vehicle, b, due);
                                } else {
                                    latency.sent(vehicle, b);
                                }
                            });
                            try {
                                measured.await(); // alive until the CPU snapshot counted this thread
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
            }
            if (!acked.await(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException(what + ": not acked within 600 s");
            }
            long ackNanos = System.nanoTime() - start;
            for (BenchEdge e : edges) { // all acked: the edges are done (idle ones would time out)
                if (e.failure() != null) {
                    throw new IllegalStateException(what + ": edge failed: " + e.failure());
                }
                e.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (stored(reader, tokens) < total) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + ": stored " + stored(reader, tokens) + " of " + total);
                }
                Thread.sleep(20);
            }
            long nanos = System.nanoTime() - start;
            ThreadCpu cpu1 = ThreadCpu.snapshot();
            measured.countDown();
            latency.close();
            if (stored(reader, tokens) != total) {
                throw new IllegalStateException(what + ": stored " + stored(reader, tokens) + ", sent " + total);
            }
            double millions = total / 1e6;
            List<String[]> rows = new ArrayList<>(List.of(
                    ServerBench.row("frames acked (" + what + ")", total / (ackNanos / 1e9), "frames/s"),
                    ServerBench.row(
                            "frames stored in PostgreSQL, end to end (" + what + ")",
                            total / (nanos / 1e9),
                            "frames/s"),
                    ServerBench.row("capture-to-stored latency p50 (" + what + ")", latency.quantileMs(0.50), "ms"),
                    ServerBench.row("capture-to-stored latency p99 (" + what + ")", latency.quantileMs(0.99), "ms")));
            Map<String, Long> byComponent = cpu1.since(cpu0, KafkaBench::component);
            for (String c :
                    replicas == 0 ? List.of(EDGES, INGEST, OTHER) : List.of(EDGES, INGEST, BROKER, SINK, OTHER)) {
                rows.add(cpuRow(
                        "CPU per million frames: " + label(c, replicas) + " (" + what + ")",
                        byComponent.getOrDefault(c, 0L) / 1e9 / millions));
            }
            rows.add(cpuRow(
                    "CPU per million frames: GC, JIT, ended threads (" + what + ")",
                    cpu1.unattributed(cpu0) / 1e9 / millions));
            rows.add(cpuRow(
                    "CPU of the whole JVM per million frames (" + what + ")",
                    (cpu1.processNanos() - cpu0.processNanos()) / 1e9 / millions));
            if (opts.containsKey("threads")) { // to check the classification by thread name
                cpu1.perThread(cpu0).entrySet().stream()
                        .filter(e -> e.getValue() > 10_000_000L)
                        .forEach(e -> out.printf(
                                Locale.ROOT,
                                "  %-10s %8.3f s  %s%n",
                                component(e.getKey()),
                                e.getValue() / 1e9,
                                e.getKey()));
            }
            return rows;
        } finally {
            for (FleetServer s : servers) {
                s.close();
            }
            for (AutoCloseable c : closers) {
                c.close();
            }
            reader.close();
            ServerBench.dropSchema(url);
        }
    }

    /** Sleeps until {@code System.nanoTime()} reaches {@code due}. */
    static void sleepUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000L, (int) (left % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A CPU-seconds row with two decimals: the edges' share is a fraction of a second. */
    static String[] cpuRow(String what, double cpuSeconds) {
        return new String[] {what, String.format(Locale.ROOT, "%.2f", cpuSeconds), "CPU-s"};
    }

    static final String EDGES = "edges";
    static final String INGEST = "ingest";
    static final String BROKER = "broker";
    static final String SINK = "sink";
    static final String OTHER = "other";

    /**
     * The component a thread of this JVM works for, by its name: the edges' sender threads
     * ({@code bench-edge-*}) and their HTTP client's; the servers' Jetty and virtual-thread carriers
     * (request handling, decoding, and in the single process the PostgreSQL writes), the replicas'
     * producer and fence watch; the sink's thread and its consumer's heartbeat; the broker's
     * request handlers, network, log, raft and coordinator threads. The benchmark's own poller and
     * anything unknown is "other".
     */
    static String component(String thread) {
        if (thread.startsWith("bench-edge-") || thread.startsWith("HttpClient-")) {
            return EDGES;
        }
        if (thread.startsWith("bench-sink") || thread.endsWith("| bench-sink") || thread.contains("fleetlog-sink")) {
            return SINK;
        }
        if (thread.startsWith("ForkJoinPool")
                || thread.startsWith("JettyServerThreadPool")
                || thread.startsWith("qtp")
                || thread.startsWith("kafka-producer-network-thread")
                || thread.startsWith("kafka-fence-watch")
                || thread.startsWith("ingest-")
                || thread.startsWith("live-")
                || thread.startsWith("chunk-merger")
                || thread.startsWith("session-deriver")) {
            return INGEST;
        }
        for (String p : BROKER_THREADS) {
            if (thread.startsWith(p)) {
                return BROKER;
            }
        }
        return OTHER;
    }

    static final List<String> BROKER_THREADS = List.of(
            "data-plane-kafka",
            "kafka-request-handler",
            "kafka-network-thread",
            "kafka-log-cleaner",
            "kafka-scheduler",
            "kafka-raft",
            "kafka-0-", // node 0's raft I/O and metadata loader
            "raft-",
            "quorum-controller",
            "controller-",
            "broker-",
            "ExpirationReaper",
            "group-coordinator",
            "share-coordinator",
            "transaction-",
            "LogDirFailureHandler",
            "ReplicaFetcherThread",
            "ReplicaAlterLogDirsThread",
            "metrics-meter-tick-thread",
            "executor-", // the broker's delayed fetch/produce executors
            "data-plane");

    static String label(String component, int replicas) {
        return switch (component) {
            case EDGES -> "edges (clients)";
            case INGEST ->
                replicas == 0 ? "server (ingest and store writes)" : "ingest replica" + (replicas > 1 ? "s" : "");
            case BROKER -> "broker";
            case SINK -> "sink (PostgreSQL writes)";
            default -> "other threads of the JVM";
        };
    }

    static long stored(SampleStore reader, Map<String, String> tokens) {
        long n = 0;
        for (String vin : tokens.keySet()) {
            n += reader.count(vin);
        }
        return n;
    }

    static KafkaClusterTestKit startBroker() throws Exception {
        KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        c.format();
        c.startup();
        c.waitForReadyBrokers();
        return c;
    }
}
