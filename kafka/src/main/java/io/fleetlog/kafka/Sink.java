package io.fleetlog.kafka;

import io.fleetlog.server.store.ConsumedOffset;
import io.fleetlog.server.store.OffsetConflictException;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreWrite;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The <b>store writer</b> of the Kafka bus: a consumer in a group ({@code enable.auto.commit=false},
 * {@code isolation.level=read_committed}) that writes each poll's records to a {@link SampleStore}
 * and stores the consumed offsets in the same database transaction ({@link
 * SampleStore#applyConsumed}); Kafka's committed offsets are never used.
 *
 * <p>Exactly once: a poll's rows and its offsets commit together or not at all, so after any crash
 * (SIGKILL included) the sink resumes, from the offsets the database holds, at the first record whose
 * rows are not stored ({@link #onPartitionsAssigned} seeks there). Each offset moves only from the
 * value this sink last stored or read for it, so a sink that lost a partition in a rebalance and has
 * not noticed cannot commit records the new owner also commits: its transaction is refused ({@link
 * OffsetConflictException}), it reads the stored offsets again and goes on. Appends are idempotent on
 * {@code (vin, seq)} besides, so an edge's resend that reached Kafka twice is one row.
 *
 * <p>A record that does not read ({@link Records.BadRecord}: not written by this version) is logged
 * with its partition and offset ({@code sink_bad_record}), counted ({@code
 * fleetlog_sink_bad_records_total}) and skipped — its offset is stored with the others — rather than
 * stopping every vehicle of the partition. A store failure ends {@link #runOnce} with the exception
 * and nothing committed; the caller (the {@link #run} loop) seeks back to the stored offsets and
 * tries again after a pause.
 *
 * <p>One writer per VIN across replicas ({@link Fencing}): after a VIN's ONLINE event by one replica,
 * the VIN's appends and gaps from other replicas are dropped (logged {@code sink_fenced_record},
 * counted in {@code fleetlog_sink_fenced_records_total}); their replica did not ack them either.
 *
 * <p>Threads: {@link #runOnce} and {@link #run} on one thread (the consumer is not thread-safe);
 * {@link #close} from any thread. Meters: {@code fleetlog_sink_records_written_total}, {@code
 * fleetlog_sink_samples_written_total}, {@code fleetlog_sink_bad_records_total}, {@code
 * fleetlog_sink_lag_records{partition}} (records behind the partition's end at the last poll).
 */
public final class Sink implements AutoCloseable, ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(Sink.class);

    private final Consumer<byte[], byte[]> consumer;
    private final SampleStore store;
    private final String group;
    private final String topic;
    private final MeterRegistry meters;
    /** Per assigned partition: the offset the store holds ({@link ConsumedOffset#NONE} when none). */
    private final Map<Integer, Long> stored = new HashMap<>();
    /**
     * Per assigned partition: the VINs' owners as of the stored offset ({@link Fencing}); empty for a
     * partition just assigned (owners before its stored offset are not known: their records are kept).
     */
    private final Map<Integer, Fencing> fencing = new HashMap<>();

    private final Map<Integer, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Counter recordsWritten;
    private final Counter samplesWritten;
    private final Counter badRecords;
    private final Counter fencedRecords;
    private volatile boolean closed;

    Sink(Consumer<byte[], byte[]> consumer, SampleStore store, String group, String topic, MeterRegistry meters) {
        this.consumer = consumer;
        this.store = store;
        this.group = group;
        this.topic = topic;
        this.meters = meters;
        recordsWritten = Counter.builder("fleetlog.sink.records.written")
                .description("Kafka records written to the store (committed with their offsets)")
                .register(meters);
        samplesWritten = Counter.builder("fleetlog.sink.samples.written")
                .description("frames in the records written (resends included)")
                .register(meters);
        badRecords = Counter.builder("fleetlog.sink.bad.records")
                .description("records that did not read and were skipped")
                .register(meters);
        fencedRecords = Counter.builder("fleetlog.sink.fenced.records")
                .description("appends and gaps of a replica whose VIN another replica had taken over (dropped)")
                .register(meters);
        consumer.subscribe(List.of(topic), this);
    }

    /**
     * A sink of {@code group} reading {@code config.topic()} into {@code store} (not owned: the caller
     * closes it after the sink). {@code instanceId} (nullable) makes it a static member of the group: a
     * sink restarted with the same id takes its partitions back at once instead of waiting for the
     * dead one's session (10 s) to expire — one id per sink instance, e.g. the pod name.
     */
    public static Sink open(
            BusConfig config, String group, String instanceId, SampleStore store, MeterRegistry meters) {
        if (!group.matches("[A-Za-z0-9._\\-]{1,200}")) {
            throw new IllegalArgumentException(
                    "consumer group '" + group + "' is not 1..200 characters of letters, digits, '.', '_', '-'");
        }
        return new Sink(
                new KafkaConsumer<>(consumerConfig(config, group, instanceId)), store, group, config.topic(), meters);
    }

    /** The consumer's settings (see the class comment). */
    static Properties consumerConfig(BusConfig config, String group, String instanceId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaBusStore.MAX_RECORD_BYTES + 1024);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleetlog-sink");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        if (instanceId != null) {
            if (!instanceId.matches("[A-Za-z0-9._\\-]{1,200}")) {
                throw new IllegalArgumentException("sink instance id '" + instanceId
                        + "' is not 1..200 characters of letters, digits, '.', '_', '-'");
            }
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /**
     * One step: polls for up to {@code timeout}, writes what came with its offsets in one transaction.
     * Returns the number of records committed (0 when none came).
     *
     * @throws RuntimeException a store failure; nothing of the poll is committed, and the positions
     *     are set back to the stored offsets, so the next step reads the same records again
     */
    public int runOnce(Duration timeout) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(timeout);
        updateLags();
        if (polled.isEmpty()) {
            return 0;
        }
        List<StoreWrite> writes = new ArrayList<>(polled.count());
        List<ConsumedOffset> offsets = new ArrayList<>();
        Map<Integer, Fencing> tried = new HashMap<>();
        long samples = 0;
        long dropped = 0;
        for (TopicPartition tp : polled.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = polled.records(tp);
            // owners as of the stored offset; kept only when this poll commits (a retry reads the same records)
            Fencing f = fencing.getOrDefault(tp.partition(), new Fencing()).copy();
            tried.put(tp.partition(), f);
            for (ConsumerRecord<byte[], byte[]> r : rs) {
                try {
                    StoreWrite w = Records.read(r.key(), r.value()).write();
                    if (!f.keep(w, Fencing.writer(r))) {
                        dropped++;
                        log.info(
                                "sink_fenced_record partition={} offset={} writer={} owner={}",
                                tp.partition(),
                                r.offset(),
                                Fencing.writer(r),
                                f.owner(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)));
                        continue;
                    }
                    writes.add(w);
                    samples += w instanceof StoreWrite.Append a ? a.samples().size() : 0;
                } catch (Records.BadRecord e) {
                    badRecords.increment();
                    log.error(
                            "sink_bad_record topic={} partition={} offset={} error=\"{}\"",
                            tp.topic(),
                            tp.partition(),
                            r.offset(),
                            e.getMessage());
                }
            }
            long next = rs.get(rs.size() - 1).offset() + 1;
            offsets.add(new ConsumedOffset(
                    group, topic, tp.partition(), stored.getOrDefault(tp.partition(), ConsumedOffset.NONE), next));
        }
        try {
            store.applyConsumed(writes, offsets);
        } catch (RuntimeException e) {
            OffsetConflictException conflict = OffsetConflictException.in(e);
            if (conflict != null) {
                log.warn("sink_offset_conflict group={} error=\"{}\"", group, conflict.getMessage());
            }
            // Back to the offsets this sink last committed, before asking the store (which may be the
            // very thing that failed): were the positions left after the failed poll, the next commit
            // would move the stored offsets past records never written.
            rewind(consumer.assignment());
            try {
                seekToStored(consumer.assignment());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        for (ConsumedOffset o : offsets) {
            stored.put(o.partition(), o.next());
        }
        fencing.putAll(tried);
        fencedRecords.increment(dropped);
        recordsWritten.increment(polled.count());
        samplesWritten.increment(samples);
        return polled.count();
    }

    /** Repeats {@link #runOnce} until {@link #close}; a failed step is logged and retried after a pause. */
    public void run() {
        long failures = 0;
        while (!closed) {
            try {
                runOnce(Duration.ofMillis(500));
                failures = 0;
            } catch (WakeupException e) {
                if (!closed) {
                    throw e;
                }
            } catch (RuntimeException e) {
                failures++;
                log.warn("sink_step_failed group={} failures_in_a_row={} error={}", group, failures, e.toString());
                pause(Math.min(5_000, 100L << Math.min(failures, 6)));
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the consumer (leaving the group) when {@link #runOnce} is driven without {@link #run}. */
    void closeConsumer() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** Stops {@link #run} (it closes the consumer on its own thread); safe from any thread. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
    }

    /** Seeks newly assigned partitions to the offsets the store holds (the beginning when none). */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        seekToStored(partitions);
        log.info("sink_partitions_assigned group={} partitions={}", group, stored);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Every poll is committed before the next one, so nothing is pending for these partitions.
        for (TopicPartition tp : partitions) {
            stored.remove(tp.partition());
            fencing.remove(tp.partition());
        }
    }

    /**
     * Seeks {@code partitions} to the offsets this sink last stored or read from the store (the
     * beginning when it knows none), without asking the store.
     */
    private void rewind(Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long o = stored.getOrDefault(tp.partition(), ConsumedOffset.NONE);
            if (o == ConsumedOffset.NONE) {
                fresh.add(tp);
            } else {
                consumer.seek(tp, o);
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        Map<Integer, Long> offsets = store.consumedOffsets(group, topic);
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long o = offsets.get(tp.partition());
            if (o == null) {
                fresh.add(tp);
                stored.put(tp.partition(), ConsumedOffset.NONE);
            } else {
                consumer.seek(tp, o);
                stored.put(tp.partition(), o);
            }
        }
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
        }
    }

    private void updateLags() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                lags.computeIfAbsent(tp.partition(), p -> {
                            AtomicLong a = new AtomicLong();
                            Gauge.builder("fleetlog.sink.lag.records", a, AtomicLong::get)
                                    .description("records behind the end of the partition at the last poll")
                                    .tag("partition", Integer.toString(p))
                                    .register(meters);
                            return a;
                        })
                        .set(lag.getAsLong());
            }
        }
    }

    /** Records behind per partition at the last poll (what the lag gauges show). */
    public Map<Integer, Long> lag() {
        Map<Integer, Long> out = new HashMap<>();
        lags.forEach((p, a) -> out.put(p, a.get()));
        return out;
    }
}
