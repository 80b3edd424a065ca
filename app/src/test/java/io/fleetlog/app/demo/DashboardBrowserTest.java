package io.fleetlog.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.report.FleetReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard end to end in a real browser: the real demo (server + five simulated cars behind
 * their fault proxies, real time), the built dashboard served by it, and {@code dashboard/e2e/e2e.mjs}
 * driving Debian's headless Chromium through playwright-core — five cards, stop then play, a dead
 * zone that takes one car offline, then draining, then online, the chart gap filling, screenshots at
 * desktop and phone width in {@code app/target/e2e}, no console errors. Afterwards the continuity
 * report of the whole run must be perfect.
 */
class DashboardBrowserTest {
    private static final Path DASHBOARD =
            Path.of("..", "dashboard").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @TempDir
    Path tmp;

    @Test
    void operatorSeesTheFleetCutsALinkAndWatchesTheGapFill() throws Exception {
        assertThat(CHROMIUM)
                .as("headless Chromium is needed (apt-get install chromium; .ci/run installs it)")
                .isExecutable();
        assertThat(DASHBOARD.resolve("node_modules/playwright-core"))
                .as("the dashboard module's npm ci must have run (it does in the Maven build)")
                .isDirectory();
        Demo.Options o = new Demo.Options(
                5, null, 1.0, "127.0.0.1", 0, "jdbc:sqlite:" + tmp.resolve("fleetlog.db"), tmp, 11, false, null);
        Path out = Path.of("target", "e2e").toAbsolutePath();
        Files.createDirectories(out);
        Path log = out.resolve("e2e.log");
        try (Demo demo = Demo.start(o)) {
            ProcessBuilder pb = new ProcessBuilder("node", "e2e/e2e.mjs")
                    .directory(DASHBOARD.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("FLEETLOG_URL", demo.url());
            pb.environment().put("E2E_OUT", out.toString());
            pb.environment().put("CHROMIUM", CHROMIUM.toString());
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
            FleetReport report = demo.report();
            report.print(System.out);
            assertThat(report.ok()).as("continuity after the browser session").isTrue();
        }
        assertThat(out.resolve("desktop.png")).exists();
        assertThat(out.resolve("phone.png")).exists();
    }
}
