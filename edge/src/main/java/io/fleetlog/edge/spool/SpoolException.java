package io.fleetlog.edge.spool;

/** A spool could not be opened, read or written; the message names the file and the cause. */
public final class SpoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpoolException(String message) {
        super(message);
    }

    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
