package io.fleetlog.app.cli;

import io.fleetlog.server.mqtt.MqttConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The MQTT flags shared by {@code fleetlog server} and {@code fleetlog demo} (a picocli mixin); see
 * docs/mqtt.md. The broker password is read from a file, never taken from the command line.
 */
public final class MqttOptions {
    @Option(
            names = "--mqtt",
            paramLabel = "URL",
            description = "Publish every vehicle's current state to this MQTT broker, retained at QoS 1:"
                    + " tcp://HOST[:1883] or ssl://HOST[:8883] (docs/mqtt.md).")
    String broker;

    @Option(
            names = "--mqtt-namespace",
            paramLabel = "NS",
            description = "Topics become fleetlog/NS/... and teslamate/NS/cars/... (TeslaMate's MQTT_NAMESPACE).")
    String namespace;

    @Option(
            names = "--mqtt-teslamate",
            arity = "0..1",
            paramLabel = "true|false",
            defaultValue = "true",
            description =
                    "Also publish TeslaMate's topics teslamate/[NS/]cars/$car_id/... (default: ${DEFAULT-VALUE}).")
    boolean teslaMate = true;

    @Option(
            names = "--mqtt-discovery-prefix",
            paramLabel = "PREFIX",
            defaultValue = MqttConfig.DEFAULT_DISCOVERY_PREFIX,
            description = "Home Assistant's discovery prefix (default: ${DEFAULT-VALUE}); 'off' publishes no"
                    + " discovery configs.")
    String discoveryPrefix;

    @Option(names = "--mqtt-username", paramLabel = "NAME", description = "Broker user name.")
    String username;

    @Option(
            names = "--mqtt-password-file",
            paramLabel = "FILE",
            description = "File whose first line is the broker password (keep it mode 0600).")
    Path passwordFile;

    @Option(
            names = "--mqtt-stale-seconds",
            paramLabel = "S",
            defaultValue = "60",
            description =
                    "A vehicle with no stored frame for this long is published offline (default: ${DEFAULT-VALUE}).")
    long staleSeconds;

    /** The flags as the publisher's configuration, or null without {@code --mqtt}. */
    public MqttConfig toConfig() {
        if (broker == null) {
            if (namespace != null || username != null || passwordFile != null) {
                throw new IllegalArgumentException(
                        "--mqtt-namespace, --mqtt-username and --mqtt-password-file need --mqtt URL");
            }
            return null;
        }
        String prefix = discoveryPrefix.equalsIgnoreCase("off") ? null : discoveryPrefix;
        return MqttConfig.of(broker)
                .withNamespace(namespace)
                .withTeslaMate(teslaMate)
                .withDiscoveryPrefix(prefix)
                .withCredentials(username, passwordFile == null ? null : readPassword(passwordFile))
                .withStaleAfter(Duration.ofSeconds(staleSeconds));
    }

    /** The first line of {@code file}, without its line break; the file must exist and not be empty. */
    static String readPassword(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--mqtt-password-file " + file + " does not exist");
        }
        try {
            warnIfReadableByOthers(file);
            String first =
                    Files.readAllLines(file).stream().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new IllegalArgumentException("--mqtt-password-file " + file + " has an empty first line");
            }
            return first;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --mqtt-password-file " + file, e);
        }
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                System.err.println(
                        "WARNING: --mqtt-password-file " + file + " is readable by other users; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
