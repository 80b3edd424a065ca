package io.fleetlog.bench.fleet;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sample.Sample;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 1: the backlog of a dead zone drains. Each vehicle's spool is filled with
 * {@code deadZoneSeconds} of its simulated 50 Hz drive (what the capture thread appends while the link
 * is cut, through the same {@link Spool#append}, default {@link SpoolConfig}); then the agents are
 * started on those spools with the server reachable (through their fault proxies, as in the demo)
 * and nothing new to capture. The clock runs from {@code start()} (connect, handshake, send) until the
 * server's store holds every sample, and until every edge has its acks (spools empty).
 */
final class BacklogDrain {

    /** The figures of one run. */
    record Result(
            int vehicles,
            long samples,
            long stored,
            boolean edgesAcked,
            double fillSeconds,
            double firstStoredSeconds,
            double storedSeconds,
            double storeBusySeconds,
            double ackedSeconds) {

        double samplesPerSecond() {
            return storedSeconds > 0 ? stored / storedSeconds : 0;
        }
    }

    private static final int CHUNK = 500;

    private BacklogDrain() {}

    static Result run(Path dir, List<BenchVehicle> fleet, int deadZoneSeconds, Duration timeout)
            throws IOException, InterruptedException {
        Path spoolDir = Files.createDirectories(dir.resolve("spools"));
        long fillStart = System.nanoTime();
        long samples = fill(spoolDir, fleet, deadZoneSeconds);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        AtomicLong firstCommit = new AtomicLong();
        try (BenchServer server = BenchServer.start(dir, fleet, (vin, s, t) -> firstCommit.compareAndSet(0, t))) {
            List<SimulatedVehicle> agents = new ArrayList<>();
            try {
                for (BenchVehicle v : fleet) {
                    UplinkConfig up =
                            UplinkConfig.of(server.baseUrl(), v.vin(), v.model().key(), v.token());
                    agents.add(SimulatedVehicle.create(SimConfig.of(up, spoolDir), new NothingNew()));
                }
                long t0 = System.nanoTime();
                double busy0 = server.storeBusySeconds();
                agents.forEach(SimulatedVehicle::start);
                long deadline = t0 + timeout.toNanos();
                long stored;
                while ((stored = server.stored(fleet)) < samples && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                double storedSeconds = (System.nanoTime() - t0) / 1e9;
                double busy = server.storeBusySeconds() - busy0;
                boolean acked;
                while (!(acked = allAcked(agents, samples / fleet.size())) && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                double ackedSeconds = (System.nanoTime() - t0) / 1e9;
                return new Result(
                        fleet.size(),
                        samples,
                        stored,
                        acked,
                        fillSeconds,
                        firstCommit.get() == 0 ? -1 : (firstCommit.get() - t0) / 1e9,
                        storedSeconds,
                        busy,
                        acked ? ackedSeconds : -1);
            } finally {
                agents.forEach(SimulatedVehicle::close);
            }
        }
    }

    private static boolean allAcked(List<SimulatedVehicle> agents, long perVehicle) {
        for (SimulatedVehicle a : agents) {
            AgentStats s = a.stats();
            if (s.spoolDepth() != 0 || s.ackedSeq() != perVehicle - 1) {
                return false;
            }
        }
        return true;
    }

    /** Fills one spool per vehicle in parallel; returns the samples appended in total. */
    private static long fill(Path spoolDir, List<BenchVehicle> fleet, int seconds)
            throws InterruptedException, IOException {
        List<Future<Long>> parts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(fleet.size())) {
            for (BenchVehicle v : fleet) {
                parts.add(pool.submit(() -> fillOne(Spools.fileFor(spoolDir, v.vin()), v, seconds)));
            }
            long total = 0;
            for (Future<Long> f : parts) {
                try {
                    total += f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("filling a spool failed: " + e.getCause(), e.getCause());
                }
            }
            return total;
        }
    }

    private static long fillOne(Path file, BenchVehicle v, int seconds) throws InterruptedException {
        DriveSimulator sim =
                new DriveSimulator(v.model(), v.seed(), BenchVehicle.START_EPOCH_MS, Duration.ofSeconds(seconds));
        long n = 0;
        try (Spool spool = Spools.open(file, SpoolConfig.defaults())) {
            List<Sample> chunk = new ArrayList<>(CHUNK);
            Sample s;
            while ((s = sim.next()) != null) {
                chunk.add(s);
                if (chunk.size() == CHUNK) {
                    spool.append(chunk);
                    n += chunk.size();
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            spool.append(chunk);
            n += chunk.size();
            spool.flush();
        }
        return n;
    }

    /** A source that is already exhausted: the agent only sends what its spool holds. */
    private static final class NothingNew implements Source {
        @Override
        public Sample next() {
            return null;
        }

        @Override
        public String describe() {
            return "nothing new (backlog only)";
        }
    }
}
