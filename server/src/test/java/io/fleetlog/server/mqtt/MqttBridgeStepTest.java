package io.fleetlog.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.fleet.VehicleStatus;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.Vehicle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's step, driven by hand against a fake broker: no threads, no sleeps, time passed in. */
class MqttBridgeStepTest {
    static final Catalogue CAT = Catalogue.builtin();
    static final String VIN = io.fleetlog.server.testing.Samples.VIN_A;

    /** A broker with switches: down (connect fails), a window of so many publishes per step. */
    static final class FakeBroker implements Broker {
        boolean up;
        boolean connected;
        int window = Integer.MAX_VALUE;
        int connectAttempts;
        String refused;
        final List<Outbox.Message> published = new ArrayList<>();

        @Override
        public void connect() throws Exception {
            connectAttempts++;
            if (!up) {
                throw new java.net.ConnectException("Connection refused");
            }
            connected = true;
        }

        @Override
        public boolean connected() {
            return connected;
        }

        @Override
        public boolean publish(String topic, String payload) throws Exception {
            if (!connected) {
                throw new IllegalStateException("not connected");
            }
            if (topic.equals(refused)) {
                throw new IllegalArgumentException("refused topic " + topic);
            }
            if (window <= 0) {
                return false;
            }
            window--;
            published.add(new Outbox.Message(topic, payload));
            return true;
        }

        @Override
        public void disconnectAfter(String topic, String payload, long timeoutMs) {
            published.add(new Outbox.Message(topic, payload));
            connected = false;
        }

        @Override
        public void close() {}

        long count(String topic) {
            return published.stream().filter(m -> m.topic().equals(topic)).count();
        }

        String last(String topic) {
            String p = null;
            for (Outbox.Message m : published) {
                if (m.topic().equals(topic)) {
                    p = m.payload();
                }
            }
            return p;
        }
    }

    @TempDir
    Path dir;

    SampleStore store;
    Fleet fleet;
    VehicleStatus status;
    FakeBroker broker = new FakeBroker();
    MqttConfig config = MqttConfig.of("tcp://127.0.0.1").withNamespace("step");
    MqttBridge bridge;
    long seq;

    @BeforeEach
    void setUp() throws Exception {
        store = Stores.open("jdbc:sqlite:" + dir.resolve("s.db"));
        store.upsertVehicle(new Vehicle(VIN, "Model 3", "Blue"));
        fleet = new Fleet(store);
        status = fleet.status(VIN);
        status.connected();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    MqttBridge bridge() {
        bridge = new MqttBridge(config, fleet, store, new SimpleMeterRegistry(), InstantSource.system(), broker);
        return bridge;
    }

    /** One stored frame at {@code mph}. */
    void frame(double mph) {
        Frame f = Frame.builder(1_764_180_000_000L + seq * 20)
                .number(CAT.id("VehicleSpeed"), mph)
                .build();
        status.stored(seq, seq, f.timeMs(), f.timeMs(), List.of(f));
        seq++;
    }

    String fl(String key) {
        return Topics.vehicleRoot(config, VIN) + "/" + key;
    }

    @Test
    void whileTheBrokerIsDownOnlyTheNewestValueWaitsAndConnectsBackOff() {
        bridge();
        broker.up = false;
        long now = 0;
        for (int i = 0; i < 500; i++, now += 20) { // 10 s of 50 Hz frames, a step every 20 ms
            frame(i % 100);
            bridge.runOnce(now);
        }
        // backoff from 0.5 s doubling to 10 s: far fewer attempts than the 500 steps
        assertThat(broker.connectAttempts).isBetween(3, 12);
        assertThat(broker.published).isEmpty();

        broker.up = true;
        now += 10_000;
        bridge.runOnce(now);
        assertThat(broker.connected()).isTrue();
        assertThat(broker.count(fl("VehicleSpeed"))).isEqualTo(1);
        assertThat(broker.last(fl("VehicleSpeed"))).isEqualTo("99");
        assertThat(broker.last(fl("seq"))).isEqualTo("499");
        assertThat(broker.last(Topics.status(config))).isEqualTo("online");
        assertThat(broker.last("teslamate/step/cars/1/speed")).isEqualTo("159"); // 99 mph
        assertThat(broker.last(Discovery.topic(config, VIN))).contains("\"name\":\"Blue\"");
    }

    @Test
    void aFullInFlightWindowLeavesTheRestForTheNextStep() {
        bridge();
        broker.up = true;
        broker.window = 5;
        frame(10);
        bridge.runOnce(0);
        assertThat(broker.published).hasSize(5);
        broker.window = Integer.MAX_VALUE;
        bridge.runOnce(200);
        assertThat(broker.count(fl("VehicleSpeed"))).isEqualTo(1);
        assertThat(broker.published.stream()
                        .map(Outbox.Message::topic)
                        .distinct()
                        .count())
                .isEqualTo(broker.published.size()); // nothing twice
    }

    @Test
    void afterALostConnectionEverythingIsPublishedAgain() {
        bridge();
        broker.up = true;
        frame(10);
        bridge.runOnce(0);
        int first = broker.published.size();
        broker.connected = false; // the broker restarted and lost its retained messages
        bridge.runOnce(200);
        assertThat(broker.published.size()).isEqualTo(2 * first);
    }

    @Test
    void aVehicleThatStopsSendingGoesOfflineAfterStaleAfterAndBackOnline() {
        config = config.withStaleAfter(Duration.ofSeconds(5));
        bridge();
        broker.up = true;
        frame(10);
        bridge.runOnce(0);
        assertThat(broker.last(fl("state"))).isEqualTo("online");
        bridge.runOnce(4_900);
        assertThat(broker.last(fl("state"))).isEqualTo("online");
        bridge.runOnce(5_100);
        assertThat(broker.last(fl("state"))).isEqualTo("offline");
        assertThat(broker.last(fl("availability"))).isEqualTo("offline");
        assertThat(broker.last("teslamate/step/cars/1/state")).isEqualTo("offline");
        frame(12);
        bridge.runOnce(6_200);
        assertThat(broker.last(fl("state"))).isEqualTo("online");
        status.disconnected(this);
        bridge.runOnce(7_400);
        assertThat(broker.last(fl("state"))).isEqualTo("offline");
    }

    @Test
    void closeSaysOfflineOnTheStatusTopic() {
        bridge();
        broker.up = true;
        bridge.runOnce(0);
        bridge.close();
        bridge.close();
        assertThat(broker.last(Topics.status(config))).isEqualTo("offline");
        assertThat(broker.count(Topics.status(config))).isEqualTo(2);
    }

    @Test
    void aMessageTheClientRefusesIsSkippedAndDoesNotHoldUpTheOthers() {
        bridge();
        broker.up = true;
        broker.refused = Topics.status(config); // the first message due
        frame(10);
        bridge.runOnce(0);
        assertThat(broker.last(fl("VehicleSpeed"))).isEqualTo("10");
        frame(20);
        bridge.runOnce(1_000);
        assertThat(broker.last(fl("VehicleSpeed"))).isEqualTo("20");
    }
}
