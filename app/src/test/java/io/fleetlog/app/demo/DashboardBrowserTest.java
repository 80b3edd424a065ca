package io.fleetlog.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.report.FleetReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard end to end in a real browser: the real demo (server + five simulated cars behind
 * their fault proxies, real time), the built dashboard served by it, and {@code dashboard/e2e/e2e.mjs}
 * driving Debian's headless Chromium through playwright-core — five cards, stop then play, a dead
 * zone that takes one car offline, then draining, then online, the chart gap filling, screenshots at
 * desktop and phone width in {@code app/target/e2e}, no console errors. Afterwards the continuity
 * report of the whole run must be perfect. A second run (issue 19) plays one car at 30× real time, so
 * that within a minute it has driven and started charging, and opens its drives list, a drive (the
 * route on a basemap the browser test serves itself, then the plain track with the tiles unreachable)
 * and its charges list and a charge, at desktop and phone width, into {@code app/target/e2e-sessions}.
 */
class DashboardBrowserTest {
    private static final Path DASHBOARD =
            Path.of("..", "dashboard").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @TempDir
    Path tmp;

    @Test
    void operatorSeesTheFleetCutsALinkAndWatchesTheGapFill() throws Exception {
        assumeBrowser();
        Demo.Options o = new Demo.Options(
                5, null, 1.0, "127.0.0.1", 0, "jdbc:sqlite:" + tmp.resolve("fleetlog.db"), tmp, 11, false, null);
        Path out = Path.of("target", "e2e").toAbsolutePath();
        try (Demo demo = Demo.start(o)) {
            runE2e(demo, out, Map.of("E2E_SESSIONS", "0"));
            FleetReport report = demo.report();
            report.print(System.out);
            assertThat(report.ok()).as("continuity after the browser session").isTrue();
        }
        assertThat(out.resolve("desktop.png")).exists();
        assertThat(out.resolve("phone.png")).exists();
    }

    @Test
    void ownerBrowsesTheDrivesAndChargesOfACarThatDroveAndCharged() throws Exception {
        assumeBrowser();
        // 30x: the simulator's first drive (4 to 9 min), the stop and the plug-in take under 25 s of wall time
        Demo.Options o = new Demo.Options(
                1, null, 30.0, "127.0.0.1", 0, "jdbc:sqlite:" + tmp.resolve("sessions.db"), tmp, 11, false, null);
        Path out = Path.of("target", "e2e-sessions").toAbsolutePath();
        try (Demo demo = Demo.start(o)) {
            runE2e(demo, out, Map.of("E2E_SESSIONS", "only", "E2E_VEHICLES", "1", "E2E_SESSIONS_WAIT_MS", "150000"));
        }
        for (String png : List.of(
                "desktop-drives.png",
                "desktop-drive.png",
                "desktop-drive-no-tiles.png",
                "desktop-charges.png",
                "desktop-charge.png",
                "phone-drives.png",
                "phone-drive.png")) {
            assertThat(out.resolve(png)).exists();
        }
    }

    private static void assumeBrowser() {
        assertThat(CHROMIUM)
                .as("headless Chromium is needed (apt-get install chromium; .ci/run installs it)")
                .isExecutable();
        assertThat(DASHBOARD.resolve("node_modules/playwright-core"))
                .as("the dashboard module's npm ci must have run (it does in the Maven build)")
                .isDirectory();
    }

    /** Runs dashboard/e2e/e2e.mjs against the demo; its output goes to {@code out/e2e.log} and stdout. */
    private static void runE2e(Demo demo, Path out, Map<String, String> env) throws Exception {
        Files.createDirectories(out);
        Path log = out.resolve("e2e.log");
        ProcessBuilder pb = new ProcessBuilder("node", "e2e/e2e.mjs")
                .directory(DASHBOARD.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("FLEETLOG_URL", demo.url());
        pb.environment().put("E2E_OUT", out.toString());
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        pb.environment().putAll(env);
        Process node = pb.start();
        node.getOutputStream().close();
        boolean done;
        try {
            done = node.waitFor(4, TimeUnit.MINUTES);
        } finally {
            node.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(done).as("the browser test finished in time:\n" + output).isTrue();
        assertThat(node.exitValue()).as("e2e.mjs exit code:\n" + output).isZero();
    }
}
