package io.fleetlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The Cloud Run module's container, run as a plain process: the {@code args} list and the {@code
 * env} blocks of {@code deploy/terraform/cloud-run/main.tf} (read from the source: terraform cannot
 * plan here), {@code ${local.database_url}} pointed at the project's test PostgreSQL (a fresh
 * schema), the Secret Manager mounts ({@code /etc/fleetlog/{tokens,users,pgpass}}) as temporary
 * directories with 0400 files, {@code PORT} set as Cloud Run sets it, and the Dockerfile's
 * ENTRYPOINT. The startup probe path then answers 200 for any Host (Cloud Run's front end checks
 * hosts, the module passes {@code --allowed-host=*}); {@code /status} needs a credential. Skipped
 * with a line without PostgreSQL on 127.0.0.1:5432.
 */
class TerraformServerTest {

    @Test
    void cloudRunContainerAnswersItsStartupProbe(@TempDir Path tmp) throws Exception {
        if (!ChartServerProbeTest.reachable("127.0.0.1", 5432)) {
            System.out.println("TerraformServerTest: no PostgreSQL on 127.0.0.1:5432, skipped");
            return;
        }
        String main = Files.readString(Chart.deployDir().resolve("terraform/cloud-run/main.tf"));
        Matcher argsBlock =
                Pattern.compile("args = concat\\(\\[(.*?)\\]", Pattern.DOTALL).matcher(main);
        assertThat(argsBlock.find()).as("args = concat([...]) in main.tf").isTrue();
        List<String> tfArgs = new ArrayList<>();
        Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(argsBlock.group(1));
        while (q.find()) {
            tfArgs.add(q.group(1));
        }
        Matcher probePath = Pattern.compile("startup_probe \\{\\s*http_get \\{\\s*path = \"([^\"]+)\"")
                .matcher(main);
        assertThat(probePath.find()).isTrue();
        Map<String, String> env = new LinkedHashMap<>();
        Matcher e = Pattern.compile("env \\{\\s*name\\s*=\\s*\"([^\"]+)\"\\s*value\\s*=\\s*\"([^\"]*)\"")
                .matcher(main);
        while (e.find()) {
            env.put(e.group(1), e.group(2));
        }
        assertThat(env).containsKeys("PGPASSFILE", "JAVA_TOOL_OPTIONS");

        Map<String, Path> mounts = new LinkedHashMap<>();
        for (String secret : List.of("tokens", "users", "pgpass")) {
            mounts.put("/etc/fleetlog/" + secret, Files.createDirectories(tmp.resolve(secret)));
        }
        Path jar = ChartServerProbeTest.jar();
        ChartServerProbeTest.run(
                jar,
                tmp,
                "token",
                "add",
                "--tokens",
                tmp.resolve("tokens/tokens").toString(),
                "5YJ3E1EB4PF100001");
        String apiToken = ChartServerProbeTest.lastLine(ChartServerProbeTest.run(
                jar,
                tmp,
                "api-token",
                "add",
                "probe",
                "--scope",
                "read",
                "--users",
                tmp.resolve("users/users").toString()));
        Files.writeString(tmp.resolve("pgpass/pgpass"), "*:*:*:*:unused\n");
        for (String f : List.of("tokens/tokens", "users/users", "pgpass/pgpass")) {
            Files.setPosixFilePermissions(tmp.resolve(f), PosixFilePermissions.fromString("r--------"));
        }

        String schema = "deploy_tf_" + Long.toHexString(System.nanoTime());
        String dbUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema;
        int port = ChartServerProbeTest.freePort();
        List<String> command = new ArrayList<>(Dockerfile.load().entrypointHere(jar));
        for (String a : tfArgs) {
            assertThat(a).doesNotContain("password");
            command.add(ChartServerProbeTest.mapPaths(a.replace("${local.database_url}", dbUrl), mounts));
        }
        assertThat(command).contains("--allowed-host=*", "--insecure");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        Path log = tmp.resolve("server.log");
        pb.redirectOutput(log.toFile());
        env.forEach((k, v) -> pb.environment().put(k, ChartServerProbeTest.mapPaths(v, mounts)));
        pb.environment().put("PORT", String.valueOf(port)); // Cloud Run sets PORT
        Process server = pb.start();
        try {
            InetAddress ip = ChartServerProbeTest.podIp();
            String path = probePath.group(1);
            String anyHost = "fleetlog-abc123-ew.a.run.app";
            int status = ChartServerProbeTest.awaitStatus(server, ip, port, false, path, anyHost, log);
            assertThat(status).as("startup probe GET %s", path).isEqualTo(200);
            assertThat(ChartServerProbeTest.statusOf(
                            ChartServerProbeTest.get(ip, port, false, "/status", anyHost, null)))
                    .isEqualTo(401);
            assertThat(ChartServerProbeTest.statusOf(
                            ChartServerProbeTest.get(ip, port, false, "/status", anyHost, apiToken)))
                    .isEqualTo(200);
            assertThat(Files.readString(log)).contains("kind=postgres").contains("*:" + port);
        } finally {
            server.destroy();
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
                    var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
