package io.fleetlog.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys and turns them into in-memory {@link KeyStore}s, so that
 * TLS needs no keytool step and no BouncyCastle.
 *
 * <table>
 *   <caption>PEM blocks read</caption>
 *   <tr><th>label</th><th>content</th><th>written by</th></tr>
 *   <tr><td>{@code CERTIFICATE}</td><td>X.509 certificate (a file may hold a chain or a CA bundle)</td>
 *       <td>{@code openssl req -x509}, any CA</td></tr>
 *   <tr><td>{@code PRIVATE KEY}</td><td>PKCS#8, RSA, EC or Ed25519</td>
 *       <td>OpenSSL 3 {@code req -newkey rsa|ec}, {@code genpkey}</td></tr>
 *   <tr><td>{@code RSA PRIVATE KEY}</td><td>PKCS#1 RSA key</td><td>{@code genrsa -traditional}, OpenSSL 1.x</td></tr>
 *   <tr><td>{@code EC PRIVATE KEY}</td><td>SEC1 EC key (named curve)</td><td>{@code ecparam -genkey}</td></tr>
 * </table>
 *
 * <p>Encrypted keys ({@code ENCRYPTED PRIVATE KEY}, {@code Proc-Type: 4,ENCRYPTED}) are refused with
 * a message saying how to decrypt them; the key file's own permissions are its protection. Every
 * error is an {@link IllegalArgumentException} naming the file. Stateless and thread-safe.
 */
public final class Pem {
    /** Password of the in-memory key stores built here (they never touch a disk). */
    public static final char[] KEY_STORE_PASSWORD = "fleetlog-in-memory".toCharArray();
    /** Alias of the one key entry in {@link #keyStore}. */
    public static final String KEY_ALIAS = "fleetlog";

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    /** OID 1.2.840.113549.1.1.1 (rsaEncryption), DER. */
    private static final byte[] OID_RSA = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
    };
    /** OID 1.2.840.10045.2.1 (id-ecPublicKey), DER. */
    private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {}

    /** One decoded PEM block. */
    record Block(String label, byte[] der) {}

    /** The certificates of {@code file}, in file order (at least one). */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is missing from this JVM", e);
        }
        List<Block> blocks = blocks(file);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (!b.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        file + ": PEM block " + (i + 1) + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    file + ": no '-----BEGIN CERTIFICATE-----' block (found " + labels(blocks) + ")");
        }
        return out;
    }

    /** The one private key of {@code file} (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    public static PrivateKey privateKey(Path file) {
        List<Block> blocks = blocks(file);
        List<Block> keys =
                blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
        if (keys.size() != 1) {
            throw new IllegalArgumentException(file + ": expected exactly one private key block, found " + keys.size()
                    + " (" + labels(blocks) + ")");
        }
        Block k = keys.get(0);
        String text = new String(read(file), StandardCharsets.US_ASCII);
        if (k.label().equals("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException(file + ": the private key is encrypted; fleetlog reads unencrypted"
                    + " keys (protect the file with mode 0600): openssl pkey -in " + file + " -out key.pem");
        }
        return switch (k.label()) {
            case "PRIVATE KEY" -> pkcs8(file, k.der());
            case "RSA PRIVATE KEY" -> pkcs8(file, wrap(OID_RSA, new byte[] {0x05, 0x00}, k.der()));
            case "EC PRIVATE KEY" -> pkcs8(file, wrap(OID_EC, curveOf(file, k.der()), k.der()));
            default -> throw new IllegalArgumentException(file + ": unsupported key type '" + k.label() + "'");
        };
    }

    /**
     * A key store holding the key of {@code keyFile} with the chain of {@code certFile} under
     * {@link #KEY_ALIAS} (password {@link #KEY_STORE_PASSWORD}).
     *
     * @throws IllegalArgumentException when a file is unreadable or malformed, or the key does not
     *     belong to the first certificate
     */
    public static KeyStore keyStore(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IllegalArgumentException("the key in " + keyFile + " does not belong to the certificate in "
                    + certFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, key, KEY_STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }

    /** A trust store holding every certificate of {@code bundle} (a CA or a CA bundle). */
    public static KeyStore trustStore(Path bundle) {
        List<X509Certificate> cas = certificates(bundle);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory trust store: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return true; // no test signature for this algorithm: the TLS handshake will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key and an EC certificate
        }
    }

    static List<Block> blocks(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2)
                    .lines()
                    .filter(l -> !l.contains(":")) // PEM headers (Proc-Type, DEK-Info)
                    .map(String::strip)
                    .reduce("", String::concat);
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        file + ": the '" + m.group(1) + "' block is not valid Base64: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a PEM file (no '-----BEGIN …-----' block)");
        }
        return out;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }

    private static String labels(List<Block> blocks) {
        return blocks.stream().map(Block::label).distinct().toList().toString();
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + ": the private key is not an RSA, EC or Ed25519 PKCS#8 key");
    }

    /** PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { oid, params }, OCTET STRING key }. */
    private static byte[] wrap(byte[] oid, byte[] params, byte[] key) {
        byte[] alg = tlv(0x30, concat(oid, params));
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, alg, tlv(0x04, key)));
    }

    /**
     * The named-curve OID of a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, [0] { OID }, [1]
     * BIT STRING } (the [0] parameters are present in what OpenSSL writes).
     */
    private static byte[] curveOf(Path file, byte[] sec1) {
        try {
            Der seq = new Der(sec1).enter(0x30);
            seq.skip(0x02);
            seq.skip(0x04);
            if (seq.peek() != 0xa0) {
                throw new IllegalArgumentException("the EC key names no curve; write it as PKCS#8:"
                        + " openssl pkcs8 -topk8 -nocrypt -in " + file);
            }
            return seq.enter(0xa0).raw(0x06);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(file + ": malformed EC PRIVATE KEY: " + e.getMessage(), e);
        }
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Just enough DER to walk a SEC1 key: definite lengths, one-byte tags. */
    private static final class Der {
        private final byte[] b;
        private int pos;
        private final int end;

        Der(byte[] b) {
            this(b, 0, b.length);
        }

        private Der(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int peek() {
            if (pos >= end) {
                throw new IllegalArgumentException("DER: unexpected end at byte " + pos);
            }
            return b[pos] & 0xff;
        }

        /** Reads the header of an element with {@code tag}; returns {start of value, length}. */
        private int[] header(int tag) {
            if (peek() != tag) {
                throw new IllegalArgumentException("DER: expected tag 0x" + Integer.toHexString(tag) + " at byte " + pos
                        + ", found 0x" + Integer.toHexString(peek()));
            }
            int p = pos + 1;
            int len = b[p++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3) {
                    throw new IllegalArgumentException("DER: unsupported length form at byte " + (p - 1));
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[p++] & 0xff);
                }
            }
            if (p + len > end) {
                throw new IllegalArgumentException("DER: element at byte " + pos + " runs past the end");
            }
            return new int[] {p, len};
        }

        Der enter(int tag) {
            int[] h = header(tag);
            pos = h[0] + h[1];
            return new Der(b, h[0], h[0] + h[1]);
        }

        void skip(int tag) {
            int[] h = header(tag);
            pos = h[0] + h[1];
        }

        /** The whole element (tag, length, value). */
        byte[] raw(int tag) {
            int start = pos;
            int[] h = header(tag);
            pos = h[0] + h[1];
            return java.util.Arrays.copyOfRange(b, start, pos);
        }
    }
}
