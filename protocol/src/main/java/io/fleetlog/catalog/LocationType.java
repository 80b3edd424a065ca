package io.fleetlog.catalog;

/**
 * Latitude and longitude as one value ({@link Position}), each sent as an integer count of 10^-{@code
 * decimals} degrees; its compression bound is stated in metres.
 *
 * <p><b>Distance</b> ({@link #distanceMetres}) is the great-circle distance on a sphere of radius
 * {@value #EARTH_RADIUS_M} m (the IUGG mean Earth radius) by the haversine formula: d = 2R·asin(√h),
 * h = sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2). It depends on Δλ only through sin², so it is the same for
 * Δλ and Δλ ± 360° (correct across the antimeridian) and it shrinks with cos φ towards the poles, where
 * every longitude meets (two points at latitude ±90 are 0 m apart whatever their longitudes). Against
 * the WGS84 ellipsoid it errs by at most about 0.5 %; the bound law uses this formula on both sides, so
 * it is a definition, not an approximation that can disagree with itself.
 *
 * @param decimals the resolution is 10^-decimals degrees; 0 to 9 (today's locations: 7, about 1 cm)
 */
public record LocationType(int decimals) implements SignalType {

    /** The sphere's radius for distances, metres (IUGG mean radius R1). */
    public static final double EARTH_RADIUS_M = 6_371_008.8;

    /** Largest number of decimals (1e-9° is about 0.1 mm). */
    public static final int MAX_DECIMALS = 9;

    public LocationType {
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException("location resolution " + Decimal.resolution(Math.min(22, decimals))
                    + " must be a power of ten between 1 and 1e-" + MAX_DECIMALS + " degrees");
        }
    }

    @Override
    public String keyword() {
        return "location";
    }

    /** The resolution in degrees. */
    public double resolution() {
        return Decimal.resolutionValue(decimals);
    }

    /** A latitude or longitude rounded to the resolution, as wire units. */
    public long toUnits(double degrees) {
        if (!(degrees >= -180 && degrees <= 180)) {
            throw new IllegalArgumentException("coordinate " + degrees + " must be a number in -180..180");
        }
        return Math.round(degrees * Decimal.pow10(decimals));
    }

    /** The degrees of {@code units} wire units. */
    public double fromUnits(long units) {
        return units / Decimal.pow10(decimals);
    }

    /** The position with both coordinates rounded to the resolution. */
    public Position quantise(Position p) {
        return new Position(fromUnits(toUnits(p.latitude())), fromUnits(toUnits(p.longitude())));
    }

    /**
     * The largest distance between a position and its quantised form, metres: half a step in each
     * coordinate, measured where a degree of longitude is longest (the equator), R·(res/2)·(π/180)·√2.
     */
    public double halfStepMetres() {
        return EARTH_RADIUS_M * Math.toRadians(resolution() / 2) * Math.sqrt(2);
    }

    /** The great-circle distance in metres between two positions (see the class comment). */
    public static double distanceMetres(Position a, Position b) {
        double phi1 = Math.toRadians(a.latitude());
        double phi2 = Math.toRadians(b.latitude());
        double sinDPhi = Math.sin((phi2 - phi1) / 2);
        // Δλ reduced to [-180, 180] first, so 180 and -180 are exactly 0 m apart (sin(π) is not 0)
        double sinDLambda = Math.sin(Math.toRadians(Math.IEEEremainder(b.longitude() - a.longitude(), 360)) / 2);
        double h = sinDPhi * sinDPhi + Math.cos(phi1) * Math.cos(phi2) * sinDLambda * sinDLambda;
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1.0, Math.sqrt(Math.max(0.0, h))));
    }
}
