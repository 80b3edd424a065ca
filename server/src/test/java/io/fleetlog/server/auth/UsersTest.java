package io.fleetlog.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file, Argon2id hashes, sessions and the login throttle (issue 12, item 6). */
class UsersTest {
    @TempDir
    Path dir;

    @Test
    void argon2idHashesVerifyAndAWrongPasswordFails() {
        String h = Passwords.hash("correct horse".toCharArray());
        assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Passwords.verify("correct horse".toCharArray(), h)).isTrue();
        assertThat(Passwords.verify("correct horsf".toCharArray(), h)).isFalse();
        assertThat(Passwords.verify("".toCharArray(), h)).isFalse();
        assertThat(Passwords.hash("correct horse".toCharArray())).as("salted").isNotEqualTo(h);
        // parameters too costly for a stored hash are refused, not computed
        assertThat(Passwords.isHash(h.replace("m=19456", "m=9999999"))).isFalse();
        assertThat(Passwords.verify("correct horse".toCharArray(), h.replace("m=19456", "m=9999999")))
                .isFalse();
    }

    @Test
    void passwordsAreBoundedWithTheNumbersInTheMessage() {
        assertThatThrownBy(() -> Passwords.hash("short".toCharArray()))
                .hasMessageContaining("5 characters")
                .hasMessageContaining("8..1024");
    }

    @Test
    void theUsersFileIsPrivateHoldsOnlyHashesAndReloads() throws Exception {
        Path file = dir.resolve("conf/users");
        Users u = Users.load(file);
        assertThat(u.isEmpty()).isTrue();
        u.addUser("alice", "correct horse".toCharArray(), Set.of(Scope.READ, Scope.CONTROL), Set.of());
        String token = u.addToken("ci", Set.of(Scope.READ), Set.of(Samples.VIN_A));
        assertThat(token).startsWith("flt_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("correct horse").doesNotContain(token).contains("$argon2id$");
        assertThat(text).contains("user alice $argon2id$").contains(" read,control *");
        assertThat(text).contains("token ci sha256:").contains(" read " + Samples.VIN_A);

        Users again = Users.load(file);
        Principal alice = again.login("alice", "correct horse".toCharArray()).orElseThrow();
        assertThat(alice.has(Scope.CONTROL)).isTrue();
        assertThat(alice.has(Scope.ADMIN)).isFalse();
        assertThat(alice.allVehicles()).isTrue();
        assertThat(again.login("alice", "wrong horse".toCharArray())).isEmpty();
        assertThat(again.login("bob", "correct horse".toCharArray())).isEmpty();
        Principal ci = again.bearer(token).orElseThrow();
        assertThat(ci.name()).isEqualTo("ci");
        assertThat(ci.sees(Samples.VIN_A)).isTrue();
        assertThat(ci.sees(Samples.VIN_B)).isFalse();
        assertThat(again.bearer(token + "x")).isEmpty();

        // a new token for the same name replaces the old one; removal revokes
        String token2 = again.addToken("ci", Set.of(Scope.READ), Set.of());
        assertThat(again.bearer(token)).isEmpty();
        assertThat(again.bearer(token2)).isPresent();
        assertThat(again.remove(Users.Kind.TOKEN, "ci")).isTrue();
        assertThat(Users.load(file).bearer(token2)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void refreshPicksUpChangesAndKeepsTheOldEntriesWhenTheFileIsBroken() throws Exception {
        Path file = dir.resolve("users");
        Users server = Users.load(file);
        String token = server.addToken("ci", Set.of(Scope.READ), Set.of());
        assertThat(server.refresh(10_000)).as("its own write is no change").isFalse();
        String other = Users.load(file).addToken("other", Set.of(Scope.READ), Set.of());
        assertThat(server.refresh(10_500)).as("looks at most every second").isFalse();
        assertThat(server.refresh(11_000)).isTrue();
        assertThat(server.bearer(other)).isPresent();
        Files.writeString(file, "garbage\n");
        assertThat(server.refresh(12_000)).isFalse();
        assertThat(server.bearer(token)).as("a broken file changes nothing").isPresent();
    }

    @Test
    void aBadLineIsReportedWithFileAndLine() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "# comment\nuser alice notahash read *\n");
        assertThatThrownBy(() -> Users.load(file))
                .hasMessageContaining(file + ":2")
                .hasMessageContaining("argon2id");
        Files.writeString(file, "token ci sha256:" + "0".repeat(64) + " write *\n");
        assertThatThrownBy(() -> Users.load(file)).hasMessageContaining(":1").hasMessageContaining("'write'");
        assertThatThrownBy(() -> Users.parseVins("NOTAVIN")).hasMessageContaining("invalid VIN");
        assertThatThrownBy(() -> Users.checkName("a b\nc")).hasMessageContaining("must be 1..64");
    }

    @Test
    void scopesImplyTheLowerOnes() {
        assertThat(Scope.parseList("admin")).containsExactly(Scope.ADMIN);
        assertThat(new Principal("x", Principal.Kind.USER, Set.of(Scope.ADMIN), Set.of()).has(Scope.READ))
                .isTrue();
        assertThat(new Principal("x", Principal.Kind.USER, Set.of(Scope.READ), Set.of()).has(Scope.CONTROL))
                .isFalse();
        assertThatThrownBy(() -> Scope.parseList("read,root")).hasMessageContaining("'root'");
    }

    @Test
    void allowedHostsAreValidatedAtConfiguration() {
        assertThat(HttpSecurity.defaults()
                        .withAllowedHosts(java.util.List.of("fleet.example.com", "10.0.0.5:8443", "[fd00::1]", "*"))
                        .allowedHosts())
                .hasSize(4);
        assertThatThrownBy(() -> HttpSecurity.defaults().withAllowedHosts(java.util.List.of("evil.example/x")))
                .hasMessageContaining("'evil.example/x'");
        assertThat(HttpSecurity.defaults()
                        .withAllowedHosts(java.util.List.of("Fleet.Example.com"))
                        .allowedHosts())
                .containsExactly("fleet.example.com");
    }

    /** A clock the test moves. */
    static final class FakeClock implements InstantSource {
        final AtomicLong ms = new AtomicLong(1_000_000);

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms.get());
        }

        void advance(Duration d) {
            ms.addAndGet(d.toMillis());
        }
    }

    @Test
    void sessionsExpireWhenIdleOrOldAndAreBounded() {
        FakeClock clock = new FakeClock();
        Sessions s = new Sessions(clock, Duration.ofHours(1), Duration.ofHours(3), 2);
        Principal p = new Principal("alice", Principal.Kind.USER, Set.of(Scope.READ), Set.of());
        Sessions.Session a = s.create(p);
        clock.advance(Duration.ofMinutes(59));
        assertThat(s.find(a.id())).isPresent(); // used: idle time starts again
        clock.advance(Duration.ofMinutes(59));
        assertThat(s.find(a.id())).isPresent();
        clock.advance(Duration.ofMinutes(61));
        assertThat(s.find(a.id())).as("idle for 61 min").isEmpty();
        Sessions.Session b = s.create(p);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(50));
            assertThat(s.find(b.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(50)); // 200 min > 3 h, though used every 50 min
        assertThat(s.find(b.id())).as("older than maxAge").isEmpty();
        Sessions.Session c1 = s.create(p);
        clock.advance(Duration.ofSeconds(1));
        Sessions.Session c2 = s.create(p);
        clock.advance(Duration.ofSeconds(1));
        s.find(c1.id()); // c1 used after c2 was created
        Sessions.Session c3 = s.create(p); // full: the least recently used (c2) goes
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.find(c2.id())).isEmpty();
        assertThat(s.find(c1.id())).isPresent();
        assertThat(s.find(c3.id())).isPresent();
        assertThat(c3.csrfMatches(c3.csrfToken())).isTrue();
        assertThat(c3.csrfMatches(c1.csrfToken())).isFalse();
        assertThat(c3.csrfMatches(null)).isFalse();
    }

    @Test
    void loginFailuresLockAnAddressForTheWindow() {
        FakeClock clock = new FakeClock();
        LoginThrottle t = new LoginThrottle(clock, 3, Duration.ofMinutes(15), 100);
        for (int i = 0; i < 3; i++) {
            assertThat(t.waitMs("10.0.0.1")).isZero();
            t.failed("10.0.0.1");
        }
        assertThat(t.waitMs("10.0.0.1")).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(t.waitMs("10.0.0.2")).as("other addresses are not affected").isZero();
        clock.advance(Duration.ofMinutes(15));
        assertThat(t.waitMs("10.0.0.1")).isZero();
    }
}
