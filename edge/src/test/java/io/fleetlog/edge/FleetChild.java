package io.fleetlog.edge;

import io.fleetlog.edge.proxy.OutageSchedule;
import io.fleetlog.edge.spool.SpoolConfig;
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
 * {@code vehicle VIN captured depth} line per agent and {@code heap_peak_bytes N}, then exits; an
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
                AgentConfig.parseSpeed(args[4]),
                seconds == 0 ? null : Duration.ofSeconds(seconds),
                OutageSchedule.parse(args.length > 5 ? args[5] : ""),
                Duration.ofMillis(500),
                7,
                1_764_180_000_000L,
                SpoolConfig.defaults());
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
        System.out.flush();
        System.exit(drained ? 0 : 3);
    }
}
