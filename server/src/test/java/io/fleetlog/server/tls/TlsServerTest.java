package io.fleetlog.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.server.testing.TestPki;
import io.fleetlog.tls.ClientTls;
import io.fleetlog.wire.v2.Envelope;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: {@code --tls-cert/--tls-key} serve HTTPS and WSS on the one port, verified by
 * real {@code java.net.http} clients; the certificate is reloaded when its files change; vehicle
 * client certificates ({@code --client-ca}, VIN = subject CN) authenticate instead of a token. Before
 * the fix the server spoke plain HTTP only (no TLS settings existed), so every test here failed.
 */
class TlsServerTest {
    @TempDir
    Path tmp;

    private static HttpClient client(ClientTls tls) {
        return HttpClient.newBuilder()
                .sslContext(tls.sslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private ServerFixture start(TlsConfig tls) {
        return ServerFixture.start(ServerFixture.config(tmp).withTls(tls));
    }

    @Test
    void httpsClientThatTrustsThePrivateCaReadsTheApi() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()))) {
            assertThat(f.base).startsWith("https://127.0.0.1:");
            HttpResponse<String> r = get(client(new ClientTls(pki.ca(), null, null)), f.base + "/status");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.sslSession()).isPresent();
            assertThat(r.sslSession().get().getProtocol()).startsWith("TLSv1.");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            // the same name works too (the certificate names localhost and 127.0.0.1)
            assertThat(get(
                                    client(new ClientTls(pki.ca(), null, null)),
                                    "https://localhost:" + f.server.port() + "/status")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedAndPlainHttpIsNotServed() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        TestPki other = TestPki.create(tmp, "other");
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()))) {
            // the JDK's default trust store (public CAs) does not know the private CA
            assertThatThrownBy(() -> get(client(ClientTls.defaults()), f.base + "/status"))
                    .isInstanceOf(SSLHandshakeException.class);
            // a client given another CA does not trust it either
            assertThatThrownBy(() -> get(client(new ClientTls(other.ca(), null, null)), f.base + "/status"))
                    .isInstanceOf(SSLHandshakeException.class);
            // a WebSocket edge without the CA cannot connect to wss://
            assertThatThrownBy(() -> EdgeClient.hello(f.base, client(ClientTls.defaults()), Samples.VIN_A, "x"))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
            // nothing answers plain HTTP on the TLS port
            String plain = f.base.replace("https://", "http://");
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), plain + "/status"))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void ingestOverWssWithATokenWorks() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server", TestPki.RSA);
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()));
                EdgeClient c = EdgeClient.hello(
                        f.base, client(new ClientTls(pki.ca(), null, null)), Samples.VIN_A, ServerFixture.TOKEN_A)) {
            Envelope welcome = c.next(Envelope.MsgCase.WELCOME, 10_000);
            assertThat(welcome).as("Welcome over wss://").isNotNull();
            c.sendBatch(Samples.drive(0, 100, Samples.T0));
            assertThat(c.awaitAck(99, 10_000)).isEqualTo(99);
        }
    }

    @Test
    void replacedCertificateFilesAreServedAfterReloadAndAHalfWrittenPairIsNot() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued first = pki.server("first");
        TestPki.Issued second = pki.server("second");
        Path cert = tmp.resolve("live.pem");
        Path key = tmp.resolve("live.key");
        Files.copy(first.cert(), cert);
        Files.copy(first.key(), key);
        ClientTls trust = new ClientTls(pki.ca(), null, null);
        try (ServerFixture f = start(TlsConfig.of(cert, key))) {
            BigInteger before = servedSerial(client(trust), f.base);
            assertThat(f.server.tls().reloadIfChanged()).as("nothing changed").isFalse();

            // the certificate is replaced first: it does not match the old key yet, so the old pair stays
            Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            assertThat(f.server.tls().reloadIfChanged()).isFalse();
            assertThat(servedSerial(client(trust), f.base)).isEqualTo(before);

            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(f.server.tls().reloadIfChanged()).isTrue();
            BigInteger after = servedSerial(client(trust), f.base);
            assertThat(after).isNotEqualTo(before).isEqualTo(serial(second.cert()));
            assertThat(f.server.tls().reloads()).isEqualTo(1);
        }
    }

    @Test
    void theServerChecksTheFilesOnItsOwnTimer() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued first = pki.server("first");
        TestPki.Issued second = pki.server("second");
        Path cert = tmp.resolve("live.pem");
        Path key = tmp.resolve("live.key");
        Files.copy(first.cert(), cert);
        Files.copy(first.key(), key);
        try (ServerFixture f = start(new TlsConfig(cert, key, null, Duration.ofSeconds(1)))) {
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            assertThat(ServerFixture.await(() -> f.server.tls().reloads() == 1, 10_000))
                    .as("reloaded by the server's own check within 10 s")
                    .isTrue();
            assertThat(servedSerial(client(new ClientTls(pki.ca(), null, null)), f.base))
                    .isEqualTo(serial(second.cert()));
        }
    }

    @Test
    void aVehicleCertificateAuthenticatesWithoutAToken() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        TestPki.Issued car = pki.client("car-a", Samples.VIN_A);
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()).withClientCa(pki.ca()));
                EdgeClient c = EdgeClient.hello(
                        f.base, client(new ClientTls(pki.ca(), car.cert(), car.key())), Samples.VIN_A, "")) {
            assertThat(c.next(Envelope.MsgCase.WELCOME, 10_000))
                    .as("Welcome for the certificate's VIN, no token")
                    .isNotNull();
            c.sendBatch(Samples.drive(0, 10, Samples.T0));
            assertThat(c.awaitAck(9, 10_000)).isEqualTo(9);
        }
    }

    @Test
    void aHelloForAnotherVinThanTheCertificatesIsRefusedEvenWithThatVinsToken() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        TestPki.Issued car = pki.client("car-a", Samples.VIN_A);
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()).withClientCa(pki.ca()));
                EdgeClient c = EdgeClient.hello(
                        f.base,
                        client(new ClientTls(pki.ca(), car.cert(), car.key())),
                        Samples.VIN_B,
                        ServerFixture.TOKEN_B)) {
            Envelope reject = c.next(Envelope.MsgCase.REJECT, 10_000);
            assertThat(reject).isNotNull();
            assertThat(reject.getReject().getFatal()).isTrue();
            assertThat(reject.getReject().getReason()).contains(Samples.VIN_B).contains(Samples.VIN_A);
            assertThat(c.closeCode(10_000)).isEqualTo(1008);
            assertThat(f.server.store().lastSeq(Samples.VIN_B)).isEqualTo(-1);
        }
    }

    @Test
    void withAClientCaAnEdgeWithoutACertificateStillUsesItsToken() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued id = pki.server("server");
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()).withClientCa(pki.ca()))) {
            HttpClient http = client(new ClientTls(pki.ca(), null, null));
            try (EdgeClient c = EdgeClient.hello(f.base, http, Samples.VIN_A, ServerFixture.TOKEN_A)) {
                assertThat(c.next(Envelope.MsgCase.WELCOME, 10_000)).isNotNull();
            }
            try (EdgeClient c = EdgeClient.hello(f.base, http, Samples.VIN_A, "wrong")) {
                Envelope reject = c.next(Envelope.MsgCase.REJECT, 10_000);
                assertThat(reject)
                        .as("no certificate and a wrong token: refused")
                        .isNotNull();
                assertThat(reject.getReject().getFatal()).isTrue();
            }
        }
    }

    @Test
    void aClientCertificateFromAnotherCaAuthenticatesNothing() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki rogue = TestPki.create(tmp, "rogue");
        TestPki.Issued id = pki.server("server");
        TestPki.Issued forged = rogue.client("forged", Samples.VIN_A);
        try (ServerFixture f = start(TlsConfig.of(id.cert(), id.key()).withClientCa(pki.ca()))) {
            HttpClient http = client(new ClientTls(pki.ca(), forged.cert(), forged.key()));
            // The server asks for certificates of its client CA only, so the forged one is not even
            // sent (or, sent, fails the handshake): the connection is token-authenticated at most.
            try (EdgeClient c = EdgeClient.hello(f.base, http, Samples.VIN_A, "")) {
                Envelope reject = c.next(Envelope.MsgCase.REJECT, 10_000);
                assertThat(reject)
                        .as("a Hello with no verified certificate and no token is refused")
                        .isNotNull();
                assertThat(reject.getReject().getFatal()).isTrue();
            } catch (java.util.concurrent.ExecutionException refusedInTheHandshake) {
                assertThat(refusedInTheHandshake).hasCauseInstanceOf(java.io.IOException.class);
            }
            assertThat(f.server.store().lastSeq(Samples.VIN_A)).isEqualTo(-1);
        }
    }

    /** PKCS#8 (OpenSSL 3's default), PKCS#1 {@code RSA PRIVATE KEY} and SEC1 {@code EC PRIVATE KEY}. */
    @Test
    void everyKeyFormatOpensslWritesIsServed() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued rsa = pki.server("rsa", TestPki.RSA);
        TestPki.Issued ec = pki.server("ec", TestPki.EC);
        HttpClient http = client(new ClientTls(pki.ca(), null, null));
        List<TlsConfig> configs = List.of(
                TlsConfig.of(rsa.cert(), rsa.key()),
                TlsConfig.of(rsa.cert(), pki.traditional(rsa.key(), true)),
                TlsConfig.of(ec.cert(), ec.key()),
                TlsConfig.of(ec.cert(), pki.traditional(ec.key(), false)));
        assertThat(Files.readString(configs.get(0).key())).contains("BEGIN PRIVATE KEY");
        assertThat(Files.readString(configs.get(1).key())).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(configs.get(2).key())).contains("BEGIN PRIVATE KEY");
        assertThat(Files.readString(configs.get(3).key())).contains("BEGIN EC PRIVATE KEY");
        for (TlsConfig c : configs) {
            try (ServerFixture f = start(c)) {
                assertThat(get(http, f.base + "/status").statusCode())
                        .as(c.key().toString())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void aBrokenIdentityStopsTheStartWithTheFileNamed() throws Exception {
        TestPki pki = TestPki.create(tmp, "fleet");
        TestPki.Issued a = pki.server("a");
        TestPki.Issued b = pki.server("b");
        assertThatThrownBy(() -> ServerTls.load(TlsConfig.of(a.cert(), b.key())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b.key")
                .hasMessageContaining("does not belong");
        Files.writeString(tmp.resolve("junk.pem"), "hello\n");
        assertThatThrownBy(() -> ServerTls.load(TlsConfig.of(tmp.resolve("junk.pem"), a.key())))
                .hasMessageContaining("junk.pem")
                .hasMessageContaining("not a PEM file");
        assertThatThrownBy(() -> TlsConfig.of(tmp.resolve("missing.pem"), a.key()))
                .hasMessageContaining("missing.pem");
        Path encrypted = pki.encrypted(a.key());
        assertThatThrownBy(() -> ServerTls.load(TlsConfig.of(a.cert(), encrypted)))
                .hasMessageContaining(encrypted.toString())
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey");
    }

    private static BigInteger servedSerial(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = get(http, base + "/status");
        assertThat(r.statusCode()).isEqualTo(200);
        return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    private static BigInteger serial(Path certFile) {
        return io.fleetlog.tls.Pem.certificates(certFile).get(0).getSerialNumber();
    }
}
