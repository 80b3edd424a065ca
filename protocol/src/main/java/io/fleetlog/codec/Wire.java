package io.fleetlog.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.sample.Vin;
import io.fleetlog.wire.v1.Envelope;
import io.fleetlog.wire.v1.Hello;

/** Parsing and checking of wire messages at the boundary: size first, then syntax, then meaning. */
public final class Wire {
    /** The protocol version this build speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** Default limits; servers may lower them and say so in Welcome. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    public static final int DEFAULT_MAX_BATCH_SAMPLES = 65_536;

    private Wire() {}

    /** Parses one WebSocket message into an Envelope that holds a message. */
    public static Envelope parse(byte[] data, int maxBytes) throws WireException {
        return parse(data, 0, data.length, maxBytes);
    }

    public static Envelope parse(byte[] data, int offset, int length, int maxBytes) throws WireException {
        if (length > maxBytes) {
            throw new WireException(
                    WireException.Kind.TOO_LARGE, "message of " + length + " bytes exceeds the limit of " + maxBytes);
        }
        Envelope e;
        try {
            e = Envelope.parseFrom(java.nio.ByteBuffer.wrap(data, offset, length));
        } catch (InvalidProtocolBufferException ex) {
            throw new WireException(
                    WireException.Kind.MALFORMED,
                    "message of " + length + " bytes is not a fleetlog.v1 envelope: " + ex.getMessage(),
                    ex);
        }
        if (e.getMsgCase() == Envelope.MsgCase.MSG_NOT_SET) {
            throw new WireException(
                    WireException.Kind.INVALID, "envelope of " + length + " bytes holds no known message");
        }
        return e;
    }

    /** Checks a Hello's version and VIN. */
    public static Hello checkHello(Hello hello) throws WireException {
        if (hello.getProtocolVersion() != PROTOCOL_VERSION) {
            throw new WireException(
                    WireException.Kind.UNSUPPORTED_VERSION,
                    "protocol version " + hello.getProtocolVersion() + " is not supported (this server speaks "
                            + PROTOCOL_VERSION + ")");
        }
        if (!Vin.isValid(hello.getVin())) {
            try {
                Vin.check(hello.getVin());
            } catch (IllegalArgumentException e) {
                throw new WireException(WireException.Kind.INVALID, e.getMessage());
            }
        }
        return hello;
    }
}
