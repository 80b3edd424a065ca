package io.fleetlog.sim;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.uplink.UplinkConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N vehicle agents in one process. {@link #installShutdownHook()} makes SIGINT/SIGTERM close the fleet
 * gracefully (every agent: stop source, flush, close SQLite, say what is still buffered). Thread-safe;
 * {@link #close()} is idempotent and closes the agents in parallel.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);

    private final List<SimulatedVehicle> agents;
    private Thread hook;
    private List<AgentStats> finalStats;

    private Fleet(List<SimulatedVehicle> agents) {
        this.agents = List.copyOf(agents);
    }

    public static Fleet of(List<SimulatedVehicle> agents) {
        return new Fleet(agents);
    }

    /** Builds (does not start) the agents of a simulated fleet. */
    public static Fleet simulated(FleetConfig c) throws IOException {
        List<SimulatedVehicle> agents = new ArrayList<>();
        try {
            for (FleetConfig.Vehicle v : c.fleet()) {
                UplinkConfig up = UplinkConfig.of(c.server(), v.vin(), v.model().key(), c.token())
                        .withName(v.name());
                SimConfig ac = SimConfig.of(up, c.spoolDir())
                        .withSpool(c.spool())
                        .withSpeed(c.speed())
                        .withOutages(c.outages(), c.minOutageWall());
                agents.add(SimulatedVehicle.simulated(ac, v.model(), v.seed(), c.startEpochMs(), c.duration()));
            }
        } catch (IOException | RuntimeException e) {
            agents.forEach(SimulatedVehicle::close);
            throw e;
        }
        return new Fleet(agents);
    }

    public Fleet start() {
        agents.forEach(SimulatedVehicle::start);
        return this;
    }

    /** Closes the fleet on SIGINT/SIGTERM (JVM shutdown). */
    public synchronized Fleet installShutdownHook() {
        if (hook == null) {
            hook = new Thread(
                    () -> {
                        log.info("fleet_shutdown_signal vehicles={}", agents.size());
                        closeAgents();
                    },
                    "fleet-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return this;
    }

    public List<SimulatedVehicle> agents() {
        return agents;
    }

    public Optional<SimulatedVehicle> agent(String vin) {
        return agents.stream().filter(a -> a.vin().equals(vin)).findFirst();
    }

    public List<AgentStats> stats() {
        return agents.stream().map(SimulatedVehicle::stats).toList();
    }

    /** Waits until every agent's source is done and its spool drained; false on timeout. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (SimulatedVehicle a : agents) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !a.awaitDrained(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    /** Closes every agent gracefully, in parallel; returns their final stats. Idempotent. */
    public List<AgentStats> shutdown() {
        synchronized (this) {
            if (hook != null && Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook runs closeAgents itself
                    log.debug("fleet_hook_running");
                }
            }
        }
        return closeAgents();
    }

    private synchronized List<AgentStats> closeAgents() {
        if (finalStats != null) {
            return finalStats;
        }
        List<AgentStats> out = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AgentStats>> fs =
                    agents.stream().map(a -> ex.submit(a::shutdown)).toList();
            for (Future<AgentStats> f : fs) {
                try {
                    out.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    log.error("fleet_agent_close_failed error={}", e.getCause().toString());
                }
            }
        }
        long buffered = out.stream().mapToLong(AgentStats::spoolDepth).sum();
        log.info("fleet_closed vehicles={} still_buffered={}", agents.size(), buffered);
        finalStats = List.copyOf(out);
        return finalStats;
    }

    @Override
    public void close() {
        shutdown();
    }
}
