package io.fleetlog.logs.mapping;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link SignalMapping} resolved against a DBC: the DBC signals it reads ("slots") by CAN ID, and
 * per catalogue signal its expression(s) over those slots, its unit conversion and, for enums and
 * listed booleans, the raw value → code table. Immutable and thread-safe; the slot values and their
 * "arrived" marks live in caller-owned arrays ({@link #newSlots()}, {@link #newArrived()}).
 *
 * <p>A catalogue signal is captured in a frame when a message carrying one of its DBC signals
 * arrived since the last frame ({@link #capture}); its value is computed from the latest value of
 * every slot it reads. A DBC value the table calls SNA/invalid (decoded as NaN) makes it
 * unavailable; a value outside the catalogue signal's range, a non-whole integer, a boolean other
 * than 0/1 and a raw enum value without a name are problems (reported, captured as unavailable).
 */
public final class BoundMapping {
    /** The code an explicit {@code raw=unavailable} maps to. */
    static final long UNAVAILABLE_CODE = Long.MIN_VALUE;

    /**
     * One mapped catalogue signal.
     *
     * @param slots the slots its expressions read
     * @param codes raw → code (enums, listed booleans), else null
     * @param single the slot of a single-signal line, else -1
     */
    record Target(
            int id,
            Signal signal,
            Expr[] exprs,
            int[] slots,
            Units.Conversion conversion,
            Map<Long, Long> codes,
            int single,
            int line) {}

    private final SignalMapping mapping;
    private final Dbc dbc;
    private final List<DbcMessage> slotMessages;
    private final List<DbcSignal> slotSignals;
    private final List<Target> targets;
    private final Map<Long, int[]> slotsByKey = new HashMap<>();
    /** Slots by standard (11-bit) ID, so the hot path does not box a key. */
    private final int[][] slotsByStandardId = new int[0x800][];

    BoundMapping(
            SignalMapping mapping,
            Dbc dbc,
            List<DbcMessage> slotMessages,
            List<DbcSignal> slotSignals,
            List<Target> targets) {
        this.mapping = mapping;
        this.dbc = dbc;
        this.slotMessages = List.copyOf(slotMessages);
        this.slotSignals = List.copyOf(slotSignals);
        this.targets = List.copyOf(targets);
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
    }

    /** Slot values, all unavailable (NaN) until their signal is first seen. */
    public double[] newSlots() {
        double[] s = new double[slotSignals.size()];
        Arrays.fill(s, Double.NaN);
        return s;
    }

    /** Marks of the slots whose message arrived since the last {@link #capture}. */
    public boolean[] newArrived() {
        return new boolean[slotSignals.size()];
    }

    /**
     * Updates {@code slots} from one frame's payload and marks them in {@code arrived}; returns
     * whether the frame carried any mapped signal (multiplexed signals count only in frames of their
     * multiplexor value).
     */
    public boolean apply(long id, boolean extended, byte[] data, int length, double[] slots, boolean[] arrived) {
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
                arrived[slot] = true;
                any = true;
            }
        }
        return any;
    }

    /**
     * Adds to {@code frame} every catalogue signal one of whose slots arrived, then clears {@code
     * arrived}; returns how many entries were added. Problems (the message without the place) go to
     * {@code problems}; their signal is added as unavailable.
     */
    public int capture(double[] slots, boolean[] arrived, Frame.Builder frame, Consumer<String> problems) {
        int n = 0;
        for (Target t : targets) {
            if (arrivedAny(t, arrived)) {
                value(t, slots, frame, problems);
                n++;
            }
        }
        Arrays.fill(arrived, false);
        return n;
    }

    private static boolean arrivedAny(Target t, boolean[] arrived) {
        for (int s : t.slots()) {
            if (arrived[s]) {
                return true;
            }
        }
        return false;
    }

    private void value(Target t, double[] slots, Frame.Builder frame, Consumer<String> problems) {
        int id = t.id();
        Signal sig = t.signal();
        double v = t.conversion().apply(t.exprs()[0].eval(slots));
        String problem = null;
        switch (sig.type()) {
            case FloatType ft -> {
                if (Double.isNaN(v)) {
                    frame.unavailable(id);
                } else if (!Double.isFinite(v) || !ft.inRange(v)) {
                    problem = sig.name() + " " + v + " " + ft.unit() + " is outside " + ft.min() + ".." + ft.max();
                } else {
                    frame.number(id, ft.normalise(v));
                }
            }
            case IntegerType it -> {
                double r = Math.rint(v);
                if (Double.isNaN(v)) {
                    frame.unavailable(id);
                } else if (Math.abs(v - r) > 1e-6) {
                    problem = sig.name() + " " + v + " is not a whole number";
                } else if (!it.inRange((long) r)) {
                    problem = sig.name() + " " + (long) r + " is outside " + it.min() + ".." + it.max();
                } else {
                    frame.integer(id, (long) r);
                }
            }
            case BooleanType bt -> problem = coded(t, v, frame);
            case EnumType et -> problem = coded(t, v, frame);
            case LocationType lt -> {
                double lon = t.conversion().apply(t.exprs()[1].eval(slots));
                if (Double.isNaN(v) || Double.isNaN(lon)) {
                    frame.unavailable(id);
                } else if (!(Math.abs(v) <= 90 && Math.abs(lon) <= 180)) {
                    problem = sig.name() + " " + v + ", " + lon + " is not a position";
                } else {
                    frame.position(id, v, lon);
                }
            }
            default -> throw new IllegalStateException(sig.name() + ": " + sig.type() + " cannot be mapped");
        }
        if (problem != null) {
            problems.accept(problem + "; sent as unavailable");
            frame.unavailable(id);
        }
    }

    /** An enum or boolean through its code table (or 0/1); returns a problem or null. */
    private String coded(Target t, double v, Frame.Builder frame) {
        int id = t.id();
        if (Double.isNaN(v)) {
            frame.unavailable(id);
            return null;
        }
        if (t.codes() == null) { // a boolean without a list
            if (v == 0 || v == 1) {
                frame.bool(id, v == 1);
                return null;
            }
            return t.signal().name() + " " + v + " is neither 0 (false) nor 1 (true)";
        }
        long raw = t.single() >= 0 ? slotSignals.get(t.single()).toRaw(v) : Math.round(v);
        Long code = t.codes().get(raw);
        if (code == null) {
            String name =
                    t.single() >= 0 ? slotSignals.get(t.single()).valueTable().get(raw) : null;
            return slotSignals.get(t.single()).name() + " raw value " + raw + (name == null ? "" : " ('" + name + "')")
                    + " has no " + t.signal().name() + " value (mapping " + mapping.name() + ":" + t.line() + ")";
        }
        if (code == UNAVAILABLE_CODE) {
            frame.unavailable(id);
        } else if (t.signal().type() instanceof BooleanType) {
            frame.bool(id, code == 1);
        } else {
            frame.integer(id, code);
        }
        return null;
    }

    /** The mapped catalogue signals, in catalogue id order. */
    public List<Signal> signals() {
        return targets.stream().map(Target::signal).toList();
    }

    /** Whether the catalogue signal {@code name} is mapped. */
    public boolean maps(String name) {
        return target(name).isPresent();
    }

    Optional<Target> target(String name) {
        return targets.stream()
                .filter(t -> t.signal().name().equalsIgnoreCase(name))
                .findFirst();
    }

    List<Target> targets() {
        return targets;
    }

    /** The unit conversion of the catalogue signal {@code name} (identity for enums and booleans). */
    public Units.Conversion conversion(String name) {
        return target(name)
                .orElseThrow(() -> new IllegalArgumentException(name + " is not mapped"))
                .conversion();
    }

    DbcSignal slotSignal(int slot) {
        return slotSignals.get(slot);
    }

    DbcMessage slotMessage(int slot) {
        return slotMessages.get(slot);
    }

    /** CAN IDs (as {@link Dbc#key} values) the mapping reads. */
    public Set<Long> keys() {
        return Set.copyOf(slotsByKey.keySet());
    }

    public SignalMapping mapping() {
        return mapping;
    }

    public Dbc dbc() {
        return dbc;
    }
}
