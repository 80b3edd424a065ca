package io.fleetlog.logs;

import java.io.IOException;

/** A log file that cannot be read at all (e.g. a missing column): the message starts with {@code file:line:}. */
public final class LogFileException extends IOException {
    public LogFileException(String file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
