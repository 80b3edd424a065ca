package io.fleetlog.codec.v2;

import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import java.util.Arrays;

/**
 * What the codec needs of each slot of a layout, precomputed into flat arrays (the hot loops switch on
 * an int instead of on a sealed type). The unit arithmetic is exactly {@link FloatType#toUnits} /
 * {@link FloatType#fromUnits} (and so {@code io.fleetlog.sample.Field}'s), without the range check:
 * the codec also quantises predictions, which may sit an ulp outside a range.
 */
final class Slots {
    static final int FLOAT = 0;
    static final int ANGLE = 1;
    static final int LOCATION = 2;
    static final int INTEGER = 3;
    static final int ENUM = 4;
    static final int BOOL = 5;
    static final int STRING = 6;

    final FrameLayout layout;
    final int n;
    final Signal[] signal;
    final int[] kind;
    /** 10^|decimals|, exact. */
    final double[] scale;
    /** decimals >= 0: units = round(v · scale); otherwise round(v / scale). */
    final boolean[] multiply;
    /** The stated bound (the compression threshold T): signal unit, metres for a location. */
    final double[] bound;
    /** Floats: the smallest and largest units a value in range can round to. Integers: the range. */
    final long[] minUnits;

    final long[] maxUnits;
    /** Floats: the range (values outside are refused). */
    final double[] minValue;

    final double[] maxValue;
    /** Angles: units in a turn; locations: units in 360°. */
    final long[] turn;
    /** Enums: the codes, ascending. */
    final int[][] codes;
    /** Strings: most UTF-8 bytes. */
    final int[] maxBytes;

    Slots(FrameLayout layout) {
        this.layout = layout;
        n = layout.size();
        signal = new Signal[n];
        kind = new int[n];
        scale = new double[n];
        multiply = new boolean[n];
        bound = new double[n];
        minUnits = new long[n];
        maxUnits = new long[n];
        minValue = new double[n];
        maxValue = new double[n];
        turn = new long[n];
        codes = new int[n][];
        maxBytes = new int[n];
        for (int s = 0; s < n; s++) {
            Signal sig = layout.catalogue().signal(layout.id(s));
            signal[s] = sig;
            bound[s] = sig.bound();
            switch (sig.type()) {
                case FloatType f -> {
                    kind[s] = f.circular() ? ANGLE : FLOAT;
                    multiply[s] = f.decimals() >= 0;
                    scale[s] = pow10(Math.abs(f.decimals()));
                    turn[s] = f.circular() ? f.turnUnits() : 0;
                    minValue[s] = f.min();
                    maxValue[s] = f.max();
                    minUnits[s] = f.circular() ? 0 : units(s, f.min());
                    maxUnits[s] = f.circular() ? turn[s] - 1 : units(s, f.max());
                }
                case LocationType l -> {
                    kind[s] = LOCATION;
                    multiply[s] = true;
                    scale[s] = pow10(l.decimals());
                    maxUnits[s] = Math.round(90 * scale[s]);
                    minUnits[s] = -maxUnits[s];
                    turn[s] = Math.round(360 * scale[s]);
                }
                case IntegerType i -> {
                    kind[s] = INTEGER;
                    minUnits[s] = i.min();
                    maxUnits[s] = i.max();
                }
                case EnumType e -> {
                    kind[s] = ENUM;
                    codes[s] = e.values().stream()
                            .mapToInt(EnumType.Value::code)
                            .sorted()
                            .toArray();
                }
                case io.fleetlog.catalog.BooleanType b -> kind[s] = BOOL;
                case StringType t -> {
                    kind[s] = STRING;
                    maxBytes[s] = t.maxBytes();
                }
            }
        }
    }

    static double pow10(int k) {
        double p = 1;
        for (int i = 0; i < k; i++) {
            p *= 10;
        }
        return p;
    }

    /** {@code v} (finite) in wire units: rounded at the resolution; an angle normalised first. */
    long units(int s, double v) {
        if (kind[s] == ANGLE) {
            v = normaliseAngle(v);
        }
        long u = multiply[s] ? Math.round(v * scale[s]) : Math.round(v / scale[s]);
        return kind[s] == ANGLE && (u < 0 || u >= turn[s]) ? Math.floorMod(u, turn[s]) : u;
    }

    double fromUnits(int s, long u) {
        return multiply[s] ? u / scale[s] : u * scale[s];
    }

    /** The base a delta is taken against: the prediction in units, 0 without one. */
    long base(int s, double p) {
        return Double.isNaN(p) ? 0 : units(s, p);
    }

    /** An angle's delta wrapped into [-half a turn, half a turn). */
    long wrapAngleDelta(int s, long d) {
        long t = turn[s];
        if (d >= -t / 2 && d < t / 2) {
            return d;
        }
        return Math.floorMod(d + t / 2, t) - t / 2;
    }

    /** A coordinate in location units (always a multiplication). */
    long coordUnits(int s, double degrees) {
        return Math.round(degrees * scale[s]);
    }

    /** Longitude units wrapped into [-180°, 180°). */
    long wrapLon(int s, long u) {
        long t = turn[s];
        if (u >= -t / 2 && u < t / 2) {
            return u; // the common case, without a division
        }
        long m = Math.floorMod(u, t);
        return m >= t / 2 ? m - t : m;
    }

    boolean hasCode(int s, long code) {
        return code >= 0 && code <= Integer.MAX_VALUE && Arrays.binarySearch(codes[s], (int) code) >= 0;
    }

    /** An angle in [0, 360) (FloatType.normalise). */
    static double normaliseAngle(double v) {
        if (v >= 0 && v < 360.0) {
            return v; // what v % 360.0 gives, without the remainder
        }
        double x = v % 360.0;
        if (x < 0) {
            x += 360.0;
        }
        return x >= 360.0 ? 0.0 : x;
    }

    /** FloatType.distance: |a − b|, the short way round for an angle. */
    double distance(int s, double a, double b) {
        double d = Math.abs(a - b);
        if (kind[s] == ANGLE) {
            d = d < 360.0 ? d : d % 360.0;
            return Math.min(d, 360.0 - d);
        }
        return d;
    }

    /** LocationType.distanceMetres on plain doubles (same operations, no Position checks). */
    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double sinDPhi = Math.sin((phi2 - phi1) / 2);
        double sinDLambda = Math.sin(Math.toRadians(Math.IEEEremainder(lon2 - lon1, 360)) / 2);
        double h = sinDPhi * sinDPhi + Math.cos(phi1) * Math.cos(phi2) * sinDLambda * sinDLambda;
        return 2 * LocationType.EARTH_RADIUS_M * Math.asin(Math.min(1.0, Math.sqrt(Math.max(0.0, h))));
    }

    String name(int s) {
        return signal[s].name();
    }
}
