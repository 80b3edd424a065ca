package io.fleetlog.catalog;

/**
 * How a signal may be compressed. Floats and locations are {@link Bounded}: a value may be omitted
 * (predicted) while the prediction stays within the bound, in the signal's unit (metres for a
 * location); a bound of 0 means lossless at the wire resolution. Every other type is {@link Exact}.
 */
public sealed interface Policy permits Policy.Exact, Policy.Bounded {

    /** The one exact policy. */
    Exact EXACT = new Exact();

    /** Carried exactly: every captured value is stored as captured. */
    record Exact() implements Policy {}

    /**
     * Carried within {@code bound} of the captured value (and never worse than half a resolution step).
     *
     * @param bound finite, >= 0; in the signal's unit, metres for a location
     */
    record Bounded(double bound) implements Policy {
        public Bounded {
            if (!(bound >= 0) || Double.isInfinite(bound)) {
                throw new IllegalArgumentException("bound " + bound + " must be a finite number >= 0");
            }
            bound += 0.0;
        }
    }

    /** Shorthand for {@code new Bounded(bound)}. */
    static Bounded within(double bound) {
        return new Bounded(bound);
    }
}
