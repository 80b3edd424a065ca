package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.app.Main;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.PayloadFrames;
import io.fleetlog.ft.client.FramePayloads;
import io.fleetlog.ft.client.FtCar;
import io.fleetlog.ft.client.FtTls;
import io.fleetlog.ft.pki.DevCa;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.ft.FtConfig;
import io.fleetlog.server.tls.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetlog ca} and {@code fleetlog fleet-telemetry config} (issue 15, item 4), and the whole
 * path without a car: certificates from the commands, a real server's listener, a simulated car
 * ({@link FtCar}) sending typed and string-encoded values that are stored alike.
 */
class FleetTelemetryCommandsTest {
    static final String VIN = Vin.withCheckDigit("5YJ3E1EA0KF000001");

    @TempDir
    Path dir;

    PrintStream out;
    PrintStream err;
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    private String stdout() {
        String s = stdout.toString(StandardCharsets.UTF_8);
        stdout.reset();
        return s;
    }

    private Path makePki() {
        Path ca = dir.resolve("ca");
        assertThat(Main.run("ca", "init", "--dir", ca.toString())).isZero();
        assertThat(Main.run(
                        "ca",
                        "server",
                        "--dir",
                        ca.toString(),
                        "--out",
                        ca.resolve("server").toString(),
                        "localhost",
                        "127.0.0.1"))
                .isZero();
        assertThat(Main.run("ca", "vehicle", "--dir", ca.toString(), VIN)).isZero();
        stdout();
        return ca;
    }

    @Test
    void caCommandsMakeAPrivateCaAServerAndAVehicleCertificate() throws Exception {
        Path ca = makePki();
        for (String f : List.of("ca.key", "server.key", VIN + ".key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve(f))))
                    .as(f)
                    .isEqualTo("rw-------");
        }
        X509Certificate root = DevCa.readCertificate(ca.resolve("ca.pem"));
        X509Certificate car = DevCa.readCertificate(ca.resolve(VIN + ".pem"));
        assertThat(car.getSubjectX500Principal().getName()).isEqualTo("CN=" + VIN);
        car.verify(root.getPublicKey()); // signed by the CA
        assertThat(car.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2"); // clientAuth
        X509Certificate server = DevCa.readCertificate(ca.resolve("server.pem"));
        server.verify(root.getPublicKey());
        assertThat(server.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .contains("localhost", "127.0.0.1");
        // nothing secret on stdout or stderr
        assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("PRIVATE KEY");
        // a second init refuses to overwrite the CA
        assertThat(Main.run("ca", "init", "--dir", ca.toString())).isNotZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("a CA exists there already");
        // an expired vehicle certificate, for trying the refusal
        assertThat(Main.run(
                        "ca",
                        "vehicle",
                        "--dir",
                        ca.toString(),
                        "--expired",
                        "--out",
                        dir.resolve("old").toString(),
                        VIN))
                .isZero();
        assertThat(DevCa.readCertificate(dir.resolve("old.pem")).getNotAfter().toInstant())
                .isBefore(Instant.now());
        // not a VIN
        assertThat(Main.run("ca", "vehicle", "--dir", ca.toString(), "NOTAVIN")).isNotZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("'NOTAVIN' is not a 17-character VIN");
    }

    @Test
    void fleetTelemetryConfigPrintsTheFleetApiBody() throws Exception {
        Path ca = makePki();
        int rc = Main.run(
                "fleet-telemetry",
                "config",
                "--vin",
                VIN,
                "--host",
                "fleet.example.com",
                "--port",
                "8443",
                "--ca",
                ca.resolve("ca.pem").toString(),
                "--fields",
                "VehicleSpeed=1,soc=60,Location=5",
                "--alert-types",
                "service,customer");
        assertThat(rc).isZero();
        JsonNode body = new ObjectMapper().readTree(stdout());
        assertThat(body.get("vins").get(0).asText()).isEqualTo(VIN);
        JsonNode c = body.get("config");
        assertThat(c.get("hostname").asText()).isEqualTo("fleet.example.com");
        assertThat(c.get("port").asInt()).isEqualTo(8443);
        assertThat(c.get("ca").asText()).isEqualTo(Files.readString(ca.resolve("ca.pem")));
        assertThat(c.get("fields").get("VehicleSpeed").get("interval_seconds").asInt())
                .isEqualTo(1);
        assertThat(c.get("fields").get("Soc").get("interval_seconds").asInt()).isEqualTo(60); // the protocol's spelling
        assertThat(c.get("fields").get("Location").get("interval_seconds").asInt())
                .isEqualTo(5);
        assertThat(c.get("alert_types").toString()).isEqualTo("[\"service\",\"customer\"]");
        assertThat(c.get("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(c.get("prefer_typed").asBoolean()).isTrue();
        // refused, naming what is wrong
        assertThat(Main.run(
                        "fleet-telemetry",
                        "config",
                        "--vin",
                        VIN,
                        "--host",
                        "h",
                        "--ca",
                        ca.resolve("ca.pem").toString(),
                        "--fields",
                        "Warp=1"))
                .isNotZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("'Warp' is not a Fleet Telemetry field");
        assertThat(Main.run(
                        "fleet-telemetry",
                        "config",
                        "--vin",
                        VIN,
                        "--host",
                        "h",
                        "--ca",
                        ca.resolve("ca.key").toString(),
                        "--fields",
                        "Soc=1"))
                .isNotZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("holds no PEM certificate");
        assertThat(Main.run(
                        "fleet-telemetry",
                        "config",
                        "--vin",
                        VIN,
                        "--host",
                        "h",
                        "--ca",
                        ca.resolve("ca.pem").toString(),
                        "--fields",
                        "Soc=0"))
                .isNotZero();
    }

    @Test
    void aSimulatedCarWithTheseCertificatesIsStoredWhetherItSendsTypedValuesOrStrings() throws Exception {
        Path ca = makePki();
        Catalogue cat = Catalogue.builtin();
        var cfg = ServerConfig.defaults(TokenStore.demo(java.util.Map.of()))
                .withPort(0)
                .withDb("jdbc:sqlite:" + dir.resolve("fleet.db"))
                .withTls(TlsConfig.of(ca.resolve("server.pem"), ca.resolve("server.key"))
                        .withClientCa(ca.resolve("ca.pem")))
                .withFleetTelemetry(FtConfig.onPort(0));
        FramePayloads enc = new FramePayloads(cat);
        long t0 = 1_790_000_000_000L;
        List<Frame> sent = new ArrayList<>();
        try (FleetServer s = FleetServer.start(cfg)) {
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(FtTls.clientContext(
                            ca.resolve(VIN + ".pem"), ca.resolve(VIN + ".key"), ca.resolve("ca.pem")))
                    .build();
            try (FtCar car = new FtCar(
                    VIN,
                    URI.create("wss://localhost:" + s.fleetTelemetry().port() + "/"),
                    http,
                    8,
                    Duration.ofSeconds(10),
                    null)) {
                car.start();
                for (int i = 0; i < 40; i++) {
                    Frame f = Frame.builder(t0 + i * 1000L)
                            .number(cat.id("VehicleSpeed"), 30 + i * 0.25)
                            .number(cat.id("Soc"), 80 - i * 0.1)
                            .position(cat.id("Location"), Math.round((-37.412374 + i * 1e-5) * 1e6) / 1e6, -122.145867)
                            .integer(
                                    cat.id("Gear"),
                                    cat.get("Gear").type() instanceof io.fleetlog.catalog.EnumType e
                                            ? e.values()
                                                    .get(i % e.values().size())
                                                    .code()
                                            : 0)
                            .bool(cat.id("Locked"), i % 2 == 0)
                            .build();
                    sent.add(f);
                    FramePayloads.Style style = i % 2 == 0 ? FramePayloads.Style.TYPED : FramePayloads.Style.STRINGS;
                    car.submit("V", enc.payload(VIN, f, style, false).toByteArray(), f.timeMs());
                    if (i == 20) {
                        car.drop(); // a lost link mid-stream: unacked records are sent again
                    }
                }
                assertThat(car.awaitAcked(Duration.ofSeconds(60)))
                        .as("all acked: " + car.stats())
                        .isTrue();
            }
            List<Sample> rows = new ArrayList<>();
            s.store().scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, rows::add);
            assertThat(rows).hasSize(40);
            PayloadFrames dec = new PayloadFrames(cat);
            for (int i = 0; i < 40; i++) {
                // what the car meant, read back from its typed payload, equals what is stored for both styles
                Frame expected = dec.frame(enc.payload(VIN, sent.get(i), FramePayloads.Style.TYPED, false))
                        .frame();
                assertThat(rows.get(i).seq()).isEqualTo(i);
                assertThat(rows.get(i).frame()).as("frame " + i).isEqualTo(expected);
            }
        }
    }
}
