package io.fleetlog.server.mqtt;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT publisher against the real Mosquitto on 127.0.0.1:1883 with real Paho subscribers: a real
 * server on a free port, fed by a real edge client; each test in its own namespace, and what it left
 * retained is cleared afterwards.
 */
class MqttBridgeTest {
    static final String BROKER = "tcp://127.0.0.1:1883";
    static final String VIN = Samples.VIN_A;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    String ns;
    ServerFixture fx;
    MqttBridge bridge;
    Subscriber watcher;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(
                Subscriber.reachable("127.0.0.1", 1883),
                "Mosquitto is not reachable on 127.0.0.1:1883: the MQTT tests need it");
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        ns = "t" + HexFormat.of().formatHex(r);
        fx = ServerFixture.start(dir);
        watcher = Subscriber.open(
                BROKER,
                "fleetlog/" + ns + "/#",
                "teslamate/" + ns + "/#",
                "homeassistant/device/fleetlog_" + ns + "_" + VIN + "/config");
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (fx != null) {
            fx.close();
        }
        if (watcher != null) {
            watcher.clearRetained();
            watcher.close();
        }
    }

    MqttBridge bridge(MqttConfig c) {
        bridge = MqttBridge.start(c, fx.server);
        return bridge;
    }

    MqttConfig config() {
        return MqttConfig.of(BROKER).withNamespace(ns);
    }

    String fl(String key) {
        return "fleetlog/" + ns + "/vehicles/" + VIN + "/" + key;
    }

    String tm(String key) {
        return "teslamate/" + ns + "/cars/1/" + key;
    }

    @Test
    void aLateSubscriberGetsTheRetainedStateInTeslaMateUnitsAndTheDiscoveryConfig() throws Exception {
        bridge(config());
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(0, 50, Samples.T0));
            assertThat(c.awaitAck(49, 10_000)).isEqualTo(49);
            assertThat(watcher.await(fl("seq"), "49"::equals, 10_000)).isTrue();
            assertThat(watcher.await(tm("speed"), p -> true, 10_000)).isTrue();

            assertThat(fx.server.store().vehicleNumber(VIN)).isEqualTo(1); // the first vehicle stored
            Sample s = Samples.sample(49, Samples.T0 + 49 * 20);
            double mph = s.get(Field.SPEED);
            try (Subscriber late = Subscriber.open(
                    BROKER, "fleetlog/" + ns + "/#", "teslamate/" + ns + "/#", Discovery.topic(config(), VIN))) {
                assertThat(late.await(tm("odometer"), p -> true, 5_000)).isTrue();
                assertThat(late.await(Discovery.topic(config(), VIN), p -> true, 5_000))
                        .isTrue();
                assertThat(late.all).allMatch(Subscriber.Msg::retained);

                // what fleetlog stored is within each signal's bound of what was captured (speed ±2 mph,
                // power ±5 kW, SoC ±0.5 %); TeslaMate's topics are those values in TeslaMate's units
                double storedMph = Double.parseDouble(late.payload(fl("VehicleSpeed")));
                assertThat(storedMph).isCloseTo(mph, within(2.0));
                assertThat(late.payload(tm("speed"))).isEqualTo(Long.toString(Math.round(storedMph * 1.609344)));
                assertThat(Double.parseDouble(late.payload(tm("odometer"))))
                        .isCloseTo(s.get(Field.ODOMETER) * 1.609344, within(0.006));
                double storedKw = Double.parseDouble(late.payload(fl("Power")));
                assertThat(storedKw).isCloseTo(s.get(Field.POWER), within(5.0));
                assertThat(late.payload(tm("power"))).isEqualTo(Long.toString(Math.round(storedKw)));
                double storedSoc = Double.parseDouble(late.payload(fl("Soc")));
                assertThat(storedSoc).isCloseTo(s.get(Field.SOC), within(0.5));
                assertThat(late.payload(tm("battery_level"))).isEqualTo(Long.toString(Math.round(storedSoc)));
                JsonNode loc = JSON.readTree(late.payload(tm("location")));
                assertThat(loc.get("latitude").asDouble()).isCloseTo(s.get(Field.LATITUDE), within(1e-7));
                assertThat(loc.get("longitude").asDouble()).isCloseTo(s.get(Field.LONGITUDE), within(1e-7));
                assertThat(late.payload(tm("state"))).isEqualTo("online");
                assertThat(late.payload(tm("healthy"))).isEqualTo("true");
                assertThat(late.payload(fl("state"))).isEqualTo("online");
                assertThat(late.payload(fl("availability"))).isEqualTo("online");
                assertThat(late.payload("fleetlog/" + ns + "/status")).isEqualTo("online");

                JsonNode d = JSON.readTree(late.payload(Discovery.topic(config(), VIN)));
                assertThat(d.at("/device/identifiers/0").asText()).isEqualTo("fleetlog_" + ns + "_" + VIN);
                assertThat(d.at("/components/speed/state_topic").asText()).isEqualTo(fl("VehicleSpeed"));
                assertThat(d.at("/components/odometer/unit_of_measurement").asText())
                        .isEqualTo("mi");
                assertThat(d.at("/availability/1/topic").asText()).isEqualTo(fl("availability"));
            }
        }
        // the link closed: the vehicle is offline, for fleetlog, TeslaMate and Home Assistant
        assertThat(watcher.await(fl("state"), "offline"::equals, 10_000)).isTrue();
        assertThat(watcher.await(fl("availability"), "offline"::equals, 5_000)).isTrue();
        assertThat(watcher.await(tm("state"), "offline"::equals, 5_000)).isTrue();
        bridge.close();
        assertThat(watcher.await("fleetlog/" + ns + "/status", "offline"::equals, 5_000))
                .isTrue();
    }

    @Test
    void aConnectedVehicleThatSendsNothingGoesStaleThenComesBack() throws Exception {
        bridge(config().withStaleAfter(Duration.ofSeconds(1)));
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(0, 10, Samples.T0));
            c.awaitAck(9, 10_000);
            assertThat(watcher.await(fl("seq"), "9"::equals, 10_000)).isTrue();
            assertThat(watcher.await(fl("state"), "offline"::equals, 10_000)).isTrue();
            assertThat(watcher.payload(fl("availability"))).isIn("offline", "online"); // may trail by a step
            assertThat(watcher.await(fl("availability"), "offline"::equals, 5_000))
                    .isTrue();
            c.sendBatch(Samples.drive(10, 10, Samples.T0 + 200));
            c.awaitAck(19, 10_000);
            assertThat(watcher.await(fl("state"), "online"::equals, 10_000)).isTrue();
            assertThat(watcher.await(fl("seq"), "19"::equals, 10_000)).isTrue();
        }
    }

    @Test
    void fiftyHertzSpeedIsPublishedAtMostOncePerSecond() throws Exception {
        bridge(config().withTeslaMate(false));
        long streamMs = 3_000;
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            long seq = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < streamMs * 1_000_000L) {
                c.sendBatch(Samples.drive(seq, 5, Samples.T0 + seq * 20));
                seq += 5;
                c.awaitAck(seq - 1, 10_000);
                Thread.sleep(100); // 5 frames per 100 ms: 50 Hz
            }
            long last = seq - 1;
            assertThat(watcher.await(fl("seq"), Long.toString(last)::equals, 5_000))
                    .isTrue();
            long speedMessages = watcher.count(fl("VehicleSpeed"));
            System.out.printf(
                    "mqtt rate: %d frames in %d ms, %d VehicleSpeed messages%n", seq, streamMs, speedMessages);
            assertThat(speedMessages).isBetween(2L, streamMs / 1_000 + 3);
            assertThat(watcher.all).noneMatch(m -> m.topic().startsWith("teslamate/")); // turned off
        }
    }
}
