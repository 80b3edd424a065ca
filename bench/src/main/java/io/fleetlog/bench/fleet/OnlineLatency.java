package io.fleetlog.bench.fleet;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Benchmark 2: capture → stored latency while online. The fleet drives in real time (default spool
 * and uplink settings, through the fault proxies, no dead zones) for {@code seconds}. Per sample:
 *
 * <ul>
 *   <li><b>appended</b>: the wall time the agent's capture loop asks its source for the next sample,
 *       which is right after it appended this one to the spool (in real time the loop paces each
 *       sample to its capture time and appends it at once, so this is the capture instant plus the
 *       append call);
 *   <li><b>stored</b>: the wall time the server's store returned from the {@code append} that
 *       committed it ({@link TimedStore}).
 * </ul>
 *
 * Latency = stored − appended, over every sample of every vehicle captured after {@code warmUp}
 * (the first connection's handshake). Both instants come from one JVM's {@link System#nanoTime()}.
 */
final class OnlineLatency {

    /** Latency percentiles in milliseconds over {@code samples} samples. */
    record Result(int vehicles, double seconds, long samples, long missing, double p50, double p99, double max) {}

    private OnlineLatency() {}

    static Result run(Path dir, List<BenchVehicle> fleet, double seconds, double speed, Duration warmUp)
            throws IOException, InterruptedException {
        int capacity = (int) (seconds * DriveSimulator.RATE_HZ) + 1;
        Map<String, AtomicLongArray> stored = new ConcurrentHashMap<>();
        Map<String, AppendTimes> appended = new ConcurrentHashMap<>();
        for (BenchVehicle v : fleet) {
            stored.put(v.vin(), new AtomicLongArray(capacity));
        }
        Path spoolDir = Files.createDirectories(dir.resolve("spools"));
        try (BenchServer server = BenchServer.start(dir, fleet, (vin, samples, t) -> {
            AtomicLongArray a = stored.get(vin);
            for (Sample s : samples) {
                if (a != null && s.seq() < capacity) {
                    a.compareAndSet((int) s.seq(), 0, t);
                }
            }
        })) {
            List<SimulatedVehicle> agents = new ArrayList<>();
            try {
                for (BenchVehicle v : fleet) {
                    UplinkConfig up =
                            UplinkConfig.of(server.baseUrl(), v.vin(), v.model().key(), v.token());
                    DriveSimulator sim =
                            new DriveSimulator(v.model(), v.seed(), System.currentTimeMillis(), Duration.ofMillis((long)
                                    (seconds * 1000)));
                    AppendTimes times = new AppendTimes(sim, capacity);
                    appended.put(v.vin(), times);
                    agents.add(
                            SimulatedVehicle.create(SimConfig.of(up, spoolDir).withSpeed(speed), times));
                }
                agents.forEach(SimulatedVehicle::start);
                for (SimulatedVehicle a : agents) {
                    a.awaitDrained(Duration.ofSeconds((long) (seconds / speed) + 30));
                }
            } finally {
                agents.forEach(SimulatedVehicle::close);
            }
        }
        return summarise(fleet, seconds, appended, stored, (long) (warmUp.toMillis() * speed / 20));
    }

    private static Result summarise(
            List<BenchVehicle> fleet,
            double seconds,
            Map<String, AppendTimes> appended,
            Map<String, AtomicLongArray> stored,
            long skip) {
        long[] lat = new long[0];
        int n = 0;
        long missing = 0;
        for (BenchVehicle v : fleet) {
            AppendTimes a = appended.get(v.vin());
            AtomicLongArray s = stored.get(v.vin());
            int count = a.appendedCount();
            lat = Arrays.copyOf(lat, n + count);
            for (int i = (int) Math.min(skip, count); i < count; i++) {
                long t = s.get(i);
                if (t == 0) {
                    missing++;
                } else {
                    lat[n++] = t - a.at(i);
                }
            }
        }
        long[] ok = Arrays.copyOf(lat, n);
        Arrays.sort(ok);
        return new Result(
                fleet.size(),
                seconds,
                n,
                missing,
                percentile(ok, 0.50) / 1e6,
                percentile(ok, 0.99) / 1e6,
                n == 0 ? 0 : ok[n - 1] / 1e6);
    }

    /** Nearest-rank percentile of sorted values (0 for none). */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * A source decorator that records, for the k-th sample handed out (seq k on a fresh spool), the
     * wall time of the following {@link #next()} call: the capture loop calls it right after it
     * appended sample k. The last sample has no following call and is not timed.
     */
    private static final class AppendTimes implements Source {
        private final Source in;
        private final long[] at;
        private volatile int handed;

        AppendTimes(Source in, int capacity) {
            this.in = in;
            this.at = new long[capacity];
        }

        @Override
        public Sample next() throws IOException {
            long now = System.nanoTime();
            int k = handed;
            if (k > 0 && k - 1 < at.length) {
                at[k - 1] = now;
            }
            Sample s = in.next();
            if (s != null) {
                handed = k + 1;
            }
            return s;
        }

        /** Samples whose append time is known. */
        int appendedCount() {
            return Math.max(0, Math.min(handed - 1, at.length));
        }

        long at(int k) {
            return at[k];
        }

        @Override
        public String describe() {
            return in.describe() + ", append times recorded";
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
