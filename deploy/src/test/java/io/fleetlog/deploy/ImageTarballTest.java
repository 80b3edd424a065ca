package io.fleetlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OCI image tarball Jib builds in this module ({@code target/jib-image.tar}, FROM scratch in CI
 * because no registry is reachable): a valid OCI layout whose blobs match their digests, the
 * entrypoint that runs {@code io.fleetlog.app.Main} on the application's classpath, a non-root
 * user, port 8080 and {@code PORT}, the data volume, the OCI labels, and layers that hold the
 * server, the dashboard and no world-writable file.
 */
class ImageTarballTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, Tar.Entry> image;
    private static JsonNode manifest;
    private static JsonNode config;

    @BeforeAll
    static void readImage() throws Exception {
        Path tar = Path.of(System.getProperty("fleetlog.imageTar"));
        assertThat(tar).as("built by jib:buildTar in process-test-classes").exists();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
            image = Tar.read(in, Long.MAX_VALUE);
        }
        JsonNode index = json("index.json");
        assertThat(index.get("manifests")).hasSize(1);
        manifest =
                JSON.readTree(blob(index.get("manifests").get(0).get("digest").asText()));
        config = JSON.readTree(blob(manifest.get("config").get("digest").asText()));
    }

    @Test
    void isAnOciLayoutWhoseBlobsMatchTheirDigests() throws Exception {
        assertThat(json("oci-layout").get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        JsonNode index = json("index.json");
        assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.get("manifests")
                        .get(0)
                        .get("annotations")
                        .get("org.opencontainers.image.ref.name")
                        .asText())
                .isEqualTo("fleetlog:" + System.getProperty("fleetlog.version"));
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        List<JsonNode> described = new ArrayList<>();
        described.add(manifest.get("config"));
        manifest.get("layers").forEach(described::add);
        for (JsonNode d : described) {
            byte[] content = blob(d.get("digest").asText());
            assertThat((long) content.length).isEqualTo(d.get("size").asLong());
            assertThat("sha256:" + sha256(content)).isEqualTo(d.get("digest").asText());
        }
        assertThat(manifest.get("layers")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(config.get("rootfs").get("diff_ids"))
                .hasSize(manifest.get("layers").size());
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void runsTheCliAsANonRootUserOnPort8080WithADataVolume() {
        JsonNode c = config.get("config");
        List<String> entrypoint = strings(c.get("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("--enable-native-access=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("io.fleetlog.app.Main");
        assertThat(strings(c.get("Cmd"))).containsExactly("server", "--help");
        assertThat(c.get("User").asText()).isEqualTo("10001:10001").doesNotStartWith("0");
        assertThat(c.get("ExposedPorts").fieldNames()).toIterable().containsExactly("8080/tcp");
        assertThat(c.get("Volumes").fieldNames()).toIterable().containsExactly("/var/lib/fleetlog");
        assertThat(strings(c.get("Env"))).contains("PORT=8080");
        assertThat(c.get("WorkingDir").asText()).isEqualTo("/var/lib/fleetlog");
        JsonNode labels = c.get("Labels");
        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("fleetlog");
        assertThat(labels.get("org.opencontainers.image.version").asText())
                .isEqualTo(System.getProperty("fleetlog.version"));
        assertThat(labels.get("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
        assertThat(labels.has("org.opencontainers.image.source")).isTrue();
    }

    @Test
    void layersHoldTheApplicationClasspathAndNoWorldWritableFile() throws Exception {
        List<Tar.Entry> files = new ArrayList<>();
        for (JsonNode layer : manifest.get("layers")) {
            assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            try (InputStream in = new GZIPInputStream(
                    new java.io.ByteArrayInputStream(blob(layer.get("digest").asText())))) {
                files.addAll(Tar.read(in, 1 << 20).values());
            }
        }
        List<String> names = files.stream().map(Tar.Entry::name).toList();
        assertThat(names)
                .as("the fleetlog module jars: in a reactor run before 'package' (e.g. mvn test) Maven hands Jib"
                        + " target/classes directories, which it leaves out; build with package or verify")
                .anyMatch(n -> n.matches("/?app/libs/fleetlog-server-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("/?app/libs/fleetlog-dashboard-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("/?app/libs/fleetlog-app-.*\\.jar"));
        assertThat(names).anyMatch(n -> n.matches("/?app/libs/sqlite-jdbc-.*\\.jar"));
        Tar.Entry classpath = files.stream()
                .filter(f -> f.name().matches("/?app/jib-classpath-file"))
                .findFirst()
                .orElseThrow();
        String cp = new String(classpath.content(), StandardCharsets.UTF_8);
        assertThat(cp).contains("/app/libs/fleetlog-app-").contains("/app/libs/picocli-");
        Tar.Entry mainClass = files.stream()
                .filter(f -> f.name().matches("/?app/jib-main-class-file"))
                .findFirst()
                .orElseThrow();
        assertThat(new String(mainClass.content(), StandardCharsets.UTF_8).strip())
                .isEqualTo("io.fleetlog.app.Main");
        assertThat(files)
                .allSatisfy(f -> assertThat(f.mode() & 0002)
                        .as("%s world-writable", f.name())
                        .isZero());
    }

    private static JsonNode json(String name) throws Exception {
        return JSON.readTree(entry(name));
    }

    private static byte[] blob(String digest) {
        return entry("blobs/sha256/" + digest.substring("sha256:".length()));
    }

    private static byte[] entry(String name) {
        Tar.Entry e = image.get(name);
        assertThat(e)
                .as("%s in the image tarball (has %s)", name, image.keySet())
                .isNotNull();
        return e.content();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
