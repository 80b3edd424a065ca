package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.mqtt.MqttConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MqttOptionsTest {
    @TempDir
    Path dir;

    static MqttConfig parse(String... args) {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.mqtt.toConfig();
    }

    @Test
    void serverFlagsBecomeThePublisherConfigWithThePasswordReadFromItsFile() throws Exception {
        Path pw = Files.writeString(dir.resolve("mqtt.pw"), "s3cret\n");
        MqttConfig c = parse(
                "--tokens",
                "t",
                "--mqtt",
                "tcp://127.0.0.1",
                "--mqtt-namespace",
                "home",
                "--mqtt-teslamate=false",
                "--mqtt-discovery-prefix",
                "ha",
                "--mqtt-username",
                "fleetlog",
                "--mqtt-password-file",
                pw.toString(),
                "--mqtt-stale-seconds",
                "120");
        assertThat(c.broker()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(c.namespace()).isEqualTo("home");
        assertThat(c.teslaMate()).isFalse();
        assertThat(c.discoveryPrefix()).isEqualTo("ha");
        assertThat(c.username()).isEqualTo("fleetlog");
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.staleAfter()).hasSeconds(120);
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void defaultsAreTeslaMateOnAndDiscoveryUnderHomeassistantAndNoFlagMeansNoPublisher() {
        MqttConfig c = parse("--tokens", "t", "--mqtt", "tcp://broker.lan:1884");
        assertThat(c.teslaMate()).isTrue();
        assertThat(c.discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(c.namespace()).isNull();
        assertThat(parse("--tokens", "t", "--mqtt", "tcp://h", "--mqtt-discovery-prefix", "off")
                        .discoveryPrefix())
                .isNull();
        assertThat(parse("--tokens", "t")).isNull();
        assertThatThrownBy(() -> parse("--tokens", "t", "--mqtt-namespace", "x"))
                .hasMessageContaining("need --mqtt");
        assertThatThrownBy(() -> parse("--tokens", "t", "--mqtt", "tcp://h", "--mqtt-password-file", "/nonexistent"))
                .hasMessageContaining("does not exist");
    }
}
