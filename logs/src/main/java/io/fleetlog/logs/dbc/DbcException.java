package io.fleetlog.logs.dbc;

import java.io.IOException;

/**
 * A DBC file that cannot be read: the message starts with {@code file:line:} and says what is wrong.
 */
public final class DbcException extends IOException {
    private final String file;
    private final int line;

    public DbcException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** Name of the DBC file (or the name given for a reader). */
    public String file() {
        return file;
    }

    /** 1-based line of the problem. */
    public int line() {
        return line;
    }
}
