package io.fleetlog.catalog;

import io.fleetlog.sample.Field;

/**
 * Where each of today's eight {@link Field}s lives in the built-in catalogue: its signal and, for a
 * location, which coordinate. The built-in catalogue gives each signal the field's unit, resolution,
 * range and default threshold (as its bound; a location's bound 0 keeps today's lossless 1e-7°), and
 * each field's key finds its signal ({@code speed} → VehicleSpeed by alias, {@code soc} → Soc by name).
 */
public final class LegacyFields {

    /** Which part of the signal's value a field is. */
    public enum Part {
        /** The whole value of a float signal. */
        VALUE,
        /** The latitude of a location signal. */
        LATITUDE,
        /** The longitude of a location signal. */
        LONGITUDE
    }

    /**
     * A field's place in the built-in catalogue.
     *
     * @param signal the signal's name
     * @param part the part of its value
     */
    public record Mapping(String signal, Part part) {}

    private LegacyFields() {}

    /** The signal and part that carry {@code field}. */
    public static Mapping of(Field field) {
        return switch (field) {
            case SPEED -> new Mapping("VehicleSpeed", Part.VALUE);
            case POWER -> new Mapping("Power", Part.VALUE);
            case SOC -> new Mapping("Soc", Part.VALUE);
            case HEADING -> new Mapping("GpsHeading", Part.VALUE);
            case ODOMETER -> new Mapping("Odometer", Part.VALUE);
            case LATITUDE -> new Mapping("Location", Part.LATITUDE);
            case LONGITUDE -> new Mapping("Location", Part.LONGITUDE);
            case ELEVATION -> new Mapping("Elevation", Part.VALUE);
        };
    }
}
