package io.fleetlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Cloud Run module {@code deploy/terraform/cloud-run}: {@code terraform fmt -check} when a
 * terraform binary is on the PATH (skipped with a line in the output otherwise; {@code validate}
 * needs the provider registry, which these machines cannot reach), and the settings the issue asks
 * for read from the source: Cloud Run's 60-minute request timeout, secrets as Secret Manager files,
 * no password on the command line.
 */
class TerraformTest {
    private static final Path MODULE = Chart.deployDir().resolve("terraform/cloud-run");

    @Test
    void terraformFmtCheckWhereTerraformExists() throws Exception {
        Optional<Path> terraform = Arrays.stream(
                        System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "terraform"))
                .filter(Files::isExecutable)
                .findFirst();
        if (terraform.isEmpty()) {
            System.out.println("TerraformTest: terraform not on the PATH, 'terraform fmt -check' skipped");
            return;
        }
        Process p = new ProcessBuilder(terraform.get().toString(), "fmt", "-check", "-diff", "-recursive", ".")
                .directory(MODULE.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("terraform fmt -check:\n%s", out).isZero();
        System.out.println("TerraformTest: terraform fmt -check passed (" + terraform.get() + ")");
    }

    @Test
    void moduleKeepsWebSocketsForAnHourAndSecretsInFiles() throws Exception {
        String main = Files.readString(MODULE.resolve("main.tf"));
        String variables = Files.readString(MODULE.resolve("variables.tf"));
        assertThat(main).contains("resource \"google_cloud_run_v2_service\"");
        assertThat(main).contains("timeout                          = \"${var.request_timeout_seconds}s\"");
        assertThat(variables).containsPattern("variable \"request_timeout_seconds\"[^}]*default\\s*=\\s*3600");
        assertThat(main).contains("google_secret_manager_secret", "\"--tokens=/etc/fleetlog/tokens/tokens\"");
        assertThat(main).contains("\"--users=/etc/fleetlog/users/users\"", "PGPASSFILE");
        assertThat(main).contains("min_instance_count = var.min_instances");
        assertThat(main).doesNotContain("password=");
        for (String f : new String[] {"variables.tf", "outputs.tf"}) {
            String text = Files.readString(MODULE.resolve(f));
            long blocks =
                    text.lines().filter(l -> l.matches("^(variable|output) .*")).count();
            long described = text.lines()
                    .filter(l -> l.strip().startsWith("description"))
                    .count();
            assertThat(described).as("every %s block documented", f).isEqualTo(blocks);
        }
    }
}
