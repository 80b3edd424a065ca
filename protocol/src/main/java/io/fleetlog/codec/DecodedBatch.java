package io.fleetlog.codec;

import io.fleetlog.sample.Sample;
import java.util.List;

/**
 * The samples of one batch as the server reconstructs them, in seq order. {@code skippedBefore} is
 * the number of seqs the edge declared dropped before this batch (0 normally).
 */
public record DecodedBatch(List<Sample> samples, long firstSeq, long lastSeq, long skippedBefore) {}
