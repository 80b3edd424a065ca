package io.fleetlog.server.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the MQTT publisher needs, validated once here (field name and value in every message). See
 * docs/mqtt.md.
 *
 * @param broker {@code tcp://HOST[:PORT]} (default port 1883) or {@code ssl://HOST[:PORT]} (8883);
 *     never with credentials in it
 * @param namespace null or a name of {@code [A-Za-z0-9_-]}: topics become {@code fleetlog/NS/…} and
 *     {@code teslamate/NS/cars/…} (TeslaMate's {@code MQTT_NAMESPACE})
 * @param teslaMate whether the TeslaMate topic scheme is published beside fleetlog's own topics
 * @param discoveryPrefix Home Assistant's discovery prefix ({@code homeassistant}), or null = no discovery
 * @param username broker user name, or null
 * @param password broker password (read from a file by the CLI, never from its command line), or
 *     null; {@link #toString()} never shows it
 * @param staleAfter a vehicle whose last stored frame arrived this long ago is published as offline
 * @param minInterval the least time between two publishes of one topic (newer values coalesce)
 */
public record MqttConfig(
        String broker,
        String namespace,
        boolean teslaMate,
        String discoveryPrefix,
        String username,
        String password,
        Duration staleAfter,
        Duration minInterval) {

    public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(1);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,64}(/[A-Za-z0-9_-]{1,64}){0,3}");

    public MqttConfig {
        Objects.requireNonNull(broker, "broker");
        URI uri = parse(broker);
        if (namespace != null && !NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException(
                    "namespace '" + abbreviate(namespace) + "' must be 1..64 characters of A-Z a-z 0-9 _ -");
        }
        if (discoveryPrefix != null && !PREFIX.matcher(discoveryPrefix).matches()) {
            throw new IllegalArgumentException("discoveryPrefix '" + abbreviate(discoveryPrefix)
                    + "' must be up to 4 levels of A-Z a-z 0-9 _ - separated by /");
        }
        if (username != null && (username.isEmpty() || username.length() > 256)) {
            throw new IllegalArgumentException("username must be 1..256 characters, got " + username.length());
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("a password needs a username (--mqtt-username)");
        }
        staleAfter = staleAfter == null ? DEFAULT_STALE_AFTER : staleAfter;
        minInterval = minInterval == null ? DEFAULT_MIN_INTERVAL : minInterval;
        if (staleAfter.toMillis() < 1_000 || staleAfter.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("staleAfter " + staleAfter + " is outside 1 s..1 day");
        }
        if (minInterval.isNegative() || minInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("minInterval " + minInterval + " is outside 0..10 min");
        }
        broker = uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
    }

    /** {@code broker} with the defaults: TeslaMate topics on, discovery under {@code homeassistant}. */
    public static MqttConfig of(String broker) {
        return new MqttConfig(broker, null, true, DEFAULT_DISCOVERY_PREFIX, null, null, null, null);
    }

    public MqttConfig withNamespace(String ns) {
        return new MqttConfig(broker, ns, teslaMate, discoveryPrefix, username, password, staleAfter, minInterval);
    }

    public MqttConfig withTeslaMate(boolean on) {
        return new MqttConfig(broker, namespace, on, discoveryPrefix, username, password, staleAfter, minInterval);
    }

    /** Home Assistant's discovery prefix; null turns discovery off. */
    public MqttConfig withDiscoveryPrefix(String prefix) {
        return new MqttConfig(broker, namespace, teslaMate, prefix, username, password, staleAfter, minInterval);
    }

    public MqttConfig withCredentials(String user, String pass) {
        return new MqttConfig(broker, namespace, teslaMate, discoveryPrefix, user, pass, staleAfter, minInterval);
    }

    public MqttConfig withStaleAfter(Duration d) {
        return new MqttConfig(broker, namespace, teslaMate, discoveryPrefix, username, password, d, minInterval);
    }

    public MqttConfig withMinInterval(Duration d) {
        return new MqttConfig(broker, namespace, teslaMate, discoveryPrefix, username, password, staleAfter, d);
    }

    /** fleetlog's topic root: {@code fleetlog} or {@code fleetlog/NS}. */
    public String fleetlogRoot() {
        return namespace == null ? "fleetlog" : "fleetlog/" + namespace;
    }

    /** TeslaMate's topic root: {@code teslamate} or {@code teslamate/NS}. */
    public String teslaMateRoot() {
        return namespace == null ? "teslamate" : "teslamate/" + namespace;
    }

    @Override
    public String toString() {
        return "MqttConfig[broker=" + broker + ", namespace=" + namespace + ", teslaMate=" + teslaMate
                + ", discoveryPrefix=" + discoveryPrefix + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", staleAfter=" + staleAfter + ", minInterval="
                + minInterval + "]";
    }

    private static URI parse(String broker) {
        URI uri;
        try {
            uri = new URI(broker.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker '" + abbreviate(broker) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
            throw new IllegalArgumentException(
                    "broker '" + abbreviate(broker) + "' must start with tcp:// or ssl:// (e.g. tcp://127.0.0.1:1883)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("broker URL must not carry credentials: give --mqtt-username and"
                    + " --mqtt-password-file instead");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("broker '" + abbreviate(broker) + "' has no host");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("broker '" + abbreviate(broker) + "' must be scheme://host[:port] only");
        }
        return uri;
    }

    private static int port(URI uri) {
        if (uri.getPort() == -1) {
            return "ssl".equals(uri.getScheme()) ? 8883 : 1883;
        }
        if (uri.getPort() < 1 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("broker port " + uri.getPort() + " is outside 1..65535");
        }
        return uri.getPort();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
