package io.fleetlog.deploy;

import static io.fleetlog.deploy.Chart.list;
import static io.fleetlog.deploy.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/Dockerfile} cannot be built here (no Docker engine), so its runtime stage is
 * checked against what the chart and the Jib image assume: a numeric non-root user equal to the
 * chart's runAsUser, the entrypoint that {@link ChartServerProbeTest} runs, port and PORT, the data
 * volume, a HEALTHCHECK on the chart's probe path, and a multi-stage build with the Maven wrapper.
 */
class DockerfileTest {

    @Test
    void runtimeStageMatchesTheChart() throws Exception {
        Dockerfile d = Dockerfile.load();
        assertThat(d.one("FROM")).startsWith("eclipse-temurin:21-jre");
        List<Map<String, Object>> objects = Chart.render(null);
        Map<String, Object> workload = Chart.workload(objects);
        Map<String, Object> c = Chart.serverContainer(workload);
        Object uid = map(Chart.podSpec(workload), "securityContext").get("runAsUser");

        assertThat(d.one("USER")).isEqualTo(uid + ":" + uid).doesNotStartWith("0");
        assertThat(d.entrypoint())
                .containsExactly("java", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/fleetlog.jar");
        Object port = Chart.<Map<String, Object>>list(c, "ports").get(0).get("containerPort");
        assertThat(d.one("EXPOSE")).isEqualTo(String.valueOf(port));
        assertThat(d.one("ENV")).contains("PORT=" + port);
        assertThat(d.one("VOLUME")).isEqualTo("/var/lib/fleetlog");
        assertThat(d.one("WORKDIR")).isEqualTo("/var/lib/fleetlog");
        String probePath = map(map(c, "readinessProbe"), "httpGet").get("path").toString();
        assertThat(d.one("HEALTHCHECK"))
                .contains("\"http://127.0.0.1:${PORT}" + probePath + "\"")
                .contains("--connect-to \"::127.0.0.1:${PORT}\" \"https://${FLEETLOG_TLS_HOST:-localhost}:${PORT}"
                        + probePath + "\"");
        assertThat(list(c, "args")).first().isEqualTo("server"); // the chart passes args only: ENTRYPOINT stays
    }

    @Test
    void buildStageUsesTheWrapperAndNodeAndExcludesLocalState() throws Exception {
        String text = Files.readString(Chart.deployDir().resolve("Dockerfile"));
        assertThat(text).contains("FROM node:22").contains("./mvnw -B -pl app -am package");
        assertThat(text.split("\nFROM ")).hasSize(4); // node, build, runtime
        String ignore = Files.readString(Chart.deployDir().resolve("Dockerfile.dockerignore"));
        assertThat(ignore.lines()).contains("**/target", "**/node_modules", ".git", "data");
    }
}
