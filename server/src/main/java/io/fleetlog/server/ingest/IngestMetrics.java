package io.fleetlog.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Ingest counters, registered with Micrometer ({@code fleetlog_ingest_*}) and shown in /status. */
public final class IngestMetrics {
    private final MeterRegistry registry;
    final Counter batches;
    final Counter samples;
    final Counter values;
    final Counter duplicates;
    final Counter bytes;
    final Counter gaps;
    final Counter gapSamples;
    final Counter storeFailures;
    final Counter acks;
    final Counter conflicts;
    final Counter fenced;
    final Timer ackLatency;
    final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Counter> rejects = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        batches = Counter.builder("fleetlog.ingest.batches").register(registry);
        samples = Counter.builder("fleetlog.ingest.samples")
                .description("frames committed (new, not resends)")
                .register(registry);
        values = Counter.builder("fleetlog.ingest.values")
                .description("signal values of the committed frames (new, not resends)")
                .register(registry);
        duplicates = Counter.builder("fleetlog.ingest.duplicate.samples")
                .description("resent samples already stored")
                .register(registry);
        bytes = Counter.builder("fleetlog.ingest.bytes").register(registry);
        gaps = Counter.builder("fleetlog.ingest.gaps").register(registry);
        gapSamples = Counter.builder("fleetlog.ingest.gap.samples").register(registry);
        storeFailures = Counter.builder("fleetlog.ingest.store.failures").register(registry);
        acks = Counter.builder("fleetlog.ingest.acks").register(registry);
        conflicts = Counter.builder("fleetlog.ingest.conflicts")
                .description("resends that disagreed with the stored samples (refused)")
                .register(registry);
        fenced = Counter.builder("fleetlog.ingest.fenced.connections")
                .description("connections closed because a newer one of the same VIN was accepted")
                .register(registry);
        ackLatency = Timer.builder("fleetlog.ingest.ack.latency")
                .description("batch received to ack sent")
                .publishPercentiles(0.5, 0.99)
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        registry.gauge("fleetlog.ingest.connections", connections);
    }

    void reject(String kind) {
        rejects.computeIfAbsent(
                        kind,
                        k -> Counter.builder("fleetlog.ingest.rejects")
                                .tag("kind", k)
                                .register(registry))
                .increment();
    }

    void authFailure(String reason) {
        authFailures
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder("fleetlog.ingest.auth.failures")
                                .tag("reason", r)
                                .register(registry))
                .increment();
    }

    /** The counters as /status shows them. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", connections.get());
        m.put("batches", (long) batches.count());
        m.put("samples", (long) samples.count());
        m.put("frames", (long) samples.count());
        m.put("values", (long) values.count());
        m.put("duplicateSamples", (long) duplicates.count());
        m.put("bytes", (long) bytes.count());
        m.put("acks", (long) acks.count());
        m.put("gaps", (long) gaps.count());
        m.put("gapSamples", (long) gapSamples.count());
        m.put("storeFailures", (long) storeFailures.count());
        m.put("conflicts", (long) conflicts.count());
        m.put("fencedConnections", (long) fenced.count());
        Map<String, Long> r = new LinkedHashMap<>();
        rejects.forEach((k, c) -> r.put(k, (long) c.count()));
        m.put("rejects", r);
        Map<String, Long> a = new LinkedHashMap<>();
        authFailures.forEach((k, c) -> a.put(k, (long) c.count()));
        m.put("authFailures", a);
        m.put(
                "ackLatencyP99Ms",
                ackLatency.takeSnapshot().percentileValues().length > 1
                        ? ackLatency
                                .takeSnapshot()
                                .percentileValues()[1]
                                .value(java.util.concurrent.TimeUnit.MILLISECONDS)
                        : 0.0);
        return m;
    }

    public long count(String name) {
        Object v = describe().get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    public long rejects(String kind) {
        Counter c = rejects.get(kind);
        return c == null ? 0 : (long) c.count();
    }

    public long authFailures(String reason) {
        Counter c = authFailures.get(reason);
        return c == null ? 0 : (long) c.count();
    }
}
