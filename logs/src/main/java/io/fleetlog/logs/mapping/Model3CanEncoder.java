package io.fleetlog.logs.mapping;

import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.dbc.DbcMessage;
import io.fleetlog.logs.dbc.DbcSignal;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns fleetlog samples into the CAN frames a Tesla Model 3 would put on its bus, laid out by the
 * Model 3 DBC: the built-in mapping ({@link SignalMapping#model3()}) in reverse.
 *
 * <p>Feed it 50 Hz samples in capture-time order; each call of {@link #encode} returns the frames of
 * that tick. Messages go out at their DBC cycle times, limited to the sample rate: every sample
 * ({@code 0x132} pack voltage/current, {@code 0x257} speed), every 5th (10 Hz: {@code 0x292} SoC,
 * {@code 0x3D9} GPS heading), every 50th (1 Hz: {@code 0x3B6} odometer, {@code 0x04F} latitude and
 * longitude, {@code 0x3D8} elevation). Frames of one tick are stamped 50 µs apart, the last at the
 * sample's capture time, so {@link CanSource} (which samples at each tick's end) sees them in that
 * tick. {@link CanSource} ticks on multiples of 20 ms since the epoch: give the samples capture times
 * on that grid and they come back at exactly the same times (otherwise up to 20 ms later). Power has no signal of its own: the frame {@code 0x132} carries a modelled pack voltage
 * ({@code 350 V + 0.5 V per % SoC}) and the current {@code power / voltage}, which the mapping
 * multiplies back. An unavailable (NaN) value leaves its message out of that tick; a value outside
 * what the signal holds is clamped and counted ({@link #clamped()}). Not thread-safe.
 */
public final class Model3CanEncoder {
    /** Spacing of the frames within one tick, microseconds. */
    static final long FRAME_SPACING_US = 50;

    private final Dbc dbc;
    private final String iface;
    private final List<Msg> messages = new ArrayList<>();
    private long tick;
    private long clamped;

    private record Msg(DbcMessage message, int every, Field[] fields, DbcSignal[] signals) {}

    /** An encoder using the built-in DBC subset ({@link SignalMapping#model3Dbc()}). */
    public Model3CanEncoder(String iface) {
        this(SignalMapping.model3Dbc(), iface);
    }

    /** An encoder for {@code dbc}, which must hold the Model 3 messages of the built-in mapping. */
    public Model3CanEncoder(Dbc dbc, String iface) {
        this.dbc = dbc;
        this.iface = iface;
        add("ID132HVBattAmpVolt", 1, new Field[] {Field.POWER, Field.POWER}, "BattVoltage132", "SmoothBattCurrent132");
        add("ID257UIspeed", 1, new Field[] {Field.SPEED}, "UIspeed_signed257");
        add("ID292BMS_SOC", 5, new Field[] {Field.SOC}, "SOCUI292");
        add("ID3D9UI_gpsVehicleSpeed", 5, new Field[] {Field.HEADING}, "UI_gpsVehicleHeading");
        add("ID3B6odometer", 50, new Field[] {Field.ODOMETER}, "Odometer3B6");
        add("ID04FGPSLatLong", 50, new Field[] {Field.LATITUDE, Field.LONGITUDE}, "GPSLatitude04F", "GPSLongitude04F");
        add("ID3D8Elevation", 50, new Field[] {Field.ELEVATION}, "Elevation3D8");
    }

    private void add(String name, int every, Field[] fields, String... signals) {
        DbcMessage m = dbc.message(name)
                .orElseThrow(() -> new IllegalArgumentException(dbc.name() + " has no Model 3 message " + name));
        DbcSignal[] s = new DbcSignal[signals.length];
        for (int i = 0; i < signals.length; i++) {
            String sig = signals[i];
            s[i] = m.signal(sig)
                    .orElseThrow(
                            () -> new IllegalArgumentException(dbc.name() + ": " + name + " has no signal " + sig));
        }
        messages.add(new Msg(m, every, fields, s));
    }

    /** Of each mapped field, how many samples apart its message goes out (1 = every sample). */
    public int every(Field f) {
        for (Msg m : messages) {
            for (Field g : m.fields()) {
                if (g == f) {
                    return m.every();
                }
            }
        }
        throw new IllegalArgumentException(f.key() + " is not encoded");
    }

    /** The frames of the next tick, carrying {@code s}'s values. */
    public List<CanFrame> encode(Sample s) {
        List<CanFrame> out = new ArrayList<>(messages.size());
        List<byte[]> payloads = new ArrayList<>();
        List<DbcMessage> which = new ArrayList<>();
        for (Msg m : messages) {
            if (tick % m.every() != 0) {
                continue;
            }
            byte[] data = payload(m, s);
            if (data != null) {
                payloads.add(data);
                which.add(m.message());
            }
        }
        long endUs = s.captureTimeMs() * 1000;
        for (int i = 0; i < payloads.size(); i++) {
            long t = endUs - (payloads.size() - 1 - i) * FRAME_SPACING_US;
            DbcMessage m = which.get(i);
            out.add(CanFrame.data(t, iface, m.id(), m.extended(), payloads.get(i)));
        }
        tick++;
        return out;
    }

    private byte[] payload(Msg m, Sample s) {
        byte[] data = new byte[m.message().dlc()];
        if (m.fields()[0] == Field.POWER) {
            double power = s.get(Field.POWER);
            if (Double.isNaN(power)) {
                return null;
            }
            double soc = s.available(Field.SOC) ? s.get(Field.SOC) : 50;
            double volts = put(data, m.signals()[0], 350 + 0.5 * soc);
            put(data, m.signals()[1], power * 1000 / volts);
            return data;
        }
        for (int i = 0; i < m.fields().length; i++) {
            Field f = m.fields()[i];
            double v = s.get(f);
            if (Double.isNaN(v)) {
                return null;
            }
            DbcSignal sig = m.signals()[i];
            put(data, sig, v / Units.factor(sig.unit(), f));
        }
        return data;
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

    /** Values clamped to what their signal holds so far. */
    public long clamped() {
        return clamped;
    }

    public Dbc dbc() {
        return dbc;
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
