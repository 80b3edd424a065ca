package io.fleetlog.edge.uplink;

import java.net.URI;
import java.net.http.HttpClient;

/**
 * A message transport to the server (a WebSocket in production, a fake in tests).
 *
 * <p>{@link #open} never blocks: the outcome arrives through the {@link Listener} — {@code onOpen},
 * then messages, and exactly one {@code onClosed} for every failure or close (a failed open included).
 * Listener methods are called from transport threads and must return quickly.
 */
public interface Transport {

    /** Starts opening a connection to {@code uri}. */
    Connection open(URI uri, Listener listener);

    /** One connection; thread-safe. */
    interface Connection {
        /**
         * Queues one binary message and returns at once; {@code false} when the outgoing buffer is
         * full or the connection is gone (then nothing was queued).
         */
        boolean send(byte[] message);

        /** Bytes queued and not yet handed to the network. */
        long queuedBytes();

        /** Graceful close (a close frame after what is queued). Idempotent. */
        void close();

        /** Abrupt close: queued messages are dropped, the socket is closed. Idempotent. */
        void abort();
    }

    /** Receives a connection's events. */
    interface Listener {
        void onOpen();

        void onMessage(byte[] message);

        void onClosed(String reason);
    }

    /** The JDK's {@code java.net.http} WebSocket client (one shared {@link HttpClient}). */
    static Transport webSocket() {
        return JdkWebSocketTransport.shared();
    }

    /** The JDK's WebSocket client on a given {@link HttpClient}. */
    static Transport webSocket(HttpClient client) {
        return new JdkWebSocketTransport(client);
    }
}
