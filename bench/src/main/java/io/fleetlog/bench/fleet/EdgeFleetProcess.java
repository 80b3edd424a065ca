package io.fleetlog.bench.fleet;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The child JVM of benchmark 4: runs only the edge fleet ({@code vehicles} simulated agents, each
 * capturing {@code seconds} of its drive at max speed into its spool and sending it to the server at
 * {@code serverUrl}), waits until every sample is acknowledged, closes the agents, and prints one
 * line {@code EDGE_FLEET key=value …} on stdout: samples captured, wall and process CPU time, the
 * peak used heap sampled every {@link #SAMPLE_MS} ms, the largest heap occupancy right after a
 * collection (sampled likewise), the sum of the heap pools' peaks, the heap
 * limit and the collectors. Exit code 0 only when everything was acknowledged.
 *
 * <p>Usage: {@code EdgeFleetProcess SERVER_URL SPOOL_DIR VEHICLES SECONDS}.
 */
public final class EdgeFleetProcess {
    static final String MARKER = "EDGE_FLEET";
    static final int SAMPLE_MS = 10;

    private EdgeFleetProcess() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: EdgeFleetProcess SERVER_URL SPOOL_DIR VEHICLES SECONDS");
            System.exit(2);
        }
        String server = args[0];
        Path spoolDir = Path.of(args[1]);
        List<BenchVehicle> fleet = BenchVehicle.fleet(Integer.parseInt(args[2]));
        int seconds = Integer.parseInt(args[3]);

        HeapSampler heap = new HeapSampler();
        heap.listenToCollections();
        Thread sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(heap);
        long wall0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        List<SimulatedVehicle> agents = new ArrayList<>();
        boolean drained = true;
        List<AgentStats> stats = new ArrayList<>();
        try {
            for (BenchVehicle v : fleet) {
                UplinkConfig up = UplinkConfig.of(server, v.vin(), v.model().key(), v.token());
                SimConfig ac = SimConfig.of(up, spoolDir).withSpeed(Double.POSITIVE_INFINITY);
                agents.add(SimulatedVehicle.simulated(
                        ac, v.model(), v.seed(), BenchVehicle.START_EPOCH_MS, Duration.ofSeconds(seconds)));
            }
            agents.forEach(SimulatedVehicle::start);
            for (SimulatedVehicle a : agents) {
                drained &= a.awaitDrained(Duration.ofMinutes(10));
            }
        } finally {
            for (SimulatedVehicle a : agents) {
                stats.add(a.shutdown());
            }
        }
        long wall = System.nanoTime() - wall0;
        long cpu = processCpuNanos() - cpu0;
        heap.stop();
        sampler.join(1_000);
        long captured = stats.stream().mapToLong(AgentStats::captured).sum();
        long buffered = stats.stream().mapToLong(AgentStats::spoolDepth).sum();
        long poolPeaks = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                poolPeaks += p.getPeakUsage().getUsed();
            }
        }
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("+"))
                .replace(' ', '_');
        System.out.println(String.format(
                Locale.ROOT,
                "%s vehicles=%d samples=%d buffered=%d drained=%b wallNs=%d cpuNs=%d peakHeap=%d afterGc=%d poolPeaks=%d"
                        + " maxHeap=%d gc=%s",
                MARKER,
                fleet.size(),
                captured,
                buffered,
                drained,
                wall,
                cpu,
                heap.peak(),
                heap.peakAfterGc(),
                poolPeaks,
                Runtime.getRuntime().maxMemory(),
                gcs));
        System.out.flush();
        System.exit(drained && buffered == 0 ? 0 : 1);
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Samples the used heap every {@link #SAMPLE_MS} ms and keeps the largest value. */
    private static final class HeapSampler implements Runnable {
        private volatile boolean running = true;
        private volatile long peak;
        private volatile long peakAfterGc;

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (running) {
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > peak) {
                    peak = used;
                }
                try {
                    Thread.sleep(SAMPLE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() {
            running = false;
        }

        long peak() {
            return peak;
        }

        /** The largest heap occupancy right after a collection (the live set plus what survived). */
        long peakAfterGc() {
            return peakAfterGc;
        }

        /** Listens to every collection and keeps the largest heap occupancy right after one. */
        void listenToCollections() {
            Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getName)
                    .collect(Collectors.toSet());
            NotificationListener listener = (n, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                            .getGcInfo();
                    long after = 0;
                    for (Map.Entry<String, MemoryUsage> e :
                            info.getMemoryUsageAfterGc().entrySet()) {
                        if (heapPools.contains(e.getKey())) {
                            after += e.getValue().getUsed();
                        }
                    }
                    synchronized (this) {
                        peakAfterGc = Math.max(peakAfterGc, after);
                    }
                }
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                }
            }
        }
    }
}
