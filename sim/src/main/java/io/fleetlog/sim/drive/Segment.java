package io.fleetlog.sim.drive;

/**
 * One stretch of a simulated route: a kind of road with its speed limit, grade and curvature profiles
 * (sinusoids with seeded phases) and, in the city, the spacing of intersections.
 */
record Segment(
        Kind kind,
        double lengthM,
        double limitMps,
        double gradeAmplitude,
        double gradePeriodM,
        double gradePhase,
        double curvatureAmplitude,
        double curvaturePeriodM,
        double curvaturePhase,
        double intersectionSpacingM) {

    enum Kind {
        CITY,
        HIGHWAY,
        HILLS
    }

    private static final double MPH = 0.44704;

    double grade(double s) {
        return gradeAmplitude * StrictMath.sin(2 * StrictMath.PI * s / gradePeriodM + gradePhase);
    }

    /** Heading change in degrees per metre at distance {@code s}. */
    double curvature(double s) {
        return curvatureAmplitude * StrictMath.sin(2 * StrictMath.PI * s / curvaturePeriodM + curvaturePhase);
    }

    /** The next segment of an endless route, its kind following the previous one. */
    static Segment next(Rng r, Kind previous) {
        Kind k = switch (previous == null ? Kind.HILLS : previous) {
            case CITY -> r.chance(0.6) ? Kind.HIGHWAY : Kind.HILLS;
            case HIGHWAY -> r.chance(0.5) ? Kind.CITY : Kind.HILLS;
            case HILLS -> r.chance(0.6) ? Kind.CITY : Kind.HIGHWAY;
        };
        double phaseG = r.between(0, 2 * StrictMath.PI);
        double phaseC = r.between(0, 2 * StrictMath.PI);
        return switch (k) {
            case CITY ->
                new Segment(
                        k,
                        r.between(1_500, 4_000),
                        MPH * (r.chance(0.5) ? 25 : 35),
                        r.between(0.0, 0.02),
                        r.between(400, 900),
                        phaseG,
                        r.between(0.0, 0.05),
                        r.between(150, 400),
                        phaseC,
                        r.between(180, 450));
            case HIGHWAY ->
                new Segment(
                        k,
                        r.between(6_000, 18_000),
                        MPH * (r.chance(0.5) ? 65 : 70),
                        r.between(0.0, 0.025),
                        r.between(1_500, 4_000),
                        phaseG,
                        r.between(0.002, 0.01),
                        r.between(1_500, 4_000),
                        phaseC,
                        0);
            case HILLS ->
                new Segment(
                        k,
                        r.between(3_000, 8_000),
                        MPH * (r.chance(0.5) ? 40 : 50),
                        r.between(0.04, 0.08),
                        r.between(800, 2_000),
                        phaseG,
                        r.between(0.05, 0.15),
                        r.between(300, 700),
                        phaseC,
                        0);
        };
    }
}
