package io.fleetlog.logs.dbc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One signal of a DBC message: where its bits sit in the frame and how raw bits become a physical
 * value ({@code physical = raw × factor + offset}).
 *
 * <p>Immutable and thread-safe. {@link #decode} reads a frame's payload without allocating; frames
 * too short for the signal give {@link Double#NaN}. {@link #encode} is the inverse and refuses
 * values the signal cannot represent, naming the signal and the value. {@code min}/{@code max} are
 * the DBC's stated range and are informational (decoding does not clamp). A raw value that the
 * signal's value table names "SNA" (signal not available), "invalid" or similar decodes as NaN.
 */
public final class DbcSignal {
    /** DBC CAN FD frames carry at most 64 bytes = 512 bits. */
    static final int MAX_BITS = 512;

    private static final Pattern UNAVAILABLE =
            Pattern.compile("(?i).*(\\bsna\\b|_sna\\b|\\bsna_|invalid|not.?available|unavailable).*");

    private final String name;
    private final int startBit;
    private final int length;
    private final ByteOrder byteOrder;
    private final boolean signed;
    private final double factor;
    private final double offset;
    private final double min;
    private final double max;
    private final String unit;
    private final List<String> receivers;
    private final Multiplex multiplex;
    private final int multiplexValue;
    private final ValueType valueType;
    private final Map<Long, String> valueTable;
    /** Bit index in the payload of raw bit i (i = 0 is the least significant). */
    private final int[] positions;

    private final int minBytes;

    /** How the raw bits are interpreted (DBC {@code SIG_VALTYPE_}). */
    public enum ValueType {
        INTEGER,
        FLOAT32,
        FLOAT64
    }

    public DbcSignal(
            String name,
            int startBit,
            int length,
            ByteOrder byteOrder,
            boolean signed,
            double factor,
            double offset,
            double min,
            double max,
            String unit,
            List<String> receivers,
            Multiplex multiplex,
            int multiplexValue,
            ValueType valueType,
            Map<Long, String> valueTable) {
        if (length < 1 || length > 64) {
            throw new IllegalArgumentException("signal " + name + ": length " + length + " is outside [1, 64]");
        }
        if (startBit < 0 || startBit >= MAX_BITS) {
            throw new IllegalArgumentException(
                    "signal " + name + ": start bit " + startBit + " is outside [0, " + (MAX_BITS - 1) + "]");
        }
        if (!(factor != 0 && Double.isFinite(factor)) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("signal " + name + ": factor " + factor + " / offset " + offset
                    + " must be finite, factor non-zero");
        }
        if (valueType == ValueType.FLOAT32 && length != 32 || valueType == ValueType.FLOAT64 && length != 64) {
            throw new IllegalArgumentException(
                    "signal " + name + ": a " + valueType + " signal cannot be " + length + " bits long");
        }
        this.name = name;
        this.startBit = startBit;
        this.length = length;
        this.byteOrder = byteOrder;
        this.signed = signed;
        this.factor = factor;
        this.offset = offset;
        this.min = min;
        this.max = max;
        this.unit = unit;
        this.receivers = List.copyOf(receivers);
        this.multiplex = multiplex;
        this.multiplexValue = multiplexValue;
        this.valueType = valueType;
        this.valueTable = Map.copyOf(valueTable);
        this.positions = positions(name, startBit, length, byteOrder);
        int maxPos = 0;
        for (int p : positions) {
            maxPos = Math.max(maxPos, p);
        }
        this.minBytes = maxPos / 8 + 1;
    }

    private static int[] positions(String name, int startBit, int length, ByteOrder order) {
        int[] pos = new int[length];
        if (order == ByteOrder.INTEL) {
            for (int i = 0; i < length; i++) {
                pos[i] = startBit + i;
            }
        } else {
            int p = startBit; // most significant bit first
            for (int i = length - 1; i >= 0; i--) {
                pos[i] = p;
                p = (p % 8 == 0) ? p + 15 : p - 1;
            }
        }
        for (int p : pos) {
            if (p < 0 || p >= MAX_BITS) {
                throw new IllegalArgumentException("signal " + name + ": " + length + " bits from start bit " + startBit
                        + " (" + order + ") run past the end of a 64-byte frame");
            }
        }
        return pos;
    }

    /** The raw bits of the signal, sign-extended when signed; requires {@link #fits}. */
    public long raw(byte[] data) {
        long raw = 0;
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            raw |= (long) ((data[p >> 3] >> (p & 7)) & 1) << i;
        }
        if (signed && valueType == ValueType.INTEGER && length < 64) {
            raw = (raw << (64 - length)) >> (64 - length);
        }
        return raw;
    }

    /** Whether a payload of {@code dataLength} bytes holds every bit of this signal. */
    public boolean fits(int dataLength) {
        return dataLength >= minBytes;
    }

    /** Bytes a payload needs to hold this signal. */
    public int minBytes() {
        return minBytes;
    }

    /**
     * The physical value in {@code data[0..dataLength)}, or NaN when the payload is too short or the
     * raw value is one the value table marks as not available.
     */
    public double decode(byte[] data, int dataLength) {
        if (!fits(dataLength)) {
            return Double.NaN;
        }
        long raw = raw(data);
        if (!valueTable.isEmpty() && unavailable(raw)) {
            return Double.NaN;
        }
        return physical(raw);
    }

    /** The physical value of a raw value. */
    public double physical(long raw) {
        return switch (valueType) {
            case FLOAT32 -> Float.intBitsToFloat((int) raw) * factor + offset;
            case FLOAT64 -> Double.longBitsToDouble(raw) * factor + offset;
            case INTEGER -> {
                double r = signed || raw >= 0 ? raw : (raw >>> 1) * 2.0 + (raw & 1);
                yield r * factor + offset;
            }
        };
    }

    /** Whether the value table names {@code raw} "SNA", "invalid", "not available" or similar. */
    public boolean unavailable(long raw) {
        String text = valueTable.get(raw);
        return text != null && UNAVAILABLE.matcher(text).matches();
    }

    /**
     * The raw value for a physical value (rounded to the nearest step).
     *
     * @throws IllegalArgumentException when the value is not finite or outside what the bits hold
     */
    public long toRaw(double physical) {
        if (!Double.isFinite(physical)) {
            throw new IllegalArgumentException("signal " + name + ": cannot encode " + physical);
        }
        double scaled = (physical - offset) / factor;
        return switch (valueType) {
            case FLOAT32 -> Float.floatToRawIntBits((float) scaled) & 0xFFFF_FFFFL;
            case FLOAT64 -> Double.doubleToRawLongBits(scaled);
            case INTEGER -> {
                double r = Math.rint(scaled);
                if (r < rawMin() || r > rawMax()) {
                    throw new IllegalArgumentException("signal " + name + ": " + physical + " " + unit
                            + " is outside what " + length + (signed ? " signed" : " unsigned")
                            + " bits hold: [" + physical((long) rawMin()) + ", " + physical((long) rawMax()) + "]");
                }
                yield (long) r;
            }
        };
    }

    /** Smallest raw value the bits hold (integer signals). */
    public double rawMin() {
        return signed ? -Math.pow(2, length - 1) : 0;
    }

    /** Largest raw value the bits hold (integer signals). */
    public double rawMax() {
        return signed ? Math.pow(2, length - 1) - 1 : Math.pow(2, length) - 1;
    }

    /** Writes the raw value's bits into {@code data} (which must hold {@link #minBytes()} bytes). */
    public void insert(byte[] data, long raw) {
        for (int i = 0; i < positions.length; i++) {
            int p = positions[i];
            int mask = 1 << (p & 7);
            if (((raw >>> i) & 1) != 0) {
                data[p >> 3] |= (byte) mask;
            } else {
                data[p >> 3] &= (byte) ~mask;
            }
        }
    }

    /** Encodes {@code physical} into {@code data}; see {@link #toRaw}. */
    public void encode(byte[] data, double physical) {
        insert(data, toRaw(physical));
    }

    /** Resolution of the signal: one raw step in the physical unit ({@code |factor|}). */
    public double resolution() {
        return Math.abs(factor);
    }

    public String name() {
        return name;
    }

    public int startBit() {
        return startBit;
    }

    public int length() {
        return length;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    public boolean signed() {
        return signed;
    }

    public double factor() {
        return factor;
    }

    public double offset() {
        return offset;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The unit string exactly as in the DBC (e.g. {@code KPH}), empty when none. */
    public String unit() {
        return unit;
    }

    public List<String> receivers() {
        return receivers;
    }

    public Multiplex multiplex() {
        return multiplex;
    }

    /** For {@link Multiplex#MULTIPLEXED} signals, the multiplexor value selecting it; else -1. */
    public int multiplexValue() {
        return multiplexValue;
    }

    public ValueType valueType() {
        return valueType;
    }

    /** Descriptions of raw values (DBC {@code VAL_}), possibly empty. */
    public Map<Long, String> valueTable() {
        return valueTable;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s %d|%d@%d%s (%s,%s) [%s|%s] \"%s\"%s",
                name,
                startBit,
                length,
                byteOrder == ByteOrder.INTEL ? 1 : 0,
                signed ? "-" : "+",
                factor,
                offset,
                min,
                max,
                unit,
                multiplex == Multiplex.MULTIPLEXOR
                        ? " M"
                        : multiplex == Multiplex.MULTIPLEXED ? " m" + multiplexValue : "");
    }
}
