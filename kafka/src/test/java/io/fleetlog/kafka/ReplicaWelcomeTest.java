package io.fleetlog.kafka;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest replicas (two real servers in this JVM, each with its own {@link KafkaBusStore} and
 * PostgreSQL connection) on one topic and database: an edge that moves from one to the other gets a
 * Welcome that counts what the first put in Kafka, whether the sink stored none, all or part of it.
 */
class ReplicaWelcomeTest {
    static final String A = Samples.VIN_A;
    static final String GROUP = "fleetlog-sink";
    static Broker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void anEdgeMovingToAnotherReplicaIsWelcomedAtTheHighestSeqInKafkaOrTheStore(@TempDir Path dir) throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("frames-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        Postgres.Schema schema = Postgres.newSchema();
        List<Sample> a = Samples.drive(0, 1800, Samples.T0);
        SampleStore db = Stores.open(schema.url());
        try (ServerFixture r1 = replica(dir.resolve("r1"), schema, bus, "r1");
                ServerFixture r2 = replica(dir.resolve("r2"), schema, bus, "r2")) {
            // 1. Replica 1 takes 0..999; no sink runs: the database holds nothing.
            sendOn(r1, -1, a.subList(0, 1000));
            assertThat(db.count(A)).isZero();

            // 2. Replica 2 never saw the VIN: its Welcome reads the partition and counts 999.
            sendOn(r2, 999, a.subList(1000, 1200));

            // 3. A sink stores everything; back on replica 1, which produced only up to 999 itself.
            try (RunningSink s = RunningSink.start(bus, schema)) {
                assertThat(ServerFixture.await(() -> db.count(A) == 1200, 30_000))
                        .as("stored " + db.count(A))
                        .isTrue();
                sendOn(r1, 1199, a.subList(1200, 1500));
                assertThat(ServerFixture.await(() -> db.count(A) == 1500, 30_000))
                        .as("stored " + db.count(A))
                        .isTrue();
            }
            assertThat(db.consumedOffsets(GROUP, bus.topic())).isNotEmpty();

            // 4. The sink stopped with a stored offset: replica 1 adds 1500..1799, and replica 2's
            // Welcome reads from that offset (database up to 1499, the tail up to 1799).
            sendOn(r1, 1499, a.subList(1500, 1800));
            assertThat(db.lastSeq(A)).isEqualTo(1499);
            sendOn(r2, 1799, List.of());

            try (RunningSink s = RunningSink.start(bus, schema)) {
                assertThat(ServerFixture.await(() -> db.count(A) == 1800, 30_000))
                        .as("stored " + db.count(A))
                        .isTrue();
            }
            KafkaBusTest.assertStoredOnce(db, A, a);
        } finally {
            db.close();
            schema.drop();
        }
    }

    @Test
    void aRestartedReplicaClosesOnlyTheLinksItHad(@TempDir Path dir) throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("frames-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        Postgres.Schema schema = Postgres.newSchema();
        String b = Samples.VIN_B;
        SampleStore db = Stores.open(schema.url());
        try (RunningSink s = RunningSink.start(bus, schema);
                ServerFixture r1 = replica(dir.resolve("r1"), schema, bus, "r1");
                ServerFixture r2 = replica(dir.resolve("r2"), schema, bus, "r2");
                EdgeClient onR1 = EdgeClient.hello(r1.base, A, TOKEN_A);
                EdgeClient onR2 = EdgeClient.hello(r2.base, b, ServerFixture.TOKEN_B)) {
            assertThat(onR1.next(20_000).hasWelcome()).isTrue();
            assertThat(onR2.next(20_000).hasWelcome()).isTrue();
            assertThat(ServerFixture.await(() -> openInDb(db, A) == 1 && openInDb(db, b) == 1, 30_000))
                    .as("both ONLINE events stored")
                    .isTrue();
            // Replica r1 comes back (as after a SIGKILL) while r2 and its link run on: only A's link closes.
            try (ServerFixture again = replica(dir.resolve("r1b"), schema, bus, "r1")) {
                assertThat(ServerFixture.await(() -> openInDb(db, A) == 0, 30_000))
                        .as("r1's link of A closed: " + db.events(A, Long.MIN_VALUE, Long.MAX_VALUE))
                        .isTrue();
                assertThat(again.server.store().openLinks(A)).isZero();
            }
            assertThat(openInDb(db, b)).as("r2's link of B stays open").isEqualTo(1);
            assertThat(db.events(A, Long.MIN_VALUE, Long.MAX_VALUE).getLast().detail())
                    .isEqualTo("replica=r1 server restart");
        } finally {
            db.close();
            schema.drop();
        }
    }

    @Test
    void everyReplicaShowsTheVehiclesConnectedToTheOthers(@TempDir Path dir) throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("frames-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        Postgres.Schema schema = Postgres.newSchema();
        List<Sample> a = Samples.drive(0, 300, Samples.T0);
        try (ServerFixture r1 = replica(dir.resolve("r1"), schema, bus, "r1");
                ServerFixture r2 = replica(dir.resolve("r2"), schema, bus, "r2")) {
            EdgeClient e = EdgeClient.hello(r2.base, A, TOKEN_A);
            assertThat(e.next(20_000).hasWelcome()).isTrue();
            for (int i = 0; i < 300; i += 100) {
                e.sendBatch(a.subList(i, i + 100));
            }
            assertThat(e.awaitAck(299, 20_000)).isEqualTo(299);
            // r1 never had a connection of A: its fleet shows it online with r2's latest values.
            assertThat(ServerFixture.await(
                            () -> "online".equals(r1.server.fleet().state(A).get("link"))
                                    && r1.server.fleet().status(A).latest() != null
                                    && r1.server.fleet().status(A).latest().seq() == 299,
                            20_000))
                    .as("r1's view of A: " + r1.server.fleet().state(A))
                    .isTrue();
            assertThat(Samples.differs(a.get(299), r1.server.fleet().status(A).latest()))
                    .as("the latest values are r2's last frame")
                    .isNull();
            String status = r1.get("/status").body();
            assertThat(status).contains(A).contains("\"online\"");
            e.close();
            assertThat(ServerFixture.await(
                            () -> "offline".equals(r1.server.fleet().state(A).get("link")), 20_000))
                    .as("r2's OFFLINE ends the link on r1")
                    .isTrue();
        } finally {
            schema.drop();
        }
    }

    /** ONLINE minus OFFLINE events of {@code vin} in the database, of any replica. */
    static long openInDb(SampleStore db, String vin) {
        return db.openLinks(vin);
    }

    static ServerFixture replica(Path dir, Postgres.Schema schema, BusConfig bus, String id) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        KafkaBusStore store = KafkaBusStore.open(Stores.open(schema.url()), bus, GROUP, id);
        ServerFixture fx = ServerFixture.start(ServerFixture.config(dir).withDb(schema.url()), store);
        store.bindTo(fx.server.metrics());
        store.feed(fx.server.fleet());
        return fx;
    }

    /** Connects to {@code replica}, checks the Welcome's seq, sends {@code batch} by 100s, awaits its ack. */
    static void sendOn(ServerFixture replica, long welcome, List<Sample> batch) throws Exception {
        try (EdgeClient e = EdgeClient.hello(replica.base, A, TOKEN_A)) {
            assertThat(e.next(20_000).getWelcome().getLastStoredSeq())
                    .as("Welcome on " + replica.base)
                    .isEqualTo(welcome);
            for (int i = 0; i < batch.size(); i += 100) {
                e.sendBatch(batch.subList(i, Math.min(batch.size(), i + 100)));
            }
            if (!batch.isEmpty()) {
                long last = batch.get(batch.size() - 1).seq();
                assertThat(e.awaitAck(last, 20_000)).isEqualTo(last);
            }
        }
    }

    /** A sink of {@link #GROUP} on its own PostgreSQL connection, on a thread; close stops it. */
    record RunningSink(Sink sink, Thread thread, SampleStore store, MeterRegistry meters) implements AutoCloseable {
        static RunningSink start(BusConfig bus, Postgres.Schema schema) {
            SampleStore store = Stores.open(schema.url());
            MeterRegistry meters = new SimpleMeterRegistry();
            Sink sink = Sink.open(bus, GROUP, null, store, meters);
            return new RunningSink(sink, Thread.ofPlatform().name("sink").start(sink::run), store, meters);
        }

        @Override
        public void close() throws Exception {
            sink.close();
            thread.join(10_000);
            store.close();
        }
    }
}
