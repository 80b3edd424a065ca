package io.fleetlog.codec.v2;

import io.fleetlog.frame.Frame;
import java.util.List;

/**
 * The frames of one batch as the server reconstructs them, frame {@code i} having seq {@code firstSeq
 * + i}. {@code skippedBefore} is the jump over the previous batch on this connection (0 for the first
 * batch); {@code gap} is what the batch declared (at least {@code skippedBefore}); {@code vin} is the
 * batch's VIN field, or null when absent (the server checks it against the connection's).
 */
public record DecodedFrames(
        List<Frame> frames, long firstSeq, long lastSeq, long skippedBefore, Gap gap, String vin, long values) {}
