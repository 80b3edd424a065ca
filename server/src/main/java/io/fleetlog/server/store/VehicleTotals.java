package io.fleetlog.server.store;

/**
 * What a store holds for one vehicle: highest stored seq (-1 none), number of stored samples and the
 * capture time of the newest stored sample (-1 none).
 */
public record VehicleTotals(long lastSeq, long samples, long lastCaptureMs) {
    public static final VehicleTotals NONE = new VehicleTotals(-1, 0, -1);

    /** These totals after {@code inserted} new samples up to {@code seq} captured at {@code t}. */
    VehicleTotals plus(long inserted, long seq, long t) {
        return new VehicleTotals(Math.max(lastSeq, seq), samples + inserted, Math.max(lastCaptureMs, t));
    }
}
