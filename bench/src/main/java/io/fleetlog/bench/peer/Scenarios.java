package io.fleetlog.bench.peer;

import io.fleetlog.bench.peer.StackResult.Crash;
import io.fleetlog.bench.peer.StackResult.DeadZone;
import io.fleetlog.bench.peer.StackResult.Throughput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the comparison's scenarios against one stack, each on a fresh stack under its own directory:
 * durable throughput (which also gives bytes on the wire), a dead zone with recovery, the offline
 * capacity run, and a crash during a dead zone. Every wait has a deadline: a stack that stops making
 * progress for {@link Plan#stall()} is reported as incomplete, never waited for forever.
 */
final class Scenarios {

    private static final Logger log = LoggerFactory.getLogger(Scenarios.class);

    /** Starts a fresh stack under a directory. */
    @FunctionalInterface
    interface StackFactory {
        Stack start(Path dir) throws Exception;
    }

    private final StackFactory factory;
    private final Path root;
    private final Plan plan;
    private final long seed;
    private String description = "(not started)";

    Scenarios(StackFactory factory, Path root, Plan plan, long seed) {
        this.factory = factory;
        this.root = root;
        this.plan = plan;
        this.seed = seed;
    }

    /** The stack's {@link Stack#describe()}, known once a scenario has started it. */
    String description() {
        return description;
    }

    Workload workload(int vehicles, Duration capture) {
        return Workload.fleet(vehicles, capture, seed);
    }

    /**
     * Link up, max speed: capture → stored and acknowledged. With a warm-up in the plan, an untimed
     * run of that length on a fresh stack comes first (same JVM: the code under test is compiled).
     */
    Throughput throughput() throws Exception {
        if (plan.warmUpCapture() != null) {
            throughput("warm_up", workload(plan.vehicles(), plan.warmUpCapture()));
        }
        return throughput("throughput", workload(plan.vehicles(), plan.throughputCapture()));
    }

    private Throughput throughput(String name, Workload w) throws Exception {
        try (Stack s = factory.start(Files.createDirectories(root.resolve(name)))) {
            description = s.name() + ": " + s.describe();
            Capture c = s.connect(w);
            long up0 = s.link().bytesUp();
            long down0 = s.link().bytesDown();
            long t0 = System.nanoTime();
            c.begin();
            long t1 = awaitDelivered(s, c);
            boolean complete = t1 > 0;
            double seconds = ((complete ? t1 : System.nanoTime()) - t0) / 1e9;
            Throughput t = new Throughput(
                    w.total(),
                    seconds,
                    s.stored().distinct(),
                    s.link().bytesUp() - up0,
                    s.link().bytesDown() - down0,
                    complete);
            log.info("scenario_{} stack={} result={}", name, s.name(), t);
            return t;
        }
    }

    /** The recovery run: cut, capture the dead zone at max speed, restore, time until all is stored. */
    DeadZone deadZone() throws Exception {
        return deadZone("dead-zone", workload(plan.vehicles(), plan.deadZone()));
    }

    /** The offline-capacity run: a dead zone longer than the peer's 65,535-message bound. */
    DeadZone capacity() throws Exception {
        return deadZone("capacity", workload(plan.capacityVehicles(), plan.capacityDeadZone()));
    }

    /** A dead zone of {@code capture} per vehicle for {@code vehicles} vehicles. */
    DeadZone deadZone(String name, int vehicles, Duration capture) throws Exception {
        return deadZone(name, workload(vehicles, capture));
    }

    private DeadZone deadZone(String name, Workload w) throws Exception {
        try (Stack s = factory.start(Files.createDirectories(root.resolve(name)))) {
            long tStart = System.nanoTime();
            Capture c = s.connect(w);
            log.info("stack_connected stack={} seconds={}", s.name(), (System.nanoTime() - tStart) / 1e9);
            s.link().cut();
            long t0 = System.nanoTime();
            c.begin();
            while (!c.finished()) {
                Thread.sleep(2);
            }
            long tRestore = System.nanoTime();
            long stateBytes = treeBytes(s.edgeStateDir());
            s.link().restore();
            long t1 = awaitDelivered(s, c);
            boolean complete = t1 > 0;
            Tally t = s.stored();
            DeadZone d = new DeadZone(
                    w.vehicles(),
                    w.total(),
                    c.accepted(),
                    c.refused(),
                    c.refusals(),
                    (tRestore - t0) / 1e9,
                    stateBytes,
                    ((complete ? t1 : t.lastNewNanos()) - tRestore) / 1e9,
                    t.distinct(),
                    t.duplicates(),
                    t.reordered(),
                    complete);
            log.info("scenario_{} stack={} result={}", name, s.name(), d);
            return d;
        }
    }

    /**
     * Crash in a dead zone: a child JVM connects, the link is cut, the child captures the dead zone
     * and reports how much it accepted, then it is SIGKILLed while still offline. The link returns, a
     * new child starts on the same durable state, and what arrives is counted.
     */
    Crash crash() throws Exception {
        Workload w = workload(plan.vehicles(), plan.crashDeadZone());
        Path dir = Files.createDirectories(root.resolve("crash"));
        Path state = Files.createDirectories(dir.resolve("edge-state"));
        try (Stack s = factory.start(dir)) {
            long accepted;
            long refused;
            try (EdgeChild first = EdgeChild.start(
                    s.edgeProcessArgs(w, state), s.edgeProcessEnv(w), "capture", dir.resolve("child-1.log"))) {
                first.await("READY", Duration.ofSeconds(60));
                s.link().cut();
                first.send("CAPTURE");
                String[] captured =
                        first.await("CAPTURED", Duration.ofMinutes(30)).split(" ");
                accepted = Long.parseLong(captured[1]);
                refused = Long.parseLong(captured[2]);
                first.kill();
            }
            s.link().restore();
            long t0 = System.nanoTime();
            try (EdgeChild second = EdgeChild.start(
                    s.edgeProcessArgs(w, state), s.edgeProcessEnv(w), "resume", dir.resolve("child-2.log"))) {
                second.await("READY", Duration.ofSeconds(60));
                awaitStored(s, accepted);
            }
            Tally t = s.stored();
            long last = t.lastNewNanos();
            Crash c = new Crash(
                    w.total(),
                    accepted,
                    refused,
                    t.distinct(),
                    t.duplicates(),
                    t.reordered(),
                    last == 0 ? 0 : (last - t0) / 1e9);
            log.info("scenario_crash stack={} result={}", s.name(), c);
            return c;
        }
    }

    /** Disk space allocated under {@code dir} ({@code du}: a 110-byte file takes a whole block), 0 if absent. */
    static long treeBytes(Path dir) throws java.io.IOException, InterruptedException {
        if (!Files.exists(dir)) {
            return 0;
        }
        Process du = new ProcessBuilder("du", "-s", "--block-size=1", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        du.waitFor();
        try {
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            log.warn("du_failed dir={} output={}", dir, out);
            return 0;
        }
    }

    /**
     * Waits until the capture finished, everything it accepted is stored and nothing is left
     * unacknowledged; returns that {@link System#nanoTime()}, or -1 when nothing moved for the
     * plan's stall time.
     */
    private long awaitDelivered(Stack s, Capture c) throws InterruptedException {
        long lastProgress = System.nanoTime();
        long lastStored = -1;
        long lastUnacked = -1;
        while (true) {
            boolean finished = c.finished();
            long stored = s.stored().distinct();
            long unacked = c.unacknowledged();
            long now = System.nanoTime();
            if (finished && unacked == 0 && stored >= c.accepted()) {
                return now;
            }
            if (!finished || stored != lastStored || unacked != lastUnacked) {
                lastProgress = now;
                lastStored = stored;
                lastUnacked = unacked;
            } else if (now - lastProgress > plan.stall().toNanos()) {
                log.warn(
                        "delivery_stalled stack={} stored={} accepted={} unacked={}",
                        s.name(),
                        stored,
                        c.accepted(),
                        unacked);
                return -1;
            }
            Thread.sleep(2);
        }
    }

    /** Waits until {@code expected} distinct samples are stored, or nothing new arrives for the stall time. */
    private void awaitStored(Stack s, long expected) throws InterruptedException {
        long lastProgress = System.nanoTime();
        long last = -1;
        while (true) {
            long stored = s.stored().distinct();
            long now = System.nanoTime();
            if (stored >= expected) {
                return;
            }
            if (stored != last) {
                last = stored;
                lastProgress = now;
            } else if (now - lastProgress > plan.stall().toNanos()) {
                log.warn("crash_delivery_stalled stack={} stored={} expected={}", s.name(), stored, expected);
                return;
            }
            Thread.sleep(5);
        }
    }
}
