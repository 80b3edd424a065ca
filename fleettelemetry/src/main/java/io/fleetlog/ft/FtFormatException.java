package io.fleetlog.ft;

/**
 * A Fleet Telemetry message that cannot be read: the FlatBuffers envelope or stream is malformed, too
 * large or of another kind than expected, or the protobuf payload does not decode. The message names
 * what was being read and where (a byte offset into the message where there is one).
 */
public final class FtFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public FtFormatException(String message) {
        super(message);
    }

    public FtFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
