package io.fleetlog.deploy;

import static io.fleetlog.deploy.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance item "the image's entrypoint command, run as a plain process with the same
 * arguments and environment the chart sets, answers its readiness probe": renders the chart with
 * {@code ci/embedded-values.yaml}, takes the server container's args, env (ConfigMap + env, with
 * Kubernetes' {@code $(VAR)} expansion and {@code status.podIP} as this machine's own address) and
 * readiness probe, maps the pod's mount paths onto temporary directories (the Secret's files made
 * 0400 as the chart mounts them), starts the Dockerfile's ENTRYPOINT ({@code java ... -jar
 * app/target/fleetlog.jar}) with them as a child process on a free port, and sends the probe exactly as a kubelet
 * does: a GET of the probe path to the pod IP with {@code Host: <pod IP>:<port>}.
 */
class ChartServerProbeTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);

    @Test
    void embeddedModeWithTlsAtTheIngressAnswersItsReadinessProbe(@TempDir Path tmp) throws Exception {
        List<Map<String, Object>> objects = Chart.render(Chart.dir().resolve("ci/embedded-values.yaml"));
        Pod pod = Pod.start(objects, tmp);
        try {
            assertThat(pod.scheme).isEqualTo("HTTP");
            pod.assertProbesAndAccess();
            assertThat(pod.mounts.get("/var/lib/fleetlog").resolve("fleetlog.db"))
                    .exists();
        } finally {
            pod.stop();
        }
    }

    /**
     * {@code ci/postgres-values.yaml} (TLS served by the pod, PostgreSQL through {@code PGPASSFILE})
     * with the database URL pointed at the project's test PostgreSQL (127.0.0.1:5432, a fresh
     * schema) and a certificate for the probe host from a throw-away CA ({@link TestPki}, openssl); skipped with a line when either is
     * missing. The probe is sent over TLS without verifying the certificate, as a kubelet does.
     */
    @Test
    void postgresModeWithPodTlsAnswersItsReadinessProbe(@TempDir Path tmp) throws Exception {
        if (!reachable("127.0.0.1", 5432) || !Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            System.out.println("ChartServerProbeTest: no PostgreSQL on 127.0.0.1:5432 or no /usr/bin/openssl,"
                    + " postgres mode skipped");
            return;
        }
        String schema = "deploy_" + Long.toHexString(System.nanoTime());
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema;
        Path overrides = Files.writeString(tmp.resolve("local-db.yaml"), "database:\n  url: \"" + url + "\"\n");
        List<Map<String, Object>> objects = Chart.parse(new com.marcnuri.helm.Helm(Chart.dir())
                .template()
                .withName(Chart.RELEASE)
                .withValuesFile(Chart.dir().resolve("ci/postgres-values.yaml"))
                .withValuesFile(overrides)
                .call());
        Pod pod = Pod.prepare(objects, tmp);
        Path tls = pod.mounts.get("/etc/fleetlog/tls");
        TestPki.Issued id = TestPki.create(tmp, "probe").serverFor("pod", pod.probeHost);
        Files.copy(id.cert(), tls.resolve("tls.crt"));
        Files.copy(id.key(), tls.resolve("tls.key"));
        Files.writeString(pod.mounts.get("/etc/fleetlog/pgpass").resolve("pgpass"), "*:*:*:*:unused\n");
        pod.launch();
        try {
            assertThat(pod.scheme).isEqualTo("HTTPS");
            assertThat(pod.env).containsEntry("PGPASSFILE", pod.mounts.get("/etc/fleetlog/pgpass") + "/pgpass");
            pod.assertProbesAndAccess();
            assertThat(Files.readString(pod.log)).contains("kind=postgres");
        } finally {
            pod.stop();
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
                    var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** The server container of a rendered chart, run as a plain process on this machine. */
    static final class Pod {
        final List<Map<String, Object>> objects;
        final Map<String, Object> container;
        final Path dir;
        final Path log;
        final Map<String, Path> mounts = new LinkedHashMap<>();
        final Map<String, String> env = new LinkedHashMap<>();
        final List<String> command = new ArrayList<>();
        final InetAddress podIp;
        final int port;
        final String scheme;
        final String probePath;
        final String probeHost;
        String apiToken;
        Process process;

        private Pod(List<Map<String, Object>> objects, Path dir) throws IOException {
            this.objects = objects;
            this.dir = dir;
            this.log = dir.resolve("server.log");
            this.container = Chart.serverContainer(Chart.workload(objects));
            Map<String, Object> probe = map(map(container, "readinessProbe"), "httpGet");
            this.scheme = probe.get("scheme").toString();
            this.probePath = probe.get("path").toString();
            this.podIp = podIp();
            this.port = freePort();
            // a kubelet sends Host: <pod IP>:<port> unless the probe names a Host header
            this.probeHost = Chart.<Map<String, Object>>list(probe, "httpHeaders").stream()
                    .filter(h -> "Host".equals(h.get("name")))
                    .map(h -> h.get("value").toString())
                    .findFirst()
                    .orElse(podIp.getHostAddress() + ":" + port);
        }

        static Pod start(List<Map<String, Object>> objects, Path dir) throws Exception {
            Pod pod = prepare(objects, dir);
            pod.launch();
            return pod;
        }

        /** Directories for the mounts, the Secret's files (0400), env and command; not started. */
        static Pod prepare(List<Map<String, Object>> objects, Path dir) throws Exception {
            Pod pod = new Pod(objects, dir);
            // the pod's file system: the Secrets, the data volume and /tmp become temporary directories
            for (Map<String, Object> m : Chart.<Map<String, Object>>list(pod.container, "volumeMounts")) {
                Path d = Files.createDirectories(dir.resolve(m.get("name").toString()));
                pod.mounts.put(m.get("mountPath").toString(), d);
            }
            Path secrets = pod.mounts.get("/etc/fleetlog/secrets");
            Path jar = jar();
            run(jar, dir, "token", "add", "--tokens", secrets.resolve("tokens").toString(), "5YJ3E1EB4PF100001");
            pod.apiToken = lastLine(run(
                    jar,
                    dir,
                    "api-token",
                    "add",
                    "probe",
                    "--scope",
                    "read",
                    "--users",
                    secrets.resolve("users").toString()));
            for (String f : List.of("tokens", "users")) {
                Files.setPosixFilePermissions(secrets.resolve(f), PosixFilePermissions.fromString("r--------"));
            }
            // environment: the ConfigMap (envFrom) and env, PORT moved to a free port
            pod.env.putAll(stringValues(map(Chart.one(objects, "ConfigMap"), "data")));
            for (Map<String, Object> e : Chart.<Map<String, Object>>list(pod.container, "env")) {
                Object value = e.get("value");
                if (value == null) {
                    String field = map(map(e, "valueFrom"), "fieldRef")
                            .get("fieldPath")
                            .toString();
                    assertThat(field).as("only status.podIP is emulated").isEqualTo("status.podIP");
                    value = pod.podIp.getHostAddress();
                }
                pod.env.put(e.get("name").toString(), mapPaths(value.toString(), pod.mounts));
            }
            pod.env.put("PORT", String.valueOf(pod.port));
            // the Dockerfile's ENTRYPOINT with this JVM's java and the built jar, then the chart's args
            pod.command.addAll(Dockerfile.load().entrypointHere(jar));
            for (String arg : Chart.<String>list(pod.container, "args")) {
                pod.command.add(mapPaths(expand(arg, pod.env), pod.mounts));
            }
            assertThat(pod.command).contains("--allowed-host=" + pod.podIp.getHostAddress());
            return pod;
        }

        void launch() throws IOException {
            ProcessBuilder pb =
                    new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            pb.environment().putAll(env);
            process = pb.start();
        }

        /** The readiness probe as a kubelet sends it, and why it is "/" with --allowed-host=$(POD_IP). */
        void assertProbesAndAccess() throws Exception {
            boolean tls = scheme.equals("HTTPS");
            String host = probeHost;
            int status = awaitStatus(process, podIp, port, tls, probePath, host, log);
            assertThat(status)
                    .as("readiness probe %s GET %s Host: %s", scheme, probePath, host)
                    .isEqualTo(200);
            assertThat(get(podIp, port, tls, probePath, host, null)).contains("<html");
            // another Host is refused (403 by the allowlist; over TLS already 400 by Jetty's SNI host
            // check, which is why the chart's TLS probes send a certificate name: the pod IP gets 400 too)
            assertThat(statusOf(get(podIp, port, tls, probePath, "10.255.255.1:" + port, null)))
                    .isEqualTo(tls ? 400 : 403);
            if (tls) {
                String podHost = podIp.getHostAddress() + ":" + port;
                assertThat(statusOf(get(podIp, port, true, probePath, podHost, null)))
                        .isEqualTo(400);
            }
            // /status needs a credential, and the users file supplies one
            assertThat(statusOf(get(podIp, port, tls, "/status", host, null))).isEqualTo(401);
            assertThat(statusOf(get(podIp, port, tls, "/status", host, apiToken)))
                    .isEqualTo(200);
            String out = Files.readString(log);
            assertThat(out).contains(":" + port);
            assertThat(out).doesNotContain(apiToken);
        }

        void stop() throws InterruptedException {
            if (process == null) {
                return;
            }
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("fleetlog.appJar")).toAbsolutePath();
        assertThat(jar).as("build the app first: ./mvnw -pl app -am package").exists();
        return jar;
    }

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kubernetes' $(VAR) expansion of args from the container's environment. */
    static String expand(String arg, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(arg);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        return m.appendTail(sb).toString();
    }

    /** Replaces each pod path under a mount (after start, '=', ':' or a space) in one pass. */
    static String mapPaths(String s, Map<String, Path> mounts) {
        String alternatives = mounts.keySet().stream()
                .sorted((a, b) -> b.length() - a.length())
                .map(Pattern::quote)
                .reduce((a, b) -> a + "|" + b)
                .orElseThrow();
        Matcher m =
                Pattern.compile("(?<=^|[=: ])(" + alternatives + ")(?=/|$| )").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    sb, Matcher.quoteReplacement(mounts.get(m.group(1)).toString()));
        }
        return m.appendTail(sb).toString();
    }

    private static Map<String, String> stringValues(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /**
     * The pod IP as a kubelet names it in its probe's Host header (and the chart passes to
     * {@code --allowed-host}): a documentation address (RFC 5737). The test connects through
     * loopback — the server binds 0.0.0.0 as in the pod — so no probe leaves this machine; only the
     * Host header carries the pod IP, which is what the server's checks see.
     */
    static InetAddress podIp() throws IOException {
        return InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 7});
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int awaitStatus(Process server, InetAddress ip, int port, boolean tls, String path, String host, Path log)
            throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return statusOf(get(ip, port, tls, path, host, null));
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError(
                "no answer on " + ip + ":" + port + " within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** A raw HTTP/1.1 GET, so that the Host header is exactly what a kubelet sends. */
    static String get(InetAddress ip, int port, boolean tls, String path, String host, String bearer)
            throws IOException {
        try (Socket plain = new Socket()) {
            // Always through loopback: `ip` is the pod IP the request names, not where it goes.
            InetAddress loopback = InetAddress.getLoopbackAddress();
            plain.connect(new InetSocketAddress(loopback, port), 2000);
            Socket s = tls ? unverifiedTls().createSocket(plain, loopback.getHostAddress(), port, true) : plain;
            s.setSoTimeout(5000);
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: kube-probe/1.31\r\n"
                    + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                    + "Connection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** TLS without certificate verification: what a kubelet's HTTPS probe does. */
    private static javax.net.ssl.SSLSocketFactory unverifiedTls() throws IOException {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            javax.net.ssl.TrustManager trustAll = new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            };
            ctx.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
            return ctx.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    static int statusOf(String response) {
        String[] first = response.split("\r\n", 2)[0].split(" ");
        if (first.length < 2) {
            throw new AssertionError("not an HTTP response: " + response);
        }
        return Integer.parseInt(first[1]);
    }

    static String run(Path jar, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s:\n%s", cmd, out).isZero();
        return out;
    }

    static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        Matcher m = Pattern.compile("(flt_[A-Za-z0-9_-]+)").matcher(out);
        return m.find() ? m.group(1) : last;
    }
}
