package io.fleetlog.logs.mapping;

import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import io.fleetlog.sample.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SignalMapping} resolved against a DBC: the signals it reads ("slots") by CAN ID, and per
 * field the expression over those slots with its unit factor. Immutable and thread-safe; the slot
 * values live in a caller-owned {@code double[]} ({@link #newSlots()}).
 */
public final class BoundMapping {
    private final SignalMapping mapping;
    private final Dbc dbc;
    private final List<DbcMessage> slotMessages;
    private final List<DbcSignal> slotSignals;
    private final Map<Long, int[]> slotsByKey = new HashMap<>();
    /** Slots by standard (11-bit) ID, so the hot path does not box a key. */
    private final int[][] slotsByStandardId = new int[0x800][];

    private final Expr[] exprs = new Expr[Field.COUNT];
    private final double[] factors = new double[Field.COUNT];

    BoundMapping(
            SignalMapping mapping,
            Dbc dbc,
            List<DbcMessage> slotMessages,
            List<DbcSignal> slotSignals,
            Map<Field, Expr> bound,
            Map<Field, Double> factorByField) {
        this.mapping = mapping;
        this.dbc = dbc;
        this.slotMessages = List.copyOf(slotMessages);
        this.slotSignals = List.copyOf(slotSignals);
        Map<Long, List<Integer>> byKey = new HashMap<>();
        for (int i = 0; i < slotMessages.size(); i++) {
            DbcMessage m = slotMessages.get(i);
            byKey.computeIfAbsent(Dbc.key(m.id(), m.extended()), k -> new ArrayList<>())
                    .add(i);
        }
        byKey.forEach((k, v) ->
                slotsByKey.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        slotsByKey.forEach((k, v) -> {
            if (k < 0x800) {
                slotsByStandardId[(int) (long) k] = v;
            }
        });
        for (Map.Entry<Field, Expr> e : bound.entrySet()) {
            exprs[e.getKey().ordinal()] = e.getValue();
            factors[e.getKey().ordinal()] = factorByField.get(e.getKey());
        }
    }

    /** Slot values, all unavailable (NaN) until their signal is first seen. */
    public double[] newSlots() {
        double[] s = new double[slotSignals.size()];
        Arrays.fill(s, Double.NaN);
        return s;
    }

    /**
     * Updates {@code slots} from one frame's payload; returns whether the frame carried any mapped
     * signal (multiplexed signals count only in frames of their multiplexor value).
     */
    public boolean apply(long id, boolean extended, byte[] data, int length, double[] slots) {
        int[] mine = extended ? slotsByKey.get(Dbc.key(id, true)) : slotsByStandardId[(int) id & 0x7FF];
        if (mine == null) {
            return false;
        }
        boolean any = false;
        for (int slot : mine) {
            DbcMessage m = slotMessages.get(slot);
            DbcSignal s = slotSignals.get(slot);
            if (m.active(s, data, length)) {
                slots[slot] = s.decode(data, length);
                any = true;
            }
        }
        return any;
    }

    /** The field values (in field units, NaN when unmapped or not yet seen) for these slots. */
    public void values(double[] slots, double[] out) {
        for (int f = 0; f < Field.COUNT; f++) {
            out[f] = exprs[f] == null ? Double.NaN : exprs[f].eval(slots) * factors[f];
        }
    }

    /** Whether {@code f} is mapped. */
    public boolean maps(Field f) {
        return exprs[f.ordinal()] != null;
    }

    /** The factor converting the field's expression to its unit. */
    public double factor(Field f) {
        return factors[f.ordinal()];
    }

    /** CAN IDs (as {@link Dbc#key} values) the mapping reads. */
    public java.util.Set<Long> keys() {
        return java.util.Set.copyOf(slotsByKey.keySet());
    }

    public SignalMapping mapping() {
        return mapping;
    }

    public Dbc dbc() {
        return dbc;
    }
}
