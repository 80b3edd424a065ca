package io.fleetlog.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the bus topic when it is missing; an existing topic is used as it is (and logged). */
public final class Topics {
    private static final Logger log = LoggerFactory.getLogger(Topics.class);

    private Topics() {}

    /** Describes a topic; a just-created one may not be in the brokers' metadata yet: retried up to 10 s. */
    private static TopicDescription describe(Admin admin, String topic)
            throws ExecutionException, TimeoutException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 50) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Makes sure {@code config.topic()} exists: created with the configured partitions and replication
     * (and {@code min.insync.replicas} = min(2, replication), so {@code acks=all} means two copies
     * when there are three; records up to {@link KafkaBusStore#MAX_RECORD_BYTES}), or left as found. Returns its partition count.
     *
     * @throws IllegalStateException when the cluster cannot be reached or refuses, with the reason
     */
    public static int ensure(BusConfig config) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
            NewTopic t = new NewTopic(config.topic(), config.partitions(), config.replication())
                    .configs(Map.of(
                            "min.insync.replicas",
                            Integer.toString(Math.min(2, config.replication())),
                            "max.message.bytes",
                            Integer.toString(KafkaBusStore.MAX_RECORD_BYTES)));
            try {
                admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                log.info(
                        "kafka_topic_created topic={} partitions={} replication={}",
                        config.topic(),
                        config.partitions(),
                        config.replication());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription d = describe(admin, config.topic());
            int n = d.partitions().size();
            if (n != config.partitions()) {
                log.info(
                        "kafka_topic_exists topic={} partitions={} (asked for {}: an existing topic is not changed)",
                        config.topic(),
                        n,
                        config.partitions());
            }
            return n;
        } catch (ExecutionException | TimeoutException e) {
            Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot create or describe kafka topic " + config.topic() + " at " + config.bootstrap() + ": " + c,
                    c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating kafka topic " + config.topic(), e);
        }
    }
}
