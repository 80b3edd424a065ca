package io.fleetlog.server.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address: after {@code maxFailures} failures within {@code window}, further
 * attempts from that address are refused (HTTP 429) until the window that began with the first
 * failure has passed; a successful login clears the address. At most {@code capacity} addresses are
 * tracked: when full, expired windows are dropped, and if none expired new addresses are refused
 * outright (counted as locked) rather than letting the table grow. Thread-safe.
 */
public final class LoginThrottle {
    private record Failures(long firstMs, int count) {}

    private final InstantSource clock;
    private final int maxFailures;
    private final long windowMs;
    private final int capacity;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(InstantSource clock, int maxFailures, Duration window, int capacity) {
        if (maxFailures < 1 || capacity < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("login throttle: maxFailures " + maxFailures + ", window " + window
                    + ", capacity " + capacity + " must all be positive");
        }
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.windowMs = window.toMillis();
        this.capacity = capacity;
    }

    /** Milliseconds {@code address} must wait before it may try again; 0 = it may try now. */
    public long waitMs(String address) {
        long now = clock.millis();
        Failures f = failures.get(address);
        if (f == null) {
            return failures.size() >= capacity && !makeRoom(now) ? windowMs : 0;
        }
        if (now - f.firstMs() >= windowMs) {
            failures.remove(address, f);
            return 0;
        }
        return f.count() >= maxFailures ? windowMs - (now - f.firstMs()) : 0;
    }

    /** Records a failed login from {@code address}. */
    public void failed(String address) {
        long now = clock.millis();
        failures.compute(
                address,
                (a, f) -> f == null || now - f.firstMs() >= windowMs
                        ? new Failures(now, 1)
                        : new Failures(f.firstMs(), f.count() + 1));
    }

    /** A successful login clears the address. */
    public void succeeded(String address) {
        failures.remove(address);
    }

    private boolean makeRoom(long now) {
        failures.values().removeIf(f -> now - f.firstMs() >= windowMs);
        return failures.size() < capacity;
    }
}
