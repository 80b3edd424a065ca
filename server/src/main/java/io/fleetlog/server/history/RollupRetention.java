package io.fleetlog.server.history;

import java.time.Duration;

/**
 * How long each rollup tier is kept (null = forever, the default of both): {@code --rollup-10s-retention-days}
 * and {@code --rollup-1m-retention-days} of {@code fleetlog server}. Raw frames have their own
 * {@code --retention-days}. Validated here: at least one day.
 */
public record RollupRetention(Duration tenSeconds, Duration oneMinute) {
    public static final RollupRetention FOREVER = new RollupRetention(null, null);

    public RollupRetention {
        check("10 s rollup retention", tenSeconds);
        check("1 min rollup retention", oneMinute);
    }

    private static void check(String what, Duration d) {
        if (d != null && d.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException(what + " " + d + " is shorter than one day");
        }
    }

    /** The tier's keep time (null = forever). */
    public Duration of(Step step) {
        return step == Step.TEN_SECONDS ? tenSeconds : oneMinute;
    }

    public boolean forever() {
        return tenSeconds == null && oneMinute == null;
    }
}
