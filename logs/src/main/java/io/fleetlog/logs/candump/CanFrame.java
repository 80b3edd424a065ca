package io.fleetlog.logs.candump;

import java.util.HexFormat;
import java.util.Locale;

/**
 * One CAN or CAN FD frame from a log.
 *
 * @param timeMicros capture time, microseconds since the Unix epoch
 * @param iface the interface it was captured on ({@code can0}, {@code vcan1}, …)
 * @param id 11-bit (standard) or 29-bit (extended) identifier
 * @param extended whether {@code id} is a 29-bit identifier
 * @param kind data frame, remote (RTR) frame or CAN FD frame
 * @param fdFlags the CAN FD flags nibble (bit 0 BRS, bit 1 ESI); 0 for classic frames
 * @param data the payload (empty for remote frames); not copied, treat as immutable
 * @param dlc the requested length of a remote frame, else {@code data.length}
 */
public record CanFrame(
        long timeMicros, String iface, long id, boolean extended, Kind kind, int fdFlags, byte[] data, int dlc) {

    /** The three kinds of frames a candump log holds. */
    public enum Kind {
        DATA,
        REMOTE,
        FD
    }

    public CanFrame {
        if (id < 0 || id > (extended ? 0x1FFF_FFFFL : 0x7FFL)) {
            throw new IllegalArgumentException("CAN id 0x" + Long.toHexString(id) + " is out of range for a "
                    + (extended ? "29" : "11") + "-bit identifier");
        }
        int max = kind == Kind.FD ? 64 : 8;
        if (data.length > max || (kind == Kind.REMOTE && data.length != 0)) {
            throw new IllegalArgumentException(
                    "a " + kind + " frame cannot carry " + data.length + " bytes (at most " + max + ")");
        }
    }

    /** A classic data frame. */
    public static CanFrame data(long timeMicros, String iface, long id, boolean extended, byte[] data) {
        return new CanFrame(timeMicros, iface, id, extended, Kind.DATA, 0, data, data.length);
    }

    /** Capture time in whole milliseconds since the epoch (rounded down). */
    public long timeMillis() {
        return Math.floorDiv(timeMicros, 1000);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "(%d.%06d) %s %s",
                Math.floorDiv(timeMicros, 1_000_000),
                Math.floorMod(timeMicros, 1_000_000),
                iface,
                CandumpWriter.frameText(this));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanFrame f
                && f.timeMicros == timeMicros
                && f.iface.equals(iface)
                && f.id == id
                && f.extended == extended
                && f.kind == kind
                && f.fdFlags == fdFlags
                && f.dlc == dlc
                && java.util.Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timeMicros) * 31 + Long.hashCode(id);
    }

    /** Payload as upper-case hex. */
    public String hex() {
        return HexFormat.of().withUpperCase().formatHex(data);
    }
}
