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
import io.fleetlog.wire.v2.Envelope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: an ingest replica in its own JVM is killed with SIGKILL while two vehicles stream to it;
 * each vehicle reconnects to another replica, is welcomed at or above every seq it was acked, and
 * sends the rest from there. The sink then holds every frame of both exactly once.
 */
class ReplicaKillTest {
    static final int FRAMES = 6000;
    static final int BATCH = 50;
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
    void aReplicaKilledMidStreamLosesAndDuplicatesNothingWhenItsCarsMoveToAnother(@TempDir Path dir) throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("frames-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        Postgres.Schema schema = Postgres.newSchema();
        Map<String, List<Sample>> drives = Map.of(
                Samples.VIN_A, Samples.drive(0, FRAMES, Samples.T0),
                Samples.VIN_B, Samples.drive(0, FRAMES, Samples.T0 + 11));
        Map<String, String> tokens = Map.of(Samples.VIN_A, TOKEN_A, Samples.VIN_B, TOKEN_B);
        Process child = spawn(bus, schema.url(), dir);
        SampleStore db = Stores.open(schema.url());
        try (ServerFixture r2 = ReplicaWelcomeTest.replica(dir.resolve("r2"), schema, bus, "r2");
                ReplicaWelcomeTest.RunningSink sink = ReplicaWelcomeTest.RunningSink.start(bus, schema)) {
            String r1 = "http://127.0.0.1:" + port(child);
            // 1. Both vehicles stream to r1 (the child), a batch every 5 ms without waiting for acks.
            Map<String, Long> acked = new ConcurrentHashMap<>();
            Map<String, EdgeClient> onR1 = new ConcurrentHashMap<>();
            for (String vin : drives.keySet()) {
                EdgeClient e = EdgeClient.hello(r1, vin, tokens.get(vin));
                assertThat(e.next(20_000).getWelcome().getLastStoredSeq()).isEqualTo(-1);
                onR1.put(vin, e);
            }
            List<Thread> senders = drives.keySet().stream()
                    .map(vin -> Thread.ofVirtual().start(() -> stream(onR1.get(vin), drives.get(vin))))
                    .toList();
            // 2. SIGKILL once A has some acks: the rest of both streams is in flight or unsent.
            long firstAck = onR1.get(Samples.VIN_A).awaitAck(FRAMES / 20, 30_000);
            assertThat(firstAck).isGreaterThanOrEqualTo(FRAMES / 20);
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (Thread t : senders) {
                t.join(30_000);
            }
            for (String vin : drives.keySet()) {
                long seen = vin.equals(Samples.VIN_A) ? firstAck : -1;
                acked.put(vin, Math.max(seen, highestAck(onR1.get(vin))));
                onR1.get(vin).close();
            }
            assertThat(acked.get(Samples.VIN_A)).as("killed mid-stream").isLessThan(FRAMES - 1);

            // 3. Each vehicle moves to r2: welcomed at or above what r1 acked, sends the rest.
            for (String vin : drives.keySet()) {
                try (EdgeClient e = EdgeClient.hello(r2.base, vin, tokens.get(vin))) {
                    long welcome = e.next(20_000).getWelcome().getLastStoredSeq();
                    System.out.println("replica_kill vin=" + vin + " acked_by_r1=" + acked.get(vin) + " welcome_on_r2="
                            + welcome + " frames=" + FRAMES);
                    assertThat(welcome).as(vin + " Welcome vs r1's acks").isGreaterThanOrEqualTo(acked.get(vin));
                    List<Sample> rest = drives.get(vin).subList((int) welcome + 1, FRAMES);
                    for (int i = 0; i < rest.size(); i += BATCH) {
                        e.sendBatch(rest.subList(i, Math.min(rest.size(), i + BATCH)));
                    }
                    assertThat(e.awaitAck(FRAMES - 1, 30_000)).isEqualTo(FRAMES - 1);
                }
            }
            assertThat(ServerFixture.await(
                            () -> db.count(Samples.VIN_A) == FRAMES && db.count(Samples.VIN_B) == FRAMES, 60_000))
                    .as("stored A " + db.count(Samples.VIN_A) + ", B " + db.count(Samples.VIN_B))
                    .isTrue();
            for (String vin : drives.keySet()) {
                KafkaBusTest.assertStoredOnce(db, vin, drives.get(vin));
            }
        } finally {
            child.destroyForcibly();
            db.close();
            schema.drop();
        }
    }

    /** Sends {@code drive} by batches, 5 ms apart, until done or the connection fails. */
    static void stream(EdgeClient e, List<Sample> drive) {
        try {
            for (int i = 0; i < drive.size(); i += BATCH) {
                e.sendBatch(drive.subList(i, i + BATCH));
                Thread.sleep(5);
            }
        } catch (RuntimeException | InterruptedException ex) {
            // the replica was killed: what was not acked is sent again to the other replica
        }
    }

    /** The highest seq acked on {@code e} (from what its inbox still holds), -1 when none. */
    static long highestAck(EdgeClient e) throws InterruptedException {
        long high = -1;
        for (Envelope m = e.next(500); m != null; m = e.next(500)) {
            if (m.hasAck()) {
                high = Math.max(high, m.getAck().getSeq());
            }
        }
        return high;
    }

    static Process spawn(BusConfig bus, String url, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                ReplicaChildMain.class.getName(),
                bus.bootstrap(),
                bus.topic(),
                url,
                "r1",
                dir.resolve("r1").toString());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Reads the child's output until its {@code PORT n} line (the rest is drained on a thread). */
    static int port(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("the replica child printed no PORT line");
    }
}
