package io.fleetlog.edge.uplink;

/**
 * Cuts the vehicle's link to the server and restores it: what a harness playing dead zones (or an
 * operator holding uploads back) uses. While the link is cut nothing is sent and the spool keeps every
 * captured sample; after {@link #restore()} sending resumes at the oldest unacknowledged sample. Both
 * methods are idempotent and may be called from any thread.
 *
 * <p>{@link Uplink} implements it by dropping its connection and not reconnecting until restored;
 * the simulation harness implements it with a fault proxy in front of the server, so the uplink meets
 * a real network failure and has to detect it itself.
 */
public interface LinkControl {

    /** Cuts the link now. */
    void cut();

    /** Ends a cut: the link may come back at once (no backoff wait). */
    void restore();
}
