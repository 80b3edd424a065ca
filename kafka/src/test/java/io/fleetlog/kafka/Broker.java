package io.fleetlog.kafka;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real one-node KRaft cluster (broker and controller combined) in this JVM, for one test class. */
final class Broker implements AutoCloseable {
    final KafkaClusterTestKit cluster;

    private Broker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static Broker start() throws Exception {
        KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        c.format();
        c.startup();
        c.waitForReadyBrokers();
        return new Broker(c);
    }

    String bootstrap() {
        return cluster.bootstrapServers();
    }

    /** Stops the broker (the controller stays): produces are no longer acknowledged. */
    void stopBroker() {
        cluster.brokers().values().forEach(b -> b.shutdown());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
