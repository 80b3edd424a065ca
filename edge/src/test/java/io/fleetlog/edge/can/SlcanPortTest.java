package io.fleetlog.edge.can;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetlog.logs.candump.CanFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SlcanPort} against a pseudo terminal that plays an SLCAN adapter (src/test/resources/
 * slcan_adapter.py, Python's pty module): every frame at 4,000 frames/s arrives, in order and equal to
 * what was sent, across an unplug and replug; the garbage lines and the adapter's error replies are
 * counted events, not an end.
 */
class SlcanPortTest {
    private static final int BEFORE = 6_000;
    private static final int AFTER = 6_000;
    private static final int RATE = 4_000;

    @TempDir
    Path tmp;

    /** Frame {@code i} as the adapter script sends it. */
    static CanFrame expected(int i) {
        byte[] data = HexFormat.of().parseHex(String.format("%016X", (long) i));
        if (i % 50 == 7) {
            return new CanFrame(0, "x", 0x123, false, CanFrame.Kind.REMOTE, 0, new byte[0], 8);
        }
        if (i % 10 == 9) {
            return CanFrame.data(0, "x", 0x1ABCDEF0L, true, data);
        }
        return CanFrame.data(0, "x", 0x123, false, data);
    }

    private static boolean python() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import pty, tty").start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void everyFrameFromAPtyAdapterAt4000PerSecondArrivesAcrossADisconnect() throws Exception {
        boolean py = python();
        if (!py) {
            System.err.println("SKIPPED: python3 with the pty module is needed to play an SLCAN adapter");
        }
        assumeTrue(py, "python3 with the pty module is needed to play an SLCAN adapter");
        Path script = tmp.resolve("slcan_adapter.py");
        try (InputStream in = SlcanPortTest.class.getResourceAsStream("/slcan_adapter.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path link = tmp.resolve("ttySLCAN");
        Process adapter = new ProcessBuilder(
                        "python3", script.toString(), link.toString(), "" + BEFORE, "" + AFTER, "" + RATE)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                while (!Files.exists(link)) {
                    Thread.sleep(10); // test harness: wait for the script to create its pty
                }
                List<CanFrame> got = new ArrayList<>();
                long t0 = System.nanoTime();
                try (SlcanPort port = SlcanPort.open(
                        link + "@500000", InstantSource.system(), ms -> Thread.sleep(Math.min(ms, 50)))) {
                    while (got.size() < BEFORE + AFTER) {
                        got.add(port.next());
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(
                            "SLCAN pty: %,d frames in %.2f s (%,.0f frames/s), %d disconnect(s), %d error replies%n",
                            got.size(), seconds, got.size() / seconds, port.disconnects(), port.errorReplies());
                    for (int i = 0; i < got.size(); i++) {
                        CanFrame e = expected(i);
                        CanFrame g = got.get(i);
                        assertThat(g.id()).as("frame %d id", i).isEqualTo(e.id());
                        assertThat(g.extended()).as("frame %d extended", i).isEqualTo(e.extended());
                        assertThat(g.kind()).as("frame %d kind", i).isEqualTo(e.kind());
                        assertThat(g.data()).as("frame %d data", i).isEqualTo(e.data());
                        assertThat(g.dlc()).as("frame %d dlc", i).isEqualTo(e.dlc());
                    }
                    assertThat(port.problems().count())
                            .as("the garbage frame and line")
                            .isEqualTo(2);
                    assertThat(port.problems().first().get(0))
                            .contains(":" + (BEFORE + 1) + ":")
                            .contains("XYZ");
                    assertThat(port.problems().first().get(1)).contains(":" + (BEFORE + 2) + ":");
                    assertThat(port.disconnects()).isEqualTo(1);
                    assertThat(port.reopens()).isEqualTo(1);
                    assertThat(port.errorReplies()).as("one bell per connect").isEqualTo(2);
                }
            });
        } finally {
            adapter.destroyForcibly();
            adapter.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecordingFileEndsAndItsBadLinesAreCounted() throws Exception {
        Path rec = Files.writeString(tmp.resolve("rec.slcan"), "t1232ABCD\r\rT1ABCDEF01FF0102\rQQ\r\u0007t7FF0\r");
        try (SlcanPort port = SlcanPort.open(rec + "@250000", () -> java.time.Instant.ofEpochMilli(5), ms -> {})) {
            CanFrame a = port.next();
            assertThat(a.id()).isEqualTo(0x123);
            assertThat(a.hex()).isEqualTo("ABCD");
            assertThat(a.timeMicros()).isEqualTo(5_000);
            CanFrame b = port.next();
            assertThat(b.id()).isEqualTo(0x1ABCDEF0L);
            assertThat(b.hex()).isEqualTo("FF");
            CanFrame c = port.next();
            assertThat(c.id()).isEqualTo(0x7FF);
            assertThat(c.data()).isEmpty();
            assertThat(port.next()).isNull();
            assertThat(port.problems().count()).isEqualTo(1);
            assertThat(port.problems().first().get(0)).contains(":3:").contains("QQ");
            assertThat(port.errorReplies()).isEqualTo(1);
            assertThat(port.disconnects()).isZero();
        }
    }

    @Test
    void aWrongSpecFailsNamingTheExpectedForm() {
        assertThatThrownBy(() -> SlcanPort.open("/dev/ttyACM0", InstantSource.system(), ms -> {}))
                .hasMessageContaining("slcan:DEVICE@BITRATE");
        assertThatThrownBy(() -> SlcanPort.open("/dev/ttyACM0@123", InstantSource.system(), ms -> {}))
                .hasMessageContaining("bit rate '123'");
        assertThatThrownBy(() -> SlcanPort.open(tmp.resolve("none") + "@500000", InstantSource.system(), ms -> {}))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
