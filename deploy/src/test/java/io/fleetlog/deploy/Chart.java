package io.fleetlog.deploy;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart {@code deploy/helm/fleetlog} rendered offline by the Helm library bundled in helm-java
 * (no cluster, no network), as a list of Kubernetes objects (one map per YAML document).
 */
final class Chart {
    static final String RELEASE = "fleet";

    private Chart() {}

    static Path deployDir() {
        return Path.of(System.getProperty("fleetlog.deployDir", ".")).toAbsolutePath();
    }

    static Path dir() {
        return deployDir().resolve("helm/fleetlog");
    }

    /** Every values file under ci/, sorted by name. */
    static List<Path> ciValuesFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir().resolve("ci"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /**
     * A copy of the chart in {@code into} whose values.yaml is the chart's defaults with {@code
     * valuesFile} merged over them as {@code helm -f} does (maps merge key by key, anything else is
     * replaced): helm-java's lint takes no values file, so a CI values file is linted this way.
     */
    @SuppressWarnings("unchecked")
    static Path withValues(Path valuesFile, Path into) throws IOException {
        try (Stream<Path> all = Files.walk(dir())) {
            for (Path p : all.toList()) {
                Path target = into.resolve(dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Map<String, Object> defaults = new Yaml().load(Files.readString(dir().resolve("values.yaml")));
        Map<String, Object> over = new Yaml().load(Files.readString(valuesFile));
        Files.writeString(into.resolve("values.yaml"), new Yaml().dump(merge(defaults, over)));
        return into;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(base == null ? Map.of() : base);
        if (over != null) {
            over.forEach((k, v) -> out.put(
                    k,
                    v instanceof Map<?, ?> m && out.get(k) instanceof Map<?, ?> b
                            ? merge((Map<String, Object>) b, (Map<String, Object>) m)
                            : v));
        }
        return out;
    }

    /** Renders with the given values file (null: the chart's defaults). */
    static List<Map<String, Object>> render(Path valuesFile) {
        var template = new Helm(dir()).template().withName(RELEASE).withNamespace("fleet");
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        return parse(template.call());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String manifest) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(manifest)) {
            if (doc != null) {
                objects.add((Map<String, Object>) doc);
            }
        }
        return objects;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Map<String, Object> one(List<Map<String, Object>> objects, String kind) {
        List<Map<String, Object>> found = ofKind(objects, kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The server workload: the StatefulSet (embedded mode) or the Deployment (postgres mode). */
    static Map<String, Object> workload(List<Map<String, Object>> objects) {
        List<Map<String, Object>> w = objects.stream()
                .filter(o -> "StatefulSet".equals(o.get("kind")) || "Deployment".equals(o.get("kind")))
                .toList();
        if (w.size() != 1) {
            throw new AssertionError("expected one StatefulSet or Deployment, found " + w.size());
        }
        return w.get(0);
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload, "spec"), "template"), "spec");
    }

    static Map<String, Object> serverContainer(Map<String, Object> workload) {
        List<Map<String, Object>> containers = list(podSpec(workload), "containers");
        return containers.stream()
                .filter(c -> "server".equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container named server"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) {
            throw new AssertionError("'" + key + "' is not a map in " + m.keySet() + ": " + v);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? List.of() : (List<T>) v;
    }
}
