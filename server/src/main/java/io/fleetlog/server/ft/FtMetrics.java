package io.fleetlog.server.ft;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Fleet Telemetry listener's Prometheus metrics, in the server's registry. Names follow Tesla's
 * reference server where they mean the same thing (Micrometer adds {@code _total} to counters):
 *
 * <ul>
 *   <li>{@code record_total{record_type}}: records received with a known message type, by topic
 *       ({@code V}, {@code alerts}, {@code errors}, {@code connectivity}, other topics as {@code other});
 *   <li>{@code reliable_ack_total{record_type}}: acks sent — for {@code V} only after the commit;
 *   <li>{@code record_size_bytes_total{record_type}}: bytes of those records;
 *   <li>{@code ft_refused_total{reason}}: messages answered with an error or a close, nothing stored
 *       ({@code text_frame}, {@code too_large}, {@code undecodable}, {@code other_vin},
 *       {@code bad_payload}, {@code store_failed}, {@code bad_certificate});
 *   <li>{@code ft_resend_total}: records already stored (acked again, not stored again);
 *   <li>{@code ft_out_of_order_total}: records older than the VIN's newest stored frame (acked, not stored);
 *   <li>{@code ft_unknown_message_type_total}: envelopes of another message type (acked);
 *   <li>{@code ft_empty_record_total}: {@code V} records without one storable value (acked);
 *   <li>{@code ft_datum_problems_total{kind}}: Datums counted instead of stored (PayloadFrames problems);
 *   <li>{@code ft_frames_stored_total}: frames committed;
 *   <li>{@code ft_events_stored_total{record_type}}: vehicle events stored from {@code alerts},
 *       {@code errors} and {@code connectivity} records;
 *   <li>{@code ft_arrival_gap_total}: cars heard again after a silence longer than the threshold;
 *   <li>{@code ft_rate_limited_total}: messages over the per-connection rate limit (delayed until their turn);
 *   <li>{@code ft_ack_latency}: from message arrival to ack sent.
 * </ul>
 */
public final class FtMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    final Counter resends;
    final Counter outOfOrder;
    final Counter unknownType;
    final Counter empty;
    final Counter stored;
    final Counter arrivalGaps;
    final Counter rateLimited;
    final Timer ackLatency;

    public FtMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.resends = Counter.builder("ft_resend")
                .description("Fleet Telemetry resends acked, not stored again")
                .register(registry);
        this.outOfOrder = Counter.builder("ft_out_of_order")
                .description("Fleet Telemetry records older than the newest stored frame")
                .register(registry);
        this.unknownType = Counter.builder("ft_unknown_message_type").register(registry);
        this.empty = Counter.builder("ft_empty_record").register(registry);
        this.stored = Counter.builder("ft_frames_stored").register(registry);
        this.arrivalGaps = Counter.builder("ft_arrival_gap")
                .description("Fleet Telemetry cars heard again after a silence longer than the gap threshold")
                .register(registry);
        this.rateLimited = Counter.builder("ft_rate_limited")
                .description("Fleet Telemetry messages over the per-connection rate limit, delayed until their turn")
                .register(registry);
        this.ackLatency =
                Timer.builder("ft_ack_latency").publishPercentiles(0.5, 0.99).register(registry);
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(
                name + '\0' + value, k -> Counter.builder(name).tag(tag, value).register(registry));
    }

    static String recordType(String topic) {
        return switch (topic) {
            case "V", "alerts", "errors", "connectivity" -> topic;
            default -> "other"; // bounded label values
        };
    }

    void record(String topic, int bytes) {
        counter("record", "record_type", recordType(topic)).increment();
        counter("record_size_bytes", "record_type", recordType(topic)).increment(bytes);
    }

    void acked(String topic) {
        counter("reliable_ack", "record_type", recordType(topic)).increment();
    }

    void refused(String reason) {
        counter("ft_refused", "reason", reason).increment();
    }

    void problems(String kind, int n) {
        counter("ft_datum_problems", "kind", kind).increment(n);
    }

    void eventsStored(String topic, int n) {
        counter("ft_events_stored", "record_type", recordType(topic)).increment(n);
    }

    /** Vehicle events stored from records of {@code topic} so far. */
    public double eventsStoredCount(String topic) {
        Counter c = counters.get("ft_events_stored\0" + recordType(topic));
        return c == null ? 0 : c.count();
    }

    public double rateLimitedCount() {
        return rateLimited.count();
    }

    /** Messages refused for {@code reason} so far (for tests and /status). */
    public double refusedCount(String reason) {
        Counter c = counters.get("ft_refused\0" + reason);
        return c == null ? 0 : c.count();
    }

    public double resendCount() {
        return resends.count();
    }

    public double storedCount() {
        return stored.count();
    }

    public double outOfOrderCount() {
        return outOfOrder.count();
    }
}
