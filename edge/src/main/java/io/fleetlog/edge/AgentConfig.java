package io.fleetlog.edge;

import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.uplink.UplinkConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one {@link VehicleAgent}, validated on construction.
 *
 * @param uplink server, VIN, model, token and uplink timings
 * @param spoolDir directory of the spool file ({@code DIR/VIN.spool}); reused after a crash
 * @param spool spool settings
 * @param closeDrainTimeout on close, how long the uplink may keep draining a connected link
 */
public record AgentConfig(UplinkConfig uplink, Path spoolDir, SpoolConfig spool, Duration closeDrainTimeout) {

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
        closeDrainTimeout = closeDrainTimeout == null ? Duration.ofSeconds(2) : closeDrainTimeout;
        if (closeDrainTimeout.isNegative()) {
            throw new IllegalArgumentException("closeDrainTimeout " + closeDrainTimeout + " must not be negative");
        }
    }

    /** The default spool and close drain timeout. */
    public static AgentConfig of(UplinkConfig uplink, Path spoolDir) {
        return new AgentConfig(uplink, spoolDir, SpoolConfig.defaults(), null);
    }

    public AgentConfig withSpool(SpoolConfig s) {
        return new AgentConfig(uplink, spoolDir, s, closeDrainTimeout);
    }

    public AgentConfig withUplink(UplinkConfig u) {
        return new AgentConfig(u, spoolDir, spool, closeDrainTimeout);
    }

    public AgentConfig withCloseDrainTimeout(Duration d) {
        return new AgentConfig(uplink, spoolDir, spool, d);
    }
}
