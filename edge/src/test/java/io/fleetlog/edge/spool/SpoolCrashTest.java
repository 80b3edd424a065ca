package io.fleetlog.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while it appends under load, at several kill points, and checks
 * that reopening finds every sample up to (at least) the last commit the child reported, whole, and
 * that seq continues without reuse.
 */
class SpoolCrashTest {
    @TempDir
    Path dir;

    @Test
    void sigkillDuringAppendsLosesNothingCommittedAndNeverReusesASeq() throws Exception {
        Path file = dir.resolve("crash.spool");
        long[] killAfterCommitted = {1_000, 15_000, 60_000};
        long lastSeen = -1;
        for (long killPoint : killAfterCommitted) {
            long reported = runChildAndKill(file, killPoint);
            assertThat(reported).isGreaterThanOrEqualTo(killPoint);
            try (Spool s = Spools.open(file, SpoolConfig.defaults())) {
                long next = s.nextSeq();
                assertThat(next).as("every reported commit survived").isGreaterThan(reported);
                List<Sample> all = s.peek(0, Integer.MAX_VALUE);
                assertThat(all).hasSize((int) next);
                for (int i = 0; i < all.size(); i++) {
                    Sample x = all.get(i);
                    assertThat(x.seq()).isEqualTo(i);
                    assertThat(x).isEqualTo(TestSamples.of(i));
                }
                assertThat(next)
                        .as("seq continues past what the previous run saw")
                        .isGreaterThan(lastSeen);
                lastSeen = next - 1;
            }
        }
    }

    /** Starts the child, waits until it reports a commit at or beyond {@code killPoint}, SIGKILLs it. */
    private long runChildAndKill(Path file, long killPoint) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SpoolCrashChild.class.getName(),
                        file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long reported = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
                if (line.startsWith("committed ")) {
                    reported = Long.parseLong(line.substring(10).trim());
                    if (reported >= killPoint) {
                        p.destroyForcibly();
                        break;
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).as("killed, not exited").isNotZero();
        return reported;
    }
}
