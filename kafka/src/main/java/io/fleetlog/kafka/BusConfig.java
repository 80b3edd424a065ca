package io.fleetlog.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the Kafka bus is and how its topic is made: {@code bootstrap} (HOST:PORT[,HOST:PORT…]), the
 * {@code topic} of store writes, its {@code partitions} and {@code replication} when fleetlog creates
 * it, and {@code deliveryTimeout}: how long a produce may be retried before the write fails (the edge
 * then gets no ack, reconnects and resends). Validated here, with the field and value in the message.
 */
public record BusConfig(String bootstrap, String topic, int partitions, short replication, Duration deliveryTimeout) {
    public static final String DEFAULT_TOPIC = "fleetlog.frames";
    public static final int DEFAULT_PARTITIONS = 12;
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    public BusConfig {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (!bootstrap.matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5})*")) {
            throw new IllegalArgumentException("kafka bootstrap '" + bootstrap + "' is not HOST:PORT[,HOST:PORT...]");
        }
        if (!topic.matches("[A-Za-z0-9._\\-]{1,249}")) {
            throw new IllegalArgumentException(
                    "kafka topic '" + topic + "' is not 1..249 characters of letters, digits, '.', '_', '-'");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("kafka partitions " + partitions + " is outside 1..10000");
        }
        if (replication < 1 || replication > 16) {
            throw new IllegalArgumentException("kafka replication " + replication + " is outside 1..16");
        }
        if (deliveryTimeout.toMillis() < 1_000 || deliveryTimeout.toMinutes() > 60) {
            throw new IllegalArgumentException(
                    "kafka delivery timeout " + deliveryTimeout.toMillis() + " ms is outside 1 s..60 min");
        }
    }

    /** The defaults with {@code bootstrap}: topic fleetlog.frames, 12 partitions, replication 1, 30 s. */
    public static BusConfig of(String bootstrap) {
        return new BusConfig(bootstrap, DEFAULT_TOPIC, DEFAULT_PARTITIONS, (short) 1, DEFAULT_DELIVERY_TIMEOUT);
    }

    public BusConfig withTopic(String t) {
        return new BusConfig(bootstrap, t, partitions, replication, deliveryTimeout);
    }

    public BusConfig withPartitions(int n, short r) {
        return new BusConfig(bootstrap, topic, n, r, deliveryTimeout);
    }

    public BusConfig withDeliveryTimeout(Duration d) {
        return new BusConfig(bootstrap, topic, partitions, replication, d);
    }
}
