package io.fleetlog.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client (an edge, {@code replay}) verifies the server and, optionally, proves who it is.
 * The server is always verified — certificate chain and host name; there is no switch to turn
 * that off.
 *
 * @param ca PEM file of the CA (or bundle) that signed the server's certificate; null = the JDK's
 *     default trust store (public CAs). When given, only these CAs are trusted.
 * @param clientCert PEM certificate (chain) presented to the server for mutual TLS, or null
 * @param clientKey the private key of {@code clientCert} (PKCS#8, PKCS#1 or SEC1 PEM), or null
 */
public record ClientTls(Path ca, Path clientCert, Path clientKey) {

    public ClientTls {
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate (got "
                    + (clientCert == null ? "a key " + clientKey : "a certificate " + clientCert) + " only)");
        }
    }

    /** The JDK's default trust store, no client certificate. */
    public static ClientTls defaults() {
        return new ClientTls(null, null, null);
    }

    /**
     * A fresh context from the files as they are now (call again after they changed).
     *
     * @throws IllegalArgumentException naming the file when one is unreadable or malformed
     */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ca == null ? null : Pem.trustStore(ca));
            KeyManagerFactory kmf = null;
            if (clientCert != null) {
                KeyStore ks = Pem.keyStore(clientCert, clientKey);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, Pem.KEY_STORE_PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Whether anything differs from {@link #defaults()}. */
    public boolean isDefault() {
        return ca == null && clientCert == null;
    }
}
