package io.fleetlog.server.store;

import java.util.Objects;

/**
 * Something that happened to a vehicle's stream, stored next to its samples.
 *
 * <p>{@link Kind#GAP}: seqs {@code fromSeq..toSeq} will never be stored (the edge dropped them,
 * declared or detected as a hole after the stored seq); {@code tMs} is the server time it was detected.
 * {@link Kind#ONLINE} / {@link Kind#OFFLINE}: the vehicle's ingest connection opened or closed at
 * server time {@code tMs} (seqs are -1). {@link Kind#CONFLICT}: a batch for seqs {@code
 * fromSeq..toSeq} disagreed with what is stored (another time or values beyond the bounds: a second
 * edge with the same VIN, a replaced spool); it was refused, the stored samples are unchanged, and
 * {@code detail} says what differed.
 */
public record VehicleEvent(String vin, long tMs, Kind kind, long fromSeq, long toSeq, String detail) {
    public enum Kind {
        GAP,
        ONLINE,
        OFFLINE,
        CONFLICT
    }

    public VehicleEvent {
        Objects.requireNonNull(vin, "vin");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.GAP || kind == Kind.CONFLICT) && (fromSeq < 0 || toSeq < fromSeq)) {
            throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + " fromSeq " + fromSeq
                    + " toSeq " + toSeq + " is not a range");
        }
        detail = detail == null ? "" : detail;
    }

    public static VehicleEvent gap(String vin, long tMs, long fromSeq, long toSeq, String detail) {
        return new VehicleEvent(vin, tMs, Kind.GAP, fromSeq, toSeq, detail);
    }

    public static VehicleEvent conflict(String vin, long tMs, long fromSeq, long toSeq, String detail) {
        return new VehicleEvent(vin, tMs, Kind.CONFLICT, fromSeq, toSeq, detail);
    }

    public static VehicleEvent link(String vin, long tMs, boolean online) {
        return new VehicleEvent(vin, tMs, online ? Kind.ONLINE : Kind.OFFLINE, -1, -1, "");
    }

    /** Number of seqs a gap covers (0 for link events). */
    public long missing() {
        return kind == Kind.GAP ? toSeq - fromSeq + 1 : 0;
    }
}
