package io.fleetlog.kafka;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A sink in a child JVM for {@link SinkCrashTest}: args bootstrap, topic, group, instance id, database
 * URL, records per poll, pause between polls (ms). Runs until killed.
 */
public final class SinkChildMain {
    private SinkChildMain() {}

    public static void main(String[] args) throws Exception {
        BusConfig bus = BusConfig.of(args[0]).withTopic(args[1]);
        Properties p = Sink.consumerConfig(bus, args[2], args[3]);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.parseInt(args[5]));
        long pauseMs = Long.parseLong(args[6]);
        SampleStore store = Stores.open(args[4]);
        Sink sink = new Sink(new KafkaConsumer<>(p), store, args[2], bus.topic(), new SimpleMeterRegistry());
        while (true) {
            sink.runOnce(Duration.ofMillis(200));
            Thread.sleep(pauseMs); // slows the sink so the test's SIGKILL lands mid-stream
        }
    }
}
