package io.fleetlog.server.auth;

import io.fleetlog.sample.Vin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users file: people who log in to the dashboard (Argon2id password hashes, see {@link
 * Passwords}) and API tokens for scripts (SHA-256 of a random 32-byte token), each with scopes and an
 * optional list of vehicles. Only hashes are stored; a token is shown once, when it is created.
 *
 * <p>File format (UTF-8, one entry a line, columns separated by spaces, {@code #} starts a comment):
 *
 * <table>
 *   <caption>users file</caption>
 *   <tr><th>column</th><th>content</th></tr>
 *   <tr><td>1</td><td>{@code user} or {@code token}</td></tr>
 *   <tr><td>2</td><td>name: 1..64 of {@code A-Z a-z 0-9 . _ @ -}; unique per kind</td></tr>
 *   <tr><td>3</td><td>user: {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}; token: {@code sha256:} and 64 hex digits</td></tr>
 *   <tr><td>4</td><td>scopes: {@code read}, {@code control}, {@code admin}, comma-separated</td></tr>
 *   <tr><td>5</td><td>vehicles: {@code *} (all) or VINs, comma-separated</td></tr>
 * </table>
 *
 * <p>Changes are written to a temporary file created 0600 (owner read/write only), forced to disk
 * and renamed over the file, so the file is always complete and private. A file readable by group or
 * others is loaded with a warning. A running server picks up changes by {@link #refresh} (within a
 * second). Thread-safe.
 */
public final class Users {
    private static final Logger log = LoggerFactory.getLogger(Users.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern TOKEN_HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Prefix of API tokens, so they are recognisable in a secret scanner. */
    public static final String TOKEN_PREFIX = "flt_";

    /** The two kinds of entry. */
    public enum Kind {
        USER,
        TOKEN
    }

    /** One line of the file. */
    record Entry(Kind kind, String name, String secret, Set<Scope> scopes, Set<String> vins) {
        Principal principal() {
            return new Principal(name, kind == Kind.USER ? Principal.Kind.USER : Principal.Kind.TOKEN, scopes, vins);
        }
    }

    private final Path file;
    private volatile Map<String, Entry> users = Map.of();
    /** Token hash ({@code sha256:hex}) → entry. */
    private volatile Map<String, Entry> tokens = Map.of();

    /** Verified against for an unknown user name (computed on first use). */
    private static final class Dummy {
        static final String HASH = Passwords.dummy();
    }

    /** How often {@link #refresh} looks at the file at most. */
    static final long REFRESH_PERIOD_MS = 1000;

    /** The file's identity when last read (inode, size, modification time), or null. */
    private volatile Object stamp;

    private volatile long checkedMs = Long.MIN_VALUE / 2; // "long ago", without overflow in now - checkedMs

    private Users(Path file) {
        this.file = file;
    }

    /** No users and no tokens, in memory (the open loopback mode, or tests). */
    public static Users none() {
        return new Users(null);
    }

    /** Loads a users file; a missing file is an empty set that the add methods will create. */
    public static Users load(Path file) {
        Users u = new Users(file);
        u.stamp = stamp(file);
        if (!Files.exists(file)) {
            return u;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
        warnIfShared(file);
        Map<String, Entry> users = new TreeMap<>();
        Map<String, Entry> tokens = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Entry e;
            try {
                e = parse(line);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + ex.getMessage());
            }
            Map<String, Entry> into = e.kind() == Kind.USER ? users : tokens;
            boolean duplicate = e.kind() == Kind.USER
                    ? users.containsKey(e.name())
                    : tokens.values().stream().anyMatch(t -> t.name().equals(e.name()));
            if (duplicate) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": "
                        + e.kind().name().toLowerCase() + " '" + e.name() + "' appears twice");
            }
            into.put(e.kind() == Kind.USER ? e.name() : e.secret(), e);
        }
        u.users = Map.copyOf(users);
        u.tokens = Map.copyOf(tokens);
        return u;
    }

    /**
     * Re-reads the file when it changed (another process ran {@code fleetlog user add}, {@code
     * api-token remove}, …), looking at most every {@link #REFRESH_PERIOD_MS} ms. A file that no
     * longer parses is ignored with a warning (the entries loaded before stay).
     *
     * @return whether the entries changed
     */
    public boolean refresh(long nowMs) {
        if (file == null || nowMs - checkedMs < REFRESH_PERIOD_MS) {
            return false;
        }
        checkedMs = nowMs;
        Object now = stamp(file);
        if (java.util.Objects.equals(now, stamp)) {
            return false;
        }
        synchronized (this) {
            stamp = now;
            try {
                Users fresh = load(file);
                users = fresh.users;
                tokens = fresh.tokens;
            } catch (RuntimeException e) {
                log.warn("users_reload_failed file={} error=\"{}\"", file, e.getMessage());
                return false;
            }
        }
        log.info("users_reloaded file={} users={} tokens={}", file, users.size(), tokens.size());
        return true;
    }

    /** The current principal of user {@code name}, if it (still) exists. */
    Optional<Principal> user(String name) {
        Entry e = users.get(name);
        return e == null ? Optional.empty() : Optional.of(e.principal());
    }

    private static Object stamp(Path file) {
        try {
            var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
        } catch (IOException e) {
            return null; // missing (or unreadable: then load says why)
        }
    }

    private static Entry parse(String line) {
        String[] c = line.split("\\s+");
        if (c.length != 5) {
            throw new IllegalArgumentException(
                    "expected 5 columns 'user|token NAME HASH SCOPES VINS', found " + c.length);
        }
        Kind kind = switch (c[0]) {
            case "user" -> Kind.USER;
            case "token" -> Kind.TOKEN;
            default -> throw new IllegalArgumentException("kind '" + c[0] + "' is not user or token");
        };
        String name = checkName(c[1]);
        boolean hashOk = kind == Kind.USER
                ? Passwords.isHash(c[2])
                : TOKEN_HASH.matcher(c[2]).matches();
        if (!hashOk) {
            throw new IllegalArgumentException(
                    kind == Kind.USER
                            ? "the password hash of '" + name + "' is not an argon2id PHC string"
                            : "the hash of token '" + name + "' is not sha256: and 64 lower-case hex digits");
        }
        return new Entry(kind, name, c[2], Scope.parseList(c[3]), parseVins(c[4]));
    }

    /** {@code *} or an empty string → every vehicle; else comma-separated VINs, each checked. */
    public static Set<String> parseVins(String list) {
        if (list == null || list.isBlank() || list.strip().equals("*")) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String v : list.split(",")) {
            if (!v.isBlank()) {
                out.add(Vin.check(v.strip()));
            }
        }
        return Set.copyOf(out);
    }

    /** Validates a user or token name. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            String shown = name == null ? "null" : name.length() > 80 ? name.substring(0, 80) + "…" : name;
            throw new IllegalArgumentException(
                    "name '" + shown.replaceAll("\\p{Cntrl}", "?") + "' must be 1..64 of A-Z a-z 0-9 . _ @ -");
        }
        return name;
    }

    /** Whether no user and no token exists (then a loopback server may run in the open mode). */
    public boolean isEmpty() {
        return users.isEmpty() && tokens.isEmpty();
    }

    public Set<String> userNames() {
        return users.keySet();
    }

    public List<String> tokenNames() {
        return tokens.values().stream().map(Entry::name).sorted().toList();
    }

    /** The file behind this set, or null in memory. */
    public Path file() {
        return file;
    }

    /** Creates or replaces user {@code name}; the password is hashed with Argon2id. */
    public synchronized void addUser(String name, char[] password, Set<Scope> scopes, Set<String> vins) {
        checkName(name);
        Entry e = new Entry(Kind.USER, name, Passwords.hash(password), scopes, vins);
        Map<String, Entry> next = new TreeMap<>(users);
        next.put(name, e);
        save(next, tokens);
        users = Map.copyOf(next);
    }

    /**
     * Creates or replaces API token {@code name}, stores its SHA-256 and returns the token: the only
     * time it is visible.
     */
    public synchronized String addToken(String name, Set<Scope> scopes, Set<String> vins) {
        checkName(name);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Map<String, Entry> next = new TreeMap<>(tokens);
        next.values().removeIf(t -> t.name().equals(name));
        next.put(tokenHash(token), new Entry(Kind.TOKEN, name, tokenHash(token), scopes, vins));
        save(users, next);
        tokens = Map.copyOf(next);
        return token;
    }

    /** Removes a user or token; returns whether it existed. */
    public synchronized boolean remove(Kind kind, String name) {
        Map<String, Entry> nu = new TreeMap<>(users);
        Map<String, Entry> nt = new TreeMap<>(tokens);
        boolean removed = kind == Kind.USER
                ? nu.remove(name) != null
                : nt.values().removeIf(t -> t.name().equals(name));
        if (removed) {
            save(nu, nt);
            users = Map.copyOf(nu);
            tokens = Map.copyOf(nt);
        }
        return removed;
    }

    /**
     * Checks a user name and password. An unknown user costs the same Argon2id computation as a wrong
     * password, so the answer time does not tell which it was.
     */
    public Optional<Principal> login(String name, char[] password) {
        Entry e = name == null ? null : users.get(name);
        boolean ok = Passwords.verify(password, e == null ? Dummy.HASH : e.secret());
        return ok && e != null ? Optional.of(e.principal()) : Optional.empty();
    }

    /** The principal of an API token, if the token is known. */
    public Optional<Principal> bearer(String token) {
        if (token == null || token.length() > 512) {
            return Optional.empty();
        }
        Entry e = tokens.get(tokenHash(token));
        return e == null ? Optional.empty() : Optional.of(e.principal());
    }

    static String tokenHash(String token) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void save(Map<String, Entry> users, Map<String, Entry> tokens) {
        if (file == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("# fleetlog users and API tokens: kind name hash scopes vehicles (only hashes are stored)");
        for (Entry e : users.values()) {
            lines.add(line(e));
        }
        tokens.values().stream()
                .sorted(java.util.Comparator.comparing(Entry::name))
                .forEach(e -> lines.add(line(e)));
        try {
            writePrivately(file, String.join("\n", lines) + "\n");
            stamp = stamp(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write users file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String line(Entry e) {
        String vins = e.vins().isEmpty() ? "*" : String.join(",", new java.util.TreeSet<>(e.vins()));
        return (e.kind() == Kind.USER ? "user" : "token") + " " + e.name() + " " + e.secret() + " "
                + Scope.format(e.scopes()) + " " + vins;
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file created 0600 in the same directory
     * (directories created 0700), forced to disk, then renamed over {@code file}.
     */
    static void writePrivately(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = posix
                ? Files.createTempFile(
                        dir,
                        "." + file.getFileName(),
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(StandardCharsets.UTF_8.encode(text));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void warnIfShared(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                p.retainAll(Set.of(
                        PosixFilePermission.GROUP_READ,
                        PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE));
                if (!p.isEmpty()) {
                    log.warn(
                            "users_file_shared file={} permissions={} fix=\"chmod 600 {}\"",
                            file,
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                            file);
                }
            }
        } catch (IOException e) {
            log.debug("users_file_permissions_unknown file={} error={}", file, e.toString()); // only a warning is lost
        }
    }
}
