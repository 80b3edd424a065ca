package io.fleetlog.server.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's TLS identity: one certificate and key for every listener (HTTPS, WSS), and
 * optionally the one CA bundle that vehicle client certificates must chain to. Validated here: both
 * files given and readable (their content is checked by {@link ServerTls#load}).
 *
 * @param cert PEM certificate chain (leaf first)
 * @param key PEM private key of the leaf (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}
 *     or SEC1 {@code EC PRIVATE KEY}), unencrypted
 * @param clientCa PEM CA bundle for vehicle client certificates, or null (no client certificates
 *     requested; vehicles authenticate with tokens only)
 * @param reloadCheck how often the files are checked for a change (a changed certificate is served
 *     to new connections without a restart)
 */
public record TlsConfig(Path cert, Path key, Path clientCa, Duration reloadCheck) {
    public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(30);

    public TlsConfig {
        readable("cert", cert);
        readable("key", key);
        if (clientCa != null) {
            readable("clientCa", clientCa);
        }
        reloadCheck = reloadCheck == null ? DEFAULT_RELOAD_CHECK : reloadCheck;
        if (reloadCheck.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reloadCheck " + reloadCheck + " is shorter than 1 s");
        }
    }

    /** Certificate and key, no client CA, checked for changes every 30 s. */
    public static TlsConfig of(Path cert, Path key) {
        return new TlsConfig(cert, key, null, null);
    }

    public TlsConfig withClientCa(Path ca) {
        return new TlsConfig(cert, key, ca, reloadCheck);
    }

    private static void readable(String field, Path p) {
        if (p == null) {
            throw new IllegalArgumentException(field + " must be given");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException(field + " '" + p + "' is not a readable file");
        }
    }
}
