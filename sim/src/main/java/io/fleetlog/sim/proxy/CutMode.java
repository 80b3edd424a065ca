package io.fleetlog.sim.proxy;

import java.util.Locale;

/** How a {@link FaultProxy} cuts the link. */
public enum CutMode {
    /**
     * Like a tunnel: connections stay open but nothing flows either way; new connections are accepted
     * and then hang. Only a heartbeat timeout notices. Bytes a client sent into the blackhole reach the
     * server after {@link FaultProxy#restore()} only if the client still holds the connection.
     */
    BLACKHOLE,
    /** Like a lost network: every connection is reset (TCP RST), new ones are reset at once. */
    RESET;

    public static CutMode parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "blackhole", "tunnel" -> BLACKHOLE;
            case "reset" -> RESET;
            default -> throw new IllegalArgumentException("cut mode '" + s + "' is not blackhole or reset");
        };
    }
}
