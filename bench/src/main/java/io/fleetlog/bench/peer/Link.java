package io.fleetlog.bench.peer;

/**
 * The network between the vehicles and the receiving side: a TCP proxy on 127.0.0.1 that counts
 * the bytes it forwards and can be cut (dead zone) and restored. Both stacks use the same link
 * implementation, so a dead zone looks the same to both.
 */
interface Link extends AutoCloseable {

    /** The port vehicles connect to. */
    int port();

    /** Starts a dead zone: live connections are reset and new ones refused until {@link #restore()}. */
    void cut();

    void restore();

    /** Payload bytes forwarded vehicle → receiver since start. */
    long bytesUp();

    /** Payload bytes forwarded receiver → vehicle since start. */
    long bytesDown();

    @Override
    void close();
}
