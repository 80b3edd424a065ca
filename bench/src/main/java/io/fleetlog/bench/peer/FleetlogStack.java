package io.fleetlog.bench.peer;

import java.nio.file.Path;

/**
 * fleetlog's side of the comparison (edge spool + uplink → server + store). Wired once fleetlog's
 * edge and server are on main; until then it reports itself unavailable.
 */
final class FleetlogStack {

    private FleetlogStack() {}

    static boolean available() {
        return false;
    }

    static Stack start(Path dir) {
        throw new UnsupportedOperationException("fleetlog's edge and server are not on this branch yet");
    }
}
