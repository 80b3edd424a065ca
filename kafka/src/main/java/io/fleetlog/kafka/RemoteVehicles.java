package io.fleetlog.kafka;

import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.fleet.VehicleStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds a replica's {@link Fleet} — its {@code /status}, {@code /live} and dashboard — with the
 * vehicles connected to <em>other</em> replicas, from what its {@link FenceWatch} reads: another
 * replica's ONLINE or first append of a VIN counts as one connection of it, its OFFLINE ends it, and
 * its appends (kept by {@link Fencing}) move the VIN's latest values and stored range.
 *
 * <p>Not guaranteed: a replica killed without its OFFLINE events leaves its vehicles shown online
 * here until it restarts (its {@code server restart} OFFLINE events end them); vehicles connected
 * before this replica started are shown from their next append. Called on the watch's thread only.
 */
final class RemoteVehicles {
    private final Fleet fleet;
    /** Per VIN: the other replicas holding a connection of it, as far as read. */
    private final Map<String, Set<String>> links = new HashMap<>();

    RemoteVehicles(Fleet fleet) {
        this.fleet = fleet;
    }

    void link(String vin, String replica, boolean online) {
        Set<String> on = links.computeIfAbsent(vin, v -> new HashSet<>());
        VehicleStatus s = fleet.status(vin);
        if (online && on.add(replica)) {
            s.connected();
        } else if (!online && on.remove(replica)) {
            s.disconnected(replica);
        }
    }

    void appended(String vin, String replica, List<Sample> samples) {
        link(vin, replica, true);
        List<Frame> frames = new ArrayList<>(samples.size());
        for (Sample x : samples) {
            frames.add(x.frame());
        }
        fleet.status(vin)
                .stored(
                        samples.get(0).seq(),
                        samples.get(samples.size() - 1).seq(),
                        frames.get(0).timeMs(),
                        frames.get(frames.size() - 1).timeMs(),
                        frames);
    }
}
