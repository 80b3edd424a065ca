package io.fleetlog.catalog;

import java.nio.charset.StandardCharsets;

/**
 * Text of at most {@code maxBytes} bytes in UTF-8, always carried exactly (e.g. {@code Version}).
 *
 * @param maxBytes the longest value in UTF-8 bytes, 1 to 65535
 */
public record StringType(int maxBytes) implements SignalType {

    /** Largest {@code maxBytes} a catalogue may declare. */
    public static final int MAX_BYTES = 65_535;

    public StringType {
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("maxlength " + maxBytes + " must be between 1 and " + MAX_BYTES);
        }
    }

    @Override
    public String keyword() {
        return "string";
    }

    /** Whether {@code s} is a value of this type (not null, at most {@code maxBytes} in UTF-8). */
    public boolean fits(String s) {
        return s != null && s.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
    }
}
