package io.fleetlog.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.app.report.Continuity;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * What every fault scenario shares: the continuity check (the capture regenerated from the simulator's
 * seed, joined with what the store holds, through {@link Continuity} — never the pipeline's counters),
 * deadline-bounded waits, free loopback ports, and child JVMs that are always killed.
 */
final class FaultRig {
    private FaultRig() {}

    /** Joins {@code captured} with every row the store holds for {@code vin} (nothing may be left on the edge). */
    static Continuity compare(SampleStore store, String vin, Iterator<Sample> captured) {
        List<Sample> stored = new ArrayList<>();
        store.scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, stored::add);
        return new Continuity(io.fleetlog.catalog.Catalogue.builtin())
                .compare(captured, stored.iterator(), List.<Sample>of().iterator());
    }

    /** What a simulated vehicle captured, regenerated from its seed, start and duration. */
    static Iterator<Sample> drive(VehicleModel model, long seed, long startEpochMs, Duration duration) {
        DriveSimulator sim = new DriveSimulator(model, seed, startEpochMs, duration);
        return new Iterator<>() {
            Sample next = advance();

            private Sample advance() {
                return sim.next();
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Sample next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Sample s = next;
                next = advance();
                return s;
            }
        };
    }

    /** The promise: nothing missing, duplicated, out of order or unexpected, every field within its bound. */
    static void assertPerfect(Continuity c, String context) {
        String what = context + ": " + describe(c);
        assertThat(c.captured()).as(what).isPositive();
        assertThat(c.missing()).as("missing, " + what).isZero();
        assertThat(c.duplicated()).as("duplicated, " + what).isZero();
        assertThat(c.outOfOrder()).as("out of order, " + what).isZero();
        assertThat(c.unexpected()).as("unexpected, " + what).isZero();
        for (Continuity.SignalResult r : c.signals()) {
            assertThat(r.ok())
                    .as(
                            "%s: %d values beyond its bound %s (max error %s), %d lost, %d invented, %s",
                            r.signal().name(), r.overBound(), r.bound(), r.maxError(), r.lost(), r.invented(), what)
                    .isTrue();
        }
        assertThat(c.stored()).as("stored, " + what).isEqualTo(c.captured());
        assertThat(c.perfect()).as(what).isTrue();
    }

    static String describe(Continuity c) {
        return "captured=" + c.captured() + " stored=" + c.stored() + " missing=" + c.missing() + " duplicated="
                + c.duplicated() + " out_of_order=" + c.outOfOrder() + " unexpected=" + c.unexpected();
    }

    /** Polls {@code condition} every 20 ms until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A loopback port that was free a moment ago (for a server that must come back on the same port). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether something accepts TCP connections on the loopback {@code port}. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false; // not (yet) listening: the caller polls again
        }
    }

    /**
     * {@code fleetlog ARGS} in a child JVM on this test's class path, output in {@code log}. {@link
     * #close()} kills it (SIGKILL) if it still runs, so a finally block always cleans up.
     */
    static final class ChildJvm implements AutoCloseable {
        private final Process process;
        private final Path log;

        private ChildJvm(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static ChildJvm start(Path log, String... args) throws IOException {
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            List<String> cmd = new ArrayList<>(List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.fleetlog.app.Main"));
            cmd.addAll(List.of(args));
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(p, log);
        }

        Process process() {
            return process;
        }

        /** SIGKILL, and wait until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** The child's output so far (for failure messages). */
        String output() {
            try {
                String s = Files.readString(log);
                return s.length() > 8_000 ? "…" + s.substring(s.length() - 8_000) : s;
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }
}
