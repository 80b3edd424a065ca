package io.fleetlog.sim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
    ServerSocket echo;
    FaultProxy proxy;

    @BeforeEach
    void setUp() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // the test resets connections on purpose
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        echo.close();
    }

    static String roundTrip(Socket s, String msg) throws IOException {
        s.getOutputStream().write(msg.getBytes());
        s.getOutputStream().flush();
        byte[] buf = s.getInputStream().readNBytes(msg.length());
        return new String(buf);
    }

    @Test
    void forwardsBothWaysAndCountsTheBytes() throws IOException {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            assertThat(roundTrip(s, "world!")).isEqualTo("world!");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.bytesDownstream() < 11 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(proxy.bytesUpstream()).isEqualTo(11);
        assertThat(proxy.bytesDownstream()).isEqualTo(11);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void blackholeKeepsTheConnectionOpenButNothingFlowsUntilRestored() throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            assertThat(roundTrip(s, "a")).isEqualTo("a");
            proxy.cut(CutMode.BLACKHOLE);
            assertThat(proxy.isCut()).isTrue();
            s.getOutputStream().write("tunnel".getBytes());
            s.setSoTimeout(300);
            InputStream in = s.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isClosed()).isFalse();
            proxy.restore();
            s.setSoTimeout(5_000);
            assertThat(new String(in.readNBytes(6))).isEqualTo("tunnel");
        }
        assertThat(proxy.cuts()).isEqualTo(1);
    }

    @Test
    void bytesOfAClientThatGaveUpInTheBlackholeDieWithIt() throws Exception {
        Socket s = new Socket("127.0.0.1", proxy.port());
        assertThat(roundTrip(s, "a")).isEqualTo("a");
        long up = proxy.bytesUpstream();
        proxy.cut(CutMode.BLACKHOLE);
        s.getOutputStream().write("stale".getBytes());
        Thread.sleep(50);
        s.close();
        proxy.restore();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.connections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.connections()).isZero();
        assertThat(proxy.bytesUpstream()).isEqualTo(up);
    }

    @Test
    void resetClosesConnectionsAndRefusesNewOnesUntilRestored() throws Exception {
        Socket s = new Socket("127.0.0.1", proxy.port());
        assertThat(roundTrip(s, "a")).isEqualTo("a");
        proxy.cut(CutMode.RESET);
        s.setSoTimeout(5_000);
        assertThatThrownBy(() -> {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < 100; i++) {
                        out.write(new byte[1024]);
                        Thread.sleep(5);
                    }
                    if (s.getInputStream().read() >= 0) {
                        throw new AssertionError("still flowing");
                    }
                    throw new IOException("eof");
                })
                .isInstanceOf(IOException.class);
        s.close();
        try (Socket t = new Socket("127.0.0.1", proxy.port())) {
            t.setSoTimeout(5_000);
            assertThatThrownBy(() -> {
                        Thread.sleep(50);
                        t.getOutputStream().write(1);
                        if (t.getInputStream().read() < 0) {
                            throw new IOException("eof");
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        proxy.restore();
        try (Socket u = new Socket("127.0.0.1", proxy.port())) {
            u.setSoTimeout(5_000);
            assertThat(roundTrip(u, "back")).isEqualTo("back");
        }
    }

    @Test
    void schedulesParseValidateAndAnswerByCaptureTime() {
        OutageSchedule s = OutageSchedule.parse("120-180, 400-460:reset");
        assertThat(s.outages()).hasSize(2);
        assertThat(s.at(119.99)).isEmpty();
        assertThat(s.at(120).orElseThrow().mode()).isEqualTo(CutMode.BLACKHOLE);
        assertThat(s.at(180)).isEmpty();
        assertThat(s.at(400).orElseThrow().mode()).isEqualTo(CutMode.RESET);
        assertThat(s.totalSeconds()).isEqualTo(120);
        assertThat(s.toString()).isEqualTo("120-180,400-460:reset");
        assertThat(OutageSchedule.parse("").isEmpty()).isTrue();
        assertThatThrownBy(() -> OutageSchedule.parse("180-120")).hasMessageContaining("start < end");
        assertThatThrownBy(() -> OutageSchedule.parse("1-5,4-8")).hasMessageContaining("overlap");
        assertThatThrownBy(() -> OutageSchedule.parse("abc")).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> OutageSchedule.parse("1-2:flood")).hasMessageContaining("flood");
    }

    @Test
    void randomSchedulesAreSeededAndFitTheDrive() {
        OutageSchedule a =
                OutageSchedule.random(7, Duration.ofMinutes(30), 5, Duration.ofSeconds(20), Duration.ofSeconds(90));
        assertThat(a)
                .isEqualTo(OutageSchedule.random(
                        7, Duration.ofMinutes(30), 5, Duration.ofSeconds(20), Duration.ofSeconds(90)));
        assertThat(a)
                .isNotEqualTo(OutageSchedule.random(
                        8, Duration.ofMinutes(30), 5, Duration.ofSeconds(20), Duration.ofSeconds(90)));
        assertThat(a.outages()).hasSize(5);
        for (OutageSchedule.Outage o : a.outages()) {
            assertThat(o.seconds()).isBetween(20.0, 90.0);
            assertThat(o.endSeconds()).isLessThanOrEqualTo(1800);
        }
    }
}
