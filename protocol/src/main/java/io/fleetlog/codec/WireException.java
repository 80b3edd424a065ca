package io.fleetlog.codec;

/**
 * Input from the wire that cannot be decoded. The {@link Kind} says what class of problem it is and
 * the message names the specifics (seq, field, sizes). A decoder that throws it has not produced any
 * sample of the offending message.
 */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind {
        /** Not a valid protobuf message, or truncated. */
        MALFORMED,
        /** A protocol version this build does not speak. */
        UNSUPPORTED_VERSION,
        /** More bytes or samples than the limits allow. */
        TOO_LARGE,
        /** A batch that does not continue the connection's sequence. */
        SEQ_NOT_FOLLOWING,
        /** A capture time before the previous sample's (the server's rule, see BatchDecoder#expect). */
        TIME_BACKWARDS,
        /** A decoded value or time outside what a field can hold. */
        OUT_OF_RANGE,
        /** A message that is well-formed but not allowed here (empty batch, wrong message type). */
        INVALID
    }

    private final Kind kind;

    public WireException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public WireException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return kind + ": " + super.getMessage();
    }
}
