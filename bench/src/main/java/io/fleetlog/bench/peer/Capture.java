package io.fleetlog.bench.peer;

import java.util.Map;

/**
 * A stack's connected vehicles and their capture of a workload.
 *
 * <p>{@code accepted} samples were durably taken by the vehicle side (peer: the publish call returned,
 * the message is in Paho's file persistence; fleetlog: committed to the spool); {@code refused} ones
 * were lost at the vehicle (peer: the publish was refused; fleetlog: dropped by the spool bound).
 * Counters are monotonic and thread-safe.
 */
interface Capture extends AutoCloseable {

    /** Starts capturing on background threads (the vehicles are already connected); returns at once. */
    void begin() throws Exception;

    long accepted();

    long refused();

    /** Whether every vehicle's source is exhausted (each sample accepted or refused). */
    boolean finished();

    /** Accepted samples the receiving side has not acknowledged yet (0 when all are acked). */
    long unacknowledged();

    /** Why samples were refused, with counts (empty when none were). */
    Map<String, Long> refusals();

    /** Stops capturing and closes the vehicles' connections (does not wait for acks). */
    @Override
    void close() throws Exception;
}
