package io.fleetlog.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-vehicle secrets, of which only SHA-256 hashes are kept.
 *
 * <p>File format (UTF-8, one vehicle a line, {@code #} starts a comment line):
 *
 * <table>
 *   <caption>tokens file</caption>
 *   <tr><th>column</th><th>content</th></tr>
 *   <tr><td>1</td><td>VIN (17 characters)</td></tr>
 *   <tr><td>2</td><td>lower-case hex SHA-256 of the token's UTF-8 bytes (64 characters)</td></tr>
 * </table>
 *
 * <p>{@link #add} creates a random token (32 bytes, URL-safe Base64), returns it once and rewrites the
 * file atomically (temp file, then rename). {@link #check} compares hashes in constant time and
 * spends the same work for an unknown VIN. Thread-safe. Tokens are never logged or stored in clear.
 */
public final class TokenStore {
    /** The outcome of a credential check. */
    public enum Check {
        OK,
        UNKNOWN_VIN,
        WRONG_TOKEN
    }

    private static final byte[] DUMMY = new byte[32];
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Map<String, byte[]> hashes = new ConcurrentHashMap<>();

    private TokenStore(Path file) {
        this.file = file;
    }

    /** Loads a tokens file; a missing file is an empty store that {@link #add} will create. */
    public static TokenStore load(Path file) {
        TokenStore s = new TokenStore(file);
        if (!Files.exists(file)) {
            return s;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokens file " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || parts[0].length() != 17 || !parts[1].matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(
                        file + ":" + (i + 1) + ": expected 'VIN sha256hex' (17 characters, 64 lower-case hex digits)");
            }
            s.hashes.put(parts[0], HexFormat.of().parseHex(parts[1]));
        }
        return s;
    }

    /** An in-memory store holding {@code tokens} (VIN → clear token), as the demo fleet provisions. */
    public static TokenStore demo(Map<String, String> tokens) {
        TokenStore s = new TokenStore(null);
        tokens.forEach((vin, token) -> s.hashes.put(vin, sha256(token)));
        return s;
    }

    /** An in-memory store without vehicles ({@link #add} keeps tokens in memory only). */
    public static TokenStore inMemory() {
        return new TokenStore(null);
    }

    /**
     * Creates (or replaces) the token of {@code vin}, persists its hash and returns the token; the
     * only time it is visible.
     */
    public synchronized String add(String vin) {
        io.fleetlog.sample.Vin.check(vin);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] previous = hashes.put(vin, sha256(token));
        try {
            save();
        } catch (UncheckedIOException e) {
            if (previous == null) {
                hashes.remove(vin);
            } else {
                hashes.put(vin, previous);
            }
            throw e;
        }
        return token;
    }

    /** Checks {@code token} for {@code vin} in time independent of where the hashes differ. */
    public Check check(String vin, String token) {
        byte[] expected = hashes.get(vin);
        byte[] actual = sha256(token == null ? "" : token);
        boolean equal = MessageDigest.isEqual(expected == null ? DUMMY : expected, actual);
        if (expected == null) {
            return Check.UNKNOWN_VIN;
        }
        return equal ? Check.OK : Check.WRONG_TOKEN;
    }

    public boolean knows(String vin) {
        return hashes.containsKey(vin);
    }

    public Set<String> vins() {
        return Set.copyOf(hashes.keySet());
    }

    /** The file behind this store, or null when in memory. */
    public Path file() {
        return file;
    }

    private void save() {
        if (file == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("# fleetlog vehicle tokens: VIN and SHA-256 of the token (the tokens themselves are not stored)");
        new TreeMap<>(hashes)
                .forEach((vin, h) -> lines.add(vin + " " + HexFormat.of().formatHex(h)));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp); // a leftover of a crash may have another mode
            io.fleetlog.files.PrivateFiles.createFile(tmp); // 0600 (dirs 0700): the rename keeps the mode
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Lower-case hex SHA-256 of a token, as written in the tokens file. */
    public static String hashHex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }
}
