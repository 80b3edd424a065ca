package io.fleetlog.logs.mapping;

import java.io.IOException;

/** A mapping file that cannot be used: the message starts with {@code file:line:}. */
public final class MappingException extends IOException {
    public MappingException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
