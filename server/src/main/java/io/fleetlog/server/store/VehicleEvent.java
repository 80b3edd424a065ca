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
 *
 * <p>Events of Tesla Fleet Telemetry cars (seqs -1, {@code detail} says what): {@link Kind#ALERT},
 * {@link Kind#ERROR}, {@link Kind#CONNECTIVITY} — a record of the car's {@code alerts}, {@code
 * errors} or {@code connectivity} topic, at the car's time of the alert or error; {@link
 * Kind#ARRIVAL_GAP} — no record arrived from the car for longer than the listener's gap threshold
 * (at the server time the next one arrived, {@code detail} gives the silence and how old the next
 * record was); {@link Kind#OUT_OF_ORDER} — a record older than the car's newest stored frame was
 * acked but not stored (time may not run backwards), at its capture time.
 */
public record VehicleEvent(String vin, long tMs, Kind kind, long fromSeq, long toSeq, String detail) {
    public enum Kind {
        GAP,
        ONLINE,
        OFFLINE,
        CONFLICT,
        ALERT,
        ERROR,
        CONNECTIVITY,
        ARRIVAL_GAP,
        OUT_OF_ORDER
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

    /** An event without a seq range ({@link Kind#ALERT}, {@link Kind#ARRIVAL_GAP}, …). */
    public static VehicleEvent note(String vin, long tMs, Kind kind, String detail) {
        if (kind == Kind.GAP || kind == Kind.CONFLICT) {
            throw new IllegalArgumentException(kind + " needs a seq range");
        }
        return new VehicleEvent(vin, tMs, kind, -1, -1, detail);
    }

    public static VehicleEvent link(String vin, long tMs, boolean online) {
        return new VehicleEvent(vin, tMs, online ? Kind.ONLINE : Kind.OFFLINE, -1, -1, "");
    }

    /** Number of seqs a gap covers (0 for link events). */
    public long missing() {
        return kind == Kind.GAP ? toSeq - fromSeq + 1 : 0;
    }
}
