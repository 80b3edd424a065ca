package io.fleetlog.bench.peer;

import io.fleetlog.sample.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * One vehicle of the MQTT peer, configured the way a fleet engineer would for durability: a Paho
 * {@link MqttAsyncClient} with {@link MqttDefaultFilePersistence} in its own directory, client id
 * {@code vehicle-<vin>}, {@code cleanSession=false}, automatic reconnect (max delay 1 s), QoS 1, and
 * the persistent offline buffer ({@link DisconnectedBufferOptions}: enabled, persisted, not deleting
 * the oldest, size {@link #BUFFER_SIZE} — the real bound is MQTT's 65,535 message ids).
 *
 * <p>{@link #publish} returns true once Paho has accepted the message (written and fsynced to its
 * file persistence), waits while the in-flight window ({@link #MAX_INFLIGHT}) is full, and returns
 * false when Paho refuses the message for good (it is lost; the reason is counted). Publishes Paho
 * refuses only while it changes connection state (32102 disconnecting, 32104 not connected, 32110
 * connect in progress) are retried, as a careful user would. Thread-safe as Paho is;
 * one thread publishes per vehicle.
 */
final class MqttVehicle implements AutoCloseable {

    /** Paho's in-flight window (its default is 10; raised so the window is not the bottleneck). */
    static final int MAX_INFLIGHT = 1_000;

    /** Offline buffer size; larger than the 65,535 message ids so that the id space is the bound. */
    static final int BUFFER_SIZE = 1_000_000;

    static final int MAX_RECONNECT_DELAY_MS = 1_000;

    private final String vin;
    private final String topic;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, Long> refusals = new ConcurrentHashMap<>();
    private final Object ackSignal = new Object();

    MqttVehicle(String vin, String brokerUri, Path persistenceDir) throws MqttException {
        this.vin = vin;
        this.topic = SamplePayload.topic(vin);
        this.client = new MqttAsyncClient(
                brokerUri, "vehicle-" + vin, new MqttDefaultFilePersistence(persistenceDir.toString()));
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MS);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(5);
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setPersistBuffer(true);
        buffer.setDeleteOldestMessages(false);
        buffer.setBufferSize(BUFFER_SIZE);
        client.setBufferOpts(buffer);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                synchronized (ackSignal) {
                    ackSignal.notifyAll();
                }
            }
        });
    }

    String vin() {
        return vin;
    }

    /** Connects, retrying every 200 ms until {@code timeout} (the link may be cut at first). */
    void connect(Duration timeout) throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                client.connect(options).waitForCompletion(5_000);
                return;
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Publishes one sample at QoS 1; false when Paho refused it (lost). */
    boolean publish(Sample s) throws InterruptedException {
        byte[] payload = SamplePayload.encode(s);
        while (true) {
            try {
                client.publish(topic, payload, 1, false);
                accepted.incrementAndGet();
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT || transientState(e)) {
                    // The in-flight window is full, or Paho is between connection states (it
                    // refuses publishes while it tears a lost connection down): wait and retry.
                    synchronized (ackSignal) {
                        ackSignal.wait(5);
                    }
                    continue;
                }
                refused.incrementAndGet();
                refusals.merge(reason(e), 1L, Long::sum);
                return false;
            }
        }
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    Map<String, Long> refusals() {
        return refusals;
    }

    /** Messages published (or restored from persistence) and not yet acknowledged by the broker. */
    long unacknowledged() {
        return (long) client.getPendingDeliveryTokens().length + client.getBufferedMessageCount();
    }

    @Override
    public void close() {
        try {
            client.disconnectForcibly(0, 200, client.isConnected());
        } catch (MqttException e) {
            // Already disconnected (the link is cut): nothing to say goodbye to.
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // Closing releases the persistence lock; a failure here leaves nothing to clean up.
        }
    }

    private static boolean transientState(MqttException e) {
        return e.getReasonCode() == MqttException.REASON_CODE_CLIENT_DISCONNECTING
                || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || e.getReasonCode() == MqttException.REASON_CODE_CONNECT_IN_PROGRESS;
    }

    private static String reason(MqttException e) {
        return switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE -> "no MQTT message ids available (32001)";
            case MqttException.REASON_CODE_DISCONNECTED_BUFFER_FULL -> "offline buffer full (32203)";
            default -> e.getMessage() + " (" + e.getReasonCode() + ")";
        };
    }
}
