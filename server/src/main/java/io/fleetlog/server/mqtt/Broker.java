package io.fleetlog.server.mqtt;

/**
 * The publisher's view of an MQTT client (one small interface, so the bridge's step is testable
 * with a fake). Every publish is retained at QoS 1. Used by the publisher thread only.
 */
interface Broker extends AutoCloseable {
    /** Connects (blocking for at most the client's connect timeout), with the will; throws on failure. */
    void connect() throws Exception;

    boolean connected();

    /**
     * Hands one retained QoS-1 message to the client without waiting for the broker's PUBACK.
     *
     * @return false when the client's in-flight window is full (try again later)
     * @throws Exception when the connection is gone
     */
    boolean publish(String topic, String payload) throws Exception;

    /** Publishes {@code payload} on {@code topic}, waits up to {@code timeoutMs} for it, then disconnects. */
    void disconnectAfter(String topic, String payload, long timeoutMs);

    @Override
    void close();
}
