package io.fleetlog.app.cli;

import com.sun.net.httpserver.HttpServer;
import io.fleetlog.kafka.BusConfig;
import io.fleetlog.kafka.Sink;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleetlog sink}: the store writer of the Kafka bus — a consumer in a group that writes the
 * topic to the database exactly once (offsets in the same transaction; docs/scale-out.md).
 */
@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = "Write the Kafka topic of ingest replicas to the database, exactly once.")
public final class SinkCommand implements Callable<Integer> {
    static final String DEFAULT_GROUP = "fleetlog-sink";

    @Option(names = "--kafka-bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap.")
    String bootstrap;

    @Option(
            names = "--kafka-topic",
            paramLabel = "NAME",
            description = "Topic to read (default: ${DEFAULT-VALUE}).",
            defaultValue = BusConfig.DEFAULT_TOPIC)
    String topic;

    @Option(
            names = "--db",
            required = true,
            description = "jdbc:postgresql://HOST/DB (shared with the replicas) or jdbc:sqlite:PATH.")
    String db;

    @Option(
            names = "--group",
            paramLabel = "NAME",
            description = "Consumer group; sinks of one group share the partitions (default: ${DEFAULT-VALUE}).",
            defaultValue = DEFAULT_GROUP)
    String group;

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            description = "Static group member id (e.g. the pod name): a restarted sink takes its partitions"
                    + " back at once instead of after the 10 s session timeout.")
    String instanceId;

    @Option(
            names = "--metrics-port",
            paramLabel = "P",
            description = "Serve Prometheus metrics (lag per partition, records written) at"
                    + " http://127.0.0.1:P/metrics; 0 = any free port (default: none).")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        BusConfig bus = BusConfig.of(bootstrap).withTopic(topic);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer http = metricsPort == null ? null : metrics(registry, metricsPort);
        try (SampleStore store = Stores.open(db)) {
            Sink sink = Sink.open(bus, group, instanceId, store, registry);
            Thread runner = Thread.currentThread();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                sink.close();
                                try {
                                    runner.join(10_000); // the store closes after the last transaction
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "sink-shutdown"));
            System.out.println("fleetlog sink: group " + group + " reading " + topic + " into "
                    + Stores.redact(db)
                    + (http == null
                            ? ""
                            : ", metrics on http://127.0.0.1:"
                                    + http.getAddress().getPort() + "/metrics"));
            sink.run();
        } finally {
            if (http != null) {
                http.stop(0);
            }
        }
        return 0;
    }

    /** A small loopback HTTP server answering GET /metrics with the registry's scrape. */
    static HttpServer metrics(PrometheusMeterRegistry registry, int port) throws java.io.IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 8);
        http.createContext("/metrics", ex -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(ex.getRequestMethod().equals("GET") ? 200 : 405, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        return http;
    }
}
