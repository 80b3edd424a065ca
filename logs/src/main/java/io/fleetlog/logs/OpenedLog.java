package io.fleetlog.logs;

import io.fleetlog.sample.Vin;
import io.fleetlog.source.Source;
import java.util.Optional;

/**
 * A log opened for replay.
 *
 * @param source the samples (close it when done)
 * @param vin the VIN the file names, as written (possibly masked or invalid), if it has one
 * @param describe one line for logs and {@code --help} output
 */
public record OpenedLog(Source source, Optional<String> vin, String describe) {

    /**
     * The VIN to send the log as: {@code override} (e.g. {@code --vin}) when given, else the file's.
     *
     * @throws IllegalArgumentException when the chosen VIN is invalid or masked (e.g.
     *     {@code 5YJ3E1EA1JFXXXXXX}), or when the file has none and no override is given
     */
    public String vinOr(String override) {
        if (override != null) {
            try {
                return Vin.check(override);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--vin: " + e.getMessage(), e);
            }
        }
        String fileVin = vin.orElseThrow(() -> new IllegalArgumentException(
                "the log has no VIN (" + describe + "); pass the vehicle's VIN with --vin"));
        try {
            return Vin.check(fileVin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the log's " + e.getMessage()
                            + (e.getMessage().contains("--vin") ? "" : "; pass a valid VIN with --vin"),
                    e);
        }
    }
}
