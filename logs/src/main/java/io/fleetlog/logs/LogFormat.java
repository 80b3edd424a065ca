package io.fleetlog.logs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The log formats fleetlog replays ({@code --format}). */
public enum LogFormat {
    /** SocketCAN {@code candump -l} log, decoded through a DBC and a signal mapping. */
    CANDUMP,
    /** Tessie drive export (CSV). */
    TESSIE,
    /** TeslaFi data export (CSV, several cars possible). */
    TESLAFI,
    /** TeslaMate positions export (CSV). */
    TESLAMATE,
    /** Any CSV with a column-mapping file. */
    CSV;

    /** Lower-case name as used on the command line. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException listing the known formats
     */
    public static LogFormat parse(String text) {
        for (LogFormat f : values()) {
            if (f.key().equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + text + "' (known: "
                + Arrays.stream(values()).map(LogFormat::key).collect(Collectors.joining(", ")) + ")");
    }

    /** Whether rows are read from a CSV file. */
    public boolean csv() {
        return this != CANDUMP;
    }
}
