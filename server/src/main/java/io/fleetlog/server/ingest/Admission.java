package io.fleetlog.server.ingest;

import io.fleetlog.server.ServerConfig;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may open an ingest connection, per remote address (issue 12 item 8): at most {@link
 * ServerConfig.PreAuth#maxPendingPerAddress} unauthenticated connections at once, and after {@link
 * ServerConfig.PreAuth#maxFailedAuths} failed Hellos in a row a refusal window of {@code backoff},
 * doubled per further failure up to {@code maxBackoff}. Every decision takes the injected clock's
 * now. Memory is bounded: an address without pending connections, failures or a window is forgotten,
 * and at most {@link #MAX_ADDRESSES} addresses are tracked (beyond that, new addresses are refused
 * while the table is full of pending ones — a flood, not a fleet). Thread-safe (synchronised).
 */
final class Admission {
    static final int MAX_ADDRESSES = 100_000;

    private final ServerConfig.PreAuth limits;
    private final InstantSource clock;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        int pending;
        int failures;
        long refusedUntilMs = Long.MIN_VALUE;
    }

    /** Why a connection was not admitted, or null. */
    enum Refusal {
        TOO_MANY_PENDING,
        BACKING_OFF,
        TABLE_FULL
    }

    Admission(ServerConfig.PreAuth limits, InstantSource clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** A connection opened from {@code address}: counts it as pending, or says why it may not be. */
    synchronized Refusal open(String address) {
        Entry e = entries.get(address);
        if (e == null) {
            if (entries.size() >= MAX_ADDRESSES) {
                long now = clock.millis();
                entries.values().removeIf(x -> x.pending == 0 && now >= x.refusedUntilMs);
                if (entries.size() >= MAX_ADDRESSES) {
                    return Refusal.TABLE_FULL;
                }
            }
            e = new Entry();
            entries.put(address, e);
        }
        if (clock.millis() < e.refusedUntilMs) {
            forgetIfIdle(address, e);
            return Refusal.BACKING_OFF;
        }
        if (e.pending >= limits.maxPendingPerAddress()) {
            return Refusal.TOO_MANY_PENDING;
        }
        e.pending++;
        return null;
    }

    /** A pending connection's Hello was accepted: no longer pending, the failure count is cleared. */
    synchronized void authenticated(String address) {
        Entry e = entries.get(address);
        if (e != null) {
            e.pending = Math.max(0, e.pending - 1);
            e.failures = 0;
            forgetIfIdle(address, e);
        }
    }

    /** A pending connection closed without an accepted Hello. */
    synchronized void closedPending(String address) {
        Entry e = entries.get(address);
        if (e != null) {
            e.pending = Math.max(0, e.pending - 1);
            forgetIfIdle(address, e);
        }
    }

    /** A Hello from {@code address} failed; returns the refusal window started, in ms (0: none). */
    synchronized long failed(String address) {
        Entry e = entries.computeIfAbsent(address, a -> new Entry());
        e.failures++;
        int over = e.failures - limits.maxFailedAuths();
        if (over < 0) {
            return 0;
        }
        long base = limits.backoff().toMillis();
        long max = limits.maxBackoff().toMillis();
        long window = over >= 40 ? max : Math.min(max, base << Math.min(over, 40));
        e.refusedUntilMs = clock.millis() + window;
        return window;
    }

    /** Failed Hellos in a row from {@code address} (for tests and /status). */
    synchronized int failures(String address) {
        Entry e = entries.get(address);
        return e == null ? 0 : e.failures;
    }

    private void forgetIfIdle(String address, Entry e) {
        if (e.pending == 0 && e.failures == 0 && clock.millis() >= e.refusedUntilMs) {
            entries.remove(address);
        }
    }
}
