package io.fleetlog.edge.uplink;

/**
 * The uplink's visible state.
 *
 * <ul>
 *   <li>{@link #OFFLINE}: no connection; waiting for the next attempt (backoff) or stopped.
 *   <li>{@link #CONNECTING}: a connection is being opened and the Hello/Welcome handshake runs.
 *   <li>{@link #ONLINE}: handshake done and caught up: new samples flow in small, quick batches.
 *   <li>{@link #DRAINING}: handshake done with a backlog: large batches, oldest first.
 * </ul>
 */
public enum LinkState {
    OFFLINE,
    CONNECTING,
    ONLINE,
    DRAINING;

    /** Lower-case name as the dashboard and EdgeStatus use it. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
