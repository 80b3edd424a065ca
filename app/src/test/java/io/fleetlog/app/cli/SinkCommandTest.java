package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SinkCommandTest {
    @Test
    void theSinksMetricsAreServedOnLoopbackOnly() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("fleetlog.sink.records.written").increment(3);
        HttpServer http = SinkCommand.metrics(registry, 0);
        try {
            assertThat(http.getAddress().getAddress().isLoopbackAddress()).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + http.getAddress().getPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("fleetlog_sink_records_written_total 3.0");
        } finally {
            http.stop(0);
        }
    }
}
