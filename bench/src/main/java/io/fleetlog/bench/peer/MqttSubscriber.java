package io.fleetlog.bench.peer;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT peer's receiving side: one Paho client ({@code cleanSession=false}, QoS 1 subscription to
 * {@code fleet/+}, manual acks) that decodes each message, commits it to fleetlog's own
 * {@link SampleStore} (SQLite, the same store and settings as fleetlog's server) in group commits of up
 * to {@link #MAX_BATCH} messages, and only then acknowledges it to the broker — so an ack means
 * "stored", as in fleetlog.
 *
 * <p>Messages wait in a bounded queue ({@link #QUEUE_CAPACITY}); when it is full Paho's callback
 * thread blocks, which stops reading from the broker (back-pressure, nothing dropped). A message
 * that cannot be decoded is counted ({@link #malformed()}), acknowledged and skipped.
 */
final class MqttSubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttSubscriber.class);

    static final int QUEUE_CAPACITY = 10_000;
    static final int MAX_BATCH = 1_000;

    private record Incoming(String vin, int messageId, byte[] payload) {}

    private final MqttAsyncClient client;
    private final SampleStore store;
    private final BlockingQueue<Incoming> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong malformed = new AtomicLong();
    private final Thread writerThread;
    private volatile boolean stopped;

    MqttSubscriber(String brokerUri, SampleStore store) throws MqttException {
        this.store = store;
        this.client = new MqttAsyncClient(brokerUri, "fleet-subscriber", new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void connectionLost(Throwable cause) {
                log.warn("mqtt_subscriber_connection_lost cause={}", String.valueOf(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
                queue.put(new Incoming(SamplePayload.vinOf(topic), message.getId(), message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1_000);
        o.setKeepAliveInterval(30);
        client.connect(o).waitForCompletion(10_000);
        client.subscribe("fleet/+", 1).waitForCompletion(10_000);
        writerThread = Thread.ofPlatform().name("mqtt-subscriber-writer").start(this::writeLoop);
    }

    long malformed() {
        return malformed.get();
    }

    private void writeLoop() {
        List<Incoming> batch = new ArrayList<>(MAX_BATCH);
        while (!stopped) {
            try {
                Incoming first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                storeAndAck(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // The store failed: the batch stays unacknowledged, the broker redelivers it after
                // a reconnect. Drop it here and go on.
                log.error("mqtt_subscriber_store_failed messages={}", batch.size(), e);
                batch.clear();
            }
        }
    }

    private void storeAndAck(List<Incoming> batch) throws Exception {
        Map<String, List<Sample>> byVin = new LinkedHashMap<>();
        for (Incoming in : batch) {
            try {
                byVin.computeIfAbsent(in.vin(), k -> new ArrayList<>()).add(SamplePayload.decode(in.payload()));
            } catch (Exception e) {
                malformed.incrementAndGet();
                log.warn("mqtt_subscriber_malformed vin={} message_id={}", in.vin(), in.messageId());
            }
        }
        for (Map.Entry<String, List<Sample>> e : byVin.entrySet()) {
            store.append(e.getKey(), e.getValue());
        }
        for (Incoming in : batch) {
            try {
                client.messageArrivedComplete(in.messageId(), 1);
            } catch (MqttException e) {
                // The connection dropped after the commit: the broker redelivers, the store
                // absorbs the duplicate (idempotent on seq) and the tally counts it.
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        writerThread.join(5_000);
        try {
            client.disconnectForcibly(0, 200);
        } catch (MqttException e) {
            // Not connected any more: nothing to close on the wire.
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // Nothing left to release.
        }
    }
}
