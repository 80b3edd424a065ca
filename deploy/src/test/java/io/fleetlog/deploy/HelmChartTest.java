package io.fleetlog.deploy;

import static io.fleetlog.deploy.Chart.list;
import static io.fleetlog.deploy.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart, linted and rendered offline (helm-java bundles Helm; no cluster, no network) with
 * its defaults and with every values file under {@code ci/}; the rendered objects are checked
 * against what the server needs: the probes hit a route that answers without credentials, the
 * Secret is mounted read-only and named only by file, nothing runs as root or can write its root
 * file system, and the data lives on a volume.
 */
class HelmChartTest {

    static Stream<Path> valuesFiles() throws Exception {
        List<Path> all = new ArrayList<>();
        all.add(null); // the chart's defaults
        all.addAll(Chart.ciValuesFiles());
        return all.stream();
    }

    @Test
    void ciValuesFilesExist() throws Exception {
        assertThat(Chart.ciValuesFiles())
                .extracting(p -> p.getFileName().toString())
                .contains("embedded-values.yaml", "postgres-values.yaml");
    }

    @Test
    void lintsStrictlyWithoutErrorsOrWarnings() {
        LintResult lint = new Helm(Chart.dir()).lint().strict().call();
        assertThat(lint.isFailed())
                .as("helm lint --strict: %s", lint.getMessages())
                .isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    /** Each CI values file merged over the defaults (as {@code helm lint -f FILE}) lints strictly too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ciValues")
    void lintsStrictlyWithEachCiValuesFile(Path values, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        LintResult lint = new Helm(Chart.withValues(values, tmp.resolve("fleetlog")))
                .lint()
                .strict()
                .call();
        assertThat(lint.isFailed())
                .as("helm lint --strict -f %s: %s", values.getFileName(), lint.getMessages())
                .isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    static java.util.stream.Stream<Path> ciValues() throws Exception {
        return Chart.ciValuesFiles().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void rendersASecureServerWorkload(Path values) {
        List<Map<String, Object>> objects = Chart.render(values);
        Map<String, Object> workload = Chart.workload(objects);
        Map<String, Object> pod = Chart.podSpec(workload);
        Map<String, Object> c = Chart.serverContainer(workload);

        // non-root, read-only root file system, no capabilities, no privilege escalation
        Map<String, Object> podSec = map(pod, "securityContext");
        assertThat(podSec).containsEntry("runAsNonRoot", true);
        assertThat((Integer) podSec.get("runAsUser")).isPositive();
        Map<String, Object> sec = map(c, "securityContext");
        assertThat(sec)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("runAsNonRoot", true);
        assertThat(list(map(sec, "capabilities"), "drop")).containsExactly("ALL");
        assertThat(pod).containsEntry("automountServiceAccountToken", false);

        // arguments: the server subcommand, all interfaces, secrets by file only
        List<String> args = list(c, "args");
        assertThat(args.get(0)).isEqualTo("server");
        assertThat(args).contains("--bind=0.0.0.0", "--tokens=/etc/fleetlog/secrets/tokens");
        assertThat(args).contains("--users=/etc/fleetlog/secrets/users", "--allowed-host=$(POD_IP)");
        assertThat(args).noneMatch(a -> a.contains("password") || a.startsWith("--token=") || a.contains("flt_"));
        assertThat(args).noneMatch(a -> a.startsWith("--port")); // $PORT from the ConfigMap
        assertThat(String.join(" ", args).contains("--tls-cert") ^ args.contains("--insecure"))
                .as("either the pod serves TLS or it runs --insecure behind a TLS-terminating ingress: %s", args)
                .isTrue();

        // the Secret volume: read-only, mode 0400, mounted where --tokens/--users point
        List<Map<String, Object>> mounts = list(c, "volumeMounts");
        Map<String, Object> secretMount = byName(mounts, "secrets");
        assertThat(secretMount)
                .containsEntry("mountPath", "/etc/fleetlog/secrets")
                .containsEntry("readOnly", true);
        Map<String, Object> secretVolume = map(byName(list(pod, "volumes"), "secrets"), "secret");
        assertThat(secretVolume).containsEntry("defaultMode", 0400);
        List<Map<String, Object>> items = list(secretVolume, "items");
        assertThat(items).extracting(i -> i.get("path")).containsExactly("tokens", "users");
        String secretName = (String) secretVolume.get("secretName");
        if (values == null || !values.toString().contains("postgres")) {
            Map<String, Object> secret = Chart.one(objects, "Secret");
            assertThat(map(secret, "metadata")).containsEntry("name", secretName);
            assertThat(map(secret, "data")).containsKeys("tokens", "users");
        }

        // the writable places are volumes: data and /tmp (sqlite-jdbc unpacks its native library there)
        assertThat(mounts).extracting(m -> m.get("mountPath")).contains("/var/lib/fleetlog", "/tmp");
        String db = args.stream().filter(a -> a.startsWith("--db=")).findFirst().orElseThrow();
        if ("StatefulSet".equals(workload.get("kind"))) {
            assertThat(db).isEqualTo("--db=jdbc:sqlite:/var/lib/fleetlog/fleetlog.db");
            List<Map<String, Object>> claims = list(map(workload, "spec"), "volumeClaimTemplates");
            assertThat(claims).extracting(cl -> map(cl, "metadata").get("name")).containsExactly("data");
            assertThat(map(workload, "spec")).containsEntry("replicas", 1);
        } else {
            assertThat(db).startsWith("--db=jdbc:postgresql://").doesNotContain("password");
        }

        // probes: a GET of "/" (the dashboard index answers without credentials; /status does not)
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(map(c, probe), "httpGet");
            assertThat(get).containsEntry("path", "/").containsEntry("port", "http");
            assertThat(get.get("scheme")).isEqualTo(args.contains("--insecure") ? "HTTP" : "HTTPS");
            List<Map<String, Object>> headers = list(get, "httpHeaders");
            if (args.contains("--insecure")) {
                assertThat(headers)
                        .as("plain HTTP: the kubelet's Host (pod IP) is allowed")
                        .isEmpty();
            } else {
                // over TLS the Host must be a certificate name (Jetty answers 400 to the pod IP) and allowed
                String host = byName(headers, "Host").get("value").toString();
                assertThat(host).doesNotMatch("[0-9.]+");
                assertThat(args).contains("--allowed-host=" + host);
            }
        }
        List<Map<String, Object>> env = list(c, "env");
        assertThat(map(map(byName(env, "POD_IP"), "valueFrom"), "fieldRef")).containsEntry("fieldPath", "status.podIP");
        List<Map<String, Object>> ports = list(c, "ports");
        assertThat(ports).extracting(p -> p.get("name")).containsExactly("http");
        Map<String, Object> config = Chart.one(objects, "ConfigMap");
        assertThat(map(config, "data"))
                .containsEntry("PORT", String.valueOf(ports.get(0).get("containerPort")));
        assertThat(map(c, "resources")).containsKeys("requests", "limits");

        // Service and PodDisruptionBudget select the pods
        Map<String, Object> podLabels = map(map(map(map(workload, "spec"), "template"), "metadata"), "labels");
        Map<String, Object> service = Chart.one(objects, "Service");
        assertThat(podLabels).containsAllEntriesOf(stringMap(map(map(service, "spec"), "selector")));
        assertThat(firstOf(map(service, "spec"))).containsEntry("targetPort", "http");
        Map<String, Object> pdb = Chart.one(objects, "PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(stringMap(map(map(map(pdb, "spec"), "selector"), "matchLabels")));
    }

    @Test
    void embeddedCiValuesAddIngressWithTlsAndItsHostToTheAllowlist() throws Exception {
        List<Map<String, Object>> objects = Chart.render(Chart.dir().resolve("ci/embedded-values.yaml"));
        Map<String, Object> ingress = Chart.one(objects, "Ingress");
        List<Map<String, Object>> tls = list(map(ingress, "spec"), "tls");
        assertThat(tls).hasSize(1);
        assertThat(list(tls.get(0), "hosts")).containsExactly("fleet.example.com");
        assertThat(map(map(ingress, "metadata"), "annotations"))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
        List<String> args = list(Chart.serverContainer(Chart.workload(objects)), "args");
        assertThat(args).contains("--allowed-host=fleet.example.com", "--insecure", "--retention-days=90");
        assertThat(Chart.ofKind(objects, "HorizontalPodAutoscaler")).isEmpty();
        Map<String, Object> monitor = Chart.one(objects, "ServiceMonitor");
        Map<String, Object> endpoint = Chart.<Map<String, Object>>list(map(monitor, "spec"), "endpoints")
                .get(0);
        assertThat(endpoint).containsEntry("path", "/metrics").containsEntry("scheme", "http");
        assertThat(map(endpoint, "bearerTokenSecret")).containsEntry("name", "fleetlog-prometheus");
    }

    @Test
    void postgresCiValuesRenderAScaledDeploymentWithPodTls() throws Exception {
        List<Map<String, Object>> objects = Chart.render(Chart.dir().resolve("ci/postgres-values.yaml"));
        Map<String, Object> deployment = Chart.one(objects, "Deployment");
        assertThat(Chart.ofKind(objects, "StatefulSet")).isEmpty();
        assertThat(Chart.ofKind(objects, "Secret"))
                .as("existingSecret: the chart creates none")
                .isEmpty();
        Map<String, Object> c = Chart.serverContainer(deployment);
        List<String> args = list(c, "args");
        assertThat(args)
                .contains(
                        "--db=jdbc:postgresql://postgres.db.svc:5432/fleetlog?user=fleetlog",
                        "--tls-cert=/etc/fleetlog/tls/tls.crt",
                        "--tls-key=/etc/fleetlog/tls/tls.key",
                        "--allowed-host=fleet.internal.example.com")
                .doesNotContain("--insecure");
        Map<String, Object> pod = Chart.podSpec(deployment);
        assertThat(map(byName(list(pod, "volumes"), "tls"), "secret")).containsEntry("secretName", "fleetlog-tls");
        assertThat(map(byName(list(pod, "volumes"), "pgpass"), "secret"))
                .containsEntry("secretName", "fleetlog-pgpass")
                .containsEntry("defaultMode", 0400);
        assertThat(byName(list(c, "env"), "PGPASSFILE")).containsEntry("value", "/etc/fleetlog/pgpass/pgpass");
        assertThat(byName(list(c, "volumeMounts"), "tls")).containsEntry("readOnly", true);
        Map<String, Object> hpa = Chart.one(objects, "HorizontalPodAutoscaler");
        assertThat(map(hpa, "spec")).containsEntry("minReplicas", 3).containsEntry("maxReplicas", 6);
        assertThat(map(map(hpa, "spec"), "scaleTargetRef")).containsEntry("kind", "Deployment");
        assertThat(map(deployment, "spec")).doesNotContainKey("replicas"); // the HPA owns it
        assertThat(Chart.ofKind(objects, "ServiceMonitor")).isEmpty();
        Map<String, Object> probe = map(map(c, "readinessProbe"), "httpGet");
        assertThat(byName(list(probe, "httpHeaders"), "Host")).containsEntry("value", "fleet.internal.example.com");
    }

    @Test
    void refusesConfigurationsTheServerCannotRun(@TempDir Path tmp) throws Exception {
        Path hpaEmbedded = Files.writeString(tmp.resolve("a.yaml"), "autoscaling:\n  enabled: true\n");
        assertThatThrownBy(() -> Chart.render(hpaEmbedded)).hasMessageContaining("autoscaling needs mode postgres");
        Path noUrl = Files.writeString(tmp.resolve("b.yaml"), "mode: postgres\n");
        assertThatThrownBy(() -> Chart.render(noUrl)).hasMessageContaining("needs database.url");
        Path password = Files.writeString(
                tmp.resolve("c.yaml"), "mode: postgres\ndatabase:\n  url: jdbc:postgresql://db/f?user=u&password=p\n");
        assertThatThrownBy(() -> Chart.render(password)).hasMessageContaining("must not contain password=");
        Path monitorTls = Files.writeString(
                tmp.resolve("e.yaml"),
                "tls:\n  enabled: true\nprobes:\n  tlsHost: a.example\nserviceMonitor:\n  enabled: true\n"
                        + "  bearerTokenSecret:\n    name: s\n");
        assertThatThrownBy(() -> Chart.render(monitorTls)).hasMessageContaining("serviceMonitor with tls.enabled");
        Path tlsNoHost = Files.writeString(tmp.resolve("f.yaml"), "tls:\n  enabled: true\n");
        assertThatThrownBy(() -> Chart.render(tlsNoHost)).hasMessageContaining("tls.enabled needs probes.tlsHost");
        Path badMode = Files.writeString(tmp.resolve("d.yaml"), "mode: bus\n");
        assertThatThrownBy(() -> Chart.render(badMode)).hasMessageContaining("mode must be embedded or postgres");
    }

    static Map<String, Object> byName(List<Map<String, Object>> named, String name) {
        return named.stream()
                .filter(n -> name.equals(n.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + named));
    }

    private static Map<String, Object> stringMap(Map<String, Object> m) {
        return m;
    }

    private static Map<String, Object> firstOf(Map<String, Object> spec) {
        return Chart.<Map<String, Object>>list(spec, "ports").get(0);
    }
}
