package io.fleetlog.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge module is the product (capture → spool → uplink): its sources name nothing of the
 * simulation harness in {@code sim} — no import of {@code io.fleetlog.sim}, no simulator, fault proxy,
 * outage schedule, and none of the words of demo pacing. (The build enforces the import too: {@code
 * edge/pom.xml} does not depend on {@code fleetlog-sim}; this test also catches a copied class or a
 * harness setting creeping back into the edge's config.)
 */
class EdgeIsProductTest {
    /** Identifiers of the harness; matched as whole words anywhere in a line, comments included. */
    static final Pattern HARNESS = Pattern.compile("\\b(io\\.fleetlog\\.sim|DriveSimulator|VehicleModel|FaultProxy"
            + "|ProxyLink|OutageSchedule|CutMode|SimulatedVehicle|SimConfig|minOutageWall|MinOutageWall"
            + "|faultProxy|withFaultProxy|parseSpeed|maxSpeed|withSpeed|withOutages|pausedNanos|sleepUntilDue"
            + "|pace)\\b");

    /** Every line of a {@code .java} file under {@code root} that names the harness, as {@code file:line: text}. */
    static List<String> harnessLines(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = HARNESS.matcher(lines.get(i));
                    if (m.find()) {
                        out.add(f + ":" + (i + 1) + ": '" + m.group(1) + "' in: "
                                + lines.get(i).strip());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theEdgesSourcesNameNothingOfTheSimulationHarness() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertThat(main.resolve("io/fleetlog/edge/VehicleAgent.java"))
                .as("run from the edge module")
                .exists();
        assertThat(harnessLines(main))
                .as("edge/src/main must not use the simulation harness (module sim)")
                .isEmpty();
    }

    @Test
    void aHarnessImportIsReportedWithItsFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("io/fleetlog/edge/Sneaky.java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                package io.fleetlog.edge;

                import io.fleetlog.sim.proxy.FaultProxy;

                final class Sneaky {
                    double speed = 2; // the vehicle's speed is a signal, not pacing
                    static double s = SimConfig.parseSpeed("20x");
                }
                """);
        assertThat(harnessLines(dir))
                .containsExactly(
                        f + ":3: 'io.fleetlog.sim' in: import io.fleetlog.sim.proxy.FaultProxy;",
                        f + ":7: 'SimConfig' in: static double s = SimConfig.parseSpeed(\"20x\");");
    }
}
