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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebalance while a backlog drains (issue 17's fault matrix): 5 vehicles' frames and alerts are
 * in the topic before any sink runs; sink 1 (a child JVM) starts draining, sink 2 (another child
 * JVM, same group) joins mid-drain and takes some partitions, then sink 1 is SIGKILLed mid-drain
 * and its partitions move to sink 2 after the session timeout. PostgreSQL ends with exactly what
 * was produced: every vehicle's seqs 0..N−1 once each with their values, and every alert event —
 * which no key protects — once.
 */
class RebalanceBacklogTest {
    static final int VEHICLES = 5;
    static final int FRAMES = 4_000;
    static final int BATCH = 20;
    static final int ALERT_EVERY = 20; // batches
    static final String GROUP = "backlog-sink";
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
    void aSinkJoiningAndAnotherKilledWhileABacklogDrainsStoreEveryFrameAndEventOnce(@TempDir Path dir)
            throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("backlog-" + UUID.randomUUID())
                .withPartitions(6, (short) 1);
        Topics.ensure(bus);
        KafkaBusTest.Db db = KafkaBusTest.Db.of("postgresql", dir);
        List<String> vins = Samples.vins(VEHICLES);
        long total = (long) VEHICLES * FRAMES;
        Process first = null;
        Process second = null;
        try {
            produce(bus, dir, vins); // the backlog: no sink has run yet
            long end = KafkaBusTest.endOffsets(bus);
            assertThat(frames(db.url()))
                    .as("nothing stored before the sinks start")
                    .isLessThanOrEqualTo(0);

            first = spawn(bus, db.url(), dir, "sink-1");
            assertThat(await(() -> frames(db.url()) >= total / 10, 90_000))
                    .as("sink 1 is draining")
                    .isTrue();
            second = spawn(bus, db.url(), dir, "sink-2");
            assertThat(await(() -> bothAssigned(bus), 90_000))
                    .as("sink 2 joined the group and was given partitions")
                    .isTrue();
            long atJoin = frames(db.url());
            assertThat(atJoin).as("sink 2 joined mid-drain").isLessThan(total);
            assertThat(await(() -> frames(db.url()) >= atJoin + total / 10, 90_000))
                    .as("both sinks drain after the rebalance")
                    .isTrue();

            first.destroyForcibly(); // SIGKILL: no LeaveGroup, the partitions move after the session timeout
            first.waitFor();
            assertThat(frames(db.url())).as("sink 1 killed mid-drain").isLessThan(total);

            assertThat(await(() -> offsets(db.url()) == end, 120_000))
                    .as("sink 2 took sink 1's partitions and reached the end of every partition")
                    .isTrue();
            assertStoredExactlyOnce(db.url(), vins);
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }
            db.drop();
        }
    }

    private static void assertStoredExactlyOnce(String url, List<String> vins) {
        try (SampleStore store = Stores.open(url)) {
            for (int v = 0; v < VEHICLES; v++) {
                String vin = vins.get(v);
                List<Sample> out = new ArrayList<>();
                store.scan(vin, 0, Long.MAX_VALUE, out::add);
                assertThat(out)
                        .as(vin + ": seqs 0.." + (FRAMES - 1) + " once each, in order")
                        .containsExactlyElementsOf(drive(v));
                assertThat(store.count(vin)).isEqualTo(FRAMES);
                assertThat(store.lastSeq(vin)).isEqualTo(FRAMES - 1);
                assertThat(store.events(vin, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                                .map(VehicleEvent::detail)
                                .toList())
                        .as("every alert of " + vin + " once, in order")
                        .containsExactlyElementsOf(alerts());
            }
        }
    }

    static List<Sample> drive(int v) {
        return Samples.drive(0, FRAMES, Samples.T0 + v * 1000L);
    }

    static List<String> alerts() {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < FRAMES / BATCH; b += ALERT_EVERY) {
            out.add("alert " + b);
        }
        return out;
    }

    /** Per vehicle: its registry row and catalogue, then batches of {@link #BATCH}, an alert every 20th. */
    private static void produce(BusConfig bus, Path dir, List<String> vins) {
        try (KafkaBusStore replica =
                KafkaBusStore.open(Stores.open("jdbc:sqlite:" + dir.resolve("r.db")), bus, GROUP, "replica-1")) {
            for (int v = 0; v < VEHICLES; v++) {
                replica.upsertVehicle(new Vehicle(vins.get(v), "model3", "car " + v));
                replica.useCatalogue(vins.get(v), Catalogue.builtin());
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int b = 0; b < FRAMES / BATCH; b++) {
                for (int v = 0; v < VEHICLES; v++) {
                    List<Sample> d = drive(v);
                    acks.add(replica.appendAsync(vins.get(v), d.subList(b * BATCH, (b + 1) * BATCH)));
                    if (b % ALERT_EVERY == 0) {
                        replica.recordEvent(VehicleEvent.note(
                                vins.get(v), d.get(b * BATCH).captureTimeMs(), VehicleEvent.Kind.ALERT, "alert " + b));
                    }
                }
            }
            acks.forEach(CompletableFuture::join);
        }
    }

    /** True when the group has two members and each was assigned partitions of the topic. */
    private static boolean bothAssigned(BusConfig bus) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bus.bootstrap()))) {
            var members = admin.describeConsumerGroups(List.of(GROUP))
                    .all()
                    .get()
                    .get(GROUP)
                    .members();
            return members.size() == 2
                    && members.stream()
                            .map(MemberDescription::assignment)
                            .allMatch(a -> !a.topicPartitions().isEmpty());
        } catch (Exception e) {
            return false; // the group is forming; ask again
        }
    }

    /** A sink in its own JVM: 5 records per poll, 50 ms between polls, so the backlog drains for seconds. */
    private static Process spawn(BusConfig bus, String url, Path dir, String instance) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                SinkChildMain.class.getName(),
                bus.bootstrap(),
                bus.topic(),
                GROUP,
                instance,
                url,
                "5",
                "50");
        pb.redirectErrorStream(true);
        pb.redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve(instance + ".log").toFile()));
        return pb.start();
    }

    private static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** Frames stored: the vehicles' counts (the chunk layout writes no row per frame). */
    private static long frames(String url) {
        return query(url, "SELECT coalesce(sum(samples), 0) FROM vehicles");
    }

    private static long offsets(String url) {
        return query(url, "SELECT coalesce(sum(next_offset), 0) FROM kafka_offsets");
    }

    /** One number read with plain JDBC while the children write; -1 before a child created the schema. */
    private static long query(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // the schema is not there yet
        }
    }
}
