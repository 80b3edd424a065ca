package io.fleetlog.sim;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM of {@link FleetProcessTest}: runs a simulated fleet against a server URL.
 *
 * <p>Arguments: server URL, spool dir, vehicles, drive seconds (0 = endless), speed ("max" or a
 * number), outages. Prints {@code started}, then for a finite drive {@code drained <bool>}, one
 * {@code vehicle VIN captured depth} line per agent, {@code heap_peak_bytes N} (the sum of every heap
 * pool's own peak, garbage included) and {@code heap_live_peak_bytes N} (the most heap in use right
 * after any collection: what the fleet kept), then exits; an
 * endless fleet runs until SIGTERM (the shutdown hook closes it gracefully).
 */
public final class FleetChild {
    private FleetChild() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[3]);
        FleetConfig c = new FleetConfig(
                Integer.parseInt(args[2]),
                args[0],
                "token",
                Path.of(args[1]),
                SimConfig.parseSpeed(args[4]),
                seconds == 0 ? null : Duration.ofSeconds(seconds),
                OutageSchedule.parse(args.length > 5 ? args[5] : ""),
                Duration.ofMillis(500),
                7,
                1_764_180_000_000L,
                SpoolConfig.defaults());
        LiveHeap live = LiveHeap.watch();
        Fleet fleet = Fleet.simulated(c).installShutdownHook().start();
        System.out.println("started");
        System.out.flush();
        if (seconds == 0) {
            Thread.sleep(Long.MAX_VALUE);
        }
        boolean drained = fleet.awaitDrained(Duration.ofSeconds(120));
        System.out.println("drained " + drained);
        for (AgentStats s : fleet.shutdown()) {
            System.out.println("vehicle " + s.vin() + " " + s.captured() + " " + s.spoolDepth());
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("heap_peak_bytes " + peak);
        System.out.println("heap_live_peak_bytes " + live.peak());
        System.out.flush();
        System.exit(drained ? 0 : 3);
    }

    /** The largest heap in use right after a garbage collection (every pool summed), over the run. */
    static final class LiveHeap {
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();

        static LiveHeap watch() {
            LiveHeap h = new LiveHeap();
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc)
                        .addNotificationListener(
                                (n, hb) -> {
                                    if (n.getType()
                                            .equals(
                                                    com.sun.management.GarbageCollectionNotificationInfo
                                                            .GARBAGE_COLLECTION_NOTIFICATION)) {
                                        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                                                (javax.management.openmbean.CompositeData) n.getUserData());
                                        long used = 0;
                                        for (var u : info.getGcInfo()
                                                .getMemoryUsageAfterGc()
                                                .entrySet()) {
                                            if (isHeap(u.getKey())) {
                                                used += u.getValue().getUsed();
                                            }
                                        }
                                        h.peak.accumulateAndGet(used, Math::max);
                                    }
                                },
                                null,
                                null);
            }
            return h;
        }

        private static boolean isHeap(String pool) {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getName().equals(pool)) {
                    return p.getType() == MemoryType.HEAP;
                }
            }
            return false;
        }

        long peak() {
            return peak.get();
        }
    }
}
