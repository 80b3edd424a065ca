package io.fleetlog.server.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.fleet.VehicleStatus;
import io.javalin.websocket.WsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed at WebSocket {@code /live}: JSON events for dashboards (see docs/api.md).
 *
 * <p>Each client gets a {@code snapshot} first, then events. Every client has a bounded queue
 * ({@code queueCapacity} messages) drained by its own virtual thread; {@link #publish} only offers
 * to the queues and never blocks, and a client whose queue is full is disconnected (close 1008) and
 * counted — a slow dashboard never slows ingest. Per vehicle, {@code sample} and {@code stored}
 * events go out at most every {@link #SAMPLE_PERIOD_MS} ms (the latest sample; stored ranges merged)
 * and {@code vehicle} events at most every {@link #VEHICLE_PERIOD_MS} ms: {@link #runOnce} does that
 * and is called by a ticker thread every {@link #SAMPLE_PERIOD_MS} ms. A client limited to some
 * vehicles (the upgrade attribute {@link io.fleetlog.server.auth.HttpGuard#LIVE_VISIBLE}) gets only
 * their snapshot entries and events, and no fleet-wide ones such as logs. Thread-safe.
 */
public final class LiveHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    /** 10 Hz per vehicle at most. */
    public static final long SAMPLE_PERIOD_MS = 100;
    /** 2 Hz per vehicle at most. */
    public static final long VEHICLE_PERIOD_MS = 500;

    static final long SEND_TIMEOUT_MS = 5_000;

    private final Fleet fleet;
    private final ObjectMapper json;
    private final int queueCapacity;
    private final InstantSource clock;
    private final boolean demo;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Counter dropped;
    private final AtomicLong published = new AtomicLong();
    private final Thread ticker;
    private volatile boolean closed;

    public LiveHub(
            Fleet fleet, ObjectMapper json, int queueCapacity, InstantSource clock, boolean demo, MeterRegistry m) {
        this.fleet = fleet;
        this.json = json;
        this.queueCapacity = queueCapacity;
        this.clock = clock;
        this.demo = demo;
        this.dropped = Counter.builder("fleetlog.live.dropped.clients")
                .description("dashboards disconnected because their queue was full")
                .register(m);
        m.gaugeMapSize("fleetlog.live.clients", java.util.List.of(), clients);
        this.ticker = Thread.ofPlatform().name("live-ticker").daemon(true).unstarted(this::tickLoop);
    }

    public void start() {
        ticker.start();
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            // a quiet fleet sends nothing; pings keep the idle timeout from closing dashboards
            ctx.enableAutomaticPings(30, java.util.concurrent.TimeUnit.SECONDS);
            java.util.function.Predicate<String> visible =
                    ctx.attribute(io.fleetlog.server.auth.HttpGuard.LIVE_VISIBLE);
            connect(ctx.sessionId(), ctx.session, visible == null ? vin -> true : visible);
        });
        ws.onClose(ctx -> {
            Client c = clients.remove(ctx.sessionId());
            if (c != null) {
                c.stop();
            }
        });
        ws.onMessage(ctx -> {}); // clients have nothing to say; ignored
        ws.onError(ctx -> log.debug("live_ws_error session={} error={}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    void connect(String id, Session session) {
        connect(id, session, vin -> true);
    }

    /** @param visible which VINs this client may see; {@code null} asks about fleet-wide events (logs) */
    void connect(String id, Session session, java.util.function.Predicate<String> visible) {
        Client c = new Client(id, session, queueCapacity, visible);
        Map<String, Object> snap = new LinkedHashMap<>();
        snap.put("type", "snapshot");
        snap.put(
                "vehicles",
                fleet.states().stream()
                        .filter(v -> visible.test((String) v.get("vin")))
                        .toList());
        snap.put("demo", demo);
        c.queue.offer(write(snap));
        clients.put(id, c);
        c.start();
    }

    /** Publishes a {@code log} event to every dashboard. */
    public void publishLog(String level, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "log");
        m.put("t", clock.millis());
        m.put("level", level);
        m.put("message", message);
        publish(m);
    }

    /** Offers one event to every client; never blocks. */
    public void publish(Map<String, Object> event) {
        if (clients.isEmpty()) {
            return;
        }
        String text = write(event);
        published.incrementAndGet();
        String vin = vinOf(event);
        for (Client c : clients.values()) {
            if (!c.visible.test(vin)) {
                continue;
            }
            if (!c.queue.offer(text)) {
                drop(c);
            }
        }
    }

    /** The VIN an event is about ({@code vin}, or {@code vehicle.vin}); null for fleet-wide events. */
    private static String vinOf(Map<String, Object> event) {
        if (event.get("vin") instanceof String v) {
            return v;
        }
        return event.get("vehicle") instanceof Map<?, ?> m && m.get("vin") instanceof String v ? v : null;
    }

    /** One throttling step: publishes what is due per vehicle at {@code nowMs}. */
    public void runOnce(long nowMs) {
        for (VehicleStatus s : fleet.statuses()) {
            VehicleStatus.StoredRange r = s.takeStored();
            Sample latest = s.takeSample();
            if (latest != null) {
                publish(sampleEvent(s.vin(), fleet.catalogue(s.vin()), latest));
            }
            if (r != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "stored");
                m.put("vin", s.vin());
                m.put("fromSeq", r.fromSeq());
                m.put("toSeq", r.toSeq());
                m.put("fromMs", r.fromMs());
                m.put("toMs", r.toMs());
                publish(m);
            }
            for (VehicleStatus.Link l; (l = s.takeTransition()) != null; ) {
                if (l != s.link()) { // a transient state (a short drain): publish it, the current one follows
                    Map<String, Object> state = new LinkedHashMap<>(fleet.state(s.vin()));
                    state.put("link", l.json);
                    publish(Map.of("type", "vehicle", "vehicle", state));
                }
            }
            if (s.takeStateChange(nowMs, VEHICLE_PERIOD_MS)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "vehicle");
                m.put("vehicle", fleet.state(s.vin()));
                publish(m);
            }
        }
    }

    /** The newest values of every signal of a vehicle (docs/api.md, live {@code sample}). */
    static Map<String, Object> sampleEvent(String vin, Catalogue cat, Sample latest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "sample");
        m.put("vin", vin);
        m.put("seq", latest.seq());
        m.put("t", latest.captureTimeMs());
        m.put("values", Fleet.values(cat, latest));
        return m;
    }

    public int clients() {
        return clients.size();
    }

    public long droppedClients() {
        return (long) dropped.count();
    }

    @Override
    public void close() {
        closed = true;
        ticker.interrupt();
        clients.values().forEach(Client::stop);
        clients.clear();
    }

    private void drop(Client c) {
        if (clients.remove(c.id) != null) {
            dropped.increment();
            log.warn("live_client_dropped session={} queue_capacity={}", c.id, queueCapacity);
            c.session.close(1008, "too slow: live queue of " + queueCapacity + " messages is full", Callback.NOOP);
            c.stop();
        }
    }

    private void tickLoop() {
        while (!closed) {
            try {
                runOnce(clock.millis());
            } catch (RuntimeException e) {
                log.error("live_tick_failed error={}", e.toString());
            }
            try {
                Thread.sleep(SAMPLE_PERIOD_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a live event", e);
        }
    }

    /** One dashboard: a bounded queue and the virtual thread that writes it to the socket. */
    private final class Client {
        final String id;
        final Session session;
        final BlockingQueue<String> queue;
        final java.util.function.Predicate<String> visible;
        private Thread sender;

        Client(String id, Session session, int capacity, java.util.function.Predicate<String> visible) {
            this.id = id;
            this.session = session;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.visible = visible;
        }

        void start() {
            sender = Thread.ofVirtual().name("live-" + id).start(this::sendLoop);
        }

        void stop() {
            if (sender != null) {
                sender.interrupt();
            }
        }

        private void sendLoop() {
            try {
                while (session.isOpen()) {
                    String text = queue.take();
                    Callback.Completable done = new Callback.Completable();
                    session.sendText(text, done);
                    done.get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.info("live_client_send_failed session={} error={}", id, e.toString());
                if (clients.remove(id) != null && e instanceof java.util.concurrent.TimeoutException) {
                    dropped.increment(); // too slow, as a full queue: counted the same (issue 12)
                    log.warn("live_client_dropped session={} send_timeout_ms={}", id, SEND_TIMEOUT_MS);
                }
                session.disconnect();
            }
        }
    }
}
