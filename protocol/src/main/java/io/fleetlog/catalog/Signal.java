package io.fleetlog.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One signal of a catalogue: a stable name, other names it is found by, what it carries and how it may
 * be compressed. Validated in the constructor; every message names the signal and the value.
 *
 * <p><b>The bound law.</b> A reconstructed value {@code r} of a captured value {@code x} is within
 * bound when {@link #distance}(x, r) <= {@link #effectiveBound()} (plus a few ulps of rounding slack
 * for floats): the stated bound, but never less than half a resolution step, since even a sent value
 * is rounded to the resolution — so a bound of 0 means "lossless at the resolution". Exact types
 * (integer, boolean, enum, string) must be equal.
 *
 * @param name a letter, then letters, digits, '_' or '.'; at most 128 characters
 * @param aliases other names (a COVESA VSS path, a legacy key); same spelling as names, none equal to
 *     the name or to each other ignoring case; kept sorted ignoring case
 * @param type what the signal carries
 * @param policy {@link Policy.Bounded} for floats and locations (an angle's bound below 180), {@link
 *     Policy.Exact} for every other type
 */
public record Signal(String name, List<String> aliases, SignalType type, Policy policy) {

    private static final Comparator<String> ALIAS_ORDER =
            Comparator.comparing(Names::key).thenComparing(Comparator.naturalOrder());

    public Signal {
        if (!Names.isName(name)) {
            throw new IllegalArgumentException(
                    "signal name '" + name + "' must be a letter, then letters, digits, '_' or '.' (at most 128)");
        }
        Objects.requireNonNull(type, () -> name + ": type is required");
        Objects.requireNonNull(policy, () -> name + ": policy is required");
        aliases = checkAliases(name, aliases == null ? List.of() : aliases);
        checkPolicy(name, type, policy);
    }

    /** A signal with no aliases. */
    public Signal(String name, SignalType type, Policy policy) {
        this(name, List.of(), type, policy);
    }

    private static List<String> checkAliases(String name, List<String> aliases) {
        Set<String> seen = new HashSet<>();
        seen.add(Names.key(name));
        for (String a : aliases) {
            if (!Names.isName(a)) {
                throw new IllegalArgumentException(
                        name + ": alias '" + a + "' must be a letter, then letters, digits, '_' or '.' (at most 128)");
            }
            if (!seen.add(Names.key(a))) {
                throw new IllegalArgumentException(
                        name + ": alias '" + a + "' repeats the name or another alias (ignoring case)");
            }
        }
        List<String> sorted = new ArrayList<>(aliases);
        sorted.sort(ALIAS_ORDER);
        return List.copyOf(sorted);
    }

    private static void checkPolicy(String name, SignalType type, Policy policy) {
        if (type.exact() && policy instanceof Policy.Bounded b) {
            throw new IllegalArgumentException(name + ": bound " + Decimal.plain(b.bound())
                    + " on " + Names.aType(type.keyword()) + " signal (only float and location signals have a bound;"
                    + " every other type is exact)");
        }
        if (!type.exact() && policy instanceof Policy.Exact) {
            throw new IllegalArgumentException(name + ": " + Names.aType(type.keyword())
                    + " signal needs a bound (0 = lossless at its resolution)");
        }
        if (type instanceof FloatType f && f.circular() && ((Policy.Bounded) policy).bound() >= 180) {
            throw new IllegalArgumentException(name + ": bound " + Decimal.plain(((Policy.Bounded) policy).bound())
                    + " must be below 180 deg (it is an angle on the circle)");
        }
    }

    /** Whether every value is carried exactly (integer, boolean, enum, string). */
    public boolean exact() {
        return type.exact();
    }

    /** The stated bound (0 for an exact signal), in the signal's unit; metres for a location. */
    public double bound() {
        return policy instanceof Policy.Bounded b ? b.bound() : 0.0;
    }

    /**
     * The largest allowed distance between a captured value and its reconstruction: the bound, but at
     * least half a resolution step (for a location, {@link LocationType#halfStepMetres()}); 0 for an
     * exact signal.
     */
    public double effectiveBound() {
        return switch (type) {
            case FloatType f -> Math.max(bound(), f.resolution() / 2);
            case LocationType l -> Math.max(bound(), l.halfStepMetres());
            default -> 0.0;
        };
    }

    /** The float value rounded to the resolution, as wire units; rejects NaN and out-of-range values. */
    public long quantise(double v) {
        try {
            return asFloat().toUnits(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The float value of {@code units} wire units. */
    public double dequantise(long units) {
        return asFloat().fromUnits(units);
    }

    /** The location rounded to the resolution; rejects coordinates out of range. */
    public Position quantise(Position p) {
        return asLocation().quantise(p);
    }

    /** The distance between two float values under this signal's law (on the circle for an angle). */
    public double distance(double a, double b) {
        return asFloat().distance(a, b);
    }

    /** The distance in metres between two positions of this location signal. */
    public double distance(Position a, Position b) {
        asLocation();
        return LocationType.distanceMetres(a, b);
    }

    /**
     * Whether {@code reconstructed} is within this float signal's bound of {@code captured}.
     *
     * @throws IllegalArgumentException if either is NaN or infinite (unavailable is not a value)
     */
    public boolean withinBound(double captured, double reconstructed) {
        FloatType f = asFloat();
        if (!Double.isFinite(captured) || !Double.isFinite(reconstructed)) {
            throw new IllegalArgumentException(
                    name + ": cannot compare " + captured + " with " + reconstructed + " (not finite numbers)");
        }
        double scale = Math.max(
                Math.max(Math.abs(captured), Math.abs(reconstructed)), Math.max(Math.abs(f.min()), Math.abs(f.max())));
        return f.distance(captured, reconstructed) <= effectiveBound() + 4 * Math.ulp(scale);
    }

    /** Whether {@code reconstructed} is within this location signal's bound (metres) of {@code captured}. */
    public boolean withinBound(Position captured, Position reconstructed) {
        asLocation();
        return LocationType.distanceMetres(captured, reconstructed) <= effectiveBound() * (1 + 1e-9);
    }

    /**
     * Whether two values of an exact signal are equal: the value of an integer, the code of an enum,
     * 0/1 of a boolean. (Not an overload of {@code withinBound}: int arguments would pick it over the
     * float law.)
     */
    public boolean withinBoundExact(long captured, long reconstructed) {
        if (!exact() || type instanceof StringType) {
            throw new IllegalStateException(
                    name + " is " + Names.aType(type.keyword()) + " signal, not an integer-valued one");
        }
        return captured == reconstructed;
    }

    /** Whether two values of a string signal are equal. */
    public boolean withinBound(String captured, String reconstructed) {
        if (!(type instanceof StringType)) {
            throw new IllegalStateException(name + " is " + Names.aType(type.keyword()) + " signal, not a string");
        }
        return Objects.equals(captured, reconstructed);
    }

    private FloatType asFloat() {
        if (type instanceof FloatType f) {
            return f;
        }
        throw new IllegalStateException(name + " is " + Names.aType(type.keyword()) + " signal, not a float");
    }

    private LocationType asLocation() {
        if (type instanceof LocationType l) {
            return l;
        }
        throw new IllegalStateException(name + " is " + Names.aType(type.keyword()) + " signal, not a location");
    }
}
