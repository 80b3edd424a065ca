package io.fleetlog.server.testing;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic sample streams for tests: a smooth drive at 50 Hz (frames of the built-in catalogue's
 * seven legacy signals), and the codec's law checked on stored frames ({@link #differs}).
 */
public final class Samples {
    public static final long T0 = 1_764_180_000_000L; // 2025-11-26T18:00:00Z
    public static final long PERIOD_MS = 20;
    public static final String VIN_A = Vin.withCheckDigit("5YJ3E1EA0KF000001");
    public static final String VIN_B = Vin.withCheckDigit("5YJYGDEE0MF000002");

    private Samples() {}

    public static List<String> vins(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Vin.withCheckDigit(String.format("5YJ3E1EA0KF%06d", i + 100)));
        }
        return out;
    }

    /** {@code n} samples from {@code firstSeq}, the first captured at {@code t0}, 20 ms apart. */
    public static List<Sample> drive(long firstSeq, int n, long t0) {
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = firstSeq + i;
            out.add(sample(seq, t0 + i * PERIOD_MS));
        }
        return out;
    }

    /** The sample of {@code seq} in a drive; values depend on seq only, quantised to the wire resolution. */
    public static Sample sample(long seq, long t) {
        double x = seq / 50.0;
        double[] v = new double[Field.COUNT];
        v[Field.SPEED.ordinal()] = 40 + 20 * Math.sin(x / 10);
        v[Field.POWER.ordinal()] = 15 + 30 * Math.sin(x / 3);
        v[Field.SOC.ordinal()] = 80 - x / 1000;
        v[Field.HEADING.ordinal()] = (x * 3) % 360;
        v[Field.ODOMETER.ordinal()] = 1000 + x * 0.015;
        v[Field.LATITUDE.ordinal()] = 37.4 + x * 1e-5;
        v[Field.LONGITUDE.ordinal()] = -122.1 + x * 1e-5;
        v[Field.ELEVATION.ordinal()] = 12 + Math.sin(x / 50);
        for (Field f : Field.values()) {
            v[f.ordinal()] = f.quantise(v[f.ordinal()]);
        }
        return new Sample(seq, t, v);
    }

    /**
     * Whether {@code stored} is what the server may hold for the captured frame {@code captured} under
     * {@code catalogue}'s bounds: same capture time, the same captured signals, floats and locations
     * within their signal's effective bound, every other type equal, unavailable where captured
     * unavailable. Returns the first difference, or null.
     */
    public static String differs(Catalogue catalogue, Frame captured, Frame stored) {
        if (captured.timeMs() != stored.timeMs() || captured.size() != stored.size()) {
            return "captured " + captured + " but stored " + stored;
        }
        for (int i = 0; i < captured.size(); i++) {
            if (captured.id(i) != stored.id(i)) {
                return "captured " + captured + " but stored " + stored;
            }
            Signal sig = catalogue.signal(captured.id(i));
            Frame.Kind k = captured.kind(i);
            boolean ok = k == stored.kind(i)
                    && switch (k) {
                        case NUMBER ->
                            sig.type() instanceof io.fleetlog.catalog.FloatType
                                    ? sig.withinBound(captured.number(i), stored.number(i))
                                    : captured.number(i) == stored.number(i);
                        case INTEGER -> captured.integer(i) == stored.integer(i);
                        case POSITION -> sig.withinBound(captured.position(i), stored.position(i));
                        case STRING -> captured.string(i).equals(stored.string(i));
                        case UNAVAILABLE -> true;
                    };
            if (!ok) {
                return sig.name() + ": captured " + captured + " but stored " + stored;
            }
        }
        return null;
    }

    /** {@link #differs} under the built-in catalogue, for samples of the same seq. */
    public static String differs(Sample captured, Sample stored) {
        if (captured.seq() != stored.seq()) {
            return "seq " + captured.seq() + " but stored seq " + stored.seq();
        }
        String d = differs(Catalogue.builtin(), captured.frame(), stored.frame());
        return d == null ? null : "seq " + captured.seq() + ": " + d;
    }

    /**
     * {@code n} random sparse frames over {@code catalogue} from {@code firstSeq}, 20 ms apart from
     * {@code t0}: each signal captured with probability 1/3 (some frames capture nothing), of those a
     * tenth unavailable and a fifth marked omitted; numbers of any magnitude, integers (enum codes,
     * booleans) of any size, positions anywhere including the poles and the antimeridian, strings with
     * non-ASCII and astral characters. For stores: they must give back exactly what was appended.
     */
    public static List<Sample> sparse(Catalogue catalogue, long firstSeq, int n, long t0, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<Sample> out = new ArrayList<>(n);
        String[] words = {"", "2026.44.1", "Ünïcødé", "\uD83D\uDE97 car", "tab\tand\nnewline", "x".repeat(300)};
        for (int i = 0; i < n; i++) {
            Frame.Builder b = Frame.builder(t0 + i * PERIOD_MS);
            for (int id = 0; id < catalogue.size(); id++) {
                if (r.nextInt(3) != 0) {
                    continue;
                }
                var type = catalogue.signal(id).type();
                if (r.nextInt(10) == 0) {
                    b.unavailable(id);
                } else if (type instanceof io.fleetlog.catalog.FloatType) {
                    b.number(
                            id,
                            r.nextBoolean()
                                    ? r.nextDouble(-1e6, 1e6)
                                    : Math.scalb(r.nextDouble(), r.nextInt(-1000, 1000)));
                } else if (type instanceof io.fleetlog.catalog.LocationType) {
                    double lat = r.nextInt(8) == 0 ? (r.nextBoolean() ? 90 : -90) : r.nextDouble(-90, 90);
                    double lon = r.nextInt(8) == 0 ? (r.nextBoolean() ? 180 : -180) : r.nextDouble(-180, 180);
                    b.position(id, lat, lon);
                } else if (type instanceof io.fleetlog.catalog.StringType) {
                    b.string(id, words[r.nextInt(words.length)]);
                } else {
                    b.integer(id, r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(0, 8));
                }
                if (r.nextInt(5) == 0) {
                    b.omitted();
                }
            }
            out.add(new Sample(firstSeq + i, b.build()));
        }
        return out;
    }
}
