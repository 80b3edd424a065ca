package io.fleetlog.ft.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for development and tests: it makes the certificates a Fleet
 * Telemetry path needs without a car — a CA, a server certificate for the listener's host names, and
 * vehicle certificates whose subject CN is the VIN (as Tesla's vehicle certificates carry it). Keys
 * are EC P-256 (prime256v1, the curve Tesla's tooling uses), written as unencrypted PKCS#8 PEM files
 * readable by their owner only; certificates are PEM.
 *
 * <p>Not for production: a production listener verifies cars against Tesla's vehicle CA bundle, and
 * its server certificate comes from the operator's own PKI.
 */
public final class DevCa {

    /** File names in a CA directory. */
    public static final String CA_CERT = "ca.pem";

    public static final String CA_KEY = "ca.key";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate cert;
    private final PrivateKey key;

    private DevCa(X509Certificate cert, PrivateKey key) {
        this.cert = cert;
        this.key = key;
    }

    /** A certificate and its key, as written to files. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {}

    /**
     * Creates a new CA in {@code dir} ({@value #CA_CERT}, {@value #CA_KEY}), valid from now for
     * {@code validity}.
     *
     * @throws FileAlreadyExistsException when {@code dir} already holds a CA (never overwritten)
     */
    public static DevCa create(Path dir, String name, Duration validity) throws IOException {
        Objects.requireNonNull(name, "name");
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(CA_KEY)) || Files.exists(dir.resolve(CA_CERT))) {
            throw new FileAlreadyExistsException(dir.resolve(CA_KEY).toString(), null, "a CA exists there already");
        }
        KeyPair pair = newKeyPair();
        Instant now = Instant.now();
        X500Name subject = name(name);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            subject, serial(), backdated(now), Date.from(now.plus(validity)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, pair.getPrivate());
            writePrivate(dir.resolve(CA_KEY), pem(pair.getPrivate()));
            Files.writeString(dir.resolve(CA_CERT), pem(cert), StandardCharsets.US_ASCII);
            return new DevCa(cert, pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the CA: " + e.getMessage(), e);
        }
    }

    /** The CA held in {@code dir} (made by {@link #create}). */
    public static DevCa load(Path dir) throws IOException {
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            throw new IOException("no CA in " + dir + ": expected " + CA_CERT + " and " + CA_KEY
                    + " (create one with `fleetlog ca init --dir " + dir + "`)");
        }
        return new DevCa(readCertificate(certFile), readKey(keyFile));
    }

    public X509Certificate certificate() {
        return cert;
    }

    /**
     * A server certificate for {@code hosts} (DNS names or IP literals, the first also the CN),
     * written as {@code <out>.pem} (leaf then CA: the chain a client needs) and {@code <out>.key}.
     */
    public Issued issueServer(Path out, List<String> hosts, Duration validity) throws IOException {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
            names.add(new GeneralName(isIpLiteral(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        Instant now = Instant.now();
        return issue(
                out,
                hosts.get(0),
                backdated(now),
                Date.from(now.plus(validity)),
                KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /**
     * A vehicle (client) certificate with subject CN {@code vin}, written as {@code <out>.pem} and
     * {@code <out>.key}, valid from {@code notBefore} to {@code notAfter} (an expired one for tests
     * is a {@code notAfter} in the past).
     */
    public Issued issueVehicle(Path out, String vin, Instant notBefore, Instant notAfter) throws IOException {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
        return issue(out, vin, Date.from(notBefore), Date.from(notAfter), KeyPurposeId.id_kp_clientAuth, null);
    }

    /** As {@link #issueVehicle(Path, String, Instant, Instant)}, valid from now for {@code validity}. */
    public Issued issueVehicle(Path out, String vin, Duration validity) throws IOException {
        Instant now = Instant.now();
        return issueVehicle(out, vin, backdated(now).toInstant(), now.plus(validity));
    }

    private Issued issue(Path out, String cn, Date from, Date to, KeyPurposeId purpose, GeneralNames sans)
            throws IOException {
        KeyPair pair = newKeyPair();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            cert, serial(), from, to, name(cn), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            if (sans != null) {
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            X509Certificate leaf = sign(b, key);
            Path certFile = sibling(out, ".pem");
            Path keyFile = sibling(out, ".key");
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            writePrivate(keyFile, pem(pair.getPrivate()));
            Files.writeString(certFile, pem(leaf) + pem(cert), StandardCharsets.US_ASCII);
            return new Issued(leaf, pair.getPrivate(), certFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue a certificate for " + cn + ": " + e.getMessage(), e);
        }
    }

    private static Path sibling(Path out, String suffix) {
        return out.resolveSibling(out.getFileName() + suffix);
    }

    private static boolean isIpLiteral(String h) {
        return h.matches("[0-9.]+") || h.contains(":");
    }

    /** One minute in the past: a certificate used at once must not be "not yet valid" on a skewed clock. */
    private static Date backdated(Instant now) {
        return Date.from(now.minusSeconds(60));
    }

    private static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws CertificateException {
        try {
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (OperatorCreationException e) {
            throw new CertificateException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(
                    o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return w.toString();
    }

    /** Writes a private file: created with owner-only permissions where the file system has them. */
    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) {
                throw new IOException(file + ": no PEM certificate at its start");
            }
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            throw new IOException(file + ": not a readable certificate: " + e.getMessage(), e);
        }
    }

    /** An unencrypted private key from a PEM file (PKCS#8 or SEC1 EC). */
    public static PrivateKey readKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return c.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair kp) {
                return c.getKeyPair(kp).getPrivate();
            }
            throw new IOException(file + ": no unencrypted PEM private key at its start");
        }
    }
}
