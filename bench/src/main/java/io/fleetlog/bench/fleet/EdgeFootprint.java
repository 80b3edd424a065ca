package io.fleetlog.bench.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 4: heap and CPU of the edge fleet alone. The server runs in this JVM; the fleet runs in a
 * child JVM ({@link EdgeFleetProcess}) started with {@code -Xmx64m}, so finishing at all proves the
 * 5-vehicle fleet fits a 64 MB heap, and the child's own figures (peak used heap, process CPU time)
 * are the edge's only.
 */
final class EdgeFootprint {
    static final String MAX_HEAP = "-Xmx64m";

    /** The child's figures. */
    record Result(
            int vehicles,
            int seconds,
            long samples,
            boolean drained,
            long buffered,
            double wallSeconds,
            double cpuSeconds,
            long peakHeapBytes,
            long afterGcBytes,
            long poolPeakBytes,
            long maxHeapBytes,
            String gc,
            int exitCode) {

        double cpuMicrosPerSample() {
            return samples == 0 ? 0 : cpuSeconds * 1e6 / samples;
        }
    }

    private EdgeFootprint() {}

    static Result run(Path dir, List<BenchVehicle> fleet, int seconds) throws IOException, InterruptedException {
        Path spoolDir = Files.createDirectories(dir.resolve("spools"));
        Path err = dir.resolve("edge-fleet.stderr.log");
        try (BenchServer server = BenchServer.start(dir, fleet, (vin, s, t) -> {})) {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    MAX_HEAP,
                    "-Dfleetlog.realData=" + System.getProperty("fleetlog.realData", "../shared/data/real"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    EdgeFleetProcess.class.getName(),
                    server.baseUrl(),
                    spoolDir.toString(),
                    Integer.toString(fleet.size()),
                    Integer.toString(seconds)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().put("FLEETLOG_LOG_LEVEL", "WARN");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("the edge fleet JVM did not finish in 15 minutes");
            }
            return parse(out, seconds, p.exitValue(), err);
        }
    }

    private static Result parse(String out, int seconds, int exit, Path err) throws IOException {
        String line = out.lines()
                .filter(l -> l.startsWith(EdgeFleetProcess.MARKER + " "))
                .findFirst()
                .orElseThrow(() -> new IOException("the edge fleet JVM (exit " + exit + ") printed no result; stdout:\n"
                        + out + "\nstderr (" + err + "):\n" + tail(err)));
        Map<String, String> kv = new HashMap<>();
        for (String part : line.substring(EdgeFleetProcess.MARKER.length() + 1).split(" ")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new Result(
                Integer.parseInt(kv.get("vehicles")),
                seconds,
                Long.parseLong(kv.get("samples")),
                Boolean.parseBoolean(kv.get("drained")),
                Long.parseLong(kv.get("buffered")),
                Long.parseLong(kv.get("wallNs")) / 1e9,
                Long.parseLong(kv.get("cpuNs")) / 1e9,
                Long.parseLong(kv.get("peakHeap")),
                Long.parseLong(kv.get("afterGc")),
                Long.parseLong(kv.get("poolPeaks")),
                Long.parseLong(kv.get("maxHeap")),
                kv.get("gc"),
                exit);
    }

    /** The last lines of the child's log, for the error message. */
    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
