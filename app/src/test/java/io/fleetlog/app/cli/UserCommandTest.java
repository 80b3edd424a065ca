package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.Main;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.auth.Scope;
import io.fleetlog.server.auth.Users;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleetlog user add} and {@code fleetlog api-token add} (issue 12, item 6): the password comes
 * from standard input (never an argument), the users file is created 0600 and holds only hashes.
 */
class UserCommandTest {
    static final String VIN = Vin.withCheckDigit("5YJ3E1EA0KF000001");

    @TempDir
    Path dir;

    InputStream in;
    PrintStream out;
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        in = System.in;
        out = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setIn(in);
        System.setOut(out);
    }

    @Test
    void aUserIsAddedWithThePasswordFromStandardInput() throws Exception {
        Path file = dir.resolve("users");
        System.setIn(new ByteArrayInputStream("s3cret-password\n".getBytes(StandardCharsets.UTF_8)));
        int rc = Main.run("user", "add", "alice", "--scope", "read,control", "--vin", VIN, "--users", file.toString());
        assertThat(rc).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain("s3cret-password").contains("$argon2id$");
        var alice =
                Users.load(file).login("alice", "s3cret-password".toCharArray()).orElseThrow();
        assertThat(alice.has(Scope.CONTROL)).isTrue();
        assertThat(alice.vins()).containsExactly(VIN);
        // there is no option to pass a password on the command line
        System.setIn(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Main.run("user", "add", "bob", "--scope", "read", "--password", "pw", "--users", file.toString()))
                .isNotZero();
        // too short: refused with the numbers, nothing saved
        assertThat(Main.run("user", "add", "bob", "--scope", "read", "--users", file.toString()))
                .isNotZero();
        assertThat(Users.load(file).userNames()).containsExactly("alice");
    }

    @Test
    void anApiTokenIsPrintedOnceAndStoredAsAHash() throws Exception {
        Path file = dir.resolve("users");
        int rc = Main.run("api-token", "add", "ci", "--scope", "read", "--users", file.toString());
        assertThat(rc).isZero();
        String token = stdout.toString(StandardCharsets.UTF_8).strip();
        assertThat(token).startsWith("flt_");
        assertThat(Files.readString(file)).doesNotContain(token).contains("token ci sha256:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Users.load(file).bearer(token)).isPresent();
        assertThat(Main.run("api-token", "remove", "ci", "--users", file.toString()))
                .isZero();
        assertThat(Users.load(file).bearer(token)).isEmpty();
        assertThat(Main.run("api-token", "add", "ci", "--scope", "root", "--users", file.toString()))
                .isNotZero();
    }

    @Test
    void theBannerNamesTheAddressReallyBound() throws Exception {
        assertThat(ServerCommand.bound(new java.net.InetSocketAddress("0.0.0.0", 8080)))
                .isEqualTo("*:8080 (all interfaces)");
        assertThat(ServerCommand.bound(new java.net.InetSocketAddress("localhost", 8080)))
                .isIn("127.0.0.1:8080", "[0:0:0:0:0:0:0:1]:8080");
    }
}
