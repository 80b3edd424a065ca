package io.fleetlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's systemd unit {@code deploy/systemd/fleetlog-edge.service} and its example config:
 * restart on failure, a dedicated user, the spool under /var/lib/fleetlog as the only writable path
 * ({@code ProtectSystem=strict}), the token as a systemd credential file (never on the command line),
 * every variable of ExecStart defined by the example config, the edge's options real ones (checked by
 * {@code fleetlog edge --help} of the built jar), and {@code systemd-analyze verify} silent where it
 * exists.
 */
class SystemdUnitTest {
    private static final Path DIR = Chart.deployDir().resolve("systemd");

    @Test
    void unitIsHardenedAndKeepsTheSpoolUnderVarLib() throws Exception {
        Map<String, List<String>> s = section(Files.readString(DIR.resolve("fleetlog-edge.service")), "Service");
        assertThat(s.get("Restart")).containsExactly("on-failure");
        assertThat(s.get("User")).containsExactly("fleetlog");
        assertThat(s.get("ProtectSystem")).containsExactly("strict");
        assertThat(s.get("ReadWritePaths")).containsExactly("/var/lib/fleetlog");
        assertThat(s.get("StateDirectory")).containsExactly("fleetlog");
        assertThat(s.get("NoNewPrivileges")).containsExactly("true");
        assertThat(s.get("LoadCredential")).containsExactly("token:/etc/fleetlog/edge.token");
        String exec = s.get("ExecStart").get(0);
        assertThat(exec).contains("--spool-dir /var/lib/fleetlog/spool");
        assertThat(exec).contains("--token-file ${CREDENTIALS_DIRECTORY}/token");
        assertThat(exec).doesNotContain("FLEETLOG_TOKEN").doesNotContain("--token ");
    }

    @Test
    void exampleConfigDefinesEveryVariableOfExecStartAndNoSecret() throws Exception {
        String exec = section(Files.readString(DIR.resolve("fleetlog-edge.service")), "Service")
                .get("ExecStart")
                .get(0);
        Set<String> used = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{?([A-Z_]+)}?").matcher(exec);
        while (m.find()) {
            used.add(m.group(1));
        }
        Map<String, String> env = env(Files.readString(DIR.resolve("edge.env.example")));
        used.remove("CREDENTIALS_DIRECTORY"); // set by systemd
        assertThat(env.keySet()).containsAll(used);
        assertThat(env.keySet()).noneMatch(k -> k.contains("TOKEN") || k.contains("PASSWORD"));
    }

    @Test
    void execStartUsesOptionsTheEdgeCommandHas(@TempDir Path tmp) throws Exception {
        String exec = section(Files.readString(DIR.resolve("fleetlog-edge.service")), "Service")
                .get("ExecStart")
                .get(0);
        Path jar = Path.of(System.getProperty("fleetlog.appJar"));
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "edge",
                        "--help")
                .redirectErrorStream(true)
                .start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile(" (--[a-z-]+)").matcher(exec.substring(exec.indexOf(" edge ")));
        List<String> options = new ArrayList<>();
        while (m.find()) {
            options.add(m.group(1));
        }
        assertThat(options).contains("--vin", "--server", "--token-file", "--spool-dir");
        for (String o : options) {
            assertThat(help).as("fleetlog edge --help lists %s", o).contains(o);
        }
    }

    @Test
    void systemdAnalyzeVerifyIsSilentWhereAvailable() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) {
            System.out.println("SystemdUnitTest: systemd-analyze not found, verify skipped");
            return;
        }
        Process p = new ProcessBuilder(
                        analyze.toString(),
                        "verify",
                        DIR.resolve("fleetlog-edge.service").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // a machine without /usr/bin/java (the unit's interpreter) is not the unit's fault
        assertThat(out.lines()
                        .filter(l -> l.contains("fleetlog-edge.service"))
                        .filter(l -> !l.contains("/usr/bin/java")))
                .as("systemd-analyze verify:\n%s", out)
                .isEmpty();
    }

    /** Keys of one [section] (continuation lines joined), each with its values in order. */
    static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = null;
        for (String line : unit.replace("\\\n", " ").split("\n")) {
            String l = line.strip();
            if (l.startsWith("[")) {
                current = l.substring(1, l.length() - 1);
            } else if (name.equals(current) && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                int eq = l.indexOf('=');
                out.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>())
                        .add(l.substring(eq + 1).replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    static Map<String, String> env(String file) {
        Map<String, String> out = new LinkedHashMap<>();
        file.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .forEach(l -> out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return out;
    }
}
