package io.fleetlog.app.cli;

import io.fleetlog.kafka.BusConfig;
import io.fleetlog.kafka.KafkaBusStore;
import io.fleetlog.kafka.Sink;
import io.fleetlog.kafka.Topics;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import picocli.CommandLine.Option;

/**
 * The Kafka bus flags of {@code fleetlog server} (a picocli mixin; docs/scale-out.md). Without {@code
 * --bus} the server writes its store directly, as always.
 */
public final class BusOptions {
    @Option(
            names = "--bus",
            paramLabel = "kafka",
            description = "Run as an ingest replica: every batch goes to a Kafka topic keyed by VIN and the edge"
                    + " is acked when Kafka acknowledged it; 'fleetlog sink' writes the store"
                    + " (docs/scale-out.md). Only 'kafka'.")
    String bus;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
            names = "--kafka-topic",
            paramLabel = "NAME",
            description = "Topic of store writes (default: ${DEFAULT-VALUE}).",
            defaultValue = BusConfig.DEFAULT_TOPIC)
    String topic = BusConfig.DEFAULT_TOPIC;

    @Option(
            names = "--kafka-partitions",
            paramLabel = "N",
            description =
                    "Partitions when the topic is created (an existing topic is kept; default: ${DEFAULT-VALUE}).",
            defaultValue = "" + BusConfig.DEFAULT_PARTITIONS)
    int partitions = BusConfig.DEFAULT_PARTITIONS;

    @Option(
            names = "--kafka-replication",
            paramLabel = "R",
            description = "Replication factor when the topic is created (3 in production; default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    short replication = 1;

    @Option(
            names = "--kafka-sink-group",
            paramLabel = "NAME",
            description = "Consumer group of the sinks writing --db: its stored offsets tell a Hello where the"
                    + " partition's unstored tail starts (default: ${DEFAULT-VALUE}).",
            defaultValue = SinkCommand.DEFAULT_GROUP)
    String sinkGroup = SinkCommand.DEFAULT_GROUP;

    @Option(
            names = "--replica-id",
            paramLabel = "ID",
            description = "This ingest replica's name in its link events, so a restart closes only the links it"
                    + " had (default: host name and --port).")
    String replicaId;

    @Option(
            names = "--kafka-sink",
            description = "Also run a sink in this process, writing --db (one process per SQLite file:"
                    + " the way to use the bus with SQLite).")
    boolean embeddedSink;

    /** The bus settings, or null without {@code --bus}; flags without {@code --bus} are refused. */
    BusConfig toConfig() {
        if (bus == null) {
            if (bootstrap != null || embeddedSink || replicaId != null) {
                throw new IllegalArgumentException("--kafka-bootstrap, --kafka-sink and --replica-id need --bus kafka");
            }
            return null;
        }
        if (!bus.equals("kafka")) {
            throw new IllegalArgumentException("--bus '" + bus + "' is not known (only 'kafka')");
        }
        if (bootstrap == null) {
            throw new IllegalArgumentException("--bus kafka needs --kafka-bootstrap HOST:PORT");
        }
        if (replicaId != null) {
            KafkaBusStore.checkReplicaId(replicaId);
        }
        return BusConfig.of(bootstrap).withTopic(topic).withPartitions(partitions, replication);
    }

    /**
     * Starts the server of {@code config}: directly on its store without {@code --bus}; else creates the
     * topic if missing and starts an ingest replica whose store is a {@link KafkaBusStore} in front of
     * the database (and, with {@code --kafka-sink}, a sink in this process).
     */
    FleetServer start(ServerConfig config) {
        return start(config, io.fleetlog.server.store.StoreLayout.DEFAULT);
    }

    /** As {@link #start(ServerConfig)}, the database opened in {@code layout} (--store-layout). */
    FleetServer start(ServerConfig config, io.fleetlog.server.store.StoreLayout layout) {
        BusConfig b = toConfig();
        if (b == null) {
            return FleetServer.start(config, Stores.open(config.dbUrl(), layout)); // which closes it on failure
        }
        Topics.ensure(b);
        SampleStore db = Stores.open(config.dbUrl(), layout);
        KafkaBusStore store =
                KafkaBusStore.open(db, b, sinkGroup, replicaId != null ? replicaId : defaultReplicaId(config.port()));
        FleetServer server = FleetServer.start(config, store);
        store.bindTo(server.metrics());
        store.feed(server.fleet());
        if (embeddedSink) {
            Sink sink = Sink.open(b, sinkGroup, null, db, server.metrics());
            Thread.ofPlatform().name("kafka-sink").daemon(true).start(sink::run);
            Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "kafka-sink-stop"));
        }
        return server;
    }

    /** The host name (letters, digits, '.', '-' kept) and the port: unique per replica of one host. */
    static String defaultReplicaId(int port) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost"; // no resolvable host name: the port still tells replicas of one host apart
        }
        String clean = host.replaceAll("[^A-Za-z0-9.\\-]", "");
        return (clean.isEmpty() ? "localhost" : clean.substring(0, Math.min(80, clean.length()))) + ":" + port;
    }
}
