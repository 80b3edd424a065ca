package io.fleetlog.kafka;

import io.fleetlog.server.store.StoreWrite;
import io.fleetlog.server.store.VehicleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's reader of the whole topic from the end it had at start, applying {@link Fencing} in
 * partition order, so that the replica acks an append to its edge only when no other replica took the
 * VIN over before that append's offset: {@link #verdict} completes with true when this replica's
 * append at (partition, offset) is kept, false when it is fenced (its connection then closes and
 * the sink drops the append too: the same rule on the same order).
 *
 * <p>Appends are judged from their header and kind byte without being decoded; only events are
 * read. Partitions added to the topic after start are not watched. Failure: a poll that fails is
 * logged and retried after a pause; a verdict nobody delivered within the caller's timeout fails the
 * write. Thread-safe: one thread polls, any thread asks for verdicts.
 */
final class FenceWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FenceWatch.class);

    record At(int partition, long offset) {}

    private final Consumer<byte[], byte[]> consumer;
    private final String me;
    private final Map<Integer, Fencing> fencing = new HashMap<>();
    private final Map<At, CompletableFuture<Boolean>> verdicts = new ConcurrentHashMap<>();
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicLong lag = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;
    private volatile RemoteVehicles remote;

    private FenceWatch(Consumer<byte[], byte[]> consumer, String me) {
        this.consumer = consumer;
        this.me = me;
        this.thread = Thread.ofPlatform().name("kafka-fence-watch").daemon(true).unstarted(this::run);
    }

    /** Assigns every partition of the topic at its end offset and starts polling. */
    static FenceWatch start(BusConfig config, String replicaId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaBusStore.MAX_RECORD_BYTES + 1024);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleetlog-fence-watch");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo i : c.partitionsFor(config.topic(), Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(config.topic(), i.partition()));
        }
        c.assign(parts);
        c.seekToEnd(parts);
        for (TopicPartition tp : parts) {
            c.position(tp, Duration.ofSeconds(30)); // fixed now: every record this replica writes comes later
        }
        FenceWatch w = new FenceWatch(c, replicaId);
        w.thread.start();
        return w;
    }

    /** Completes when the watch read this replica's append at {@code partition}/{@code offset}. */
    CompletableFuture<Boolean> verdict(int partition, long offset) {
        At at = new At(partition, offset);
        CompletableFuture<Boolean> f = verdicts.computeIfAbsent(at, k -> new CompletableFuture<>());
        f.whenComplete((ok, ex) -> verdicts.remove(at));
        return f;
    }

    /** One poll: applies the rule to each record and delivers the verdicts of this replica's appends. */
    void runOnce(Duration timeout) {
        var polled = consumer.poll(timeout);
        long behind = 0;
        for (TopicPartition tp : consumer.assignment()) {
            behind += consumer.currentLag(tp).orElse(0);
        }
        lag.set(behind);
        for (ConsumerRecord<byte[], byte[]> r : polled) {
            Fencing f = fencing.computeIfAbsent(r.partition(), p -> new Fencing());
            String writer = Fencing.writer(r);
            int kind = Fencing.kind(r.value());
            RemoteVehicles rv = remote;
            boolean other = writer != null && !me.equals(writer);
            if (kind == Records.APPEND) {
                String vin = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (me.equals(writer)) {
                    verdicts.computeIfAbsent(new At(r.partition(), r.offset()), k -> new CompletableFuture<>())
                            .complete(f.admits(vin, writer));
                } else if (rv != null && other && f.admits(vin, writer)) {
                    try {
                        if (Records.read(r.key(), r.value()).write() instanceof StoreWrite.Append a) {
                            rv.appended(vin, writer, a.samples());
                        }
                    } catch (Records.BadRecord e) {
                        // not a record this version wrote: the sink logs and counts it
                    }
                }
            } else if (kind == Records.EVENT) {
                try {
                    StoreWrite w = Records.read(r.key(), r.value()).write();
                    f.keep(w, writer);
                    if (rv != null
                            && other
                            && w instanceof StoreWrite.Event e
                            && (e.event().kind() == VehicleEvent.Kind.ONLINE
                                    || e.event().kind() == VehicleEvent.Kind.OFFLINE)) {
                        rv.link(e.event().vin(), writer, e.event().kind() == VehicleEvent.Kind.ONLINE);
                    }
                } catch (Records.BadRecord e) {
                    // not a record this version wrote: the sink logs and counts it
                }
            }
        }
    }

    /** From now on, vehicles of other replicas are shown in {@code remote}'s fleet. */
    void feed(RemoteVehicles remote) {
        this.remote = remote;
    }

    /** Records behind the ends of the partitions at the last poll (all partitions together). */
    long lag() {
        return lag.get();
    }

    private void run() {
        long failures = 0;
        while (!closed) {
            try {
                runOnce(Duration.ofMillis(500));
                failures = 0;
            } catch (WakeupException e) {
                // close() woke the poll: the loop ends
            } catch (RuntimeException e) {
                failures++;
                log.warn("fence_watch_poll_failed failures_in_a_row={} error={}", failures, e.toString());
                try {
                    Thread.sleep(Math.min(5_000, 100L << Math.min(failures, 6)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
