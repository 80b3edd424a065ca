package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 11: a token on the command line is visible in {@code ps}; {@code edge} and {@code
 * replay} read it from {@code --token-file} or {@code FLEETLOG_TOKEN}, and refuse {@code --token}
 * with a message naming both (before the fix {@code --token} was the only way).
 */
class TokenSourceTest {
    @TempDir
    Path tmp;

    @Test
    void theTokenComesFromTheFileElseFromTheEnvironment() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "\n  from-file  \nsecond line\n");
        Map<String, String> env = Map.of(TokenSource.ENV, "from-env");
        assertThat(TokenSource.resolve(file, env, false))
                .as("an explicit file wins")
                .isEqualTo("from-file");
        assertThat(TokenSource.resolve(null, env, false)).isEqualTo("from-env");
        assertThat(TokenSource.resolve(null, Map.of(TokenSource.ENV, "  "), true))
                .as("a blank variable is no token; a certificate authenticates")
                .isEmpty();
    }

    @Test
    void noTokenAnEmptyFileOrAMissingFileFailWithTheWayOut() throws Exception {
        assertThatThrownBy(() -> TokenSource.resolve(null, Map.of(), false))
                .hasMessageContaining("--token-file")
                .hasMessageContaining(TokenSource.ENV);
        Path empty = Files.writeString(tmp.resolve("empty"), "\n\n");
        assertThatThrownBy(() -> TokenSource.resolve(empty, Map.of(), false))
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("holds no token");
        assertThatThrownBy(() -> TokenSource.resolve(tmp.resolve("missing"), Map.of(TokenSource.ENV, "x"), false))
                .hasMessageContaining("missing")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aTokenFileOthersCanReadIsWarnedAbout() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "t");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(TokenSource.looseMode(file))
                .contains("readable by other users")
                .contains("chmod 600");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(TokenSource.looseMode(file)).isNull();
    }

    @Test
    void tokenOnTheCommandLineIsRefusedByEdgeAndReplay() {
        for (String command : new String[] {"edge", "replay"}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int exit;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = Main.run(
                        command,
                        "--server",
                        "http://127.0.0.1:9",
                        "--input",
                        "x.csv",
                        "--format",
                        "csv",
                        "--token",
                        "s3cret");
            } finally {
                System.setErr(saved);
            }
            String out = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(command + " exit code").isNotZero();
            assertThat(out)
                    .as(command)
                    .contains("--token is not accepted")
                    .contains("--token-file")
                    .contains(TokenSource.ENV);
        }
    }
}
