package io.fleetlog.sim;

import io.fleetlog.edge.AgentConfig;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sim.proxy.FaultProxy;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of one {@link SimulatedVehicle}: the edge's own {@link AgentConfig} plus what the harness
 * plays around it. Validated on construction.
 *
 * @param edge the product edge's settings (server, VIN, token, spool)
 * @param speed replay speed: capture time runs {@code speed} times faster than real time;
 *     {@link Double#POSITIVE_INFINITY} = as fast as possible ({@code max})
 * @param outages dead zones by capture time since the first sample
 * @param minOutageWall an outage lasts at least this long in wall time (at high speed-ups a 60 s dead
 *     zone would otherwise be shorter than the heartbeat timeout): at its end, capture waits
 * @param faultProxy route the uplink through a {@link FaultProxy} (needed for outages and the dead-zone
 *     toggle; plain {@code http} servers only)
 */
public record SimConfig(
        AgentConfig edge, double speed, OutageSchedule outages, Duration minOutageWall, boolean faultProxy) {

    public SimConfig {
        if (edge == null) {
            throw new IllegalArgumentException("edge must not be null");
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed " + speed + " must be > 0 (or max)");
        }
        outages = outages == null ? OutageSchedule.none() : outages;
        minOutageWall = minOutageWall == null ? Duration.ZERO : minOutageWall;
        if (minOutageWall.isNegative()) {
            throw new IllegalArgumentException("minOutageWall " + minOutageWall + " must not be negative");
        }
        if (!outages.isEmpty() && !faultProxy) {
            throw new IllegalArgumentException("outages " + outages + " need the fault proxy");
        }
        if (faultProxy && !"http".equalsIgnoreCase(edge.uplink().server().getScheme())) {
            throw new IllegalArgumentException("the fault proxy works for http:// servers only, not "
                    + edge.uplink().server());
        }
    }

    /** Real time, no outages, default spool; a fault proxy for {@code http://} servers. */
    public static SimConfig of(UplinkConfig uplink, Path spoolDir) {
        boolean proxy = "http".equalsIgnoreCase(uplink.server().getScheme());
        return new SimConfig(AgentConfig.of(uplink, spoolDir), 1.0, OutageSchedule.none(), Duration.ZERO, proxy);
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

    public UplinkConfig uplink() {
        return edge.uplink();
    }

    public Path spoolDir() {
        return edge.spoolDir();
    }

    public SpoolConfig spool() {
        return edge.spool();
    }

    public SimConfig withSpeed(double s) {
        return new SimConfig(edge, s, outages, minOutageWall, faultProxy);
    }

    public SimConfig withOutages(OutageSchedule o, Duration minWall) {
        return new SimConfig(edge, speed, o, minWall, faultProxy);
    }

    public SimConfig withFaultProxy(boolean p) {
        return new SimConfig(edge, speed, outages, minOutageWall, p);
    }

    public SimConfig withSpool(SpoolConfig s) {
        return new SimConfig(edge.withSpool(s), speed, outages, minOutageWall, faultProxy);
    }

    public SimConfig withUplink(UplinkConfig u) {
        return new SimConfig(edge.withUplink(u), speed, outages, minOutageWall, faultProxy);
    }

    public SimConfig withCloseDrainTimeout(Duration d) {
        return new SimConfig(edge.withCloseDrainTimeout(d), speed, outages, minOutageWall, faultProxy);
    }
}
