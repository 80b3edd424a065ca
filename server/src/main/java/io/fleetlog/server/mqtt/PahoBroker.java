package io.fleetlog.server.mqtt;

import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broker} on Eclipse Paho's asynchronous MQTT 3.1.1 client: clean session, in-memory
 * persistence (nothing on disk), no automatic reconnect (the bridge reconnects with its own backoff
 * and then republishes everything), a will of {@code offline} on the bridge's status topic, and an
 * in-flight window of {@link #MAX_INFLIGHT} messages. Deliveries acknowledged by the broker and
 * failed ones are counted.
 */
final class PahoBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(PahoBroker.class);
    static final int MAX_INFLIGHT = 1_000;
    static final int CONNECT_TIMEOUT_S = 5;
    static final int KEEP_ALIVE_S = 30;

    private final MqttConfig config;
    private final MqttAsyncClient client;
    private final Counter delivered;
    private final Counter failed;
    private final IMqttActionListener listener;

    PahoBroker(MqttConfig config, Counter delivered, Counter failed) {
        this.config = config;
        this.delivered = delivered;
        this.failed = failed;
        String id = "fleetlog-" + (config.namespace() == null ? "" : config.namespace() + "-")
                + UUID.randomUUID().toString().substring(0, 8);
        try {
            this.client = new MqttAsyncClient(config.broker(), id, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("broker " + config.broker() + ": " + e.getMessage(), e);
        }
        this.listener = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                delivered.increment();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                failed.increment(); // the value stays wanted; after a reconnect everything is sent again
            }
        };
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                log.warn("mqtt_connection_lost broker={} error={}", config.broker(), String.valueOf(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // the publisher subscribes to nothing
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // counted by the per-message listener
            }
        });
    }

    @Override
    public void connect() throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(CONNECT_TIMEOUT_S);
        o.setKeepAliveInterval(KEEP_ALIVE_S);
        o.setMaxInflight(MAX_INFLIGHT);
        o.setWill(Topics.status(config), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        if (config.username() != null) {
            o.setUserName(config.username());
        }
        if (config.password() != null) {
            o.setPassword(config.password().toCharArray());
        }
        client.connect(o).waitForCompletion((CONNECT_TIMEOUT_S + 5) * 1000L);
    }

    @Override
    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public boolean publish(String topic, String payload) throws Exception {
        try {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, true, null, listener);
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            failed.increment();
            throw e;
        }
    }

    @Override
    public void disconnectAfter(String topic, String payload, long timeoutMs) {
        if (!client.isConnected()) {
            return;
        }
        try {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, true)
                    .waitForCompletion(timeoutMs);
            client.disconnect(timeoutMs).waitForCompletion(timeoutMs);
        } catch (MqttException e) {
            // the broker is gone or slow: it publishes the will (offline) itself when the link drops
            log.info("mqtt_disconnect_failed broker={} error={}", config.broker(), e.toString());
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(1_000, 1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            log.debug("mqtt_close_failed broker={} error={}", config.broker(), e.toString()); // closing anyway
        }
    }
}
