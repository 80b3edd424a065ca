package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class CountingProxyTest {

    @Test
    void forwardsAndCountsBothDirectionsAndACutResetsTheConnection() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                CountingProxy proxy = new CountingProxy(echo.getLocalPort())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException e) {
                    // the test closed it
                }
            });
            Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
            client.getOutputStream().write(new byte[100]);
            assertThat(client.getInputStream().readNBytes(100)).hasSize(100);
            assertThat(proxy.bytesUp()).isEqualTo(100);
            assertThat(proxy.bytesDown()).isEqualTo(100);

            proxy.cut();

            InputStream in = client.getInputStream();
            assertThatThrownBy(() -> {
                        client.getOutputStream().write(new byte[10]);
                        if (in.read() < 0) {
                            throw new IOException("closed");
                        }
                    })
                    .isInstanceOf(IOException.class);
            assertThat(proxy.bytesUp()).isEqualTo(100);
            client.close();
        }
    }
}
