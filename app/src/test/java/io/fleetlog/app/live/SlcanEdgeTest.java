package io.fleetlog.app.live;

import static io.fleetlog.app.live.LiveCanEndToEndTest.TOKEN;
import static io.fleetlog.app.live.LiveCanEndToEndTest.VIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetlog.edge.AgentConfig;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.VehicleAgent;
import io.fleetlog.edge.can.CaptureClock;
import io.fleetlog.edge.can.LiveCan;
import io.fleetlog.edge.can.LiveCanStats;
import io.fleetlog.edge.can.SlcanPort;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SLCAN adapter played on a pty (the edge module's src/test/resources/slcan_adapter.py) at 4,000
 * frames/s of the Model 3's 0x257 into the whole edge — {@link SlcanPort}, {@link LiveCan}, a real
 * {@link VehicleAgent} — and a real server: every frame read, the garbage lines and the unplug counted
 * as events, and every captured sample stored.
 */
class SlcanEdgeTest {
    private static final Path SCRIPT = Path.of("../edge/src/test/resources/slcan_adapter.py");
    private static final int BEFORE = 6_000;
    private static final int AFTER = 6_000;

    @TempDir
    Path tmp;

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
    void aPtyAdapterAt4000FramesPerSecondLosesNoFrameAndItsGarbageAndUnplugAreEvents() throws Exception {
        boolean ready = python() && Files.isReadable(SCRIPT);
        if (!ready) {
            System.err.println("SKIPPED: needs python3 with the pty module and " + SCRIPT.toAbsolutePath());
        }
        assumeTrue(ready, "needs python3 with the pty module and " + SCRIPT);
        Path link = tmp.resolve("ttySLCAN");
        Process adapter = new ProcessBuilder(
                        "python3", SCRIPT.toString(), link.toString(), "" + BEFORE, "" + AFTER, "4000", "257")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (FleetServer server = LiveCanEndToEndTest.server(tmp)) {
            while (!Files.exists(link)) {
                Thread.sleep(10); // test harness: wait for the script to create its pty
            }
            LiveCan live = LiveCan.open(
                    SlcanPort.open(link + "@500000", InstantSource.system(), ms -> Thread.sleep(Math.min(ms, 50))),
                    new CaptureClock(-1),
                    System::nanoTime,
                    Duration.ofSeconds(5),
                    "slcan",
                    LogOptions.defaults());
            UplinkConfig up = UplinkConfig.of(server.baseUrl(), VIN, "model3", TOKEN);
            AgentConfig ac = AgentConfig.of(up, tmp.resolve("spool"));
            AgentStats s;
            LiveCanStats ls;
            try (VehicleAgent agent = VehicleAgent.create(ac, live)) {
                agent.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (live.stats().frames() < BEFORE + AFTER && System.nanoTime() < deadline) {
                    Thread.sleep(20); // test harness: wait for the adapter's frames
                }
                while (agent.stats().ackedSeq() + 1 < agent.stats().captured() && System.nanoTime() < deadline) {
                    Thread.sleep(20); // and for the server's acknowledgements
                }
                ls = live.stats();
                adapter.destroyForcibly(); // unplugged for good: the capture thread's read ends, shutdown is quick
                s = agent.shutdown();
            }
            System.out.println("SLCAN edge: " + ls.line() + "; captured " + s.captured());
            assertThat(ls.frames()).as("no frame lost").isEqualTo(BEFORE + AFTER);
            assertThat(ls.malformed()).as("the garbage frame and line").isEqualTo(2);
            assertThat(ls.disconnects()).as("the unplug").isEqualTo(1);
            assertThat(ls.errorReplies()).as("a bell per connect").isEqualTo(2);
            List<Sample> stored = LiveCanEndToEndTest.stored(server);
            assertThat(s.captured()).isGreaterThan(100);
            assertThat(stored).as("every captured sample stored").hasSize((int) s.captured());
            for (int i = 1; i < stored.size(); i++) {
                assertThat(stored.get(i).captureTimeMs())
                        .isGreaterThan(stored.get(i - 1).captureTimeMs());
            }
        } finally {
            adapter.destroyForcibly();
            adapter.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
