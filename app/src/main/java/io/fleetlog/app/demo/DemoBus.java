package io.fleetlog.app.demo;

import io.fleetlog.kafka.BusConfig;
import io.fleetlog.kafka.KafkaBusStore;
import io.fleetlog.kafka.Sink;
import io.fleetlog.kafka.Topics;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.ForwardingSampleStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo on Kafka ({@code --bus kafka --replicas N}, docs/scale-out.md): a real one-node KRaft broker
 * in this JVM (Kafka's test kit, broker and controller combined, internal topics with replication 1),
 * a topic of its own, N ingest replicas ({@link FleetServer} on a {@link KafkaBusStore}, each on its own
 * port with its own replica id) and one {@link Sink} writing the demo's store.
 *
 * <p>The topic is new for every run ({@code fleetlog.demo.<random>}): the broker is new too, and the
 * sink's offsets are kept in the demo's database, which outlives runs — offsets of an older run's topic
 * must not be applied to this one. The replicas and the sink share one open store (one SQLite writer
 * in the process); the replicas only read it.
 */
final class DemoBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoBus.class);
    static final String SINK_GROUP = "fleetlog-demo-sink";
    static final int PARTITIONS = 12;

    private final KafkaClusterTestKit broker;
    private final java.nio.file.Path base;
    private final BusConfig bus;
    private final SampleStore db;
    private final List<FleetServer> replicas = new ArrayList<>();
    private Sink sink;
    private Thread sinkThread;

    private DemoBus(KafkaClusterTestKit broker, java.nio.file.Path base, BusConfig bus, SampleStore db) {
        this.broker = broker;
        this.base = base;
        this.bus = bus;
        this.db = db;
    }

    /**
     * Starts the broker, the topic, {@code n} replicas of {@code config} (the first on its port, the
     * others on any free port) and the sink. On failure everything started is stopped again.
     */
    static DemoBus start(ServerConfig config, int n, java.nio.file.Path kafkaDir) {
        byte[] id = new byte[4];
        new java.security.SecureRandom().nextBytes(id);
        String run = HexFormat.of().formatHex(id);
        java.nio.file.Path base = kafkaDir.resolve(run);
        KafkaClusterTestKit broker = startBroker(base);
        DemoBus self = null;
        try {
            BusConfig bus = BusConfig.of(broker.bootstrapServers())
                    .withTopic("fleetlog.demo." + run)
                    .withPartitions(PARTITIONS, (short) 1);
            Topics.ensure(bus);
            self = new DemoBus(broker, base, bus, Stores.open(config.dbUrl()));
            for (int r = 0; r < n; r++) {
                KafkaBusStore store = KafkaBusStore.open(new Unclosed(self.db), bus, SINK_GROUP, "demo-r" + (r + 1));
                FleetServer server = FleetServer.start(r == 0 ? config : config.withPort(0), store);
                store.bindTo(server.metrics());
                store.feed(server.fleet());
                self.replicas.add(server);
            }
            self.sink = Sink.open(
                    bus, SINK_GROUP, null, self.db, self.replicas.get(0).metrics());
            self.sinkThread = Thread.ofPlatform().name("demo-kafka-sink").start(self.sink::run);
            log.info(
                    "demo_bus_started bootstrap={} topic={} replicas={}",
                    bus.bootstrap(),
                    bus.topic(),
                    self.replicas.stream().map(FleetServer::baseUrl).toList());
            return self;
        } catch (RuntimeException e) {
            if (self != null) {
                self.close();
            } else {
                closeBroker(broker, base);
            }
            throw e;
        }
    }

    /**
     * The broker, its log directories under {@code base} (not the test kit's default temporary
     * directory: that one is deleted by a JVM shutdown hook, which on Ctrl-C ran beside the demo's own
     * hook and took the broker down while the report waited for the sink).
     */
    private static KafkaClusterTestKit startBroker(java.nio.file.Path base) {
        try {
            java.nio.file.Files.createDirectories(base);
            KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setBaseDirectory(base)
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
            try {
                formatQuietly(c);
                c.startup();
                c.waitForReadyBrokers();
            } catch (Exception e) {
                closeBroker(c, base);
                throw e;
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the demo's Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the demo's in-process Kafka broker: " + e, e);
        }
    }

    /**
     * Formats the broker's storage; the test kit prints the bootstrap metadata to standard output,
     * which is the demo's progress and report: sent to standard error instead.
     */
    private static void formatQuietly(KafkaClusterTestKit c) throws Exception {
        java.io.PrintStream out = System.out;
        synchronized (System.class) {
            System.setOut(System.err);
            try {
                c.format();
            } finally {
                System.setOut(out);
            }
        }
    }

    /** The ingest replicas, in order (car i connects to replica i mod N). */
    List<FleetServer> replicas() {
        return List.copyOf(replicas);
    }

    /** The store the sink writes: what the continuity report reads. */
    SampleStore store() {
        return db;
    }

    String bootstrap() {
        return bus.bootstrap();
    }

    String topic() {
        return bus.topic();
    }

    /**
     * Waits until the sink has stored everything the topic holds now (its stored offsets in the demo's
     * database reach the partitions' ends); call it once every car is acked. Returns null when it did,
     * else what is missing (partition: stored of end) after {@code timeout}.
     */
    String awaitStored(Duration timeout) throws InterruptedException {
        Map<Integer, Long> ends = endOffsets();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<Integer, Long> stored = db.consumedOffsets(SINK_GROUP, bus.topic());
            Map<Integer, String> behind = new TreeMap<>();
            ends.forEach((p, end) -> {
                long s = stored.getOrDefault(p, 0L);
                if (end > 0 && s < end) {
                    behind.put(p, s + " of " + end);
                }
            });
            if (behind.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "the Kafka sink did not store topic " + bus.topic() + " within " + timeout.toSeconds()
                        + " s: partition → stored offset of end " + behind;
            }
            Thread.sleep(50);
        }
    }

    /** The end offset of every partition of the topic now. */
    private Map<Integer, Long> endOffsets() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bus.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
            Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                ask.put(new TopicPartition(bus.topic(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> got =
                    admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
            Map<Integer, Long> out = new TreeMap<>();
            got.forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of topic " + bus.topic() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offsets of " + bus.topic(), e);
        }
    }

    /** Stops the replicas, then the sink, the store and the broker. */
    @Override
    public void close() {
        for (FleetServer s : replicas) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("demo_replica_close_failed url={} error={}", s.baseUrl(), e.toString());
            }
        }
        if (sink != null) {
            sink.close();
            try {
                sinkThread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        db.close();
        closeBroker(broker, base);
    }

    /** Stops the broker and removes its log directories (the topic is never used again). */
    private static void closeBroker(KafkaClusterTestKit broker, java.nio.file.Path base) {
        try {
            broker.close();
        } catch (Exception e) {
            log.warn("demo_broker_close_failed error={}", e.toString());
        }
        if (java.nio.file.Files.exists(base)) {
            try (var files = java.nio.file.Files.walk(base)) {
                for (java.nio.file.Path f :
                        files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            } catch (java.io.IOException e) {
                log.warn("demo_broker_files_not_removed dir={} error={}", base, e.toString());
            }
        }
    }

    /** The shared store as a replica's delegate: the replica's close leaves it open (the bus closes it). */
    private static final class Unclosed extends ForwardingSampleStore {
        Unclosed(SampleStore delegate) {
            super(delegate);
        }

        @Override
        public void close() {}
    }
}
