package io.fleetlog.edge.uplink;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from {@code base}, capped at {@code cap}, with jitter.
 *
 * <p>Attempt {@code n} (0-based) waits {@code d·(1 − jitter·u)} where {@code d = min(cap, base·2ⁿ)} and
 * {@code u} is uniform in [0, 1): never more than the cap, never less than {@code d·(1 − jitter)}.
 * Jitter spreads a fleet's reconnects after a shared outage (a tunnel, a server restart).
 */
public record Backoff(Duration base, Duration cap, double jitter) {

    public Backoff {
        if (base == null || base.toMillis() < 1) {
            throw new IllegalArgumentException("backoff base " + base + " must be at least 1 ms");
        }
        if (cap == null || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " must be at least the base " + base);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("backoff jitter " + jitter + " must be between 0 and 1");
        }
    }

    /** 250 ms doubling to 30 s, ±50 % jitter. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5);
    }

    /** The un-jittered delay of attempt {@code n}. */
    public long ceilingMillis(int attempt) {
        long cap = this.cap.toMillis();
        long d = base.toMillis();
        for (int i = 0; i < attempt && d < cap; i++) {
            d *= 2;
        }
        return Math.min(cap, d);
    }

    /** The delay before attempt {@code n}, jittered with {@code random}. */
    public long delayMillis(int attempt, RandomGenerator random) {
        long d = ceilingMillis(attempt);
        return Math.max(1, Math.round(d * (1 - jitter * random.nextDouble())));
    }
}
