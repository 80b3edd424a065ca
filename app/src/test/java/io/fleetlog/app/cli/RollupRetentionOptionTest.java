package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rollup-10s-retention-days} and {@code --rollup-1m-retention-days} of {@code fleetlog server}. */
class RollupRetentionOptionTest {
    @TempDir
    Path dir;

    ServerConfig parse(String... extra) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "");
        String[] args = new String[extra.length + 2];
        args[0] = "--tokens";
        args[1] = tokens.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return new ServerCommandAccess().parse(args);
    }

    @Test
    void eachTierKeepsItsOwnDaysAndBothAreForeverByDefault() throws Exception {
        ServerConfig none = parse();
        assertThat(none.rollupRetention().forever()).isTrue();
        ServerConfig c = parse(
                "--retention-days", "7", "--rollup-10s-retention-days", "30", "--rollup-1m-retention-days", "400");
        assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.rollupRetention().tenSeconds()).isEqualTo(Duration.ofDays(30));
        assertThat(c.rollupRetention().oneMinute()).isEqualTo(Duration.ofDays(400));
        assertThat(parse("--rollup-10s-retention-days", "2").rollupRetention().oneMinute())
                .as("1 min kept forever unless told")
                .isNull();
    }

    @Test
    void lessThanADayIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> parse("--rollup-10s-retention-days", "0"))
                .hasMessage("--rollup-10s-retention-days must be at least 1, got 0");
        assertThatThrownBy(() -> parse("--rollup-1m-retention-days", "-3"))
                .hasMessage("--rollup-1m-retention-days must be at least 1, got -3");
    }
}
