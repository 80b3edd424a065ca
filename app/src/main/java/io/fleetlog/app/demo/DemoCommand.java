package io.fleetlog.app.demo;

import io.fleetlog.app.report.FleetReport;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.sim.SimConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetlog demo} (what {@code ./run_fleet.sh} runs): server + simulated fleet + report. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the server (embedded SQLite by default) and a simulated fleet with scripted dead zones,",
            "each car behind its own fault proxy; print and write the continuity report on exit (end of",
            "--duration, or Ctrl-C)."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final Duration FINAL_DRAIN = Duration.ofSeconds(60);

    @Option(names = "--vehicles", description = "Number of cars (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int vehicles;

    @Option(names = "--duration", description = "Capture time to drive, in seconds (default: until Ctrl-C).")
    Long durationSeconds;

    @Option(
            names = "--speed",
            description = "Replay speed: a factor (1 = real time) or max (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    String speed;

    @Option(
            names = "--port",
            description = "HTTP port of server and dashboard (default: ${DEFAULT-VALUE}; 0 = any free port).",
            defaultValue = "8080")
    int port;

    @Option(
            names = "--bind",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(
            names = "--db",
            description = "Store: jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB?user=… (default: ${DEFAULT-VALUE}).",
            defaultValue = "jdbc:sqlite:data/demo/fleetlog.db")
    String db;

    @Option(
            names = "--data-dir",
            description = "Where the cars keep their spools (default: ${DEFAULT-VALUE}).",
            defaultValue = "data/demo")
    Path dataDir;

    @Option(names = "--report", description = "Also write the continuity report as JSON to this file.")
    Path report;

    @Option(
            names = "--seed",
            description = "Seed of the simulated drives (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Option(names = "--no-outages", negatable = true, description = "Without the scripted dead zones.")
    boolean outages = true;

    @Option(
            names = "--signals",
            paramLabel = "NAMES",
            description = "Only these simulated signals, comma-separated catalogue names, or 'legacy' for the"
                    + " seven that carry the first version's eight fields (default: every simulated signal).")
    String signals;

    @Option(
            names = "--ft-vehicles",
            paramLabel = "N",
            description = "Also N simulated Teslas speaking Fleet Telemetry to the server's listener over mutual"
                    + " TLS (own test CA in DATA/ft-pki; docs/fleet-telemetry.md) (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int ftVehicles;

    @Option(
            names = "--bus",
            paramLabel = "kafka",
            description = "Run the fleet through Kafka (docs/scale-out.md): a KRaft broker in this process,"
                    + " --replicas ingest replicas and a sink writing --db; the cars are spread over the"
                    + " replicas. Only 'kafka' (default: no bus, one server on the store).")
    String bus;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            description = "Ingest replicas with --bus kafka, 1.." + Demo.MAX_REPLICAS + " (default: 2).")
    Integer replicas;

    @picocli.CommandLine.Mixin
    io.fleetlog.app.cli.HttpSecurityOptions security = new io.fleetlog.app.cli.HttpSecurityOptions();

    @picocli.CommandLine.Mixin
    io.fleetlog.app.cli.MqttOptions mqtt = new io.fleetlog.app.cli.MqttOptions();

    private volatile boolean stopRequested;

    /** The replicas asked for: 0 without --bus; --bus and --replicas checked. */
    int replicaCount() {
        if (bus == null) {
            if (replicas != null) {
                throw new IllegalArgumentException("--replicas " + replicas + " needs --bus kafka");
            }
            return 0;
        }
        if (!bus.equals("kafka")) {
            throw new IllegalArgumentException("--bus '" + bus + "' is not known (only 'kafka')");
        }
        int n = replicas == null ? 2 : replicas;
        if (n < 1 || n > Demo.MAX_REPLICAS) {
            throw new IllegalArgumentException("--replicas " + n + " must be between 1 and " + Demo.MAX_REPLICAS);
        }
        return n;
    }

    @Override
    public Integer call() throws Exception {
        int replicaCount = replicaCount();
        Demo.Options o = new Demo.Options(
                vehicles,
                durationSeconds == null ? null : Duration.ofSeconds(durationSeconds),
                SimConfig.parseSpeed(speed),
                bind,
                port,
                db,
                dataDir,
                seed,
                outages,
                null,
                signals == null
                        ? null
                        : signals.strip().equalsIgnoreCase("legacy")
                                ? io.fleetlog.source.OnlySignals.LEGACY
                                : java.util.Arrays.stream(signals.split(","))
                                        .map(String::strip)
                                        .toList(),
                ftVehicles,
                replicaCount);
        PrintStream out = System.out;
        CountDownLatch reported = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopRequested = true;
                            main.interrupt();
                            try {
                                reported.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "demo-shutdown"));
        FleetReport r;
        io.fleetlog.server.mqtt.MqttConfig mqttConfig = mqtt.toConfig();
        try (Demo demo = Demo.start(o, security.toSecurity(), mqttConfig)) {
            out.printf(
                    "fleetlog demo: %d vehicles%s, %s, speed %s, store %s%n",
                    vehicles,
                    ftVehicles == 0 ? "" : " + " + ftVehicles + " Fleet Telemetry cars",
                    o.duration() == null ? "until Ctrl-C" : durationSeconds + " s of capture time",
                    o.maxSpeed() ? "max" : speed + "x",
                    io.fleetlog.server.store.Stores.redact(db));
            out.printf("dashboard: %s%n", demo.url());
            if (o.bus()) {
                out.printf(
                        "Kafka: broker %s (in this process), %d ingest replica%s %s, one sink writing the store;"
                                + " car i connects to replica i mod %d%n",
                        demo.busDescription(),
                        replicaCount,
                        replicaCount == 1 ? "" : "s",
                        demo.servers().stream()
                                .map(io.fleetlog.server.FleetServer::baseUrl)
                                .toList(),
                        replicaCount);
            }
            if (mqttConfig != null) {
                out.printf("MQTT: publishing to %s (docs/mqtt.md)%n", mqttConfig.broker());
            }
            new Progress(demo, out, o).run(() -> stopRequested);
            r = demo.report();
            r.print(out);
            if (report != null) {
                r.write(report);
                out.println("report written to " + report);
            }
        } finally {
            reported.countDown();
        }
        return r.ok() ? 0 : 1;
    }

    /** Progress while the demo runs: a bar at high speed, a per-car table in real time. */
    static final class Progress {
        private final Demo demo;
        private final PrintStream out;
        private final Demo.Options o;
        private final boolean tty = System.console() != null;

        Progress(Demo demo, PrintStream out, Demo.Options o) {
            this.demo = demo;
            this.out = out;
            this.o = o;
        }

        void run(java.util.function.BooleanSupplier stop) {
            long started = System.nanoTime();
            long lastPrint = 0;
            long printEvery =
                    o.duration() != null && (o.maxSpeed() || o.speed() >= 10) ? 1_000_000_000L : 10_000_000_000L;
            Long doneAt = null;
            try {
                while (!stop.getAsBoolean()) {
                    long now = System.nanoTime();
                    demo.monitor(now);
                    if (now - lastPrint >= printEvery) {
                        print(now - started);
                        lastPrint = now;
                    }
                    if (demo.finished()) {
                        break;
                    }
                    if (doneAt == null && allSourcesDone()) {
                        doneAt = now;
                    }
                    if (doneAt != null && now - doneAt > FINAL_DRAIN.toNanos()) {
                        out.println(
                                "\nsome backlog did not drain within " + FINAL_DRAIN.toSeconds() + " s; reporting now");
                        break;
                    }
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                // Ctrl-C: fall through to the report (the shutdown hook waits for it).
            }
            if (tty) {
                out.println();
            }
            out.println(
                    stop.getAsBoolean()
                            ? "stopping (Ctrl-C): draining briefly, then the report"
                            : "drive complete: all samples acknowledged");
        }

        private boolean allSourcesDone() {
            List<AgentStats> s = demo.stats();
            return !s.isEmpty() && s.stream().allMatch(AgentStats::sourceDone);
        }

        private void print(long elapsedNanos) {
            List<AgentStats> stats = demo.stats();
            if (stats.isEmpty()) {
                return;
            }
            long captured = 0, acked = 0, spool = 0, dead = 0, online = 0;
            double progress = 1;
            for (AgentStats s : stats) {
                captured += s.captured();
                spool += s.spoolDepth();
                dead += s.deadZone() ? 1 : 0;
                online += s.link() == LinkState.ONLINE || s.link() == LinkState.DRAINING ? 1 : 0;
                acked += Math.max(0, s.captured() - s.spoolDepth());
                if (o.duration() != null && s.firstCaptureMs() >= 0) {
                    progress = Math.min(
                            progress,
                            (s.lastCaptureMs() - s.firstCaptureMs())
                                    / (double) o.duration().toMillis());
                }
            }
            String head = String.format("[%5.0fs] ", elapsedNanos / 1e9);
            if (o.duration() != null && (o.maxSpeed() || o.speed() >= 10)) {
                int width = 30;
                int filled = (int) Math.round(Math.max(0, Math.min(1, progress)) * width);
                out.printf(
                        "%s%s[%s%s] %3.0f%% captured %,d  stored %,d  spool %,d  online %d/%d  dead zones %d%s",
                        tty ? "\r" : "",
                        head,
                        "#".repeat(filled),
                        "-".repeat(width - filled),
                        progress * 100,
                        captured,
                        acked,
                        spool,
                        online,
                        stats.size(),
                        dead,
                        tty ? "" : "\n");
                return;
            }
            out.printf(
                    "%s%d vehicles online of %d, %,d captured, %,d stored, %,d buffered on the edges%n",
                    head, online, stats.size(), captured, acked, spool);
            for (AgentStats s : stats) {
                out.printf(
                        "          %-18s %-9s %s spool %,7d  stored %,9d%n",
                        s.name(),
                        s.link(),
                        s.deadZone() ? "DEAD ZONE" : "         ",
                        s.spoolDepth(),
                        s.captured() - s.spoolDepth());
            }
        }
    }
}
