package io.fleetlog.logs.dbc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One DBC message ({@code BO_}): a CAN ID, its name, payload length and signals.
 *
 * <p>Immutable. {@link #decode} respects multiplexing: a multiplexed signal ({@code mN}) is decoded
 * only from frames whose multiplexor ({@code M}) has raw value N. {@link #encode} is the inverse.
 *
 * @param id the CAN identifier (11 or 29 bits, without DBC's extended flag bit 31)
 * @param extended whether the ID is a 29-bit extended ID
 * @param dlc payload length in bytes as declared
 * @param transmitter the sending node, {@code Vector__XXX} when unknown
 */
public record DbcMessage(long id, boolean extended, String name, int dlc, String transmitter, List<DbcSignal> signals) {

    public DbcMessage {
        signals = List.copyOf(signals);
        if (dlc < 0 || dlc > 64) {
            throw new IllegalArgumentException("message " + name + ": dlc " + dlc + " is outside [0, 64]");
        }
        if (id < 0 || id > (extended ? 0x1FFF_FFFFL : 0x7FFL)) {
            throw new IllegalArgumentException("message " + name + ": id 0x" + Long.toHexString(id)
                    + " is too large for a " + (extended ? "29" : "11") + "-bit identifier");
        }
        long muxes = signals.stream()
                .filter(s -> s.multiplex() == Multiplex.MULTIPLEXOR)
                .count();
        if (muxes > 1) {
            throw new IllegalArgumentException("message " + name + " has " + muxes + " multiplexor signals (M)");
        }
        if (muxes == 0 && signals.stream().anyMatch(s -> s.multiplex() == Multiplex.MULTIPLEXED)) {
            throw new IllegalArgumentException(
                    "message " + name + " has multiplexed signals (mN) but no multiplexor (M)");
        }
    }

    /** The multiplexor signal, if the message is multiplexed. */
    public Optional<DbcSignal> multiplexor() {
        for (DbcSignal s : signals) {
            if (s.multiplex() == Multiplex.MULTIPLEXOR) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The signal named {@code name}, if any. */
    public Optional<DbcSignal> signal(String signalName) {
        for (DbcSignal s : signals) {
            if (s.name().equals(signalName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code s} (a signal of this message) is present in this payload: always for plain
     * signals; for {@code mN} signals when the multiplexor's raw value is N.
     */
    public boolean active(DbcSignal s, byte[] data, int dataLength) {
        if (s.multiplex() != Multiplex.MULTIPLEXED) {
            return s.fits(dataLength);
        }
        DbcSignal mux = multiplexor().orElseThrow();
        return mux.fits(dataLength) && s.fits(dataLength) && mux.raw(data) == s.multiplexValue();
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

    /** The ID as {@code 0x132} (or {@code 0x18FEF100x} for extended IDs). */
    public String hexId() {
        return "0x" + Long.toHexString(id).toUpperCase(java.util.Locale.ROOT) + (extended ? "x" : "");
    }
}
