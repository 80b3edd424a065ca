package io.fleetlog.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The edge's configuration file ({@code fleetlog edge --config FILE}): one {@code key = value} per
 * line, {@code #} starts a comment line, blank lines are read over. A flag on the command line wins
 * over the file. Relative paths are relative to the file's directory. An unknown or repeated key, a
 * line without {@code =} or a value of the wrong kind fails with {@code file:line: what}, before
 * anything starts. The keys are {@link #KEYS} (docs/edge.md, "Configuration file"); there is no key
 * for the token itself, only for the file holding it. Immutable.
 */
final class EdgeConfigFile {
    /** Every key the file may hold. */
    static final Set<String> KEYS = Set.of(
            "server",
            "vin",
            "model",
            "token-file",
            "ca",
            "client-cert",
            "client-key",
            "spool-dir",
            "spool-max",
            "spool-full",
            "catalogue",
            "can",
            "dbc",
            "mapping",
            "interface",
            "silence-after",
            "heartbeat-interval",
            "heartbeat-timeout");

    private static final int MAX_LINES = 1_000;

    /** A value and the line it came from. */
    private record Entry(int line, String value) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private EdgeConfigFile(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    static EdgeConfigFile read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException(
                    file + " has " + lines.size() + " lines; an edge config file has at most " + MAX_LINES);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            String where = file + ":" + (i + 1) + ": ";
            if (eq < 0) {
                throw new IllegalArgumentException(where + "expected 'key = value', got '" + abbreviate(l) + "'");
            }
            String key = l.substring(0, eq).strip();
            String value = l.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        where + "unknown key '" + abbreviate(key) + "' (known: " + new TreeSet<>(KEYS) + ")");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException(where + key + " has no value");
            }
            Entry before = entries.putIfAbsent(key, new Entry(i + 1, value));
            if (before != null) {
                throw new IllegalArgumentException(where + key + " is already set on line " + before.line());
            }
        }
        return new EdgeConfigFile(file, entries);
    }

    /** {@code flag} when given, else the file's value, else null. */
    String string(String key, String flag) {
        Entry e = entries.get(key);
        return flag != null || e == null ? flag : e.value();
    }

    /** {@code flag} when given, else the file's path (relative to the file's directory), else null. */
    Path path(String key, Path flag) {
        Entry e = entries.get(key);
        if (flag != null || e == null) {
            return flag;
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? Path.of(e.value()) : dir.resolve(e.value());
    }

    /** {@code flag} when given, else the file's whole number (at least {@code min}), else null. */
    Long whole(String key, Long flag, long min) {
        Entry e = entries.get(key);
        if (flag != null || e == null) {
            return flag;
        }
        try {
            long v = Long.parseLong(e.value().replace("_", ""));
            if (v < min) {
                throw new IllegalArgumentException(at(e) + key + " " + v + " must be at least " + min);
            }
            return v;
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(at(e) + key + " '" + abbreviate(e.value()) + "' is not a whole number");
        }
    }

    /** {@code flag} when given, else the file's seconds (decimal, positive), else null. */
    Duration seconds(String key, Duration flag) {
        Entry e = entries.get(key);
        if (flag != null || e == null) {
            return flag;
        }
        try {
            double s = Double.parseDouble(e.value());
            if (!(s > 0 && s <= 86_400)) {
                throw new IllegalArgumentException(at(e) + key + " " + e.value() + " must be in (0, 86400] seconds");
            }
            return Duration.ofNanos(Math.round(s * 1e9));
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(
                    at(e) + key + " '" + abbreviate(e.value()) + "' is not a number of seconds");
        }
    }

    /** Checks a value against the allowed ones, naming file and line. */
    void check(String key, String value, Set<String> allowed) {
        Entry e = entries.get(key);
        if (e != null && e.value().equals(value) && !allowed.contains(value)) {
            throw new IllegalArgumentException(
                    at(e) + key + " '" + abbreviate(value) + "' is not one of " + new TreeSet<>(allowed));
        }
    }

    private String at(Entry e) {
        return file + ":" + e.line() + ": ";
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
