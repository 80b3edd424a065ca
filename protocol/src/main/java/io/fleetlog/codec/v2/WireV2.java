package io.fleetlog.codec.v2;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.sample.Vin;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Hello;
import java.util.Optional;
import java.util.function.Function;

/**
 * Parsing and checking of {@code fleetlog.v2} messages at the boundary: size first, then syntax, then
 * meaning; and the Hello that names a connection's catalogue and frame layout.
 */
public final class WireV2 {
    /** The protocol version of {@code fleetlog.v2}. */
    public static final int PROTOCOL_VERSION = 2;

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    public static final int DEFAULT_MAX_BATCH_FRAMES = 65_536;

    private WireV2() {}

    /** Parses one WebSocket message into an Envelope that holds a message. */
    public static Envelope parse(byte[] data, int maxBytes) throws WireException {
        if (data.length > maxBytes) {
            throw new WireException(
                    WireException.Kind.TOO_LARGE,
                    "message of " + data.length + " bytes exceeds the limit of " + maxBytes);
        }
        Envelope e;
        try {
            e = Envelope.parseFrom(data);
        } catch (InvalidProtocolBufferException ex) {
            throw new WireException(
                    WireException.Kind.MALFORMED,
                    "message of " + data.length + " bytes is not a fleetlog.v2 envelope: " + ex.getMessage(),
                    ex);
        }
        if (e.getMsgCase() == Envelope.MsgCase.MSG_NOT_SET) {
            throw new WireException(
                    WireException.Kind.INVALID, "envelope of " + data.length + " bytes holds no known message");
        }
        return e;
    }

    /** The Hello of an edge with this VIN and layout (token, model and name as given; may be empty). */
    public static Hello hello(String vin, String model, String token, String name, FrameLayout layout) {
        Hello.Builder b = Hello.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setVin(vin)
                .setModel(model)
                .setToken(token)
                .setName(name)
                .setCatalogueHash(layout.catalogue().hash());
        if (!layout.isAll()) {
            for (int id : layout.ids()) {
                b.addLayout(id);
            }
        }
        return b.build();
    }

    /**
     * Checks a Hello's version, VIN, catalogue and layout, and returns the connection's layout.
     *
     * @param catalogues the catalogues this server holds, by {@link Catalogue#hash()}
     * @throws WireException {@code UNSUPPORTED_VERSION} for another protocol version; {@code INVALID} for a
     *     bad VIN, a malformed hash, a catalogue the server does not hold (the message starts "unknown
     *     catalogue", the server answers Reject with code UNKNOWN_CATALOGUE) or a bad layout
     */
    public static FrameLayout checkHello(Hello hello, Function<String, Optional<Catalogue>> catalogues)
            throws WireException {
        if (hello.getProtocolVersion() != PROTOCOL_VERSION) {
            throw new WireException(
                    WireException.Kind.UNSUPPORTED_VERSION,
                    "protocol version " + hello.getProtocolVersion() + " is not supported (this server speaks "
                            + PROTOCOL_VERSION + ")");
        }
        try {
            Vin.check(hello.getVin());
        } catch (IllegalArgumentException e) {
            throw new WireException(WireException.Kind.INVALID, e.getMessage());
        }
        String hash = hello.getCatalogueHash();
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new WireException(
                    WireException.Kind.INVALID,
                    "catalogue hash '" + abbreviate(hash) + "' is not 64 lower-case hex digits (a SHA-256)");
        }
        Catalogue c = catalogues
                .apply(hash)
                .orElseThrow(() -> new WireException(
                        WireException.Kind.INVALID,
                        "unknown catalogue " + hash.substring(0, 16) + " (the server cannot decode frames"
                                + " over a catalogue it does not hold; load the catalogue file on the server)"));
        if (hello.getLayoutCount() == 0) {
            return FrameLayout.all(c);
        }
        int[] ids = new int[hello.getLayoutCount()];
        for (int i = 0; i < ids.length; i++) {
            int id = hello.getLayout(i);
            ids[i] = id < 0 ? Integer.MAX_VALUE : id; // uint32 above 2^31: out of any catalogue
        }
        try {
            return FrameLayout.of(c, ids);
        } catch (IllegalArgumentException e) {
            throw new WireException(WireException.Kind.INVALID, "Hello layout: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
