package io.fleetlog.deploy;

import static io.fleetlog.deploy.Chart.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
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
    void serverStartedWithTheChartsArgumentsAnswersItsReadinessProbe(@TempDir Path tmp) throws Exception {
        List<Map<String, Object>> objects = Chart.render(Chart.dir().resolve("ci/embedded-values.yaml"));
        Map<String, Object> workload = Chart.workload(objects);
        Map<String, Object> container = Chart.serverContainer(workload);
        Map<String, Object> probe = map(map(container, "readinessProbe"), "httpGet");
        assertThat(probe.get("scheme")).isEqualTo("HTTP");

        // the pod's file system: the Secret, the data volume and /tmp become temporary directories
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (Map<String, Object> m : Chart.<Map<String, Object>>list(container, "volumeMounts")) {
            Path dir = Files.createDirectories(tmp.resolve(m.get("name").toString()));
            mounts.put(m.get("mountPath").toString(), dir);
        }
        Path secrets = mounts.get("/etc/fleetlog/secrets");
        Path jar = Path.of(System.getProperty("fleetlog.appJar")).toAbsolutePath();
        assertThat(jar).as("build the app first: ./mvnw -pl app -am package").exists();
        run(jar, tmp, "token", "add", "--tokens", secrets.resolve("tokens").toString(), "5YJ3E1EB4PF100001");
        String apiToken = lastLine(run(
                jar,
                tmp,
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
        InetAddress podIp = podIp();
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.putAll(stringValues(map(Chart.one(objects, "ConfigMap"), "data")));
        for (Map<String, Object> e : Chart.<Map<String, Object>>list(container, "env")) {
            Object value = e.get("value");
            if (value == null) {
                String field =
                        map(map(e, "valueFrom"), "fieldRef").get("fieldPath").toString();
                assertThat(field).as("only status.podIP is emulated").isEqualTo("status.podIP");
                value = podIp.getHostAddress();
            }
            env.put(e.get("name").toString(), mapPaths(value.toString(), mounts));
        }
        env.put("PORT", String.valueOf(port));

        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        for (String arg : Chart.<String>list(container, "args")) {
            command.add(mapPaths(expand(arg, env), mounts));
        }
        assertThat(command).contains("--allowed-host=" + podIp.getHostAddress());

        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("server.log").toFile());
        pb.environment().putAll(env);
        Process server = pb.start();
        try {
            String host = podIp.getHostAddress() + ":" + port;
            String path = probe.get("path").toString();
            int status = awaitStatus(server, podIp, port, path, host, tmp.resolve("server.log"));
            assertThat(status).as("readiness probe GET %s Host: %s", path, host).isEqualTo(200);
            assertThat(get(podIp, port, path, host, null)).contains("<html");

            // why the probe is "/" with --allowed-host=$(POD_IP): another Host is refused, /status needs a credential
            assertThat(statusOf(get(podIp, port, path, "10.255.255.1:" + port, null)))
                    .isEqualTo(403);
            assertThat(statusOf(get(podIp, port, "/status", host, null))).isEqualTo(401);
            assertThat(statusOf(get(podIp, port, "/status", host, apiToken))).isEqualTo(200);

            String log = Files.readString(tmp.resolve("server.log"));
            assertThat(log).contains("listening on *:" + port);
            assertThat(log).doesNotContain(apiToken);
            assertThat(mounts.get("/var/lib/fleetlog").resolve("fleetlog.db")).exists();
        } finally {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
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

    /** A non-loopback IPv4 address of this machine (what a pod IP is); loopback when there is none. */
    static InetAddress podIp() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        System.out.println("ChartServerProbeTest: no non-loopback IPv4 address; probing 127.0.0.1");
        return InetAddress.getLoopbackAddress();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int awaitStatus(Process server, InetAddress ip, int port, String path, String host, Path log)
            throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("server exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return statusOf(get(ip, port, path, host, null));
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError(
                "no answer on " + ip + ":" + port + " within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** A raw HTTP/1.1 GET, so that the Host header is exactly what a kubelet sends. */
    static String get(InetAddress ip, int port, String path, String host, String bearer) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
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

    static int statusOf(String response) {
        String[] first = response.split("\r\n", 2)[0].split(" ");
        if (first.length < 2) {
            throw new AssertionError("not an HTTP response: " + response);
        }
        return Integer.parseInt(first[1]);
    }

    private static String run(Path jar, Path dir, String... args) throws Exception {
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

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        Matcher m = Pattern.compile("(flt_[A-Za-z0-9_-]+)").matcher(out);
        return m.find() ? m.group(1) : last;
    }
}
