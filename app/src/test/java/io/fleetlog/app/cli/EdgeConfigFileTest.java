package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EdgeConfigFileTest {
    @TempDir
    Path tmp;

    private EdgeCommand parse(String... args) {
        EdgeCommand c = new EdgeCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void theFileFillsWhatTheCommandLineLeavesOpenAndFlagsWin() throws Exception {
        Path conf = Files.writeString(tmp.resolve("edge.conf"), """
                # the vehicle computer's settings
                server = http://127.0.0.1:8080
                vin = 5YJ3E1EB4PF100001
                token-file = secrets/car.token
                spool-dir = /var/lib/fleetlog/spool
                spool-max = 1_000_000
                spool-full = drop-oldest
                can = slcan:/dev/ttyACM0@500000
                dbc = Model3CAN.dbc
                silence-after = 2.5
                heartbeat-timeout = 10
                """);
        EdgeCommand c = parse("--config", conf.toString(), "--server", "https://fleet.example.com", "--spool-max", "7");
        c.applyConfig();
        assertThat(c.server).as("flag wins").isEqualTo("https://fleet.example.com");
        assertThat(c.spoolMax).as("flag wins").isEqualTo(7);
        assertThat(c.vin).isEqualTo("5YJ3E1EB4PF100001");
        assertThat(c.token.tokenFile).as("relative to the file").isEqualTo(tmp.resolve("secrets/car.token"));
        assertThat(c.spoolDir).isEqualTo(Path.of("/var/lib/fleetlog/spool"));
        assertThat(c.spoolFull).isEqualTo("drop-oldest");
        assertThat(c.can).isEqualTo("slcan:/dev/ttyACM0@500000");
        assertThat(c.dbc).isEqualTo(tmp.resolve("Model3CAN.dbc"));
        assertThat(c.silenceAfter).isEqualTo(2.5);
        assertThat(c.heartbeatTimeout).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.model).as("default").isEqualTo("model3");
    }

    @Test
    void withoutAFileTheDefaultsHoldAndAServerIsRequired() throws Exception {
        EdgeCommand c = parse("--server", "http://127.0.0.1:1");
        c.applyConfig();
        assertThat(c.spoolDir).isEqualTo(Path.of("data/spool"));
        assertThat(c.spoolMax).isEqualTo(4_320_000L);
        assertThat(c.spoolFull).isEqualTo("block");
        assertThatThrownBy(() -> parse().applyConfig()).hasMessageContaining("no server");
    }

    @Test
    void mistakesNameFileAndLine() throws Exception {
        String name = tmp.resolve("bad.conf").toString();
        assertThatThrownBy(() -> read("server = x\nsever = y\n"))
                .hasMessageStartingWith(name + ":2: unknown key 'sever'");
        assertThatThrownBy(() -> read("\n# c\nserver\n")).hasMessageStartingWith(name + ":3: expected 'key = value'");
        assertThatThrownBy(() -> read("vin = a\nvin = b\n"))
                .hasMessageStartingWith(name + ":2: vin is already set on line 1");
        assertThatThrownBy(() -> read("dbc =\n")).hasMessageStartingWith(name + ":1: dbc has no value");
        EdgeConfigFile f = read("server = x\nspool-max = lots\nsilence-after = -1\nspool-full = keep\n");
        assertThatThrownBy(() -> f.whole("spool-max", null, 1))
                .hasMessageStartingWith(name + ":2: spool-max 'lots' is not a whole number");
        assertThatThrownBy(() -> f.seconds("silence-after", null))
                .hasMessageStartingWith(name + ":3: silence-after -1 must be in (0, 86400] seconds");
        assertThatThrownBy(() -> f.check("spool-full", "keep", java.util.Set.of("block", "drop-oldest")))
                .hasMessageStartingWith(name + ":4: spool-full 'keep' is not one of");
    }

    private EdgeConfigFile read(String text) throws Exception {
        return EdgeConfigFile.read(Files.writeString(tmp.resolve("bad.conf"), text));
    }

    @Test
    void liveInputOptionsAreCheckedBeforeAnythingStarts() throws Exception {
        Path token = Files.writeString(tmp.resolve("t"), "secret");
        assertThat(run("edge", "--server", "http://127.0.0.1:9", "--can", "-", "--token-file", token.toString()))
                .contains("--can needs --vin");
        assertThat(run(
                        "edge",
                        "--server",
                        "http://127.0.0.1:9",
                        "--vin",
                        "5YJ3E1EB4PF100001",
                        "--can",
                        "can0",
                        "--token-file",
                        token.toString(),
                        "--spool-dir",
                        tmp.resolve("s").toString()))
                .contains("expected - (candump -L lines on standard input) or slcan:DEVICE@BITRATE");
        assertThat(run("edge", "--server", "http://127.0.0.1:9", "--dbc", "x.dbc"))
                .contains("need --can");
        assertThat(run("edge", "--server", "http://127.0.0.1:9", "--can", "-", "--vehicles", "3"))
                .contains("--vehicles and --outages are for the simulator");
    }

    /** Runs {@code fleetlog ARGS} expecting exit code 2; returns what it printed on stderr. */
    private static String run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
