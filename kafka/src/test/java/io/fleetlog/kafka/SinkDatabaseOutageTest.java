package io.fleetlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the sink's PostgreSQL connections are terminated again and again while it drains a backlog
 * (pg_terminate_backend on its backends — the shared test server is not restarted, which would
 * disturb the other users of it). Every failed transaction rolls back with its offsets; the sink
 * retries from the stored offsets and ends with every frame and event exactly once.
 */
class SinkDatabaseOutageTest {
    static final String APP = "fleetlog-sink-outage";
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
    void terminatedDatabaseConnectionsMidDrainLoseAndDuplicateNothing(@TempDir Path dir) throws Exception {
        BusConfig bus = BusConfig.of(broker.bootstrap())
                .withTopic("pg-outage-" + UUID.randomUUID())
                .withPartitions(3, (short) 1);
        Topics.ensure(bus);
        Postgres.Schema schema = Postgres.newSchema();
        String url = schema.url() + "&ApplicationName=" + APP;
        List<String> vins = Samples.vins(SinkCrashTest.VEHICLES);
        SinkCrashTest.produce(bus, dir, vins);
        long total = (long) SinkCrashTest.VEHICLES * SinkCrashTest.BATCHES * SinkCrashTest.BATCH;
        long terminated = 0;
        SampleStore store = Stores.open(url);
        Properties p = Sink.consumerConfig(bus, "outage-sink", null);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3); // many small transactions: the cuts land mid-drain
        Sink sink = new Sink(new KafkaConsumer<>(p), store, "outage-sink", bus.topic(), new SimpleMeterRegistry());
        Thread sinkThread = Thread.ofPlatform().name("sink").start(sink::run);
        try {
            // Five cuts, each once the sink has drained another seventh of the backlog.
            for (int k = 1; k <= 5; k++) {
                long at = k * total / 7;
                assertThat(ServerFixture.await(() -> frames(schema) >= at, 120_000))
                        .as("drained " + at + " frames after " + (k - 1) + " cuts")
                        .isTrue();
                terminated += terminateSinkBackends();
            }
            assertThat(terminated).as("sink connections terminated").isPositive();
            assertThat(frames(schema)).as("cut mid-drain").isLessThan(total);
            long end = KafkaBusTest.endOffsets(bus);
            assertThat(ServerFixture.await(() -> consumed(store, bus.topic()) == end, 120_000))
                    .as("the sink reached the end of every partition")
                    .isTrue();
            System.out.println("sink_pg_outage terminated_backends=" + terminated + " frames=" + total);
            // Read back through a store of its own: the sink's pool may still hold terminated connections.
            try (SampleStore check = Stores.open(schema.url())) {
                for (int v = 0; v < SinkCrashTest.VEHICLES; v++) {
                    String vin = vins.get(v);
                    List<Sample> out = new ArrayList<>();
                    check.scan(vin, 0, Long.MAX_VALUE, out::add);
                    assertThat(out).as(vin).containsExactlyElementsOf(SinkCrashTest.drive(v));
                    assertThat(check.events(vin, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                                    .map(VehicleEvent::detail)
                                    .toList())
                            .as("every event of " + vin + " once, in order")
                            .containsExactlyElementsOf(SinkCrashTest.alerts());
                }
            }
        } finally {
            sink.close();
            sinkThread.join(10_000);
            store.close();
            schema.drop();
        }
    }

    /**
     * The offsets the sink stored, summed; -1 while the store's read fails (the test shares the sink's
     * pool, whose idle connections the last cut may have terminated: the pool replaces them).
     */
    private static long consumed(SampleStore store, String topic) {
        try {
            return store.consumedOffsets("outage-sink", topic).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        } catch (io.fleetlog.server.store.StoreException e) {
            return -1;
        }
    }

    /** Terminates every backend of the sink's application name; returns how many. */
    static long terminateSinkBackends() {
        try (Connection c = DriverManager.getConnection(Postgres.BASE + "?user=" + Postgres.USER);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE application_name = '" + APP + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot terminate the sink's backends: " + e.getMessage(), e);
        }
    }

    /** Frames stored: the vehicles' counts (the chunk layout writes no row per frame). */
    static long frames(Postgres.Schema schema) {
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(sum(samples), 0) FROM vehicles")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}
