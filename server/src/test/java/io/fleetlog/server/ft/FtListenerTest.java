package io.fleetlog.server.ft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.ft.TestFlatBuilder;
import io.fleetlog.ft.proto.Datum;
import io.fleetlog.ft.proto.Field;
import io.fleetlog.ft.proto.Payload;
import io.fleetlog.ft.proto.Value;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.server.testing.TestPki;
import io.fleetlog.server.tls.TlsConfig;
import io.fleetlog.tls.ClientTls;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fleet Telemetry listener end to end: a real server with a test CA, a {@code java.net.http}
 * WebSocket client with a vehicle certificate, records built with the fleettelemetry tests' own
 * FlatBuffers builder ({@link TestFlatBuilder}) and the generated protobuf classes.
 */
class FtListenerTest {
    private static final String VIN = Samples.VIN_A;
    private static final String OTHER_VIN = Samples.VIN_B;
    private static final long T0 = 1_780_000_000_000L;
    private static final Catalogue CAT = Catalogue.builtin();

    @TempDir
    Path dir;

    private TestPki pki;
    private TestPki.Issued serverCert;

    private ServerConfig config() throws Exception {
        if (pki == null) {
            pki = TestPki.create(dir, "ft");
            serverCert = pki.server("server");
        }
        return ServerFixture.config(dir)
                .withTls(TlsConfig.of(serverCert.cert(), serverCert.key()).withClientCa(pki.ca()))
                .withFleetTelemetry(FtConfig.onPort(0));
    }

    /** A car: a WebSocket with a client certificate; replies and the close status arrive in queues. */
    static final class Car implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream part = new ByteArrayOutputStream();
        WebSocket ws;

        static Car connect(FleetServer s, ClientTls tls) throws Exception {
            Car c = new Car();
            HttpClient http =
                    HttpClient.newBuilder().sslContext(tls.sslContext()).build();
            c.ws = http.newWebSocketBuilder()
                    .buildAsync(
                            URI.create("wss://127.0.0.1:" + s.fleetTelemetry().port() + "/any/path"), c)
                    .get(20, TimeUnit.SECONDS);
            return c;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            part.writeBytes(b);
            if (last) {
                replies.add(part.toByteArray());
                part.reset();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.add(status);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.add(-1);
        }

        FtEnvelope send(byte[] message) throws Exception {
            ws.sendBinary(ByteBuffer.wrap(message), true).get(20, TimeUnit.SECONDS);
            byte[] reply = replies.poll(20, TimeUnit.SECONDS);
            assertThat(reply).as("reply").isNotNull();
            return FtEnvelope.parse(reply);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    static byte[] payload(String vin, long tMs, double speed, int soc) {
        return Payload.newBuilder()
                .setCreatedAt(Timestamp.newBuilder().setSeconds(tMs / 1000).setNanos((int) (tMs % 1000) * 1_000_000))
                .setVin(vin)
                .addData(Datum.newBuilder()
                        .setKey(Field.VehicleSpeed)
                        .setValue(Value.newBuilder().setStringValue(Double.toString(speed))))
                .addData(Datum.newBuilder()
                        .setKey(Field.Soc)
                        .setValue(Value.newBuilder().setDoubleValue(soc)))
                .build()
                .toByteArray();
    }

    static byte[] record(String txid, String topic, String sender, byte[] payload) {
        return TestFlatBuilder.streamEnvelope(
                txid.getBytes(StandardCharsets.UTF_8),
                topic.getBytes(StandardCharsets.UTF_8),
                ("msg-" + txid).getBytes(StandardCharsets.UTF_8),
                T0 / 1000,
                sender.getBytes(StandardCharsets.UTF_8),
                payload,
                "vehicle_device".getBytes(StandardCharsets.UTF_8),
                "dev".getBytes(StandardCharsets.UTF_8),
                T0);
    }

    static byte[] vRecord(String txid, long tMs, double speed) {
        return record(txid, "V", "vehicle_device." + VIN, payload(VIN, tMs, speed, 50));
    }

    private static void assertAck(FtEnvelope reply, String txid) {
        assertThat(reply.messageType()).as("ack of " + txid).isEqualTo(FtEnvelope.TYPE_ACK);
        assertThat(reply.txidText()).isEqualTo(txid);
        assertThat(reply.topicText()).isEqualTo("V");
    }

    private static String assertError(FtEnvelope reply) {
        assertThat(reply.messageType()).as("error reply").isEqualTo(FtEnvelope.TYPE_STREAM);
        return new String(reply.stream().payload(), StandardCharsets.UTF_8);
    }

    private static List<Sample> stored(FleetServer s) {
        List<Sample> out = new ArrayList<>();
        s.store().scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }

    private static double speed(Sample s) {
        Frame f = s.frame();
        return f.number(f.indexOf(CAT.id("VehicleSpeed")));
    }

    @Test
    void everyRecordIsAckedAfterItsCommitAndStoredOnceAlsoAfterARestart() throws Exception {
        ackedAfterCommitAndStoredOnce(config());
    }

    @Test
    void sameIntoPostgresql() throws Exception {
        io.fleetlog.server.testing.Postgres.Schema schema = io.fleetlog.server.testing.Postgres.newSchema();
        try {
            ackedAfterCommitAndStoredOnce(config().withDb(schema.url()));
        } finally {
            schema.drop();
        }
    }

    private void ackedAfterCommitAndStoredOnce(ServerConfig cfg) throws Exception {
        TestPki.Issued car = pki.client("car", VIN);
        ClientTls tls = new ClientTls(pki.ca(), car.cert(), car.key());
        try (FleetServer s = FleetServer.start(cfg);
                Car c = Car.connect(s, tls)) {
            for (int i = 0; i < 20; i++) {
                FtEnvelope reply = c.send(vRecord("tx" + i, T0 + i * 1000L, i + 0.5));
                assertAck(reply, "tx" + i);
                // the ack came after the commit: the record is in the store when the car sees its ack
                assertThat(s.store().count(VIN)).isEqualTo(i + 1);
            }
            // a resend with the same txid: acked, not stored again
            assertAck(c.send(vRecord("tx5", T0 + 5000, 5.5)), "tx5");
            // the same record under a txid the server has not seen (a car's own resend): compared with the store
            assertAck(c.send(vRecord("tx5-again", T0 + 5000, 5.5)), "tx5-again");
            assertThat(s.store().count(VIN)).isEqualTo(20);
            assertThat(s.fleetTelemetry()).isNotNull();
            List<Sample> rows = stored(s);
            assertThat(rows)
                    .extracting(Sample::seq)
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, 20).boxed().toList());
            assertThat(speed(rows.get(7))).isEqualTo(7.5);
            assertThat(rows.get(7).frame().timeMs()).isEqualTo(T0 + 7000);
            assertThat(s.store().vehicle(VIN)).isPresent();
            String metrics = s.metrics().scrape();
            assertThat(metrics).contains("record_total{record_type=\"V\"} 22.0");
            assertThat(metrics).contains("reliable_ack_total{record_type=\"V\"} 22.0");
            assertThat(metrics).contains("ft_resend_total 2.0");
            assertThat(s.fleet().status(VIN).latest()).isNotNull();
            assertThat(s.fleet().status(VIN).latest().seq()).isEqualTo(19);
        }
        // restarted on the same database: the txid memory is gone, the store still knows the record
        try (FleetServer s = FleetServer.start(cfg);
                Car c = Car.connect(s, tls)) {
            assertAck(c.send(vRecord("tx19", T0 + 19_000, 19.5)), "tx19");
            assertThat(s.store().count(VIN)).isEqualTo(20);
            assertAck(c.send(vRecord("tx20", T0 + 20_000, 20.5)), "tx20");
            assertThat(s.store().count(VIN)).isEqualTo(21);
            assertThat(s.store().lastSeq(VIN)).isEqualTo(20);
            assertThat(s.fleet().status(VIN).latest().seq()).isEqualTo(20);
        }
    }

    @Test
    void aRecordOlderThanTheNewestStoredOneIsAckedNotStored() throws Exception {
        TestPki.Issued car;
        try (FleetServer s = FleetServer.start(config())) {
            car = pki.client("car", VIN);
            try (Car c = Car.connect(s, new ClientTls(pki.ca(), car.cert(), car.key()))) {
                assertAck(c.send(vRecord("a", T0 + 10_000, 1)), "a");
                assertAck(c.send(vRecord("b", T0 + 5_000, 2)), "b");
                assertThat(s.store().count(VIN)).isEqualTo(1);
                assertThat(s.fleetTelemetry()).isNotNull();
                assertThat(s.metrics().scrape()).contains("ft_out_of_order_total 1.0");
                // the same capture time with other values is not time running backwards: stored
                assertAck(c.send(vRecord("c", T0 + 10_000, 3)), "c");
                assertThat(s.store().count(VIN)).isEqualTo(2);
            }
        }
    }

    @Test
    void badMessagesAreRefusedCountedAndNothingIsStored() throws Exception {
        try (FleetServer s = FleetServer.start(config())) {
            TestPki.Issued car = pki.client("car", VIN);
            ClientTls tls = new ClientTls(pki.ca(), car.cert(), car.key());
            FtMetrics m = metrics(s);
            try (Car c = Car.connect(s, tls)) {
                // a sender naming another VIN
                String e1 =
                        assertError(c.send(record("x1", "V", "vehicle_device." + OTHER_VIN, payload(VIN, T0, 1, 1))));
                assertThat(e1).contains(OTHER_VIN);
                // a payload claiming another VIN
                assertError(c.send(record("x2", "V", "vehicle_device." + VIN, payload(OTHER_VIN, T0, 1, 1))));
                assertThat(m.refusedCount("other_vin")).isEqualTo(2);
                // garbage, a 2 MB message, an undecodable payload
                assertError(c.send("not a flatbuffer at all".getBytes(StandardCharsets.UTF_8)));
                assertThat(m.refusedCount("undecodable")).isEqualTo(1);
                assertThat(assertError(c.send(new byte[2 * 1024 * 1024]))).contains("over the limit");
                assertThat(m.refusedCount("too_large")).isEqualTo(1);
                assertError(c.send(record("x3", "V", "vehicle_device." + VIN, new byte[] {(byte) 0xff, 1, 2})));
                assertThat(m.refusedCount("bad_payload")).isEqualTo(1);
                // an alerts record that does not decode: an error reply (FtEventsAndLimitsTest has good ones)
                assertError(c.send(record("al", "alerts", "vehicle_device." + VIN, new byte[] {(byte) 0xff, 1, 2})));
                assertThat(m.refusedCount("bad_payload")).isEqualTo(2);
                // a topic fleetlog does not know: acked and counted, not stored
                FtEnvelope other = c.send(record("ot", "metrics", "vehicle_device." + VIN, new byte[] {1, 2, 3}));
                assertThat(other.messageType()).isEqualTo(FtEnvelope.TYPE_ACK);
                assertThat(other.topicText()).isEqualTo("metrics");
                assertThat(s.metrics().scrape()).contains("record_total{record_type=\"other\"} 1.0");
                assertThat(s.store().count(VIN)).isZero();
                assertThat(s.store().count(OTHER_VIN)).isZero();
                // a text frame: refused, counted, closed
                c.ws.sendText("hello", true).get(20, TimeUnit.SECONDS);
                assertThat(c.closed.poll(20, TimeUnit.SECONDS)).isEqualTo(1003);
                assertThat(m.refusedCount("text_frame")).isEqualTo(1);
            }
            assertThat(s.store().count(VIN)).isZero();
            assertThat(s.store().count(OTHER_VIN)).isZero();
        }
    }

    @Test
    void tlsIsRefusedWithoutAClientCertificateOrWithOneOfAnotherCa() throws Exception {
        try (FleetServer s = FleetServer.start(config())) {
            TestPki rogue = TestPki.create(dir, "rogue");
            TestPki.Issued forged = rogue.client("forged", VIN);
            // the handshake (or the first read after it, with TLS 1.3) fails: an I/O error, no upgrade
            assertThatThrownBy(() -> Car.connect(s, new ClientTls(pki.ca(), null, null)))
                    .hasCauseInstanceOf(java.io.IOException.class)
                    .cause()
                    .isNotInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertThatThrownBy(() -> Car.connect(s, new ClientTls(pki.ca(), forged.cert(), forged.key())))
                    .hasCauseInstanceOf(java.io.IOException.class)
                    .cause()
                    .isNotInstanceOf(java.net.http.WebSocketHandshakeException.class);
            assertThat(s.fleetTelemetry().connections()).isZero();
            assertThat(s.store().vehicle(VIN)).isEmpty();
            // a certificate of the CA whose CN is no VIN: the upgrade is refused
            TestPki.Issued notACar = pki.client("not-a-car", "just a name");
            assertThatThrownBy(() -> Car.connect(s, new ClientTls(pki.ca(), notACar.cert(), notACar.key())))
                    .cause()
                    .isInstanceOfSatisfying(
                            java.net.http.WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
            assertThat(metrics(s).refusedCount("bad_certificate")).isEqualTo(1);
        }
    }

    @Test
    void twoConnectionsOfOneCarNeverShareASeqAndUnknownTypesAndEmptyRecordsAreAckedNotStored() throws Exception {
        try (FleetServer s = FleetServer.start(config())) {
            TestPki.Issued car = pki.client("car", VIN);
            ClientTls tls = new ClientTls(pki.ca(), car.cert(), car.key());
            try (Car a = Car.connect(s, tls);
                    Car b = Car.connect(s, tls)) {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
                try {
                    var fa = pool.submit(() -> {
                        for (int i = 0; i < 15; i++) {
                            assertAck(a.send(vRecord("a" + i, T0 + i * 1000L, i)), "a" + i);
                        }
                        return null;
                    });
                    var fb = pool.submit(() -> {
                        for (int i = 0; i < 15; i++) {
                            assertAck(b.send(vRecord("b" + i, T0 + i * 1000L + 500, i + 0.25)), "b" + i);
                        }
                        return null;
                    });
                    fa.get(60, TimeUnit.SECONDS);
                    fb.get(60, TimeUnit.SECONDS);
                } finally {
                    pool.shutdownNow();
                }
                List<Sample> rows = stored(s);
                long n = rows.size();
                // seqs 0..n-1 each once, capture times never going backwards; the rest counted
                assertThat(rows)
                        .extracting(Sample::seq)
                        .containsExactlyElementsOf(
                                java.util.stream.LongStream.range(0, n).boxed().toList());
                for (int i = 1; i < rows.size(); i++) {
                    assertThat(rows.get(i).frame().timeMs())
                            .isGreaterThanOrEqualTo(rows.get(i - 1).frame().timeMs());
                }
                assertThat(n + (long) metrics(s).outOfOrderCount()).isEqualTo(30);
                assertThat(metrics(s).storedCount()).isEqualTo(n);

                // an envelope of a message type the server does not know: acked, nothing stored
                TestFlatBuilder fb = new TestFlatBuilder();
                fb.startTable(1);
                int empty = fb.endTable();
                int tx = fb.bytes("odd".getBytes(StandardCharsets.UTF_8));
                int tp = fb.bytes("V".getBytes(StandardCharsets.UTF_8));
                fb.startTable(5);
                fb.addRef(0, tx);
                fb.addRef(1, tp);
                fb.addU8(2, 9);
                fb.addRef(3, empty);
                FtEnvelope odd = a.send(fb.finish(fb.endTable()));
                assertAck(odd, "odd");
                // a V record whose only Datum has a Field number the schema does not name: acked, counted
                byte[] unknownOnly = Payload.newBuilder()
                        .setCreatedAt(Timestamp.newBuilder().setSeconds(T0 / 1000 + 100))
                        .addData(Datum.newBuilder()
                                .setKeyValue(9999)
                                .setValue(Value.newBuilder().setIntValue(1)))
                        .build()
                        .toByteArray();
                assertAck(a.send(record("unk", "V", "vehicle_device." + VIN, unknownOnly)), "unk");
                assertThat(s.store().count(VIN)).isEqualTo(n);
                String scrape = s.metrics().scrape();
                assertThat(scrape).contains("ft_unknown_message_type_total 1.0");
                assertThat(scrape).contains("ft_empty_record_total 1.0");
                assertThat(scrape).contains("ft_datum_problems_total{kind=\"unknown_field\"} 1.0");
                // the fleet shows the car like an edge car
                java.util.Map<String, Object> state = s.fleet().state(VIN);
                assertThat(state.get("lastSeq")).isEqualTo(n - 1);
                assertThat(state.get("catalogue")).isEqualTo(CAT.shortId());
            }
        }
    }

    @Test
    void fleetTelemetryNeedsTlsWithAClientCa() throws Exception {
        config(); // makes the PKI
        assertThatThrownBy(() -> ServerFixture.config(dir).withFleetTelemetry(FtConfig.onPort(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client CA");
        assertThatThrownBy(() -> ServerFixture.config(dir)
                        .withTls(TlsConfig.of(serverCert.cert(), serverCert.key()))
                        .withFleetTelemetry(FtConfig.onPort(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--client-ca");
    }

    private static FtMetrics metrics(FleetServer s) {
        return s.fleetTelemetry().metrics();
    }
}
