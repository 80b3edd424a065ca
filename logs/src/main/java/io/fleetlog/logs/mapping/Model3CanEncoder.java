package io.fleetlog.logs.mapping;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import io.fleetlog.logs.dbc.Multiplex;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns fleetlog samples into the CAN frames a Tesla Model 3 would put on its bus, laid out by the
 * Model 3 DBC: a signal mapping (default {@link SignalMapping#model3()}) in reverse.
 *
 * <p>Feed it 50 Hz samples in capture-time order; each call of {@link #encode} returns the frames of
 * that tick. Every mapped catalogue signal whose line is a single DBC signal (two for a location) is
 * written through its unit conversion; an enum through its value table (the first raw value of its
 * code), a boolean as 0/1. A message (per multiplexor value for multiplexed ones) goes out at its
 * rate ({@link #RATES}: every sample, every 5th = 10 Hz, default every 50th = 1 Hz) when the sample
 * captures at least one of its signals; its other signals keep the bits they last had (a value-table
 * SNA at first), as on a real bus. Frames of one tick are stamped 50 µs apart, the last at the
 * sample's capture time, so {@link CanSource} (which samples at each tick's end) sees them in that
 * tick; give the samples capture times on multiples of 20 ms and they come back at the same times.
 *
 * <p>{@code Power} is the product {@code BattVoltage132 × SmoothBattCurrent132}: when a sample has
 * {@code PackVoltage} and {@code PackCurrent}, those are written (and Power is their product); when
 * it has only {@code Power}, a pack voltage is modelled ({@code 350 V + 0.5 V per % Soc}) and the
 * current is {@code power / voltage}. An unavailable value writes the signal's SNA raw value if its
 * table has one. A value outside what the signal holds is clamped and counted ({@link #clamped()}).
 * Not thread-safe.
 */
public final class Model3CanEncoder {
    /** Spacing of the frames within one tick, microseconds. */
    static final long FRAME_SPACING_US = 50;

    /** Samples between two frames of a message (50 Hz samples), by message name; others every 50th. */
    public static final Map<String, Integer> RATES = Map.of(
            "ID132HVBattAmpVolt", 1,
            "ID257UIspeed", 1,
            "ID118DriveSystemStatus", 1,
            "ID111RCM_inertial2", 1,
            "ID292BMS_SOC", 5,
            "ID3D9UI_gpsVehicleSpeed", 5,
            "ID212BMS_status", 5);

    private static final int DEFAULT_EVERY = 50;

    private final BoundMapping mapping;
    private final String iface;
    private final List<Group> groups = new ArrayList<>();
    private long tick;
    private long clamped;

    /** One DBC signal written from one catalogue signal (component 1 = a location's longitude). */
    private record Part(BoundMapping.Target target, int component, DbcSignal signal) {}

    /** The frames of one message (and multiplexor value); {@code last} holds its current bits. */
    private static final class Group {
        final DbcMessage message;
        final int every;
        final List<Part> parts = new ArrayList<>();
        BoundMapping.Target product; // Power = voltage × current
        DbcSignal voltage;
        DbcSignal current;
        final byte[] last;

        Group(DbcMessage message, int every, long mux) {
            this.message = message;
            this.every = every;
            this.last = new byte[message.dlc()];
            for (DbcSignal s : message.signals()) {
                s.valueTable().keySet().stream()
                        .filter(s::unavailable)
                        .findFirst()
                        .ifPresent(raw -> s.insert(last, raw));
            }
            message.multiplexor().ifPresent(m -> m.insert(last, Math.max(0, mux)));
        }
    }

    /** An encoder using the built-in DBC subset ({@link SignalMapping#model3Dbc()}). */
    public Model3CanEncoder(String iface) {
        this(SignalMapping.model3Dbc(), iface);
    }

    /** An encoder for {@code dbc}, which must hold the messages of the built-in Model 3 mapping. */
    public Model3CanEncoder(Dbc dbc, String iface) {
        this(bindModel3(dbc), iface);
    }

    /** An encoder writing every signal of {@code mapping} that is a single DBC signal (or Power). */
    public Model3CanEncoder(BoundMapping mapping, String iface) {
        this.mapping = mapping;
        this.iface = iface;
        Map<String, Group> byKey = new LinkedHashMap<>();
        for (BoundMapping.Target t : mapping.targets()) {
            for (int k = 0; k < t.exprs().length; k++) {
                if (t.exprs()[k] instanceof Expr.Slot s) {
                    group(byKey, s.index()).parts.add(new Part(t, k, mapping.slotSignal(s.index())));
                } else if (t.exprs()[k] instanceof Expr.Bin b
                        && b.op() == '*'
                        && b.l() instanceof Expr.Slot v
                        && b.r() instanceof Expr.Slot c
                        && mapping.slotMessage(v.index()) == mapping.slotMessage(c.index())) {
                    Group g = group(byKey, v.index());
                    g.product = t;
                    g.voltage = mapping.slotSignal(v.index());
                    g.current = mapping.slotSignal(c.index());
                }
            }
        }
        groups.addAll(byKey.values());
    }

    private Group group(Map<String, Group> byKey, int slot) {
        DbcMessage m = mapping.slotMessage(slot);
        DbcSignal s = mapping.slotSignal(slot);
        long mux = s.multiplex() == Multiplex.MULTIPLEXED ? s.multiplexValue() : -1;
        return byKey.computeIfAbsent(
                m.name() + "/" + mux, k -> new Group(m, RATES.getOrDefault(m.name(), DEFAULT_EVERY), mux));
    }

    private static BoundMapping bindModel3(Dbc dbc) {
        try {
            return SignalMapping.model3().bind(dbc);
        } catch (MappingException e) {
            throw new IllegalArgumentException(
                    dbc.name() + " lacks signals of the built-in Model 3 mapping: " + e.getMessage(), e);
        }
    }

    /** Of a mapped catalogue signal, how many samples apart its message goes out (1 = every sample). */
    public int every(String signal) {
        for (Group g : groups) {
            if (g.product != null && g.product.signal().name().equalsIgnoreCase(signal)) {
                return g.every;
            }
            for (Part p : g.parts) {
                if (p.target().signal().name().equalsIgnoreCase(signal)) {
                    return g.every;
                }
            }
        }
        throw new IllegalArgumentException(signal + " is not encoded");
    }

    /** The catalogue signals this encoder writes. */
    public List<String> signals() {
        List<String> out = new ArrayList<>();
        for (Group g : groups) {
            if (g.product != null) {
                out.add(g.product.signal().name());
            }
            for (Part p : g.parts) {
                if (!out.contains(p.target().signal().name())) {
                    out.add(p.target().signal().name());
                }
            }
        }
        return out;
    }

    /** The frames of the next tick, carrying {@code s}'s captured values. */
    public List<CanFrame> encode(Sample s) {
        List<byte[]> payloads = new ArrayList<>();
        List<DbcMessage> which = new ArrayList<>();
        for (Group g : groups) {
            if (tick % g.every == 0 && write(g, s.frame())) {
                payloads.add(g.last.clone());
                which.add(g.message);
            }
        }
        List<CanFrame> out = new ArrayList<>(payloads.size());
        long endUs = s.captureTimeMs() * 1000;
        for (int i = 0; i < payloads.size(); i++) {
            long t = endUs - (payloads.size() - 1 - i) * FRAME_SPACING_US;
            DbcMessage m = which.get(i);
            out.add(CanFrame.data(t, iface, m.id(), m.extended(), payloads.get(i)));
        }
        tick++;
        return out;
    }

    /** Writes the frame's values into the group's bits; returns whether it captured any of them. */
    private boolean write(Group g, Frame f) {
        boolean any = false;
        if (g.product != null) {
            int i = f.indexOf(g.product.id());
            if (i >= 0 && !f.unavailable(i) && !hasPack(g, f)) {
                int soc = f.indexOf(mapping.mapping().catalogue().id("Soc"));
                double socPct = soc >= 0 && f.kind(soc) == Frame.Kind.NUMBER ? f.number(soc) : 50;
                double volts = put(g.last, g.voltage, 350 + 0.5 * socPct);
                put(g.last, g.current, g.product.conversion().invert(f.number(i)) / volts);
                any = true;
            }
        }
        for (Part p : g.parts) {
            int i = f.indexOf(p.target().id());
            if (i < 0) {
                continue;
            }
            any = true;
            if (f.unavailable(i)) {
                p.signal().valueTable().keySet().stream()
                        .filter(p.signal()::unavailable)
                        .findFirst()
                        .ifPresent(raw -> p.signal().insert(g.last, raw));
                continue;
            }
            writePart(g.last, p, f, i);
        }
        return any;
    }

    private boolean hasPack(Group g, Frame f) {
        for (Part p : g.parts) {
            if ((p.signal() == g.voltage || p.signal() == g.current)
                    && f.indexOf(p.target().id()) >= 0) {
                return true;
            }
        }
        return false;
    }

    private void writePart(byte[] data, Part p, Frame f, int i) {
        BoundMapping.Target t = p.target();
        Units.Conversion c = t.conversion();
        switch (t.signal().type()) {
            case FloatType ft -> put(data, p.signal(), c.invert(f.number(i)));
            case IntegerType it -> put(data, p.signal(), c.invert(f.integer(i)));
            case LocationType lt ->
                put(data, p.signal(), c.invert(p.component() == 0 ? f.latitude(i) : f.longitude(i)));
            case BooleanType bt -> putCode(data, p, f.integer(i));
            case EnumType et -> putCode(data, p, f.integer(i));
            default -> throw new IllegalStateException(t.signal().name() + " cannot be encoded");
        }
    }

    private void putCode(byte[] data, Part p, long code) {
        Map<Long, Long> codes = p.target().codes();
        if (codes == null) {
            put(data, p.signal(), code);
            return;
        }
        for (Map.Entry<Long, Long> e : codes.entrySet()) {
            if (e.getValue() == code) {
                p.signal().insert(data, e.getKey());
                return;
            }
        }
        clamped++; // a code the DBC cannot say: leave the bits, count it
    }

    /** Encodes {@code value} (clamped to the signal) and returns the value the bits now hold. */
    private double put(byte[] data, DbcSignal sig, double value) {
        double lo = sig.physical((long) (sig.factor() > 0 ? sig.rawMin() : sig.rawMax()));
        double hi = sig.physical((long) (sig.factor() > 0 ? sig.rawMax() : sig.rawMin()));
        double v = value;
        if (v < lo || v > hi) {
            clamped++;
            v = Math.max(lo, Math.min(hi, v));
        }
        long raw = Math.max(
                (long) sig.rawMin(), Math.min((long) sig.rawMax(), Math.round((v - sig.offset()) / sig.factor())));
        sig.insert(data, raw);
        return sig.physical(raw);
    }

    /** Values clamped to what their signal holds so far (and enum codes the DBC has no raw value for). */
    public long clamped() {
        return clamped;
    }

    public Dbc dbc() {
        return mapping.dbc();
    }

    /** The mapping this encoder inverts. */
    public BoundMapping mapping() {
        return mapping;
    }

    /**
     * Writes every sample of {@code samples} as Model 3 frames to {@code out}; returns the number of
     * samples written.
     */
    public long writeLog(Source samples, CandumpWriter out) throws IOException {
        long n = 0;
        for (Sample s; (s = samples.next()) != null; n++) {
            for (CanFrame f : encode(s)) {
                out.write(f);
            }
        }
        out.flush();
        return n;
    }
}
