package io.fleetlog.server.tls;

import io.fleetlog.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one TLS identity, built in memory from the PEM files of a {@link TlsConfig}, shared
 * by every listener ({@link #connector}; the Fleet Telemetry listener takes {@link
 * #mutualSslContextFactory()}, the same identity with client certificates required), and reloaded
 * when the files change.
 *
 * <p>{@link #load} fails when a file is unreadable, malformed, or the key does not belong to the
 * certificate, so a server never starts with a broken identity. {@link #reloadIfChanged} (the
 * server calls it every {@link TlsConfig#reloadCheck()}; tests call it directly) re-reads the files
 * and, when their bytes changed, swaps the identity in Jetty's {@link SslContextFactory.Server}: new
 * handshakes get the new certificate, established connections keep theirs. A change that does not
 * load (a half-written file, a key that does not match yet) is logged as {@code tls_reload_failed}
 * and the current identity stays; the next check tries again — so replacing the certificate and key
 * in either order works. Thread-safe.
 *
 * <p>With a client CA, client certificates are <em>wanted</em>, not needed: an edge without one
 * connects and authenticates with its token; one that presents a certificate must present one that
 * chains to the CA, or the handshake fails. {@link #vinOf} reads the VIN of a verified certificate.
 */
public final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final TlsConfig config;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    /** Same identity and client CA, client certificate <em>required</em> (Fleet Telemetry); null without a CA. */
    private SslContextFactory.Server mutual;

    private byte[] loadedDigest;
    private X509Certificate served;
    private long reloads;

    private ServerTls(TlsConfig config) {
        this.config = config;
    }

    /** Reads and checks the files of {@code config}; throws {@link IllegalArgumentException} naming the file. */
    public static ServerTls load(TlsConfig config) {
        ServerTls t = new ServerTls(config);
        Loaded l = t.read();
        t.factory.setKeyStore(l.keyStore());
        t.factory.setKeyStorePassword(new String(Pem.KEY_STORE_PASSWORD));
        t.factory.setKeyManagerPassword(new String(Pem.KEY_STORE_PASSWORD));
        if (l.trustStore() != null) {
            t.factory.setTrustStore(l.trustStore());
            t.factory.setWantClientAuth(true);
            t.mutual = new SslContextFactory.Server();
            t.mutual.setKeyStore(l.keyStore());
            t.mutual.setKeyStorePassword(new String(Pem.KEY_STORE_PASSWORD));
            t.mutual.setKeyManagerPassword(new String(Pem.KEY_STORE_PASSWORD));
            t.mutual.setTrustStore(l.trustStore());
            t.mutual.setNeedClientAuth(true);
        }
        t.loadedDigest = l.digest();
        t.served = l.leaf();
        return t;
    }

    /** An HTTPS (and WSS) connector on {@code host:port} serving this identity. */
    public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(http);
        https.setSecureScheme("https");
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector c = new ServerConnector(
                server,
                new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }

    public SslContextFactory.Server sslContextFactory() {
        return factory;
    }

    /**
     * The same identity with client certificates <em>required</em> and verified against the client
     * CA (the Fleet Telemetry listener: a car without a certificate of the CA does not complete the
     * handshake); reloaded with {@link #reloadIfChanged} like the shared one.
     *
     * @throws IllegalStateException when the configuration has no client CA
     */
    public SslContextFactory.Server mutualSslContextFactory() {
        if (mutual == null) {
            throw new IllegalStateException("a client CA is needed for mutual TLS (--client-ca)");
        }
        return mutual;
    }

    public TlsConfig config() {
        return config;
    }

    /** The certificate served to new connections. */
    public synchronized X509Certificate certificate() {
        return served;
    }

    /** Identities loaded by {@link #reloadIfChanged} since start. */
    public synchronized long reloads() {
        return reloads;
    }

    /**
     * Re-reads the files; when their content changed and loads, new connections get the new identity.
     *
     * @return whether a new identity was loaded (false: unchanged, or changed but not loadable — then
     *     the current one stays and {@code tls_reload_failed} is logged)
     */
    public synchronized boolean reloadIfChanged() {
        byte[] digest;
        try {
            digest = digest();
        } catch (UncheckedIOException e) {
            log.warn("tls_reload_failed error={}", e.getMessage());
            return false;
        }
        if (Arrays.equals(digest, loadedDigest)) {
            return false;
        }
        Loaded l;
        try {
            l = read();
        } catch (RuntimeException e) {
            log.warn("tls_reload_failed error={} (keeping the certificate {})", e.getMessage(), describe(served));
            return false;
        }
        try {
            factory.reload(f -> {
                f.setKeyStore(l.keyStore());
                if (l.trustStore() != null) {
                    f.setTrustStore(l.trustStore());
                }
            });
            if (mutual != null && l.trustStore() != null) {
                mutual.reload(f -> {
                    f.setKeyStore(l.keyStore());
                    f.setTrustStore(l.trustStore());
                });
            }
        } catch (Exception e) {
            log.warn("tls_reload_failed error={} (keeping the certificate {})", e.toString(), describe(served));
            return false;
        }
        loadedDigest = l.digest();
        served = l.leaf();
        reloads++;
        log.info(
                "tls_reloaded certificate={} expires={}",
                describe(served),
                served.getNotAfter().toInstant());
        return true;
    }

    /**
     * The VIN a verified client certificate stands for: its subject's common name (fleetlog's own
     * edges get certificates with {@code CN=<VIN>}), or empty without a certificate or CN.
     */
    public static Optional<String> vinOf(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        try {
            LdapName name = new LdapName(chain[0].getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty(); // the JDK printed it, so it parses; no CN is the same as none
        }
        return Optional.empty();
    }

    public static String describe(X509Certificate c) {
        return c == null
                ? "(none)"
                : c.getSubjectX500Principal().getName() + " serial "
                        + c.getSerialNumber().toString(16);
    }

    private record Loaded(KeyStore keyStore, KeyStore trustStore, X509Certificate leaf, byte[] digest) {}

    private Loaded read() {
        byte[] digest = digest();
        KeyStore ks = Pem.keyStore(config.cert(), config.key());
        KeyStore ts = config.clientCa() == null ? null : Pem.trustStore(config.clientCa());
        try {
            X509Certificate leaf = (X509Certificate) ks.getCertificate(Pem.KEY_ALIAS);
            return new Loaded(ks, ts, leaf, digest);
        } catch (KeyStoreException e) {
            throw new IllegalStateException("in-memory key store: " + e.getMessage(), e);
        }
    }

    /** SHA-256 over the bytes of every file (a change to any of them is a change). */
    private byte[] digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : new Path[] {config.cert(), config.key(), config.clientCa()}) {
                if (p != null) {
                    md.update(Files.readAllBytes(p));
                    md.update((byte) 0);
                }
            }
            return md.digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a TLS file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
