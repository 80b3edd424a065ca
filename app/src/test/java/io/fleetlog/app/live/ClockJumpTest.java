package io.fleetlog.app.live;

import static io.fleetlog.app.live.LiveCanEndToEndTest.TOKEN;
import static io.fleetlog.app.live.LiveCanEndToEndTest.VIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.edge.AgentConfig;
import io.fleetlog.edge.VehicleAgent;
import io.fleetlog.edge.can.CaptureClock;
import io.fleetlog.edge.can.LiveCan;
import io.fleetlog.edge.can.LiveCanStats;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.Problems;
import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CanFrames;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vehicle computer's wall clock jumps an hour back or forward mid-drive (an NTP step), while the
 * frames keep coming 20 ms apart in monotonic time (an injected clock). Live candump input goes
 * through {@link LiveCan} and a real {@link VehicleAgent} into a real server: the stored timeline has
 * no reordering and no duplicate, and equals the drive as the {@link CaptureClock} rule says — the
 * true times for a backward step (not followed), the stepped clock's times for a forward one.
 */
class ClockJumpTest {
    private static final long HOUR_US = 3_600_000_000L;
    private static final long T0_MS = 1_764_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void anHourBackMidDriveIsNotFollowedTheTimelineStaysTrue() throws Exception {
        Drive d = drive(-HOUR_US);
        LiveCanStats s = runThroughTheEdge(d);
        assertThat(s.clockStepsBackward()).isEqualTo(1);
        assertThat(s.clockOffsetMs()).isEqualTo(3_600_000);
    }

    @Test
    void anHourForwardMidDriveIsFollowedWithoutReordering() throws Exception {
        Drive d = drive(HOUR_US);
        LiveCanStats s = runThroughTheEdge(d);
        assertThat(s.clockStepsForward()).isEqualTo(1);
        assertThat(s.clockOffsetMs()).isZero();
    }

    /** Lines as the vehicle's clock stamped them, each frame's true time, and what the store must hold. */
    private record Drive(List<String> stamped, long[] trueMicros, List<Sample> expected) {}

    private Drive drive(long stepUs) throws IOException {
        Path log = tmp.resolve("true.candump");
        try (CandumpWriter w = CandumpWriter.create(log)) {
            new Model3CanEncoder("can0")
                    .writeLog(new DriveSimulator(VehicleModel.MODEL3, 7, T0_MS, Duration.ofSeconds(40)), w);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        long[] trueUs = new long[lines.size()];
        List<String> stamped = new ArrayList<>();
        long stepAt = T0_MS * 1000 + 20_000_000; // 20 s into the drive
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int close = l.indexOf(')');
            String ts = l.substring(1, close);
            int dot = ts.indexOf('.');
            trueUs[i] = Long.parseLong(ts.substring(0, dot)) * 1_000_000 + Long.parseLong(ts.substring(dot + 1));
            long us = trueUs[i] + (trueUs[i] >= stepAt ? stepUs : 0);
            stamped.add(String.format(
                    Locale.ROOT,
                    "(%d.%06d)%s",
                    Math.floorDiv(us, 1_000_000),
                    Math.floorMod(us, 1_000_000),
                    l.substring(close + 1)));
        }
        Path expectedLog = stepUs < 0 ? log : Files.write(tmp.resolve("stamped.candump"), stamped);
        return new Drive(stamped, trueUs, LiveCanEndToEndTest.decode(expectedLog, LogOptions.defaults()));
    }

    private LiveCanStats runThroughTheEdge(Drive d) throws Exception {
        long[] mono = {0};
        CandumpReader reader = new CandumpReader(new StringReader(String.join("\n", d.stamped())), "jumps", null);
        CanFrames frames = new CanFrames() { // the monotonic clock reads each frame's true time as it arrives
                    int i;

                    @Override
                    public CanFrame next() throws IOException {
                        CanFrame f = reader.next();
                        if (f != null) {
                            mono[0] = (d.trueMicros()[i++] - T0_MS * 1000) * 1000;
                        }
                        return f;
                    }

                    @Override
                    public Problems problems() {
                        return reader.problems();
                    }

                    @Override
                    public long line() {
                        return reader.line();
                    }

                    @Override
                    public void close() throws IOException {
                        reader.close();
                    }
                };
        try (FleetServer server = LiveCanEndToEndTest.server(tmp)) {
            LiveCan live = LiveCan.open(
                    frames, new CaptureClock(-1), () -> mono[0], Duration.ofSeconds(5), "jumps", LogOptions.defaults());
            UplinkConfig up = UplinkConfig.of(server.baseUrl(), VIN, "model3", TOKEN);
            AgentConfig ac = AgentConfig.of(up, tmp.resolve("spool"));
            try (VehicleAgent agent = VehicleAgent.create(ac, live)) {
                agent.start();
                assertThat(agent.awaitDrained(Duration.ofSeconds(60))).isTrue();
                assertThat(agent.captureError()).isNull();
            }
            List<Sample> stored = LiveCanEndToEndTest.stored(server);
            LiveCanEndToEndTest.assertStoredAsDecoded(d.expected(), stored);
            assertThat(stored.size()).isGreaterThan(1_900);
            return live.stats();
        }
    }
}
