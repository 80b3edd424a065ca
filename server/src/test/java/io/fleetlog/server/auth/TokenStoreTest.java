package io.fleetlog.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void addedTokenIsReturnedOnceAndOnlyItsHashIsStored() throws Exception {
        Path file = dir.resolve("conf/tokens");
        TokenStore s = TokenStore.load(file);
        String token = s.add(Samples.VIN_A);
        assertThat(token).hasSizeGreaterThanOrEqualTo(40);
        String content = Files.readString(file);
        assertThat(content).doesNotContain(token).contains(Samples.VIN_A + " " + TokenStore.hashHex(token));
        TokenStore reloaded = TokenStore.load(file);
        assertThat(reloaded.check(Samples.VIN_A, token)).isEqualTo(TokenStore.Check.OK);
        assertThat(reloaded.check(Samples.VIN_A, token + "x")).isEqualTo(TokenStore.Check.WRONG_TOKEN);
        assertThat(reloaded.check(Samples.VIN_B, token)).isEqualTo(TokenStore.Check.UNKNOWN_VIN);
        assertThat(reloaded.check(Samples.VIN_A, null)).isEqualTo(TokenStore.Check.WRONG_TOKEN);
    }

    @Test
    void addingAgainReplacesTheToken() {
        TokenStore s = TokenStore.load(dir.resolve("tokens"));
        String first = s.add(Samples.VIN_A);
        String second = s.add(Samples.VIN_A);
        assertThat(second).isNotEqualTo(first);
        assertThat(s.check(Samples.VIN_A, first)).isEqualTo(TokenStore.Check.WRONG_TOKEN);
        assertThat(TokenStore.load(dir.resolve("tokens")).check(Samples.VIN_A, second))
                .isEqualTo(TokenStore.Check.OK);
    }

    @Test
    void badLinesAreRejectedWithFileAndLine() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# comment\n\n" + Samples.VIN_A + " nothex\n");
        assertThatThrownBy(() -> TokenStore.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokens:3");
    }

    @Test
    void demoStoreHoldsGivenTokensAndInvalidVinsCannotBeAdded() {
        TokenStore s = TokenStore.demo(Map.of(Samples.VIN_A, "demo"));
        assertThat(s.check(Samples.VIN_A, "demo")).isEqualTo(TokenStore.Check.OK);
        assertThat(s.knows(Samples.VIN_A)).isTrue();
        assertThat(s.file()).isNull();
        assertThatThrownBy(() -> s.add("12345")).isInstanceOf(IllegalArgumentException.class);
    }
}
