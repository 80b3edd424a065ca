package io.fleetlog.app.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.app.Main;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.testing.TestPki;
import io.fleetlog.tls.ClientTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: {@code fleetlog server --tls-cert FILE --tls-key FILE [--client-ca FILE]} maps to
 * a server that answers HTTPS on its one port; options that only make sense together are checked.
 */
class ServerCommandTlsTest {
    @TempDir
    Path tmp;

    private ServerConfig parse(String... tlsArgs) {
        io.fleetlog.app.cli.ServerCommandAccess cmd = new io.fleetlog.app.cli.ServerCommandAccess();
        String[] args = new String[tlsArgs.length + 6];
        args[0] = "--port";
        args[1] = "0";
        args[2] = "--tokens";
        args[3] = tmp.resolve("tokens").toString();
        args[4] = "--db";
        args[5] = "jdbc:sqlite:" + tmp.resolve("store.db");
        System.arraycopy(tlsArgs, 0, args, 6, tlsArgs.length);
        return cmd.parse(args);
    }

    @Test
    void theTlsOptionsServeHttpsWithTheGivenCertificate() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        ServerConfig config = parse(
                "--tls-cert",
                id.cert().toString(),
                "--tls-key",
                id.key().toString(),
                "--client-ca",
                pki.ca().toString());
        assertThat(config.tls().clientCa()).isEqualTo(pki.ca());
        try (FleetServer server = FleetServer.start(config)) {
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(new ClientTls(pki.ca(), null, null).sslContext())
                    .build();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/status"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void halfATlsConfigurationIsRefused() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        assertThatThrownBy(() -> parse("--tls-cert", id.cert().toString()))
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse("--client-ca", pki.ca().toString()))
                .hasMessageContaining("--client-ca needs --tls-cert");
        assertThat(parse().tls()).as("no TLS options: plain HTTP").isNull();
        assertThat(Main.run(
                        "server",
                        "--tokens",
                        tmp.resolve("t").toString(),
                        "--tls-key",
                        id.key().toString()))
                .as("the command line says so and exits non-zero")
                .isNotZero();
    }
}
