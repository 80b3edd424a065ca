package io.fleetlog.app.cli;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.AgentConfig;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.VehicleAgent;
import io.fleetlog.edge.can.CaptureClock;
import io.fleetlog.edge.can.LiveCan;
import io.fleetlog.edge.can.SlcanPort;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.candump.CanFrames;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.sample.Vin;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code fleetlog edge --can …}: one real vehicle's live CAN bus → {@link LiveCan} (capture clock,
 * DBC, mapping) → spool → uplink.
 *
 * <p>With {@code --can -} it reads {@code candump -L} lines from standard input and, when standard
 * input ends, exits 0 once the server acknowledged everything captured (1 when reading failed).
 * With {@code --can slcan:DEV@BITRATE} it runs until stopped (Ctrl-C, SIGTERM): a disconnected adapter
 * is reopened. A silent bus is logged and counted, never an exit. A status line every 10 s and the
 * final summary show the input's counters ({@link io.fleetlog.edge.can.LiveCanStats}).
 */
final class LiveEdge {
    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);

    private LiveEdge() {}

    static int run(EdgeCommand c) throws IOException, InterruptedException {
        return run(c, System.in);
    }

    static int run(EdgeCommand c, InputStream stdin) throws IOException, InterruptedException {
        if (c.vin == null) {
            throw new IllegalArgumentException("--can needs --vin (the vehicle the bus belongs to)");
        }
        String vin = Vin.check(c.vin);
        Duration silence =
                c.silenceAfter == null ? LiveCan.SILENCE_AFTER : Duration.ofNanos(Math.round(c.silenceAfter * 1e9));
        String secret = c.token.token(c.tls.hasClientCertificate());
        Catalogue cat = c.catalogue.catalogue();
        Transport transport = c.tls.transport();
        UplinkConfig up =
                c.heartbeat(UplinkConfig.of(c.server, vin, c.model, secret).withCatalogue(cat));
        AgentConfig ac = AgentConfig.of(up, c.spoolDir).withSpool(c.spoolConfig());
        long floorMs = ResumingSource.resumePoint(Spools.fileFor(c.spoolDir, vin));
        LogOptions o =
                LogOptions.defaults().withDbc(c.dbc).withMapping(c.mapping).withInterface(c.iface);
        LiveCan live = LiveCan.open(
                frames(c, stdin), new CaptureClock(floorMs), System::nanoTime, silence, inputName(c.can), o);
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "can-silence-watch");
            t.setDaemon(true);
            return t;
        });
        VehicleAgent created;
        try {
            created = VehicleAgent.create(ac, live, transport);
        } catch (IOException | RuntimeException e) {
            live.close(); // the agent owns the input only once it exists
            watch.shutdownNow();
            throw e;
        }
        try (VehicleAgent agent = created) {
            watch.scheduleAtFixedRate(() -> live.runOnce(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
            Thread hook = new Thread(() -> say(agent, live), "edge-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            agent.start();
            System.out.printf(
                    "fleetlog edge: %s as %s → %s, spool in %s%n", live.describe(), vin, c.server, c.spoolDir);
            long lastStatus = System.nanoTime();
            while (!agent.awaitDrained(Duration.ofMillis(500))) {
                if (System.nanoTime() - lastStatus >= STATUS_EVERY.toNanos()) {
                    AgentStats s = agent.stats();
                    System.out.printf(
                            "  %s: captured %,d, buffered %,d, link %s; input: %s%n",
                            vin,
                            s.captured(),
                            s.spoolDepth(),
                            s.link(),
                            live.stats().line());
                    lastStatus = System.nanoTime();
                }
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            say(agent, live);
            if (agent.captureError() != null) {
                System.err.printf(
                        "fleetlog edge: reading %s stopped: %s; what was captured before it is stored%n",
                        c.can, agent.captureError());
                return 1;
            }
            System.out.printf("input ended; everything captured is acknowledged by the server%n");
            return 0;
        } finally {
            watch.shutdownNow();
        }
    }

    private static void say(VehicleAgent agent, LiveCan live) {
        EdgeCommand.sayClosed(agent.shutdown(), agent.config().spoolDir());
        System.out.printf("%s: input: %s%n", agent.vin(), live.stats().line());
    }

    private static String inputName(String can) {
        return can.equals("-") ? "stdin" : can;
    }

    private static CanFrames frames(EdgeCommand c, InputStream stdin) throws IOException {
        if (c.can.equals("-")) {
            return new CandumpReader(new InputStreamReader(stdin, StandardCharsets.ISO_8859_1), "stdin", c.iface);
        }
        if (c.can.startsWith("slcan:")) {
            if (c.iface != null) {
                throw new IllegalArgumentException("--interface is for --can - (an SLCAN adapter is one bus)");
            }
            return SlcanPort.open(c.can.substring("slcan:".length()), InstantSource.system(), SlcanPort.sleeping());
        }
        throw new IllegalArgumentException("--can '" + c.can
                + "': expected - (candump -L lines on standard input) or slcan:DEVICE@BITRATE"
                + " (e.g. slcan:/dev/ttyACM0@500000)");
    }
}
