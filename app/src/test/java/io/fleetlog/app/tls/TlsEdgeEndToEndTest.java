package io.fleetlog.app.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.Main;
import io.fleetlog.edge.AgentConfig;
import io.fleetlog.edge.VehicleAgent;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.testing.TestPki;
import io.fleetlog.server.tls.TlsConfig;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, items 7 and 11 end to end: {@code fleetlog edge} (the real spool and uplink) sends a
 * drive over {@code wss://} to a real server with a certificate of a private CA — verified with
 * {@code --ca}, authenticated by a token file or by a vehicle certificate — and an edge that does not
 * trust that CA sends nothing. Before the fix the edge had no {@code --ca}, {@code --token-file} or
 * client certificate options and the server no TLS.
 */
class TlsEdgeEndToEndTest {
    private static final String VIN = DriveSimulator.vin(VehicleModel.MODEL3, 0);
    private static final String TOKEN = "tls-e2e-token";
    private static final Instant START = Instant.parse("2025-11-26T18:00:00Z");

    @TempDir
    Path tmp;

    private FleetServer server(TlsConfig tls) {
        return FleetServer.start(ServerConfig.defaults(TokenStore.demo(Map.of(VIN, TOKEN)))
                .withDb("jdbc:sqlite:" + tmp.resolve("store.db"))
                .withTls(tls));
    }

    private List<String> edgeArgs(FleetServer server, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "edge",
                "--vin",
                VIN,
                "--model",
                "model3",
                "--server",
                server.baseUrl(),
                "--spool-dir",
                tmp.resolve("spool").toString(),
                "--speed",
                "max",
                "--duration",
                "60",
                "--start",
                START.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static List<Sample> stored(FleetServer server) {
        List<Sample> out = new ArrayList<>();
        server.store().scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
        return out;
    }

    private static void assertWholeDrive(List<Sample> stored) {
        assertThat(stored).hasSizeGreaterThan(100);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i).seq()).isEqualTo(i);
        }
        assertThat(stored.get(0).captureTimeMs()).isEqualTo(START.toEpochMilli());
    }

    @Test
    void anEdgeWithThePrivateCaAndATokenFileSendsTheWholeDriveOverWss() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        Path tokenFile = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        try (FleetServer server = server(TlsConfig.of(id.cert(), id.key()))) {
            assertThat(server.baseUrl()).startsWith("https://");
            int exit = Main.run(edgeArgs(
                            server,
                            "--token-file",
                            tokenFile.toString(),
                            "--ca",
                            pki.ca().toString())
                    .toArray(String[]::new));
            assertThat(exit).as("fleetlog edge exit code").isZero();
            assertWholeDrive(stored(server));
        }
    }

    @Test
    void anEdgeWithAVehicleCertificateNeedsNoToken() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        TestPki.Issued car = pki.client("car", VIN);
        try (FleetServer server = server(TlsConfig.of(id.cert(), id.key()).withClientCa(pki.ca()))) {
            int exit = Main.run(edgeArgs(
                            server,
                            "--ca",
                            pki.ca().toString(),
                            "--client-cert",
                            car.cert().toString(),
                            "--client-key",
                            car.key().toString())
                    .toArray(String[]::new));
            assertThat(exit).as("fleetlog edge exit code").isZero();
            assertWholeDrive(stored(server));
        }
    }

    @Test
    void anEdgeThatDoesNotTrustTheServersCaSendsNothing() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        try (FleetServer server = server(TlsConfig.of(id.cert(), id.key()))) {
            AgentConfig config = AgentConfig.of(
                            UplinkConfig.of(server.baseUrl(), VIN, "model3", TOKEN), tmp.resolve("s"))
                    .withCloseDrainTimeout(Duration.ofMillis(200));
            var source = new DriveSimulator(VehicleModel.MODEL3, 1, START.toEpochMilli(), Duration.ofSeconds(30));
            // the JDK's default trust store: the server's private CA is not in it
            try (VehicleAgent agent = VehicleAgent.create(config, source, Transport.webSocket())) {
                agent.start();
                assertThat(agent.awaitDrained(Duration.ofSeconds(3))).isFalse();
                assertThat(agent.stats().spoolDepth())
                        .as("everything captured stays in the spool")
                        .isPositive();
            }
            assertThat(server.store().lastSeq(VIN)).isEqualTo(-1);
        }
    }

    @Test
    void aMissingOrBrokenCaFileIsOneLineNamingItAndExitCode2() throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("token"), TOKEN);
        Files.writeString(tmp.resolve("not-a-ca.pem"), "hello\n");
        for (String ca : new String[] {
            tmp.resolve("missing-ca.pem").toString(),
            tmp.resolve("not-a-ca.pem").toString()
        }) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            java.io.PrintStream saved = System.err;
            int exit;
            try {
                System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
                exit = Main.run(
                        "edge",
                        "--vin",
                        VIN,
                        "--server",
                        "https://127.0.0.1:9",
                        "--token-file",
                        tokenFile.toString(),
                        "--ca",
                        ca,
                        "--spool-dir",
                        tmp.resolve("spool").toString());
            } finally {
                System.setErr(saved);
            }
            assertThat(exit).isEqualTo(2);
            String out = err.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(out).contains(ca).doesNotContain("\tat ");
        }
    }
}
