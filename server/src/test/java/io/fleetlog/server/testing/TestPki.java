package io.fleetlog.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI for TLS tests, made with the {@code openssl} command (Debian and macOS have it):
 * a CA, and server and client certificates it signs. Tests that need it are skipped, with a message
 * saying so, where {@code openssl} is missing.
 */
public final class TestPki {
    private final Path dir;
    private final String name;
    private int serial;

    /** Key algorithms as {@code openssl req -newkey} spells them. */
    public static final String EC = "ec -pkeyopt ec_paramgen_curve:P-256";

    public static final String RSA = "rsa:2048";

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new CA named {@code name} in {@code dir} (files {@code name-ca.pem}, {@code name-ca.key}). */
    public static TestPki create(Path dir, String name) throws IOException, InterruptedException {
        assumeTrue(opensslPresent(), "openssl is not installed: TLS tests skipped");
        TestPki p = new TestPki(dir, name);
        p.openssl(List.of(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + name + " test CA",
                "-keyout",
                p.caKey().toString(),
                "-out",
                p.ca().toString(),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign"));
        return p;
    }

    public static boolean opensslPresent() {
        try {
            Process pr = new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start();
            pr.getInputStream().readAllBytes();
            return pr.waitFor(10, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path ca() {
        return dir.resolve(name + "-ca.pem");
    }

    private Path caKey() {
        return dir.resolve(name + "-ca.key");
    }

    /** A certificate and key pair signed by this CA. */
    public record Issued(Path cert, Path key) {}

    /** A server certificate for {@code localhost} and {@code 127.0.0.1} (EC P-256, PKCS#8 key). */
    public Issued server(String file) throws IOException, InterruptedException {
        return issue(file, "localhost", EC, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    }

    /** A server certificate with a key of {@code keyAlgorithm} ({@link #EC} or {@link #RSA}). */
    public Issued server(String file, String keyAlgorithm) throws IOException, InterruptedException {
        return issue(
                file,
                "localhost",
                keyAlgorithm,
                "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    }

    /** A server certificate for the DNS name {@code name} only (EC P-256, PKCS#8 key). */
    public Issued serverFor(String file, String name) throws IOException, InterruptedException {
        return issue(file, name, EC, "subjectAltName=DNS:" + name + "\nextendedKeyUsage=serverAuth\n");
    }

    /** A client certificate with subject {@code CN=cn} (a vehicle: its VIN). */
    public Issued client(String file, String cn) throws IOException, InterruptedException {
        return issue(file, cn, EC, "extendedKeyUsage=clientAuth\n");
    }

    /** Rewrites {@code key} in a traditional format: PKCS#1 {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}. */
    public Path traditional(Path key, boolean rsa) throws IOException, InterruptedException {
        Path out = key.resolveSibling(key.getFileName() + (rsa ? ".pkcs1" : ".sec1"));
        openssl(
                rsa
                        ? List.of("rsa", "-in", key.toString(), "-traditional", "-out", out.toString())
                        : List.of("ec", "-in", key.toString(), "-out", out.toString()));
        return out;
    }

    /** {@code key} encrypted with a passphrase ({@code ENCRYPTED PRIVATE KEY}). */
    public Path encrypted(Path key) throws IOException, InterruptedException {
        Path out = key.resolveSibling(key.getFileName() + ".enc");
        openssl(List.of("pkey", "-in", key.toString(), "-aes256", "-passout", "pass:secret", "-out", out.toString()));
        return out;
    }

    private Issued issue(String file, String cn, String keyAlgorithm, String extensions)
            throws IOException, InterruptedException {
        Path key = dir.resolve(file + ".key");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".pem");
        Path ext = dir.resolve(file + ".ext");
        Files.writeString(ext, extensions, StandardCharsets.US_ASCII);
        List<String> req = new ArrayList<>(List.of("req", "-new", "-nodes", "-newkey"));
        req.addAll(List.of(keyAlgorithm.split(" ")));
        req.addAll(List.of("-subj", "/CN=" + cn, "-keyout", key.toString(), "-out", csr.toString()));
        openssl(req);
        openssl(List.of(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca().toString(),
                "-CAkey",
                caKey().toString(),
                "-set_serial",
                Integer.toString(1000 + ++serial),
                "-days",
                "2",
                "-extfile",
                ext.toString(),
                "-out",
                cert.toString()));
        return new Issued(cert, key);
    }

    private void openssl(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + out);
        }
    }
}
