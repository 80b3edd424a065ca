package io.fleetlog.logs.dbc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One DBC message ({@code BO_}): a CAN ID, its name, payload length and signals.
 *
 * <p>Immutable and thread-safe. {@link #decode} respects multiplexing: a multiplexed signal ({@code mN}) is decoded
 * only from frames whose multiplexor ({@code M}) has raw value N. {@link #encode} is the inverse.
 *
 * <p>{@code id} is the CAN identifier (11 or 29 bits, without DBC's extended flag bit 31),
 * {@code extended} whether it is a 29-bit ID, {@code dlc} the declared payload length in bytes,
 * {@code transmitter} the sending node ({@code Vector__XXX} when unknown).
 */
public final class DbcMessage {
    private final long id;
    private final boolean extended;
    private final String name;
    private final int dlc;
    private final String transmitter;
    private final List<DbcSignal> signals;
    private final Map<String, DbcSignal> byName = new HashMap<>();
    private final DbcSignal multiplexor;

    public DbcMessage(long id, boolean extended, String name, int dlc, String transmitter, List<DbcSignal> signals) {
        if (dlc < 0 || dlc > 64) {
            throw new IllegalArgumentException("message " + name + ": dlc " + dlc + " is outside [0, 64]");
        }
        if (id < 0 || id > (extended ? 0x1FFF_FFFFL : 0x7FFL)) {
            throw new IllegalArgumentException("message " + name + ": id 0x" + Long.toHexString(id)
                    + " is too large for a " + (extended ? "29" : "11") + "-bit identifier");
        }
        DbcSignal mux = null;
        boolean multiplexed = false;
        for (DbcSignal s : signals) {
            byName.putIfAbsent(s.name(), s);
            if (s.multiplex() == Multiplex.MULTIPLEXOR) {
                if (mux != null) {
                    throw new IllegalArgumentException("message " + name + " has more than one multiplexor signal (M)");
                }
                mux = s;
            }
            multiplexed |= s.multiplex() == Multiplex.MULTIPLEXED;
        }
        if (mux == null && multiplexed) {
            throw new IllegalArgumentException(
                    "message " + name + " has multiplexed signals (mN) but no multiplexor (M)");
        }
        this.id = id;
        this.extended = extended;
        this.name = name;
        this.dlc = dlc;
        this.transmitter = transmitter;
        this.signals = List.copyOf(signals);
        this.multiplexor = mux;
    }

    public long id() {
        return id;
    }

    public boolean extended() {
        return extended;
    }

    public String name() {
        return name;
    }

    public int dlc() {
        return dlc;
    }

    public String transmitter() {
        return transmitter;
    }

    public List<DbcSignal> signals() {
        return signals;
    }

    /** The multiplexor signal, if the message is multiplexed. */
    public Optional<DbcSignal> multiplexor() {
        return Optional.ofNullable(multiplexor);
    }

    /** The signal named {@code signalName}, if any. */
    public Optional<DbcSignal> signal(String signalName) {
        return Optional.ofNullable(byName.get(signalName));
    }

    /**
     * Whether {@code s} (a signal of this message) is present in this payload: always for plain
     * signals; for {@code mN} signals when the multiplexor's raw value is N.
     */
    public boolean active(DbcSignal s, byte[] data, int dataLength) {
        if (s.multiplex() != Multiplex.MULTIPLEXED) {
            return s.fits(dataLength);
        }
        return multiplexor.fits(dataLength) && s.fits(dataLength) && multiplexor.raw(data) == s.multiplexValue();
    }

    /**
     * Physical values of the signals present in the payload, in DBC order. Signals that do not fit a
     * short payload are left out; value-table "SNA" values are NaN.
     */
    public Map<String, Double> decode(byte[] data, int dataLength) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (DbcSignal s : signals) {
            if (active(s, data, dataLength)) {
                out.put(s.name(), s.decode(data, dataLength));
            }
        }
        return out;
    }

    /**
     * A payload of {@link #dlc} bytes holding {@code values} (physical, by signal name); signals not
     * given are zero bits. In a multiplexed message the multiplexor's value must be given and every
     * given {@code mN} signal must belong to it.
     *
     * @throws IllegalArgumentException naming an unknown signal, a value that does not fit, or a
     *     multiplexed signal of another multiplexor value
     */
    public byte[] encode(Map<String, Double> values) {
        byte[] data = new byte[dlc];
        Optional<DbcSignal> mux = multiplexor();
        long muxRaw = -1;
        if (mux.isPresent() && values.containsKey(mux.get().name())) {
            muxRaw = mux.get().toRaw(values.get(mux.get().name()));
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            DbcSignal s = signal(e.getKey())
                    .orElseThrow(() ->
                            new IllegalArgumentException("message " + name + " has no signal '" + e.getKey() + "'"));
            if (s.multiplex() == Multiplex.MULTIPLEXED && s.multiplexValue() != muxRaw) {
                throw new IllegalArgumentException("signal " + s.name() + " (m" + s.multiplexValue()
                        + ") needs multiplexor " + mux.map(DbcSignal::name).orElse("?") + " = "
                        + s.multiplexValue() + (muxRaw < 0 ? ", which is not given" : ", given " + muxRaw));
            }
            if (!s.fits(dlc)) {
                throw new IllegalArgumentException(
                        "signal " + s.name() + " needs " + s.minBytes() + " bytes, message " + name + " has " + dlc);
            }
            s.encode(data, e.getValue());
        }
        return data;
    }

    @Override
    public String toString() {
        return "BO_ " + hexId() + " " + name + ": " + dlc + " " + transmitter + " (" + signals.size() + " signals)";
    }

    /** The ID as {@code 0x132} (or {@code 0x18FEF100x} for extended IDs). */
    public String hexId() {
        return "0x" + Long.toHexString(id).toUpperCase(java.util.Locale.ROOT) + (extended ? "x" : "");
    }
}
