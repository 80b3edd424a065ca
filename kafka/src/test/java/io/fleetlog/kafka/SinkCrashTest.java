package io.fleetlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.Samples;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sink in a child JVM killed with SIGKILL mid-stream and restarted: the store ends exactly
 * equal to what was produced — every frame once, and every event (which no key protects) once.
 */
class SinkCrashTest {
    static final int VEHICLES = 4;
    static final int BATCHES = 100;
    static final int BATCH = 20;
    static final int ALERTS = 10;
    static Broker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSinkKilledMidStreamStoresEveryRecordExactlyOnceAfterRestarts(String kind, @TempDir Path dir)
            throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("crash-" + kind + "-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        KafkaBusTest.Db db = KafkaBusTest.Db.of(kind, dir);
        List<String> vins = Samples.vins(VEHICLES);
        try {
            produce(bus, dir, vins);
            long total = (long) VEHICLES * BATCHES * BATCH;
            for (long killAt : new long[] {total / 3}) { // more kills: more time, each ~5 s
                Process sink = spawn(bus, db.url(), dir);
                try {
                    assertThat(awaitSlowly(() -> rows(kind, db.url(), "frames") >= killAt, 60_000))
                            .as("the sink wrote " + killAt + " frames")
                            .isTrue();
                } finally {
                    sink.destroyForcibly(); // SIGKILL
                    sink.waitFor();
                }
                assertThat(rows(kind, db.url(), "frames"))
                        .as("killed mid-stream")
                        .isLessThan(total);
            }
            long end = KafkaBusTest.endOffsets(bus);
            Process last = spawn(bus, db.url(), dir);
            try {
                assertThat(awaitSlowly(() -> rows(kind, db.url(), "offsets") == end, 60_000))
                        .as("the restarted sink reached the end of every partition")
                        .isTrue();
            } finally {
                last.destroyForcibly();
                last.waitFor();
            }
            try (SampleStore store = Stores.open(db.url())) {
                for (int v = 0; v < VEHICLES; v++) {
                    String vin = vins.get(v);
                    List<Sample> out = new ArrayList<>();
                    store.scan(vin, 0, Long.MAX_VALUE, out::add);
                    assertThat(out).as(vin).containsExactlyElementsOf(drive(v));
                    assertThat(store.count(vin)).isEqualTo((long) BATCHES * BATCH);
                    assertThat(store.events(vin, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                                    .map(VehicleEvent::detail)
                                    .toList())
                            .as("every event of " + vin + " once, in order")
                            .containsExactlyElementsOf(alerts());
                    assertThat(store.vehicle(vin).orElseThrow().name()).isEqualTo("car " + v);
                }
            }
        } finally {
            db.drop();
        }
    }

    /**
     * Two sinks of one group share the partitions; one leaves mid-stream (a rebalance moves its
     * partitions to the other while records are still coming): every frame and event once.
     */
    @org.junit.jupiter.api.Test
    void aRebalanceBetweenTwoSinksLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("rebalance-" + UUID.randomUUID())
                .withPartitions(6, (short) 1);
        Topics.ensure(bus);
        KafkaBusTest.Db db = KafkaBusTest.Db.of("postgresql", dir);
        List<String> vins = Samples.vins(VEHICLES);
        List<SampleStore> stores = new ArrayList<>();
        List<io.micrometer.core.instrument.MeterRegistry> meters = List.of(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean[] stop = {
            new java.util.concurrent.atomic.AtomicBoolean(), new java.util.concurrent.atomic.AtomicBoolean()
        };
        try {
            produce(bus, dir, vins);
            for (int i = 0; i < 2; i++) {
                SampleStore store = Stores.open(db.url());
                stores.add(store);
                java.util.Properties p = Sink.consumerConfig(bus, "rebalance", null);
                p.put("max.poll.records", 5);
                Sink sink = new Sink(
                        new org.apache.kafka.clients.consumer.KafkaConsumer<>(p),
                        store,
                        "rebalance",
                        bus.topic(),
                        meters.get(i));
                java.util.concurrent.atomic.AtomicBoolean stopped = stop[i];
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stopped.get()) {
                            try {
                                sink.runOnce(java.time.Duration.ofMillis(100));
                                Thread.sleep(20); // slow, so the rebalance happens mid-stream
                            } catch (RuntimeException e) {
                                // an offset conflict after the rebalance: runOnce re-sought, go on
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    } finally {
                        sink.closeConsumer(); // leaves the group: a rebalance at once
                    }
                }));
            }
            long total = (long) VEHICLES * BATCHES * BATCH;
            assertThat(awaitSlowly(() -> rows("postgresql", db.url(), "frames") >= total / 3, 60_000))
                    .isTrue();
            stop[0].set(true); // the first sink leaves the group: its partitions move to the second
            threads.get(0).join(10_000);
            long end = KafkaBusTest.endOffsets(bus);
            assertThat(awaitSlowly(() -> rows("postgresql", db.url(), "offsets") == end, 60_000))
                    .as("the remaining sink reached the end of every partition")
                    .isTrue();
            stop[1].set(true);
            threads.get(1).join(10_000);
            for (var m : meters) {
                assertThat(m.counter("fleetlog.sink.records.written").count())
                        .as("both sinks wrote records: the partitions were shared, then moved")
                        .isPositive();
            }
            try (SampleStore store = Stores.open(db.url())) {
                for (int v = 0; v < VEHICLES; v++) {
                    List<Sample> out = new ArrayList<>();
                    store.scan(vins.get(v), 0, Long.MAX_VALUE, out::add);
                    assertThat(out).containsExactlyElementsOf(drive(v));
                    assertThat(store.events(vins.get(v), Long.MIN_VALUE, Long.MAX_VALUE).stream()
                                    .map(VehicleEvent::detail)
                                    .toList())
                            .containsExactlyElementsOf(alerts());
                }
            }
        } finally {
            stop[0].set(true);
            stop[1].set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
            stores.forEach(SampleStore::close);
            db.drop();
        }
    }

    static List<Sample> drive(int v) {
        return Samples.drive(0, BATCHES * BATCH, Samples.T0 + v * 1000L);
    }

    static List<String> alerts() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            out.add("alert " + i);
        }
        return out;
    }

    /** Per vehicle: its registry row and catalogue, then the batches, with an alert every 10th batch. */
    static void produce(BusConfig bus, Path dir, List<String> vins) {
        try (KafkaBusStore replica =
                KafkaBusStore.open(Stores.open("jdbc:sqlite:" + dir.resolve("r.db")), bus, "sink", "replica-1")) {
            for (int v = 0; v < VEHICLES; v++) {
                replica.upsertVehicle(new Vehicle(vins.get(v), "model3", "car " + v));
                replica.useCatalogue(vins.get(v), Catalogue.builtin());
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                for (int v = 0; v < VEHICLES; v++) {
                    List<Sample> d = drive(v);
                    acks.add(replica.appendAsync(vins.get(v), d.subList(b * BATCH, (b + 1) * BATCH)));
                    if (b % (BATCHES / ALERTS) == 0) {
                        long t = d.get(b * BATCH).captureTimeMs();
                        replica.recordEvent(VehicleEvent.note(
                                vins.get(v), t, VehicleEvent.Kind.ALERT, "alert " + b / (BATCHES / ALERTS)));
                    }
                }
            }
            acks.forEach(CompletableFuture::join);
        }
    }

    private static Process spawn(BusConfig bus, String url, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                SinkChildMain.class.getName(),
                bus.bootstrap(),
                bus.topic(),
                "crash-sink",
                "sink-1", // static membership: the restarted sink takes the partitions back at once
                url,
                "5",
                "20");
        pb.redirectErrorStream(true);
        pb.redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("sink.log").toFile()));
        return pb.start();
    }

    /** As ServerFixture.await, polling every 100 ms: each poll opens a database connection. */
    private static boolean awaitSlowly(java.util.function.BooleanSupplier condition, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /**
     * Read with plain JDBC while the child writes: the frames stored (the vehicles' committed totals,
     * the same in the rows and the chunk layout), or the offsets' sum.
     */
    private static long rows(String kind, String url, String what) {
        String sql = switch (what) {
            case "frames" -> "SELECT coalesce(sum(samples), 0) FROM vehicles";
            default -> "SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets";
        };
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // the child has not created the schema yet
        }
    }
}
