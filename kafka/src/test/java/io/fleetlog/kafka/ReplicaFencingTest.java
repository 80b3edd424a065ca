package io.fleetlog.kafka;

import static io.fleetlog.kafka.ReplicaWelcomeTest.A;
import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two connections of one VIN on two replicas: the newer one's Hello fences the older one, whose
 * later batches are neither acked nor stored, so the stored seqs are one writer's each, never both.
 */
class ReplicaFencingTest {
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
    void aHelloOnAnotherReplicaFencesTheOlderConnectionAndItsLaterBatchesAreNotStored(@TempDir Path dir)
            throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("frames-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        Postgres.Schema schema = Postgres.newSchema();
        List<Sample> first = Samples.drive(0, 500, Samples.T0);
        // What the older connection tries after the takeover, and what the newer one sends for the
        // same seqs: other capture times, so the stored rows tell whose they are.
        List<Sample> older = Samples.drive(500, 100, Samples.T0 + 500 * Samples.PERIOD_MS + 3);
        List<Sample> newer = Samples.drive(500, 300, Samples.T0 + 500 * Samples.PERIOD_MS + 7);
        SampleStore db = Stores.open(schema.url());
        try (ServerFixture r1 = ReplicaWelcomeTest.replica(dir.resolve("r1"), schema, bus, "r1");
                ServerFixture r2 = ReplicaWelcomeTest.replica(dir.resolve("r2"), schema, bus, "r2");
                EdgeClient onR1 = EdgeClient.hello(r1.base, A, TOKEN_A)) {
            assertThat(onR1.next(20_000).getWelcome().getLastStoredSeq()).isEqualTo(-1);
            for (int i = 0; i < 500; i += 100) {
                onR1.sendBatch(first.subList(i, i + 100));
            }
            assertThat(onR1.awaitAck(499, 20_000)).isEqualTo(499);

            try (EdgeClient onR2 = EdgeClient.hello(r2.base, A, TOKEN_A)) {
                assertThat(onR2.next(20_000).getWelcome().getLastStoredSeq()).isEqualTo(499);
                // The older connection on r1 does not know yet: its batch reaches Kafka after the fence.
                onR1.sendBatch(older);
                assertThat(onR1.closeCode(20_000))
                        .as("the older connection closes")
                        .isEqualTo(1011);
                assertThat(onR1.awaitAck(500, 200)).as("no ack after the fence").isEqualTo(-2);

                for (int i = 0; i < 300; i += 100) {
                    onR2.sendBatch(newer.subList(i, i + 100));
                }
                assertThat(onR2.awaitAck(799, 20_000)).isEqualTo(799);
            }
            try (ReplicaWelcomeTest.RunningSink s = ReplicaWelcomeTest.RunningSink.start(bus, schema)) {
                assertThat(ServerFixture.await(() -> db.count(A) == 800, 30_000))
                        .as("stored " + db.count(A))
                        .isTrue();
                assertThat(s.meters()
                                .get("fleetlog.sink.fenced.records")
                                .counter()
                                .count())
                        .as("the older connection's batch was dropped by the sink")
                        .isEqualTo(1.0);
            }
            List<Sample> expected = new ArrayList<>(first);
            expected.addAll(newer);
            KafkaBusTest.assertStoredOnce(db, A, expected);
            assertThat(r1.get("/metrics").body())
                    .contains("fleetlog_kafka_appends_fenced_total 1.0")
                    .contains("fleetlog_kafka_fence_verdict_seconds_count 6")
                    .contains("fleetlog_kafka_tail_read_seconds_count 1")
                    .contains("fleetlog_kafka_watch_lag_records");
        } finally {
            db.close();
            schema.drop();
        }
    }
}
