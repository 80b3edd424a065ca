package io.fleetlog.kafka;

import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.StoreWrite;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one VIN's appends from the part of its partition the sink has not stored yet: from the
 * sink group's stored offset (the start of the partition when none is stored) to the partition's end
 * offset taken when the read starts. What is below the stored offset is in the database; so the
 * highest of the database's seq and the seqs read here is the highest seq Kafka holds for the VIN,
 * whichever replica produced it (docs/scale-out.md, "The Welcome across replicas").
 *
 * <p>One assigned consumer without a group (nothing is committed), used by one caller at a time
 * (synchronized): reads are as long as the sink's lag on that partition, and are bounded by {@code
 * timeout}, after which the read fails with a {@link StoreException} (the Hello then closes, 1011,
 * and the edge reconnects). A record that does not read is skipped here: the sink counts and logs it.
 * Appends {@link Fencing} drops are not counted (nor stored by the sink); the owner at the start
 * offset is not known, so records before the read's first ONLINE event of the VIN are admitted.
 */
final class PartitionTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionTail.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration timeout;

    PartitionTail(Consumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
    }

    static PartitionTail open(BusConfig config, Duration timeout) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaBusStore.MAX_RECORD_BYTES + 1024);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fleetlog-tail");
        return new PartitionTail(new KafkaConsumer<>(p), config.topic(), timeout);
    }

    /** What a read found of one VIN: each append's first and last seq and newest capture time. */
    interface Appends {
        void append(long first, long last, long lastCaptureMs);
    }

    /**
     * Hands every append of {@code vin} in {@code partition} from {@code fromOffset} (-1: the start)
     * to the end offset at the call to {@code out}, in partition order.
     *
     * @return the number of records of the partition read
     * @throws StoreException when the broker cannot be read within the timeout
     */
    synchronized long read(String vin, int partition, long fromOffset, Appends out) {
        TopicPartition tp = new TopicPartition(topic, partition);
        byte[] key = Records.key(vin);
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = 0;
        Fencing fencing = new Fencing();
        try {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
            if (fromOffset < 0) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, fromOffset);
            }
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new StoreException("reading partition " + partition + " of " + topic + " for " + vin
                            + " took over " + timeout.toMillis() + " ms (at offset " + consumer.position(tp)
                            + " of " + end + ")");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
                    n++;
                    if (r.offset() < end && Arrays.equals(r.key(), key)) {
                        appendOf(r, fencing, out);
                    }
                }
            }
            return n;
        } catch (KafkaException e) {
            throw new StoreException(
                    "cannot read partition " + partition + " of " + topic + " for " + vin + ": " + e, e);
        } finally {
            consumer.unsubscribe();
        }
    }

    private static void appendOf(ConsumerRecord<byte[], byte[]> r, Fencing fencing, Appends out) {
        try {
            StoreWrite w = Records.read(r.key(), r.value()).write();
            if (fencing.keep(w, Fencing.writer(r)) && w instanceof StoreWrite.Append a) {
                long t = Long.MIN_VALUE;
                for (var s : a.samples()) {
                    t = Math.max(t, s.captureTimeMs());
                }
                out.append(
                        a.samples().get(0).seq(),
                        a.samples().get(a.samples().size() - 1).seq(),
                        t);
            }
        } catch (Records.BadRecord e) {
            // the sink logs, counts and skips it too: it is not stored, so it does not count here
            log.debug("tail_bad_record partition={} offset={} error=\"{}\"", r.partition(), r.offset(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
