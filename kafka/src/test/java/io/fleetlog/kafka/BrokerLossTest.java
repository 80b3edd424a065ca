package io.fleetlog.kafka;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static io.fleetlog.server.testing.ServerFixture.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: in a three-broker cluster (topic replication 3, min.insync.replicas 2), the broker leading
 * a streaming vehicle's partition is shut down mid-stream. The producer moves to the new leader; the
 * edges go on (reconnecting and resending from the Welcome when a write failed), and the sink stores
 * every frame exactly once. The broker is stopped inside the test JVM (the test kit's shutdown), not
 * SIGKILLed.
 */
class BrokerLossTest {
    static final int FRAMES = 4000;
    static final int BATCH = 50;

    @Test
    void losingTheLeaderBrokerMidStreamLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(false)
                        .setNumBrokerNodes(3)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("transaction.state.log.replication.factor", "3")
                .setConfigProp("transaction.state.log.min.isr", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            BusConfig bus = BusConfig.of(cluster.bootstrapServers())
                    .withTopic("frames-" + UUID.randomUUID())
                    .withPartitions(3, (short) 3);
            Topics.ensure(bus);
            Postgres.Schema schema = Postgres.newSchema();
            Map<String, List<Sample>> drives = Map.of(
                    Samples.VIN_A, Samples.drive(0, FRAMES, Samples.T0),
                    Samples.VIN_B, Samples.drive(0, FRAMES, Samples.T0 + 13));
            Map<String, String> tokens = Map.of(Samples.VIN_A, TOKEN_A, Samples.VIN_B, TOKEN_B);
            SampleStore db = Stores.open(schema.url());
            try (ServerFixture r1 = ReplicaWelcomeTest.replica(dir.resolve("r1"), schema, bus, "r1");
                    ReplicaWelcomeTest.RunningSink sink = ReplicaWelcomeTest.RunningSink.start(bus, schema)) {
                int leader = leaderOf(bus, Samples.VIN_A);
                List<Thread> cars = drives.keySet().stream()
                        .map(vin ->
                                Thread.ofVirtual().start(() -> deliver(r1.base, vin, tokens.get(vin), drives.get(vin))))
                        .toList();
                assertThat(ServerFixture.await(() -> db.count(Samples.VIN_A) >= FRAMES / 4, 60_000))
                        .isTrue();
                long storedAtKill = db.count(Samples.VIN_A);
                cluster.brokers().get(leader).shutdown(); // mid-stream: A's partition loses its leader
                for (Thread t : cars) {
                    t.join(180_000);
                    assertThat(t.isAlive()).as("a car did not finish").isFalse();
                }
                assertThat(ServerFixture.await(
                                () -> db.count(Samples.VIN_A) == FRAMES && db.count(Samples.VIN_B) == FRAMES, 60_000))
                        .as("stored A " + db.count(Samples.VIN_A) + ", B " + db.count(Samples.VIN_B))
                        .isTrue();
                for (String vin : drives.keySet()) {
                    KafkaBusTest.assertStoredOnce(db, vin, drives.get(vin));
                }
                System.out.println("broker_loss killed_broker=" + leader + " a_stored_at_kill=" + storedAtKill
                        + " frames_per_car=" + FRAMES + " produce_failures="
                        + r1.get("/metrics")
                                .body()
                                .lines()
                                .filter(l -> l.startsWith("fleetlog_kafka_produce_failures_total"))
                                .findFirst()
                                .orElse("?"));
            } finally {
                db.close();
                schema.drop();
            }
        }
    }

    /** An edge: sends {@code drive} from each Welcome on, reconnecting after a failure, until all is acked. */
    static void deliver(String base, String vin, String token, List<Sample> drive) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (EdgeClient e = EdgeClient.hello(base, vin, token)) {
                var first = e.next(30_000);
                if (first == null || !first.hasWelcome()) {
                    continue;
                }
                int from = (int) first.getWelcome().getLastStoredSeq() + 1;
                boolean ok = true;
                for (int i = from; i < drive.size() && ok; i += BATCH) {
                    int to = Math.min(drive.size(), i + BATCH);
                    e.sendBatch(drive.subList(i, to));
                    ok = e.awaitAck(to - 1, 60_000) == to - 1;
                }
                if (ok) {
                    return;
                }
            } catch (Exception ex) {
                // the write failed or the connection closed: reconnect and resend from the Welcome
            }
        }
        throw new IllegalStateException(vin + " not delivered after 20 connections");
    }

    /** The broker leading the partition of {@code vin}'s key (the producer's default partitioner). */
    static int leaderOf(BusConfig bus, String vin) throws Exception {
        int partition = Utils.toPositive(Utils.murmur2(vin.getBytes(StandardCharsets.UTF_8))) % bus.partitions();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bus.bootstrap()))) {
            return admin.describeTopics(List.of(bus.topic()))
                    .allTopicNames()
                    .get()
                    .get(bus.topic())
                    .partitions()
                    .get(partition)
                    .leader()
                    .id();
        }
    }
}
