package io.fleetlog.logs.dbc;

/** Byte order of a DBC signal: {@code @1} Intel (little endian), {@code @0} Motorola (big endian). */
public enum ByteOrder {
    /** {@code @1}: the start bit is the least significant bit; bits ascend through the bytes. */
    INTEL,
    /**
     * {@code @0}: the start bit is the most significant bit in DBC's "sawtooth" numbering; bits
     * descend within a byte, then continue at bit 7 of the next byte.
     */
    MOTOROLA
}
