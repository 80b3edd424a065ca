package io.fleetlog.catalog;

/**
 * What values a signal carries and how they travel: one of six kinds, each a record validated in its
 * constructor.
 *
 * <ul>
 *   <li>{@link FloatType}: a number in a unit, sent as an integer multiple of a power-of-ten
 *       resolution, within a valid range; optionally an angle on the circle (heading);
 *   <li>{@link IntegerType}: a whole number within a range;
 *   <li>{@link BooleanType}: true or false;
 *   <li>{@link EnumType}: one of a set of named values, each with a stable integer code;
 *   <li>{@link StringType}: text up to a maximum length in UTF-8 bytes;
 *   <li>{@link LocationType}: latitude and longitude as one value, each at a resolution in degrees.
 * </ul>
 *
 * <p>Only floats and locations may be compressed lossily (their {@link Policy} is a bound); every other
 * kind is always carried exactly. The messages of the constructors name the offending value but not
 * the signal: {@link Signal} and the file parser add the signal's name.
 */
public sealed interface SignalType permits FloatType, IntegerType, BooleanType, EnumType, StringType, LocationType {

    /** The type's keyword in a catalogue file ({@code float}, {@code integer}, …). */
    String keyword();

    /** Whether values of this type are always carried exactly (everything but floats and locations). */
    default boolean exact() {
        return !(this instanceof FloatType || this instanceof LocationType);
    }
}
