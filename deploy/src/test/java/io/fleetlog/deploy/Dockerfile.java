package io.fleetlog.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime stage of {@code deploy/Dockerfile} (the part after its last {@code FROM}), read as
 * instructions with continuation lines joined. No Docker engine is needed.
 */
record Dockerfile(List<String> runtime) {
    static Dockerfile load() throws IOException {
        String text = Files.readString(Chart.deployDir().resolve("Dockerfile")).replace("\\\n", " ");
        List<String> runtime = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("FROM ")) {
                runtime.clear();
            }
            runtime.add(l.replaceAll("\\s+", " "));
        }
        return new Dockerfile(runtime);
    }

    /** The arguments of the one instruction {@code keyword} of the runtime stage. */
    String one(String keyword) {
        List<String> found = runtime.stream()
                .filter(l -> l.startsWith(keyword + " "))
                .map(l -> l.substring(keyword.length() + 1))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the runtime stage, found " + found);
        }
        return found.get(0);
    }

    /** ENTRYPOINT in exec form. */
    List<String> entrypoint() throws IOException {
        return List.of(new ObjectMapper().readValue(one("ENTRYPOINT"), String[].class));
    }

    /** The entrypoint as a plain process on this machine: this JVM's java and the built jar. */
    List<String> entrypointHere(Path jar) throws IOException {
        List<String> cmd = new ArrayList<>();
        for (String a : entrypoint()) {
            cmd.add(
                    a.equals("java")
                            ? Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString()
                            : a.equals("/app/fleetlog.jar") ? jar.toString() : a);
        }
        return cmd;
    }
}
