package io.fleetlog.server.ft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.ft.TestFlatBuilder;
import io.fleetlog.ft.pki.DevCa;
import io.fleetlog.ft.proto.Audience;
import io.fleetlog.ft.proto.VehicleAlert;
import io.fleetlog.ft.proto.VehicleAlerts;
import io.fleetlog.ft.proto.VehicleError;
import io.fleetlog.ft.proto.VehicleErrors;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.server.tls.TlsConfig;
import io.fleetlog.tls.ClientTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fleet Telemetry listener's vehicle events and limits, over real mutual TLS with certificates
 * of {@link DevCa} (what {@code fleetlog ca} makes): alerts and errors stored as events once (also
 * when resent), an expired car certificate refused, the rate limit, arrival-gap and out-of-order events.
 */
class FtEventsAndLimitsTest {
    private static final String VIN = Samples.VIN_A;
    private static final String OTHER_VIN = Samples.VIN_B;
    private static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path dir;

    private DevCa ca;
    private DevCa.Issued server;
    private final AtomicLong now = new AtomicLong(T0 + 3_600_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @BeforeEach
    void pki() throws Exception {
        ca = DevCa.create(dir.resolve("ca"), "test CA", Duration.ofDays(2));
        server = ca.issueServer(dir.resolve("server"), List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
    }

    private ServerConfig config(FtConfig ft) {
        return ServerFixture.config(dir)
                .withTls(TlsConfig.of(server.certFile(), server.keyFile()).withClientCa(dir.resolve("ca/ca.pem")))
                .withFleetTelemetry(ft)
                .withClock(clock);
    }

    private ClientTls car(String vin) throws Exception {
        DevCa.Issued c = ca.issueVehicle(dir.resolve(vin), vin, Duration.ofDays(1));
        return new ClientTls(dir.resolve("ca/ca.pem"), c.certFile(), c.keyFile());
    }

    private static Timestamp ts(long ms) {
        return Timestamp.newBuilder()
                .setSeconds(ms / 1000)
                .setNanos((int) (ms % 1000) * 1_000_000)
                .build();
    }

    private static byte[] alerts(String vin, long tMs) {
        return VehicleAlerts.newBuilder()
                .setVin(vin)
                .setCreatedAt(ts(tMs))
                .addAlerts(VehicleAlert.newBuilder()
                        .setName("BMS_a066_SW_Low_Temp\u0007")
                        .addAudiences(Audience.AUDIENCE_CUSTOMER)
                        .addAudiences(Audience.AUDIENCE_SERVICE)
                        .setStartedAt(ts(tMs - 5000)))
                .addAlerts(VehicleAlert.newBuilder()
                        .setName("VCFRONT_a192_lowVoltage")
                        .setStartedAt(ts(tMs - 60_000))
                        .setEndedAt(ts(tMs - 1000)))
                .build()
                .toByteArray();
    }

    private static byte[] errors(String vin, long tMs) {
        return VehicleErrors.newBuilder()
                .setVin(vin)
                .setCreatedAt(ts(tMs))
                .addErrors(VehicleError.newBuilder()
                        .setCreatedAt(ts(tMs))
                        .setName("config_error")
                        .setBody("x".repeat(1000))
                        .putTags("field", "VehicleSpeed"))
                .build()
                .toByteArray();
    }

    private static byte[] record(String txid, String topic, String vin, byte[] payload) {
        return TestFlatBuilder.streamEnvelope(
                txid.getBytes(StandardCharsets.UTF_8),
                topic.getBytes(StandardCharsets.UTF_8),
                txid.getBytes(StandardCharsets.UTF_8),
                T0 / 1000,
                ("vehicle_device." + vin).getBytes(StandardCharsets.UTF_8),
                payload,
                "vehicle_device".getBytes(StandardCharsets.UTF_8),
                "dev".getBytes(StandardCharsets.UTF_8),
                T0);
    }

    private static List<VehicleEvent> events(FleetServer s, VehicleEvent.Kind kind) {
        return s.store().events(VIN, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(e -> e.kind() == kind)
                .toList();
    }

    @Test
    void alertsAndErrorsAreStoredAsEventsOnceAndBounded() throws Exception {
        try (FleetServer s = FleetServer.start(config(FtConfig.onPort(0)));
                FtListenerTest.Car c = FtListenerTest.Car.connect(s, car(VIN))) {
            FtEnvelope a = c.send(record("al1", "alerts", VIN, alerts(VIN, T0)));
            assertThat(a.messageType()).isEqualTo(FtEnvelope.TYPE_ACK);
            assertThat(a.topicText()).isEqualTo("alerts");
            List<VehicleEvent> al = events(s, VehicleEvent.Kind.ALERT);
            assertThat(al).hasSize(2);
            assertThat(al.get(0).tMs()).isEqualTo(T0 - 60_000); // at the alert's start, on the car's clock
            assertThat(al.get(0).detail()).startsWith("alert VCFRONT_a192_lowVoltage, ended ");
            assertThat(al.get(1).detail()).isEqualTo("alert BMS_a066_SW_Low_Temp\\u0007 for customer,service, active");
            // a resend under the same txid, and under a new one: acked, not stored again
            assertThat(c.send(record("al1", "alerts", VIN, alerts(VIN, T0))).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            assertThat(c.send(record("al1-new", "alerts", VIN, alerts(VIN, T0))).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            assertThat(events(s, VehicleEvent.Kind.ALERT)).hasSize(2);

            assertThat(c.send(record("er1", "errors", VIN, errors(VIN, T0))).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            List<VehicleEvent> er = events(s, VehicleEvent.Kind.ERROR);
            assertThat(er).hasSize(1);
            assertThat(er.get(0).detail()).startsWith("error config_error: xxx").contains("…");
            assertThat(er.get(0).detail().length()).isLessThanOrEqualTo(512);

            // alerts naming another VIN, and undecodable ones: error replies, nothing stored
            assertThat(c.send(record("al2", "alerts", VIN, alerts(OTHER_VIN, T0 + 1000)))
                            .messageType())
                    .isEqualTo(FtEnvelope.TYPE_STREAM);
            assertThat(c.send(record("al3", "alerts", VIN, new byte[] {(byte) 0xff, 1, 2}))
                            .messageType())
                    .isEqualTo(FtEnvelope.TYPE_STREAM);
            assertThat(events(s, VehicleEvent.Kind.ALERT)).hasSize(2);
            assertThat(s.fleetTelemetry().metrics().eventsStoredCount("alerts")).isEqualTo(2);
            assertThat(s.fleetTelemetry().metrics().eventsStoredCount("errors")).isEqualTo(1);

            // the API shows them: GET /api/vehicles/{vin}/events?kind=…
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .sslContext(new ClientTls(dir.resolve("ca/ca.pem"), null, null).sslContext())
                    .build();
            var get = (java.util.function.Function<String, java.net.http.HttpResponse<String>>) q -> {
                try {
                    return http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(s.baseUrl() + "/api/vehicles/" + VIN + "/events" + q))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            var r = get.apply("?kind=alert,ERROR");
            assertThat(r.statusCode()).isEqualTo(200);
            var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            assertThat(body.get("events")).hasSize(3);
            assertThat(body.get("events").get(0).get("kind").asText()).isEqualTo("ALERT");
            assertThat(body.get("events").get(0).get("t").asLong()).isEqualTo(T0 - 60_000);
            assertThat(body.get("truncated").asBoolean()).isFalse();
            var one = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(get.apply("?kind=ALERT&limit=1").body());
            assertThat(one.get("events")).hasSize(1);
            assertThat(one.get("truncated").asBoolean()).isTrue();
            var bad = get.apply("?kind=WARP%07");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("WARP\\\\u0007").contains("is not one of");
            assertThat(get.apply("?limit=0").statusCode()).isEqualTo(400);
        }
        // after a restart on the same store the LRU is empty: the stored events still say "resend"
        try (FleetServer s = FleetServer.start(config(FtConfig.onPort(0)));
                FtListenerTest.Car c = FtListenerTest.Car.connect(s, car(VIN))) {
            assertThat(c.send(record("al1", "alerts", VIN, alerts(VIN, T0))).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            assertThat(events(s, VehicleEvent.Kind.ALERT)).hasSize(2);
        }
    }

    @Test
    void anExpiredCarCertificateIsRefused() throws Exception {
        Instant n = Instant.now();
        DevCa.Issued expired =
                ca.issueVehicle(dir.resolve("expired"), VIN, n.minus(Duration.ofDays(10)), n.minus(Duration.ofDays(1)));
        try (FleetServer s = FleetServer.start(config(FtConfig.onPort(0)))) {
            ClientTls tls = new ClientTls(dir.resolve("ca/ca.pem"), expired.certFile(), expired.keyFile());
            assertThatThrownBy(() -> FtListenerTest.Car.connect(s, tls).close())
                    .as("an expired client certificate fails the handshake");
            assertThat(s.store().vins()).doesNotContain(VIN);
            // a valid one of the same CA is taken
            try (FtListenerTest.Car c = FtListenerTest.Car.connect(s, car(VIN))) {
                assertThat(c.send(FtListenerTest.vRecord("ok", T0, 1.0)).messageType())
                        .isEqualTo(FtEnvelope.TYPE_ACK);
            }
        }
    }

    @Test
    void messagesOverTheRateLimitWaitForTheirTurnAndAreCountedNothingDropped() throws Exception {
        FtConfig ft = FtConfig.onPort(0).withRateLimit(3, Duration.ofSeconds(3)); // a message per second after 3
        try (FleetServer s = FleetServer.start(config(ft));
                FtListenerTest.Car c = FtListenerTest.Car.connect(s, car(VIN))) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.send(FtListenerTest.vRecord("r" + i, T0 + i * 1000L, i))
                                .messageType())
                        .isEqualTo(FtEnvelope.TYPE_ACK);
            }
            long start = System.nanoTime();
            for (int i = 3; i < 5; i++) {
                c.ws.sendBinary(java.nio.ByteBuffer.wrap(FtListenerTest.vRecord("r" + i, T0 + i * 1000L, i)), true)
                        .get(10, TimeUnit.SECONDS);
            }
            assertThat(c.replies.poll(300, TimeUnit.MILLISECONDS))
                    .as("no reply before its turn")
                    .isNull();
            for (int i = 3; i < 5; i++) {
                byte[] reply = c.replies.poll(10, TimeUnit.SECONDS);
                assertThat(reply).as("reply " + i).isNotNull();
                assertThat(FtEnvelope.parse(reply).txidText()).isEqualTo("r" + i); // in order
            }
            assertThat((System.nanoTime() - start) / 1e9)
                    .as("two messages over the limit took their turns")
                    .isGreaterThan(1.0);
            assertThat(s.fleetTelemetry().metrics().rateLimitedCount()).isEqualTo(2);
            assertThat(s.store().count(VIN)).isEqualTo(5);
            assertThat(s.metrics().scrape()).contains("ft_rate_limited_total 2.0");
        }
    }

    @Test
    void aSilentCarGetsAnArrivalGapAndARecordRunningBackwardsAnOutOfOrderEvent() throws Exception {
        FtConfig ft = FtConfig.onPort(0).withArrivalGap(Duration.ofSeconds(60));
        try (FleetServer s = FleetServer.start(config(ft));
                FtListenerTest.Car c = FtListenerTest.Car.connect(s, car(VIN))) {
            assertThat(c.send(FtListenerTest.vRecord("g0", T0, 1)).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            now.addAndGet(30_000);
            assertThat(c.send(FtListenerTest.vRecord("g1", T0 + 1000, 2)).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            assertThat(events(s, VehicleEvent.Kind.ARRIVAL_GAP)).isEmpty();
            now.addAndGet(95_000); // silent for 95 s: the next record (captured 90 s ago) ends a gap
            assertThat(c.send(FtListenerTest.vRecord("g2", now.get() - 90_000, 3))
                            .messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            List<VehicleEvent> gaps = events(s, VehicleEvent.Kind.ARRIVAL_GAP);
            assertThat(gaps).hasSize(1);
            assertThat(gaps.get(0).tMs()).isEqualTo(now.get());
            assertThat(gaps.get(0).detail())
                    .startsWith("no Fleet Telemetry record arrived for 95 s")
                    .endsWith("the next was captured 90 s before it arrived");
            assertThat(s.metrics().scrape()).contains("ft_arrival_gap_total 1.0");

            // older than the newest stored frame, not a resend: acked, not stored, an OUT_OF_ORDER event
            assertThat(c.send(FtListenerTest.vRecord("old", T0 + 500, 9)).messageType())
                    .isEqualTo(FtEnvelope.TYPE_ACK);
            assertThat(s.store().count(VIN)).isEqualTo(3);
            List<VehicleEvent> ooo = events(s, VehicleEvent.Kind.OUT_OF_ORDER);
            assertThat(ooo).hasSize(1);
            assertThat(ooo.get(0).tMs()).isEqualTo(T0 + 500);
            assertThat(ooo.get(0).detail()).contains("old").contains("acked, not stored");
            // its resend does not record it twice
            c.send(FtListenerTest.vRecord("old", T0 + 500, 9));
            assertThat(events(s, VehicleEvent.Kind.OUT_OF_ORDER)).hasSize(1);
        }
    }
}
