package io.fleetlog.edge;

import io.fleetlog.edge.proxy.OutageSchedule;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.uplink.UplinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of one {@link VehicleAgent}, validated on construction.
 *
 * @param uplink server, VIN, model, token and uplink timings
 * @param spoolDir directory of the spool file ({@code DIR/VIN.spool}); reused after a crash
 * @param spool spool settings
 * @param speed replay speed: capture time runs {@code speed} times faster than real time;
 *     {@link Double#POSITIVE_INFINITY} = as fast as possible ({@code max})
 * @param outages dead zones by capture time since the first sample
 * @param minOutageWall an outage lasts at least this long in wall time (at high speed-ups a 60 s dead
 *     zone would otherwise be shorter than the heartbeat timeout): at its end, capture waits
 * @param faultProxy route the uplink through a {@link io.fleetlog.edge.proxy.FaultProxy} (needed for
 *     outages and the dead-zone toggle; plain {@code http} servers only)
 * @param closeDrainTimeout on close, how long the uplink may keep draining a connected link
 */
public record AgentConfig(
        UplinkConfig uplink,
        Path spoolDir,
        SpoolConfig spool,
        double speed,
        OutageSchedule outages,
        Duration minOutageWall,
        boolean faultProxy,
        Duration closeDrainTimeout) {

    public AgentConfig {
        if (uplink == null) {
            throw new IllegalArgumentException("uplink must not be null");
        }
        if (spoolDir == null) {
            throw new IllegalArgumentException("spoolDir must not be null");
        }
        if (spool == null) {
            throw new IllegalArgumentException("spool must not be null");
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed " + speed + " must be > 0 (or max)");
        }
        outages = outages == null ? OutageSchedule.none() : outages;
        minOutageWall = minOutageWall == null ? Duration.ZERO : minOutageWall;
        if (minOutageWall.isNegative()) {
            throw new IllegalArgumentException("minOutageWall " + minOutageWall + " must not be negative");
        }
        closeDrainTimeout = closeDrainTimeout == null ? Duration.ofSeconds(2) : closeDrainTimeout;
        if (!outages.isEmpty() && !faultProxy) {
            throw new IllegalArgumentException("outages " + outages + " need the fault proxy");
        }
        if (faultProxy && !"http".equalsIgnoreCase(uplink.server().getScheme())) {
            throw new IllegalArgumentException(
                    "the fault proxy works for http:// servers only, not " + uplink.server());
        }
    }

    /** Real time, no outages, default spool; a fault proxy for {@code http://} servers. */
    public static AgentConfig of(UplinkConfig uplink, Path spoolDir) {
        boolean proxy = "http".equalsIgnoreCase(uplink.server().getScheme());
        return new AgentConfig(
                uplink, spoolDir, SpoolConfig.defaults(), 1.0, OutageSchedule.none(), Duration.ZERO, proxy, null);
    }

    /** Parses {@code max}, {@code 20} or {@code 20x}. */
    public static double parseSpeed(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double v = Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("speed '" + s + "' is not a positive number or max");
        }
    }

    public boolean maxSpeed() {
        return Double.isInfinite(speed);
    }

    public AgentConfig withSpeed(double s) {
        return new AgentConfig(uplink, spoolDir, spool, s, outages, minOutageWall, faultProxy, closeDrainTimeout);
    }

    public AgentConfig withOutages(OutageSchedule o, Duration minWall) {
        return new AgentConfig(uplink, spoolDir, spool, speed, o, minWall, faultProxy, closeDrainTimeout);
    }

    public AgentConfig withSpool(SpoolConfig s) {
        return new AgentConfig(uplink, spoolDir, s, speed, outages, minOutageWall, faultProxy, closeDrainTimeout);
    }

    public AgentConfig withUplink(UplinkConfig u) {
        return new AgentConfig(u, spoolDir, spool, speed, outages, minOutageWall, faultProxy, closeDrainTimeout);
    }

    public AgentConfig withFaultProxy(boolean p) {
        return new AgentConfig(uplink, spoolDir, spool, speed, outages, minOutageWall, p, closeDrainTimeout);
    }

    public AgentConfig withCloseDrainTimeout(Duration d) {
        return new AgentConfig(uplink, spoolDir, spool, speed, outages, minOutageWall, faultProxy, d);
    }
}
