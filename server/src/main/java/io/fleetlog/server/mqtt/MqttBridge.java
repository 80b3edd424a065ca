package io.fleetlog.server.mqtt;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.fleet.VehicleStatus;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Vehicle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every vehicle's current state to an MQTT broker, retained at QoS 1 (docs/mqtt.md):
 * fleetlog's own topics, TeslaMate's topic scheme (unless {@link MqttConfig#teslaMate()} is off) and
 * one Home Assistant discovery config per vehicle.
 *
 * <p>Ingest never waits on MQTT: it only updates each vehicle's {@link VehicleStatus} (the newest
 * value of every signal: one frame per vehicle, naturally bounded), as it does for the live feed.
 * This bridge's own thread samples those every {@link #TICK_MS} ms in {@link #runOnce}: it renders a
 * vehicle whose values changed at most once per {@link MqttConfig#minInterval()} (at once when its
 * state changed), puts the payloads in an {@link Outbox} (latest payload per topic, bounded by the
 * number of topics), and hands what is due to the broker client without waiting for acks. While the
 * broker is unreachable the outbox keeps only the newest payload per topic (replaced ones are counted
 * as superseded); connects are retried with jittered exponential backoff from {@link #BACKOFF_MIN_MS}
 * to {@link #BACKOFF_MAX_MS}; after every (re)connect the whole current state is published again (a
 * restarted broker may have lost its retained messages).
 *
 * <p>States: disconnected (initially, and after a lost connection: retrying on the backoff),
 * connected, closed. A vehicle is {@code offline} when its link is closed or no frame was stored for
 * {@link MqttConfig#staleAfter()}. The bridge's status topic says {@code online} while connected and
 * {@code offline} after {@link #close} or, as the MQTT will, when the connection drops. Counters on
 * /metrics: {@code fleetlog_mqtt_published_total} (acknowledged by the broker), {@code
 * fleetlog_mqtt_failed_total}, {@code fleetlog_mqtt_rejected_total}, {@code fleetlog_mqtt_superseded_total}, {@code
 * fleetlog_mqtt_connects_total}, {@code fleetlog_mqtt_connect_failures_total}; gauges {@code
 * fleetlog_mqtt_connected}, {@code fleetlog_mqtt_pending}. Thread-safe: {@link #runOnce} is called by
 * one thread (the bridge's, or a test's); {@link #close} is idempotent.
 */
public final class MqttBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);

    static final long TICK_MS = 200;
    static final long BACKOFF_MIN_MS = 500;
    static final long BACKOFF_MAX_MS = 10_000;
    /** Most messages handed to the client in one step (the rest go in the next one). */
    static final int MAX_PER_TICK = 20_000;
    /** How often a vehicle's name, model and number are read from the store again. */
    static final long IDENTITY_REFRESH_MS = 60_000;

    private final MqttConfig config;
    private final Fleet fleet;
    private final SampleStore store;
    private final InstantSource clock;
    private final Broker broker;
    private final Outbox outbox = new Outbox();
    private final Map<String, Tracker> trackers = new HashMap<>();
    private final Counter connects;
    private final Counter connectFailures;
    private final Counter rejected;
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger connectedGauge = new AtomicInteger();
    private final Thread thread;

    private long backoffMs = BACKOFF_MIN_MS;
    private long nextConnectMs = Long.MIN_VALUE;
    private boolean wasConnected;
    private volatile boolean closed;

    /** What the bridge remembers of one vehicle between steps. */
    private static final class Tracker {
        long seq = Long.MIN_VALUE;
        long lastFrameMs;
        VehicleStatus.Link link = VehicleStatus.Link.OFFLINE;
        VehicleView.State state;
        long sinceMs;
        String teslaMateState;
        long teslaMateSinceMs;
        long renderedSeq = Long.MIN_VALUE;
        long renderedMs = Long.MIN_VALUE / 2;
        boolean stateChanged = true;
        long identityMs = Long.MIN_VALUE / 2;
        int carId = -1;
        Vehicle vehicle;
    }

    MqttBridge(MqttConfig config, Fleet fleet, SampleStore store, MeterRegistry m, InstantSource clock, Broker broker) {
        this.config = config;
        this.fleet = fleet;
        this.store = store;
        this.clock = clock;
        this.broker = broker;
        this.connects = Counter.builder("fleetlog.mqtt.connects")
                .description("connections made to the MQTT broker")
                .register(m);
        this.connectFailures = Counter.builder("fleetlog.mqtt.connect.failures")
                .description("failed attempts to connect to the MQTT broker")
                .register(m);
        this.rejected = Counter.builder("fleetlog.mqtt.rejected")
                .description("MQTT messages the client refused to send (skipped)")
                .register(m);
        FunctionCounter.builder("fleetlog.mqtt.superseded", superseded, AtomicLong::get)
                .description("MQTT payloads replaced by a newer value before they were sent (coalescing, outages)")
                .register(m);
        Gauge.builder("fleetlog.mqtt.pending", pending, AtomicInteger::get)
                .description("MQTT topics whose newest payload is not sent yet")
                .register(m);
        Gauge.builder("fleetlog.mqtt.connected", connectedGauge, AtomicInteger::get)
                .description("1 while connected to the MQTT broker")
                .register(m);
        this.thread = Thread.ofPlatform().name("mqtt-publisher").daemon(true).unstarted(this::loop);
        outbox.put(Topics.status(config), "online");
        for (String vin : store.vins()) {
            fleet.status(vin); // stored vehicles get their discovery config and an offline state at once
        }
    }

    /** Starts publishing {@code server}'s fleet to the broker of {@code config}; returns at once. */
    public static MqttBridge start(MqttConfig config, FleetServer server) {
        MeterRegistry m = server.metrics();
        Counter delivered = Counter.builder("fleetlog.mqtt.published")
                .description("MQTT messages the broker acknowledged")
                .register(m);
        Counter failed = Counter.builder("fleetlog.mqtt.failed")
                .description("MQTT publishes that failed (sent again after the next connect)")
                .register(m);
        MqttBridge b = new MqttBridge(
                config,
                server.fleet(),
                server.store(),
                m,
                server.config().clock(),
                new PahoBroker(config, delivered, failed));
        b.thread.start();
        if (config.password() != null && config.broker().startsWith("tcp://") && !loopback(config.broker())) {
            log.warn(
                    "mqtt_insecure broker={} warning=\"the broker password and every vehicle's data cross the"
                            + " network unencrypted: use ssl://\"",
                    config.broker());
        }
        log.info(
                "mqtt_started broker={} namespace={} teslamate={} discovery_prefix={} user={}",
                config.broker(),
                config.namespace() == null ? "none" : config.namespace(),
                config.teslaMate(),
                config.discoveryPrefix(),
                config.username() == null ? "none" : config.username());
        return b;
    }

    private static boolean loopback(String broker) {
        String host = java.net.URI.create(broker).getHost();
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** One step at server time {@code nowMs}: connect if due, render what changed, send what is due. */
    void runOnce(long nowMs) {
        connectIfDue(nowMs);
        for (VehicleStatus s : fleet.statuses()) {
            render(s, nowMs);
        }
        if (broker.connected()) {
            send(nowMs);
        }
        superseded.set(outbox.superseded());
        pending.set(outbox.pending());
        connectedGauge.set(broker.connected() ? 1 : 0);
    }

    private void connectIfDue(long nowMs) {
        boolean up = broker.connected();
        if (!up && wasConnected) {
            wasConnected = false;
            nextConnectMs = nowMs; // lost: try again at once, then back off
        }
        if (up || nowMs < nextConnectMs) {
            return;
        }
        try {
            broker.connect();
            connects.increment();
            wasConnected = true;
            backoffMs = BACKOFF_MIN_MS;
            outbox.resendAll();
            log.info("mqtt_connected broker={} topics={}", config.broker(), outbox.topics());
        } catch (Exception e) {
            connectFailures.increment();
            long wait = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
            nextConnectMs = nowMs + wait;
            backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
            log.warn("mqtt_connect_failed broker={} error={} retry_in_ms={}", config.broker(), e.toString(), wait);
        }
    }

    /** Updates one vehicle's tracker; renders its topics into the outbox when due. */
    private void render(VehicleStatus s, long nowMs) {
        Tracker t = trackers.computeIfAbsent(s.vin(), v -> new Tracker());
        Sample latest = s.latest();
        long seq = latest == null ? -1 : latest.seq();
        VehicleStatus.Link link = s.link();
        if (seq != t.seq || (link != VehicleStatus.Link.OFFLINE && t.link == VehicleStatus.Link.OFFLINE)) {
            t.lastFrameMs = nowMs; // a new frame, or a fresh connection: the vehicle is live now
        }
        t.seq = seq;
        t.link = link;
        boolean stale = link == VehicleStatus.Link.OFFLINE
                || nowMs - t.lastFrameMs > config.staleAfter().toMillis();
        VehicleView.State state = stale
                ? VehicleView.State.OFFLINE
                : link == VehicleStatus.Link.DRAINING ? VehicleView.State.DRAINING : VehicleView.State.ONLINE;
        if (state != t.state) {
            t.state = state;
            t.sinceMs = nowMs;
            t.stateChanged = true;
        }
        long minGap = config.minInterval().toMillis();
        if (!t.stateChanged && (seq == t.renderedSeq || nowMs - t.renderedMs < minGap)) {
            return;
        }
        refreshIdentity(s.vin(), t, nowMs);
        VehicleView v = new VehicleView(
                s.vin(),
                t.carId,
                t.vehicle == null ? null : t.vehicle.name(),
                t.vehicle == null ? null : t.vehicle.model(),
                fleet.catalogue(s.vin()),
                latest == null ? null : latest.frame(),
                seq,
                state,
                t.sinceMs);
        Topics.fleetlog(config, v).forEach(outbox::put);
        if (config.teslaMate() && v.carId() > 0) {
            String tm = Topics.teslaMateState(v, new Values(v.catalogue(), v.latest()));
            if (!tm.equals(t.teslaMateState)) {
                t.teslaMateState = tm;
                t.teslaMateSinceMs = nowMs;
            }
            Topics.teslaMate(config, v, Topics.iso(t.teslaMateSinceMs)).forEach(outbox::put);
        }
        if (config.discoveryPrefix() != null) {
            outbox.put(Discovery.topic(config, s.vin()), Discovery.config(config, v));
        }
        t.stateChanged = false;
        t.renderedSeq = seq;
        t.renderedMs = nowMs;
    }

    private void refreshIdentity(String vin, Tracker t, long nowMs) {
        if (nowMs - t.identityMs < IDENTITY_REFRESH_MS && t.carId > 0) {
            return;
        }
        t.identityMs = nowMs;
        try {
            t.vehicle = store.vehicle(vin).orElse(null);
            t.carId = store.vehicleNumber(vin);
        } catch (RuntimeException e) {
            log.warn("mqtt_vehicle_lookup_failed vin={} error={}", vin, e.toString()); // tried again next time
        }
    }

    private void send(long nowMs) {
        List<Outbox.Message> due = outbox.due(nowMs, config.minInterval().toMillis(), MAX_PER_TICK);
        for (Outbox.Message msg : due) {
            try {
                if (!broker.publish(msg.topic(), msg.payload())) {
                    return; // the client's in-flight window is full: the rest waits for the next step
                }
                outbox.sent(msg, nowMs);
            } catch (IllegalArgumentException e) {
                // a message the client refuses (a topic it deems invalid): counted, logged and skipped,
                // so it cannot hold up the others
                rejected.increment();
                log.warn("mqtt_message_rejected topic={} error={}", msg.topic(), e.getMessage());
                outbox.sent(msg, nowMs);
            } catch (Exception e) {
                log.warn("mqtt_publish_failed broker={} topic={} error={}", config.broker(), msg.topic(), e.toString());
                return; // the connection is gone: reconnect in the next step, then everything is sent again
            }
        }
    }

    private void loop() {
        while (!closed) {
            try {
                runOnce(clock.millis());
            } catch (RuntimeException e) {
                log.error("mqtt_step_failed error={}", e.toString());
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether the client is connected to the broker now. */
    public boolean connected() {
        return broker.connected();
    }

    /**
     * Stops the thread, publishes {@code offline} on the status topic (retained, so Home Assistant
     * shows every vehicle unavailable), disconnects. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.disconnectAfter(Topics.status(config), "offline", 2_000);
        broker.close();
        log.info("mqtt_stopped broker={}", config.broker());
    }
}
