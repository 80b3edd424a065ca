package io.fleetlog.sim.drive;

/**
 * A small deterministic random generator (SplitMix64) with a Box–Muller gaussian in {@link StrictMath},
 * so a simulated drive is bit-identical on every JVM and run for the same seed.
 */
final class Rng {
    private long state;
    private double spare = Double.NaN;

    Rng(long seed) {
        this.state = seed ^ 0x9E3779B97F4A7C15L;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double between(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    double gaussian() {
        if (!Double.isNaN(spare)) {
            double s = spare;
            spare = Double.NaN;
            return s;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        spare = r * StrictMath.sin(2 * StrictMath.PI * u2);
        return r * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    Rng split() {
        return new Rng(nextLong());
    }
}
