package io.fleetlog.server.ingest;

import io.fleetlog.wire.v2.Envelope;

/** The edge at the other end of an ingest connection, as {@link IngestConnection} talks to it. */
interface Peer {
    /** Sends one message; returns when the transport accepted it, throws when the peer is gone. */
    void send(Envelope message);

    /** Closes the connection with a WebSocket close code and a reason (no secrets in it). */
    void close(int code, String reason);

    /**
     * The VIN of the client certificate the peer presented and TLS verified against the client CA
     * (its subject CN), which authenticates the vehicle instead of a token; empty without one.
     */
    default java.util.Optional<String> certificateVin() {
        return java.util.Optional.empty();
    }

    /** The Hello was accepted: messages up to {@code maxMessageBytes} (and the transport's margin) may come now. */
    default void authenticated(int maxMessageBytes) {}
}
