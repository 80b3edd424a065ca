package io.fleetlog.server.mqtt;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker outage mid-stream: our own Mosquitto child process (loopback, no persistence, so its
 * restart loses every retained message) is killed while an edge streams, and started again. Ingest
 * keeps acking meanwhile; after the restart the publisher reconnects and the broker holds the
 * current state again.
 */
class MqttOutageTest {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final String VIN = Samples.VIN_A;

    @TempDir
    Path dir;

    Process broker;
    ServerFixture fx;
    MqttBridge bridge;

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (fx != null) {
            fx.close();
        }
        kill();
    }

    void startBroker(int port) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        assertThat(ServerFixture.await(() -> Subscriber.reachable("127.0.0.1", port), 10_000))
                .as("mosquitto listening on %d", port)
                .isTrue();
    }

    void kill() throws InterruptedException {
        if (broker != null) {
            broker.destroyForcibly();
            broker.waitFor(10, TimeUnit.SECONDS);
            broker = null;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Streams 10-frame batches, each awaited; counts acks and the slowest ack. */
    static final class Stream implements Runnable {
        final EdgeClient edge;
        final AtomicLong acked = new AtomicLong(-1);
        final AtomicLong batches = new AtomicLong();
        final AtomicLong slowestNanos = new AtomicLong();
        volatile boolean stop;
        volatile String failure;

        Stream(EdgeClient edge) {
            this.edge = edge;
        }

        @Override
        public void run() {
            long seq = 0;
            try {
                while (!stop) {
                    long t0 = System.nanoTime();
                    edge.sendBatch(Samples.drive(seq, 10, Samples.T0 + seq * 20));
                    seq += 10;
                    if (edge.awaitAck(seq - 1, 10_000) != seq - 1) {
                        failure = "no ack for seq " + (seq - 1);
                        return;
                    }
                    slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    acked.set(seq - 1);
                    batches.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aBrokerKilledMidStreamNeverStallsIngestAndTheStateCatchesUpAfterItsRestart() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "no " + MOSQUITTO + ": the broker outage test starts its own");
        int port = freePort();
        startBroker(port);
        String url = "tcp://127.0.0.1:" + port;
        MqttConfig config = MqttConfig.of(url).withNamespace("outage");
        String seqTopic = Topics.vehicleRoot(config, VIN) + "/seq";
        fx = ServerFixture.start(dir);
        bridge = MqttBridge.start(config, fx.server);

        try (EdgeClient edge = EdgeClient.hello(fx.base, VIN, TOKEN_A);
                Subscriber before = Subscriber.open(url, "fleetlog/outage/#")) {
            edge.next(10_000);
            Stream s = new Stream(edge);
            Thread t = Thread.ofPlatform().name("edge-stream").start(s);
            assertThat(before.await(seqTopic, p -> Long.parseLong(p) >= 200, 20_000))
                    .isTrue();
            long batchesBefore = s.batches.get();
            Thread.sleep(2_000);
            long rateBefore = s.batches.get() - batchesBefore; // batches in 2 s with the broker up

            kill();
            long killedAt = s.batches.get();
            long slowestBefore = s.slowestNanos.getAndSet(0);
            assertThat(ServerFixture.await(() -> !bridge.connected(), 10_000)).isTrue();
            Thread.sleep(2_000);
            long rateDuring = s.batches.get() - killedAt; // batches in 2+ s with the broker down
            long slowestDuring = s.slowestNanos.get();

            startBroker(port);
            Thread.sleep(500);
            s.stop = true;
            t.join(15_000);
            assertThat(s.failure).isNull();
            long last = s.acked.get();
            System.out.printf(
                    "mqtt outage: batches per 2 s before %d, during %d; slowest ack before %.1f ms, during %.1f ms;"
                            + " last acked seq %d%n",
                    rateBefore, rateDuring, slowestBefore / 1e6, slowestDuring / 1e6, last);
            // ingest never waits on MQTT: it keeps acking at its rate, no ack is stalled by the outage
            assertThat(rateDuring).isGreaterThanOrEqualTo(rateBefore / 4);
            assertThat(slowestDuring).isLessThan(TimeUnit.SECONDS.toNanos(2));

            try (Subscriber after = Subscriber.open(url, "fleetlog/outage/#")) {
                assertThat(after.await(seqTopic, Long.toString(last)::equals, 20_000))
                        .as("the restarted broker holds the newest seq %d, has %s", last, after.payload(seqTopic))
                        .isTrue();
                assertThat(after.await("fleetlog/outage/status", "online"::equals, 5_000))
                        .isTrue();
                assertThat(after.payload(Topics.vehicleRoot(config, VIN) + "/state"))
                        .isEqualTo("online");
            }
            String metrics = fx.get("/metrics").body();
            assertThat(metric(metrics, "fleetlog_mqtt_connects_total")).isGreaterThanOrEqualTo(2);
            assertThat(metric(metrics, "fleetlog_mqtt_connect_failures_total")).isGreaterThanOrEqualTo(1);
            assertThat(metric(metrics, "fleetlog_mqtt_connected")).isEqualTo(1);
        }
    }

    static double metric(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
