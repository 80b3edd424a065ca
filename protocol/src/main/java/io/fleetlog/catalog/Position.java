package io.fleetlog.catalog;

/**
 * A point on the Earth in WGS84 degrees: the value of a {@link LocationType} signal. Longitudes −180
 * and 180 are the same meridian (distances treat them so) but are kept as given.
 *
 * @param latitude in [−90, 90]
 * @param longitude in [−180, 180]
 */
public record Position(double latitude, double longitude) {

    public Position {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude " + latitude + " must be a number in -90..90");
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude " + longitude + " must be a number in -180..180");
        }
        latitude += 0.0;
        longitude += 0.0;
    }
}
