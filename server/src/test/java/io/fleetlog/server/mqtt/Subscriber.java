package io.fleetlog.server.mqtt;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A real MQTT subscriber for tests (Paho, synchronous client): keeps every message with its retained
 * flag and arrival time, and the newest per topic. {@link #clearRetained} removes what a test left on
 * a shared broker.
 */
final class Subscriber implements AutoCloseable {
    record Msg(String topic, String payload, boolean retained, long atNanos) {}

    final List<Msg> all = new CopyOnWriteArrayList<>();
    final Map<String, Msg> last = new ConcurrentHashMap<>();
    private final MqttClient client;

    private Subscriber(String broker) throws MqttException {
        client = new MqttClient(broker, "fleetlog-test-" + System.nanoTime(), new MemoryPersistence());
    }

    /** Connects to {@code broker} and subscribes to {@code filters} at QoS 1. */
    static Subscriber open(String broker, String... filters) throws MqttException {
        Subscriber s = new Subscriber(broker);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        s.client.connect(o);
        for (String f : filters) {
            s.client.subscribe(f, 1, (topic, m) -> {
                Msg msg = new Msg(
                        topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained(), System.nanoTime());
                s.all.add(msg);
                s.last.put(topic, msg);
            });
        }
        return s;
    }

    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1_000);
            return true;
        } catch (Exception e) {
            return false; // nothing listens there
        }
    }

    String payload(String topic) {
        Msg m = last.get(topic);
        return m == null ? null : m.payload();
    }

    /** Waits until the newest payload of {@code topic} satisfies {@code ok}; returns whether it did. */
    boolean await(String topic, Predicate<String> ok, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String p = payload(topic);
            if (p != null && ok.test(p)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    long count(String topic) {
        return all.stream().filter(m -> m.topic().equals(topic)).count();
    }

    /** Publishes an empty retained message on every topic seen (the broker then forgets them). */
    void clearRetained() {
        Set<String> topics = Set.copyOf(last.keySet());
        for (String t : topics) {
            try {
                client.publish(t, new byte[0], 1, true);
            } catch (MqttException e) {
                return; // the broker is gone: nothing to clear there
            }
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
