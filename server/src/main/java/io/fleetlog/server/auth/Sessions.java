package io.fleetlog.server.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard login sessions, in memory: a session is a random 32-byte id (the cookie) bound to a
 * {@link Principal} and a random CSRF token. A session ends at {@link #logout}, after {@code idle}
 * without a request, or {@code maxAge} after login, whichever comes first; a server restart ends all
 * sessions (users log in again). At most {@code capacity} sessions exist: a login beyond that ends the
 * least recently used one. Time comes from the injected clock. Thread-safe.
 */
public final class Sessions {
    /** One login. {@code lastSeenMs} is updated on use. */
    public static final class Session {
        final String id;
        final Principal principal;
        final String csrf;
        final long createdMs;
        volatile long lastSeenMs;

        Session(String id, Principal principal, String csrf, long createdMs) {
            this.id = id;
            this.principal = principal;
            this.csrf = csrf;
            this.createdMs = createdMs;
            this.lastSeenMs = createdMs;
        }

        public String id() {
            return id;
        }

        public Principal principal() {
            return principal;
        }

        public String csrfToken() {
            return csrf;
        }

        /** Compares a presented CSRF token in constant time. */
        public boolean csrfMatches(String presented) {
            return Sessions.equal(csrf, presented);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InstantSource clock;
    private final long idleMs;
    private final long maxAgeMs;
    private final int capacity;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Sessions(InstantSource clock, Duration idle, Duration maxAge, int capacity) {
        if (idle.isNegative() || idle.isZero() || maxAge.compareTo(idle) < 0) {
            throw new IllegalArgumentException(
                    "session idle " + idle + " must be positive and at most maxAge " + maxAge);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("session capacity " + capacity + " must be at least 1");
        }
        this.clock = clock;
        this.idleMs = idle.toMillis();
        this.maxAgeMs = maxAge.toMillis();
        this.capacity = capacity;
    }

    /** Starts a session for {@code principal}. */
    public Session create(Principal principal) {
        long now = clock.millis();
        if (sessions.size() >= capacity) {
            sessions.values().removeIf(s -> expired(s, now));
            while (sessions.size() >= capacity) {
                sessions.values().stream()
                        .min(Comparator.comparingLong(s -> s.lastSeenMs))
                        .ifPresent(s -> sessions.remove(s.id));
            }
        }
        Session s = new Session(randomToken(), principal, randomToken(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with this id (and marks it used), or empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        s.lastSeenMs = now;
        return Optional.of(s);
    }

    /** Ends a session; a no-op for an unknown id. */
    public void logout(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session whose principal no longer passes {@code keep} (a user removed or changed). */
    public void retain(java.util.function.Predicate<Principal> keep) {
        sessions.values().removeIf(s -> !keep.test(s.principal));
    }

    public int size() {
        return sessions.size();
    }

    /** Seconds a new session may live at most (the cookie's Max-Age). */
    public long maxAgeSeconds() {
        return maxAgeMs / 1000;
    }

    private boolean expired(Session s, long now) {
        return now - s.lastSeenMs > idleMs || now - s.createdMs > maxAgeMs;
    }

    /** 32 random bytes, URL-safe Base64 without padding. */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static boolean equal(String expected, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
