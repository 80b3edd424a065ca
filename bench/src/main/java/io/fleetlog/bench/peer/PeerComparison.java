package io.fleetlog.bench.peer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fleetlog.edge.spool.SpoolConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The side-by-side benchmark: fleetlog against the MQTT store-and-forward stack (Paho 1.2.5, QoS 1,
 * file persistence, persistent offline buffer → Mosquitto), same workload, same machine, loopback
 * only, one table with the ratio fleetlog / peer.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fleetlog.bench.peer.PeerComparison \
 *     [--vehicles 5] [--dead-zone-seconds 600] [--throughput-seconds 600] [--warm-up-seconds S]
 *     [--long-dead-zone-seconds S]
 *     [--quick] [--stacks fleetlog,mqtt] [--work DIR] [--report FILE]
 * </pre>
 *
 * The table goes to stdout (and to {@code --report} as Markdown). The work directory (a temp
 * directory unless {@code --work}) holds brokers, spools, stores and logs; it is deleted at the end
 * unless given.
 */
public final class PeerComparison {

    /** Parsed command-line options. */
    record Options(
            int vehicles,
            Duration deadZone,
            Duration throughput,
            Duration warmUp,
            Duration longDeadZone,
            boolean quick,
            List<String> stacks,
            Path work,
            Path report) {

        static Options parse(String... args) {
            int vehicles = 5;
            Duration deadZone = null;
            Duration throughput = null;
            Duration warmUp = null;
            Duration longDeadZone = null;
            boolean quick = false;
            List<String> stacks = List.of("fleetlog", "mqtt");
            Path work = null;
            Path report = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--vehicles" -> vehicles = Integer.parseInt(value(args, ++i, a));
                    case "--dead-zone-seconds" -> deadZone = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                    case "--throughput-seconds" -> throughput = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                    case "--warm-up-seconds" -> warmUp = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                    case "--long-dead-zone-seconds" ->
                        longDeadZone = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                    case "--stacks" -> stacks = List.of(value(args, ++i, a).split(","));
                    case "--work" -> work = Path.of(value(args, ++i, a));
                    case "--report" -> report = Path.of(value(args, ++i, a));
                    default ->
                        throw new IllegalArgumentException("unknown option '" + a + "' (known: --vehicles N,"
                                + " --dead-zone-seconds S, --throughput-seconds S, --warm-up-seconds S (0: none),"
                                + " --long-dead-zone-seconds S, --quick,"
                                + " --stacks fleetlog,mqtt, --work DIR, --report FILE)");
                }
            }
            return new Options(vehicles, deadZone, throughput, warmUp, longDeadZone, quick, stacks, work, report);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        Plan plan() {
            Plan p = quick ? Plan.quick(vehicles) : Plan.full(vehicles, Duration.ofMinutes(10));
            Duration measured = throughput != null ? throughput : p.throughputCapture();
            // The warm-up repeats the measured run unless told otherwise (--quick: none).
            Duration warm = warmUp != null ? warmUp : quick ? null : measured;
            return new Plan(
                    p.vehicles(),
                    measured,
                    warm == null || warm.isZero() ? null : warm,
                    deadZone != null ? deadZone : p.deadZone(),
                    p.capacityVehicles(),
                    p.capacityDeadZone(),
                    p.crashDeadZone(),
                    longDeadZone,
                    p.stall());
        }
    }

    /** The outcome of a run: the table and each stack's figures, in column order. */
    record Report(Plan plan, List<StackResult> results, String table) {}

    private PeerComparison() {}

    public static void main(String[] args) throws Exception {
        quietLogs();
        Options o = Options.parse(args);
        Report r = run(o.plan(), o.stacks(), o.work());
        System.out.println(r.table());
        if (o.report() != null) {
            Files.writeString(o.report(), r.table());
        }
        // Paho 1.2.5 can leave a non-daemon connect thread behind after close(); do not wait for it.
        System.exit(0);
    }

    /** Runs every requested stack that is available; a stack that is not gets no column. */
    static Report run(Plan plan, List<String> stacks, Path workDir) throws Exception {
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("peer-comparison");
        try {
            List<StackResult> results = new ArrayList<>();
            for (String name : stacks) {
                StackResult r = switch (name.trim()) {
                    case "fleetlog" ->
                        FleetlogStack.available()
                                ? measure(d -> FleetlogStack.start(d), work.resolve("fleetlog"), plan, true)
                                : null;
                    case "mqtt" ->
                        Mosquitto.available() ? measure(MqttStack::start, work.resolve("mqtt"), plan, false) : null;
                    default ->
                        throw new IllegalArgumentException("unknown stack '" + name + "' (known: fleetlog, mqtt)");
                };
                if (r != null) {
                    results.add(r);
                } else {
                    System.err.println("stack " + name + " is not available here, skipped");
                }
            }
            if (results.isEmpty()) {
                throw new IllegalStateException("no stack available (mosquitto at " + Mosquitto.BINARY + "?)");
            }
            String table = header(plan, results) + ComparisonTable.markdown(plan, results)
                    + "\nload average at the end: " + loadAverage() + "\n";
            return new Report(plan, results, table);
        } finally {
            if (workDir == null) {
                deleteTree(work);
            }
        }
    }

    /** fleetlog's spool bound in the bound run: samples per vehicle, drop-oldest when full. */
    static final long BOUND_SAMPLES = 3_000;

    private static StackResult measure(Scenarios.StackFactory factory, Path dir, Plan plan, boolean fleetlog)
            throws Exception {
        Scenarios s = new Scenarios(factory, dir, plan, 42);
        var throughput = s.throughput();
        var deadZone = s.deadZone();
        var capacity = plan.capacityDeadZone() == null ? null : s.capacity();
        var crash = plan.crashDeadZone() == null ? null : s.crash();
        StackResult.DeadZone longDeadZone = fleetlog && plan.longDeadZone() != null
                ? s.deadZone("long-dead-zone", plan.vehicles(), plan.longDeadZone())
                : null;
        StackResult.DeadZone bound = null;
        if (fleetlog && plan.capacityDeadZone() != null) {
            Scenarios b = new Scenarios(
                    d -> FleetlogStack.start(
                            d,
                            SpoolConfig.defaults().withMaxSamples(BOUND_SAMPLES, SpoolConfig.FullPolicy.DROP_OLDEST)),
                    dir.resolve("bound"),
                    plan,
                    42);
            bound = b.deadZone("bound", 1, Duration.ofMillis(BOUND_SAMPLES * 3 / 2 * Workload.PERIOD_MS));
        }
        String description = s.description();
        return new StackResult(
                description.substring(0, description.indexOf(':')),
                description,
                throughput,
                deadZone,
                capacity,
                bound,
                longDeadZone,
                crash);
    }

    /**
     * WARN for libraries, INFO for the benchmark's own progress lines: Jetty's and Paho's DEBUG output
     * would cost more CPU than the stacks under test on a 2-core machine.
     */
    static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            ctx.getLogger("io.fleetlog").setLevel(Level.INFO);
        }
    }

    private static String header(Plan plan, List<StackResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("fleetlog vs MQTT store-and-forward, ").append(Instant.now()).append(", ");
        b.append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ");
        b.append(System.getProperty("java.version")).append(", load average ").append(loadAverage());
        b.append(", ").append(plan).append('\n');
        results.forEach(r -> b.append("- ").append(r.description()).append('\n'));
        return b.append('\n').toString();
    }

    /** The 1/5/15-minute load averages from /proc/loadavg (the machine may be shared), or "?". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
