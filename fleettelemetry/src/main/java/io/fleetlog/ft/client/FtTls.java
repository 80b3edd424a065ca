package io.fleetlog.ft.client;

import io.fleetlog.ft.pki.DevCa;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of a simulated car: its certificate and key, and the CA it trusts the server by. */
public final class FtTls {
    private FtTls() {}

    /**
     * A client context presenting {@code certFile}/{@code keyFile} (PEM; the certificate file may hold
     * the chain) and trusting only {@code trustFile}'s first certificate.
     */
    public static SSLContext clientContext(Path certFile, Path keyFile, Path trustFile) throws IOException {
        try {
            char[] none = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            X509Certificate leaf = DevCa.readCertificate(certFile);
            ks.setKeyEntry("car", DevCa.readKey(keyFile), none, new X509Certificate[] {leaf});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", DevCa.readCertificate(trustFile));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context of " + certFile + ": " + e.getMessage(), e);
        }
    }
}
