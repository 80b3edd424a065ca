package io.fleetlog.edge.uplink;

/**
 * A snapshot of an uplink's counters (all since it was created).
 *
 * @param state the link state
 * @param connects connection attempts
 * @param reconnects handshakes completed after the first one
 * @param heartbeatTimeouts links declared dead because nothing arrived in time
 * @param bytesSent wire bytes of batches handed to the transport
 * @param messageBytesSent wire bytes of every message (batches, Hello, status, heartbeats)
 * @param samplesSent samples in batches sent (resends included)
 * @param batchesSent batches sent
 * @param ackedSeq the highest seq the server acknowledged, -1 when none
 * @param duplicateAcks acks that acknowledged nothing new
 * @param rejects Reject messages received
 * @param rejectedSamples samples moved aside because of rejects
 * @param lastError why the link last went down, empty when never
 * @param acksBeyondSent Acks naming a seq beyond what this edge had sent (taken only up to the sent
 *     seq, logged as {@code uplink_ack_beyond_sent})
 */
public record UplinkStats(
        LinkState state,
        long connects,
        long reconnects,
        long heartbeatTimeouts,
        long bytesSent,
        long messageBytesSent,
        long samplesSent,
        long batchesSent,
        long ackedSeq,
        long duplicateAcks,
        long rejects,
        long rejectedSamples,
        String lastError,
        long acksBeyondSent) {}
