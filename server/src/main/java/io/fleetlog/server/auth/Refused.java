package io.fleetlog.server.auth;

/** A refusal by {@link HttpGuard}: status and message, answered as {@code {"error": …}}. */
final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
