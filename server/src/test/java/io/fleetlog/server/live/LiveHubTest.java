package io.fleetlog.server.live;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static io.fleetlog.server.testing.ServerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /live feed with real WebSocket clients. */
class LiveHubTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VIN = Samples.VIN_A;

    @TempDir
    Path dir;

    ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A dashboard: records every JSON event with its arrival time; {@code reading=false} never reads. */
    static final class Dashboard implements WebSocket.Listener {
        record Event(long atNanos, JsonNode json) {}

        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final List<Integer> closes = new CopyOnWriteArrayList<>();
        final boolean reading;
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        Dashboard(boolean reading) {
            this.reading = reading;
        }

        static Dashboard open(String base, boolean reading) throws Exception {
            Dashboard d = new Dashboard(reading);
            d.ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/live"), d)
                    .get(10, TimeUnit.SECONDS);
            return d;
        }

        @Override
        public void onOpen(WebSocket w) {
            if (reading) {
                w.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    events.add(new Event(System.nanoTime(), JSON.readTree(partial.toString())));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closes.add(code);
            return null;
        }

        JsonNode next(String type, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (true) {
                Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null || e.json().get("type").asText().equals(type)) {
                    return e == null ? null : e.json();
                }
            }
        }
    }

    @Test
    void snapshotComesFirstThenVehicleSampleStoredAndLogEvents() throws Exception {
        fx = ServerFixture.start(
                ServerFixture.config(dir).withDemo(true),
                Stores.open(ServerFixture.config(dir).dbUrl()));
        Dashboard d = Dashboard.open(fx.base, true);
        JsonNode snap = d.events.poll(10, TimeUnit.SECONDS).json();
        assertThat(snap.get("type").asText()).isEqualTo("snapshot");
        assertThat(snap.get("demo").asBoolean()).isTrue();
        assertThat(snap.get("vehicles").isArray()).isTrue();
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(0, 50, Samples.T0));
            c.awaitAck(49, 10_000);
            java.util.Map<String, JsonNode> firstOfType = new java.util.HashMap<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (firstOfType.size() < 3 && System.nanoTime() < deadline) {
                Dashboard.Event ev = d.events.poll(100, TimeUnit.MILLISECONDS);
                if (ev != null && !ev.json().get("type").asText().equals("log")) {
                    firstOfType.putIfAbsent(ev.json().get("type").asText(), ev.json());
                }
            }
            assertThat(firstOfType).containsKeys("vehicle", "sample", "stored");
            JsonNode v = firstOfType.get("vehicle");
            assertThat(v.get("vehicle").get("vin").asText()).isEqualTo(VIN);
            JsonNode s = firstOfType.get("sample");
            assertThat(s.get("vin").asText()).isEqualTo(VIN);
            assertThat(s.get("seq").asLong()).isEqualTo(49);
            assertThat(s.get("t").asLong()).isEqualTo(Samples.T0 + 49 * 20);
            assertThat(s.get("values").has("VehicleSpeed") && s.get("values").has("Elevation"))
                    .isTrue();
            JsonNode st = firstOfType.get("stored");
            assertThat(st.get("fromSeq").asLong()).isZero();
            assertThat(st.get("toSeq").asLong()).isEqualTo(49);
        }
        fx.server.publishLog("info", "hello dashboards");
        JsonNode log;
        do {
            log = d.next("log", 10_000);
        } while (log != null && !log.get("message").asText().equals("hello dashboards"));
        assertThat(log).isNotNull();
        assertThat(log.get("level").asText()).isEqualTo("info");
    }

    @Test
    void samplesAreThrottledToTenHertzAndStoredRangesMerged() throws Exception {
        fx = ServerFixture.start(dir);
        Dashboard d = Dashboard.open(fx.base, true);
        int batches = 150;
        long start = System.nanoTime();
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            for (int b = 0; b < batches; b++) {
                c.sendBatch(Samples.drive(b * 5L, 5, Samples.T0 + b * 100L));
                c.awaitAck(b * 5L + 4, 10_000);
            }
        }
        long last = batches * 5L - 1;
        long[] covered = new long[(int) last + 1];
        long[] lastSampleSeq = {-1};
        long[] storedTo = {-1};
        List<Long> sampleTimes = new CopyOnWriteArrayList<>();
        assertThat(await(
                        () -> {
                            LiveHubTest.Dashboard.Event e;
                            while ((e = d.events.poll()) != null) {
                                String type = e.json().get("type").asText();
                                if (type.equals("sample")) {
                                    sampleTimes.add(e.atNanos());
                                    lastSampleSeq[0] = e.json().get("seq").asLong();
                                } else if (type.equals("stored")) {
                                    for (long s = e.json().get("fromSeq").asLong();
                                            s <= e.json().get("toSeq").asLong();
                                            s++) {
                                        covered[(int) s]++;
                                    }
                                    storedTo[0] = Math.max(
                                            storedTo[0], e.json().get("toSeq").asLong());
                                }
                            }
                            // the stored range of the last tick follows its sample event: wait for both
                            return lastSampleSeq[0] == last && storedTo[0] == last;
                        },
                        10_000))
                .as("the newest sample and its stored range are published")
                .isTrue();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(sampleTimes.size())
                .as("sample events for %d batches in %d ms", batches, elapsedMs)
                .isLessThanOrEqualTo((int) (elapsedMs / LiveHub.SAMPLE_PERIOD_MS) + 3)
                .isLessThan(batches);
        for (int s = 0; s <= last; s++) {
            assertThat(covered[s]).as("seq %d in exactly one stored range", s).isEqualTo(1);
        }
    }

    /**
     * Issue 12 (smaller finding): a dashboard dropped because a send timed out (its queue never
     * filled) was not counted in {@code fleetlog_live_dropped_clients_total}.
     */
    @Test
    void aDashboardDroppedForASendTimeoutIsCounted() throws Exception {
        ServerConfig cfg = ServerFixture.config(dir).withLimits(new ServerConfig.Limits(1 << 20, 10_000, 10, 100_000));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));
        Dashboard slow = Dashboard.open(fx.base, false);
        assertThat(await(() -> fx.server.live().clients() == 1, 10_000)).isTrue();
        String big = "x".repeat(256 * 1024);
        for (int i = 0; i < 200 && fx.server.live().clients() == 1; i++) {
            fx.server.publishLog("info", big); // fills the socket buffers; the queue has room for all
        }
        assertThat(await(() -> fx.server.live().clients() == 0, 3 * LiveHub.SEND_TIMEOUT_MS))
                .isTrue();
        assertThat(fx.server.live().droppedClients()).isEqualTo(1);
        assertThat(fx.get("/metrics").body()).contains("fleetlog_live_dropped_clients_total 1.0");
        assertThat(slow).isNotNull();
    }

    @Test
    void aSlowDashboardIsDroppedAndNobodyElseNotices() throws Exception {
        ServerConfig cfg = ServerFixture.config(dir).withLimits(new ServerConfig.Limits(1 << 20, 10_000, 10, 8));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));
        Dashboard slow = Dashboard.open(fx.base, false);
        Dashboard fast = Dashboard.open(fx.base, true);
        assertThat(await(() -> fx.server.live().clients() == 2, 10_000)).isTrue();
        String big = "x".repeat(64 * 1024);
        for (int i = 0; i < 400 && fx.server.live().droppedClients() == 0; i++) {
            fx.server.publishLog("info", big);
            assertThat(fast.next("log", 10_000))
                    .as("the reading dashboard keeps up")
                    .isNotNull();
        }
        assertThat(await(() -> fx.server.live().droppedClients() == 1, 10_000)).isTrue();
        assertThat(fx.server.live().clients()).isEqualTo(1);
        // ingest and the remaining dashboard still work
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(0, 10, Samples.T0));
            assertThat(c.awaitAck(9, 10_000)).isEqualTo(9);
        }
        assertThat(fast.next("sample", 10_000)).isNotNull();
        assertThat(fast.closes).isEmpty();
    }
}
