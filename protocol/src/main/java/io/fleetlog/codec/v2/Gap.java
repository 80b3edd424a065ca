package io.fleetlog.codec.v2;

import io.fleetlog.wire.v2.GapReason;

/**
 * Seqs right before a batch that the edge will never send: how many, and why ({@code DROPPED}: the
 * spool's drop-oldest policy; {@code CORRUPT}: rows that failed their checksum were set aside).
 *
 * @param dropped at least 1 for a gap; 0 only in {@link #NONE}
 * @param reason {@code DROPPED} or {@code CORRUPT}; {@code GAP_REASON_UNSPECIFIED} only in {@link #NONE}
 */
public record Gap(long dropped, GapReason reason) {

    /** No gap. */
    public static final Gap NONE = new Gap(0, GapReason.GAP_REASON_UNSPECIFIED);

    public Gap {
        boolean none = dropped == 0 && reason == GapReason.GAP_REASON_UNSPECIFIED;
        if (!none && (dropped < 1 || (reason != GapReason.DROPPED && reason != GapReason.CORRUPT))) {
            throw new IllegalArgumentException("a gap of " + dropped + " seqs (" + reason
                    + ") needs at least 1 seq and a reason DROPPED or CORRUPT");
        }
    }

    /** {@code dropped} seqs lost to the spool's drop-oldest policy. */
    public static Gap dropped(long dropped) {
        return new Gap(dropped, GapReason.DROPPED);
    }

    /** {@code dropped} seqs set aside because their spool rows were corrupt. */
    public static Gap corrupt(long dropped) {
        return new Gap(dropped, GapReason.CORRUPT);
    }

    public boolean isGap() {
        return dropped > 0;
    }
}
