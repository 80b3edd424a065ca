package io.fleetlog.app.cli;

import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.tls.ClientTls;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * TLS options of {@code edge} and {@code replay} (a picocli mixin). An {@code https://} server is
 * always verified — chain and host name — against the JDK's trust store, or only against {@code
 * --ca} when given; there is no option to skip verification.
 */
public final class ClientTlsOptions {
    @Option(
            names = "--ca",
            paramLabel = "FILE",
            description = "PEM CA (bundle) that signed the server's certificate (default: the JDK's trusted CAs).")
    Path ca;

    @Option(
            names = "--client-cert",
            paramLabel = "FILE",
            description = "PEM client certificate (CN = the VIN) presented to a server with a client CA.")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "PEM private key of --client-cert.")
    Path clientKey;

    ClientTls tls() {
        return new ClientTls(ca, clientCert, clientKey);
    }

    boolean hasClientCertificate() {
        return clientCert != null;
    }

    /** The WebSocket transport: the shared default client, or one with this TLS context. */
    Transport transport() {
        ClientTls t = tls();
        if (t.isDefault()) {
            return Transport.webSocket();
        }
        return Transport.webSocket(HttpClient.newBuilder()
                .sslContext(t.sslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }
}
