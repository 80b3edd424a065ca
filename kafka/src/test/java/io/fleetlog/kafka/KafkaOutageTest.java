package io.fleetlog.kafka;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka stops acknowledging: the edge gets no ack, and the connection closes without one. */
class KafkaOutageTest {
    static final String A = Samples.VIN_A;

    @Test
    void anEdgeGetsNoAckForFramesKafkaDidNotAcknowledge(@TempDir Path dir) throws Exception {
        try (Broker broker = Broker.start()) {
            BusConfig bus = BusConfig.of(broker.bootstrap())
                    .withTopic("frames")
                    .withPartitions(1, (short) 1)
                    .withDeliveryTimeout(Duration.ofSeconds(2));
            Topics.ensure(bus);
            String url = "jdbc:sqlite:" + dir.resolve("fleetlog.db");
            KafkaBusStore replica = KafkaBusStore.open(Stores.open(url), bus, "fleetlog-sink", "replica-1");
            List<Sample> a = Samples.drive(0, 200, Samples.T0);
            try (ServerFixture fx =
                    ServerFixture.start(ServerFixture.config(dir).withDb(url), replica)) {
                replica.bindTo(fx.server.metrics());
                EdgeClient e = EdgeClient.hello(fx.base, A, TOKEN_A);
                assertThat(e.next(10_000).getWelcome().getLastStoredSeq()).isEqualTo(-1);
                e.sendBatch(a.subList(0, 100));
                assertThat(e.awaitAck(99, 10_000)).isEqualTo(99);

                broker.stopBroker();
                e.sendBatch(a.subList(100, 200));
                assertThat(e.awaitAck(100, 3_000))
                        .as("no ack while Kafka is down")
                        .isEqualTo(-2);
                // 1011 (store failure) once the delivery timeout passed; or Jetty's idle close (1001)
                // first, when the OFFLINE event of the failing connection waits for Kafka's metadata.
                assertThat(e.closeCode(20_000)).as("closed without an ack").isIn(1011, 1001);
                assertThat(e.awaitAck(100, 100))
                        .as("no ack came before the close")
                        .isEqualTo(-2);
                assertThat(replica.lastSeq(A))
                        .as("a reconnect is asked for the frames Kafka did not acknowledge")
                        .isEqualTo(99);
                assertThat(fx.get("/metrics").body()).containsPattern("fleetlog_kafka_produce_failures_total [1-9]");
            }
        }
    }
}
