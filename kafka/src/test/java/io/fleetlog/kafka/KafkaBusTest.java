package io.fleetlog.kafka;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static io.fleetlog.server.testing.ServerFixture.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bus end to end with a real broker: a real server whose store is a {@link KafkaBusStore}, real
 * edge clients, a {@link Sink} writing SQLite or PostgreSQL.
 */
class KafkaBusTest {
    static final String A = Samples.VIN_A;
    static final String B = Samples.VIN_B;
    static Broker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** A database of one test: SQLite in a temp dir or a fresh PostgreSQL schema. */
    record Db(String url, Postgres.Schema schema) {
        static Db of(String kind, Path dir) {
            if (kind.equals("sqlite")) {
                return new Db("jdbc:sqlite:" + dir.resolve("fleetlog.db"), null);
            }
            Postgres.Schema s = Postgres.newSchema();
            return new Db(s.url(), s);
        }

        void drop() {
            if (schema != null) {
                schema.drop();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void edgesAreAckedWhenKafkaHasTheirFramesAndTheSinkStoresEachFrameOnce(String kind, @TempDir Path dir)
            throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("frames-" + kind + "-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        assertThat(Topics.ensure(bus)).isEqualTo(3);
        Db db = Db.of(kind, dir);
        SampleStore base = Stores.open(db.url());
        // SQLite has one writer per file: the sink shares the replica's store; PostgreSQL: its own.
        SampleStore sinkStore = db.schema == null ? base : Stores.open(db.url());
        KafkaBusStore replica = KafkaBusStore.open(base, bus, "sink-" + kind, "replica-1");
        List<Sample> a = Samples.drive(0, 1100, Samples.T0);
        List<Sample> b = Samples.drive(0, 400, Samples.T0);
        Sink sink = null;
        Thread sinkThread = null;
        try (ServerFixture fx = ServerFixture.start(ServerFixture.config(dir).withDb(db.url()), replica)) {
            replica.bindTo(fx.server.metrics());
            // 1. No sink yet: the acks come from Kafka alone, and a reconnect's Welcome knows what it holds.
            EdgeClient ea = EdgeClient.hello(fx.base, A, TOKEN_A);
            assertThat(ea.next(10_000).getWelcome().getLastStoredSeq()).isEqualTo(-1);
            EdgeClient eb = EdgeClient.hello(fx.base, B, TOKEN_B);
            assertThat(eb.next(10_000).getWelcome().getLastStoredSeq()).isEqualTo(-1);
            for (int i = 0; i < 1000; i += 100) {
                ea.sendBatch(a.subList(i, i + 100));
            }
            for (int i = 0; i < 400; i += 100) {
                eb.sendBatch(b.subList(i, i + 100));
            }
            assertThat(ea.awaitAck(999, 20_000)).isEqualTo(999);
            assertThat(eb.awaitAck(399, 20_000)).isEqualTo(399);
            assertThat(base.count(A)).as("nothing stored before the sink runs").isZero();
            ea.close();
            eb.close();
            EdgeClient ea2 = EdgeClient.hello(fx.base, A, TOKEN_A);
            assertThat(ea2.next(10_000).getWelcome().getLastStoredSeq())
                    .as("the Welcome counts what Kafka acknowledged")
                    .isEqualTo(999);
            // 2. The same batch in Kafka twice more (as a replica resending it would produce it).
            replica.append(A, a.subList(900, 1000));
            replica.append(A, a.subList(900, 1000));

            // 3. The sink drains the topic into the database.
            sink = Sink.open(bus, "sink-" + kind, null, sinkStore, fx.server.metrics());
            Sink s = sink;
            sinkThread = Thread.ofPlatform().name("sink").start(s::run);
            assertThat(ServerFixture.await(() -> base.count(A) == 1000 && base.count(B) == 400, 30_000))
                    .as("the sink stored both vehicles: A " + base.count(A) + ", B " + base.count(B))
                    .isTrue();

            // 4. An edge resend of stored seqs is compared with the store, acked, and stays one row each.
            ea2.sendBatch(a.subList(950, 1000));
            assertThat(ea2.awaitAck(999, 20_000)).isEqualTo(999);
            ea2.sendBatch(a.subList(1000, 1100));
            assertThat(ea2.awaitAck(1099, 20_000)).isEqualTo(1099);
            ea2.close();
            assertThat(ServerFixture.await(() -> base.count(A) == 1100, 30_000))
                    .as("A stored up to 1099: " + base.count(A))
                    .isTrue();

            assertStoredOnce(base, A, a);
            assertStoredOnce(base, B, b);
            assertThat(base.vehicle(A).orElseThrow().model()).isEqualTo("model3");
            assertThat(base.catalogue(A).hash()).isEqualTo(Catalogue.builtin().hash());
            List<VehicleEvent.Kind> kinds = base.events(A, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                    .map(VehicleEvent::kind)
                    .toList();
            assertThat(ServerFixture.await(
                            () -> base.events(A, Long.MIN_VALUE, Long.MAX_VALUE).size() >= 4, 10_000))
                    .as("link events of A through Kafka: " + kinds)
                    .isTrue();
            assertThat(sinkStore.consumedOffsets("sink-" + kind, bus.topic()).values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .as("offsets stored for every record of the topic")
                    .isEqualTo(endOffsets(bus));
            String metrics = fx.get("/metrics").body();
            assertThat(metrics)
                    .contains("fleetlog_kafka_produce_seconds_count")
                    .contains("fleetlog_kafka_records_produced_total")
                    .contains("fleetlog_sink_records_written_total")
                    .contains("fleetlog_sink_lag_records{partition=");
        } finally {
            if (sink != null) {
                sink.close();
                sinkThread.join(10_000);
            }
            if (sinkStore != base) {
                sinkStore.close();
            }
            db.drop();
        }
    }

    /** Every sample of {@code sent} is stored exactly once, at its seq and time, within its bounds. */
    static void assertStoredOnce(SampleStore store, String vin, List<Sample> sent) {
        List<Sample> out = new ArrayList<>();
        store.scan(vin, 0, Long.MAX_VALUE, out::add);
        assertThat(out.stream().map(Sample::seq).toList())
                .containsExactlyElementsOf(sent.stream().map(Sample::seq).toList());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(Samples.differs(sent.get(i), out.get(i)))
                    .as("seq " + sent.get(i).seq())
                    .isNull();
        }
        assertThat(store.count(vin)).isEqualTo(sent.size());
    }

    static long endOffsets(BusConfig bus) throws Exception {
        try (var admin =
                org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", bus.bootstrap()))) {
            var parts = admin.describeTopics(List.of(bus.topic()))
                    .allTopicNames()
                    .get()
                    .get(bus.topic())
                    .partitions();
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> q =
                    new java.util.HashMap<>();
            parts.forEach(p -> q.put(
                    new org.apache.kafka.common.TopicPartition(bus.topic(), p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return admin.listOffsets(q).all().get().values().stream()
                    .mapToLong(r -> r.offset())
                    .sum();
        }
    }
}
