package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoTest {

    @TempDir
    Path dir;

    @Test
    void aPrivateBrokerListensOnLoopbackWithItsOwnConfigAndStopsOnClose() throws Exception {
        assumeTrue(Mosquitto.available(), "SKIPPED: " + Mosquitto.BINARY + " is missing (Debian package mosquitto)");
        int port;
        try (Mosquitto m = Mosquitto.start(dir)) {
            port = m.port();
            assertThat(port).isNotEqualTo(1883);
            assertThat(m.uri()).isEqualTo("tcp://127.0.0.1:" + port);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(s.isConnected()).isTrue();
            }
            assertThat(Files.readString(dir.resolve("mosquitto.conf")))
                    .contains("listener " + port + " 127.0.0.1")
                    .contains("max_queued_messages 0")
                    .contains("persistence true");
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(IOException.class);
    }
}
