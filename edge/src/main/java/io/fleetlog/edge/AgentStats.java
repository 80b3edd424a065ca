package io.fleetlog.edge;

import io.fleetlog.edge.uplink.LinkState;

/**
 * A snapshot of one vehicle agent.
 *
 * @param captured samples taken from the source and appended to the spool
 * @param firstCaptureMs capture time of the first sample, -1 before it
 * @param lastCaptureMs capture time of the newest sample, -1 before it
 * @param spoolDepth samples buffered on the vehicle (committed and pending)
 * @param peakSpoolDepth the largest {@code spoolDepth} seen
 * @param oldestBufferedMs capture time of the oldest buffered sample, -1 when empty
 * @param nextSeq the seq the next captured sample gets
 * @param ackedSeq the highest seq the server acknowledged, -1 when none
 * @param outages dead zones entered (filled by a harness that plays them; 0 from the edge alone)
 * @param outageSeconds capture-time seconds spent in dead zones (likewise)
 * @param deadZone whether the link is cut now (through {@code VehicleAgent.link()}, or by a harness)
 * @param connects connection attempts of the uplink
 * @param reconnects handshakes completed after the first one
 * @param wireBytesSent the uplink's message bytes; a harness with a proxy in front of the server
 *     puts the bytes that went through it toward the server here (all WebSocket traffic, framing included)
 * @param batchBytesSent protobuf bytes of batches sent (resends included)
 * @param sourceDone the source is exhausted (or the agent is closing)
 * @param quarantined samples whose spool chunk failed its checksum, set aside on the edge, ever
 * @param seqConflicts times the server held seqs this edge never sent (see {@code Uplink})
 * @param renumbered samples renumbered after the server's seqs because of those conflicts, ever
 */
public record AgentStats(
        String vin,
        String name,
        String model,
        long captured,
        long firstCaptureMs,
        long lastCaptureMs,
        LinkState link,
        long spoolDepth,
        long peakSpoolDepth,
        long oldestBufferedMs,
        long nextSeq,
        long ackedSeq,
        long outages,
        double outageSeconds,
        boolean deadZone,
        long connects,
        long reconnects,
        long heartbeatTimeouts,
        long wireBytesSent,
        long batchBytesSent,
        long samplesSent,
        long rejects,
        long rejectedSamples,
        long dropped,
        boolean sourceDone,
        long quarantined,
        long seqConflicts,
        long renumbered) {

    /** These stats with a harness's dead-zone figures (see the parameters of the same names). */
    public AgentStats withDeadZones(long outages, double outageSeconds, boolean deadZone, long wireBytesSent) {
        return new AgentStats(
                vin,
                name,
                model,
                captured,
                firstCaptureMs,
                lastCaptureMs,
                link,
                spoolDepth,
                peakSpoolDepth,
                oldestBufferedMs,
                nextSeq,
                ackedSeq,
                outages,
                outageSeconds,
                deadZone,
                connects,
                reconnects,
                heartbeatTimeouts,
                wireBytesSent,
                batchBytesSent,
                samplesSent,
                rejects,
                rejectedSamples,
                dropped,
                sourceDone,
                quarantined,
                seqConflicts,
                renumbered);
    }

    /** Samples set aside on the edge instead of stored (rejected or quarantined), ever. */
    public long setAside() {
        return rejectedSamples + quarantined;
    }
}
