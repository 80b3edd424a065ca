package io.fleetlog.server.store;

/**
 * {@link SampleStore#applyConsumed} found another offset stored than the writer expected: another
 * consumer wrote the partition meanwhile. Nothing of the call was committed; the writer must read the
 * stored offsets again ({@link SampleStore#consumedOffsets}) and continue from there.
 */
public final class OffsetConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OffsetConflictException(String message) {
        super(message);
    }

    /** The conflict in {@code t} or its causes (stores wrap failures of a commit), or null. */
    public static OffsetConflictException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OffsetConflictException o) {
                return o;
            }
        }
        return null;
    }
}
