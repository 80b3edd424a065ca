package io.fleetlog.server.ingest;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.wire.v2.EdgeStatus;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Heartbeat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 12 items 8 and 9: unauthenticated sockets are cheap, Hello strings are validated and bounded,
 * remote values are logged escaped. The real server on port 0, real WebSocket clients; the Hello
 * deadline is short and the server clock settable, so nothing waits for real backoff windows.
 */
class IngestAdmissionTest {
    static final String VIN = Samples.VIN_A;
    static final long WAIT = 10_000;

    @TempDir
    Path dir;

    ServerFixture fx;
    final AtomicLong nowMs = new AtomicLong(Samples.T0);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger connectionLog = (Logger) LoggerFactory.getLogger(IngestConnection.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        connectionLog.addAppender(logs);
    }

    @AfterEach
    void stop() {
        connectionLog.detachAppender(logs);
        if (fx != null) {
            fx.close();
        }
    }

    private void start(ServerConfig.PreAuth preAuth) {
        InstantSource clock = () -> Instant.ofEpochMilli(nowMs.get());
        ServerConfig cfg = ServerFixture.config(dir)
                .withClock(clock)
                .withLimits(ServerConfig.Limits.defaults().withPreAuth(preAuth));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));
    }

    private static ServerConfig.PreAuth preAuth(long deadlineMs, int maxPending, int maxFailed) {
        return new ServerConfig.PreAuth(
                4096,
                Duration.ofMillis(deadlineMs),
                maxPending,
                maxFailed,
                Duration.ofSeconds(60),
                Duration.ofHours(1));
    }

    private static Envelope hello(String vin, String token, String name) {
        return Envelope.newBuilder()
                .setHello(EdgeClient.hello(vin, token, EdgeClient.LAYOUT).toBuilder()
                        .setName(name))
                .build();
    }

    private List<String> loggedLines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            out.add(e.getFormattedMessage());
        }
        return out;
    }

    // ---- item 8

    /** Item 8: heartbeats were echoed before Hello. */
    @Test
    void aHeartbeatBeforeHelloIsNotEchoedAndClosesTheConnection() throws Exception {
        start(ServerConfig.PreAuth.defaults());
        EdgeClient c = EdgeClient.connect(fx.base);
        c.send(Envelope.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentTimeMs(5))
                .build());
        assertThat(c.closeCode(WAIT)).isEqualTo(1008);
        Envelope e;
        while ((e = c.next(100)) != null) {
            assertThat(e.hasHeartbeat()).as("no echo: %s", e).isFalse();
        }
        assertThat(fx.server.ingestMetrics().rejects("INVALID")).isEqualTo(1);
    }

    /** Item 8: a socket that never sent Hello was kept open for ever. */
    @Test
    void aConnectionWithoutHelloIsClosedAtTheDeadline() throws Exception {
        start(preAuth(300, 32, 10));
        EdgeClient c = EdgeClient.connect(fx.base);
        assertThat(c.closeCode(5_000)).isEqualTo(1008);
        assertThat(c.closeReason()).isEqualTo("no Hello within 300 ms");
        assertThat(fx.server.ingestMetrics().rejects("HELLO_TIMEOUT")).isEqualTo(1);
        // an edge that says Hello in time is not affected
        EdgeClient ok = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(ok.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        Thread.sleep(500); // past the deadline: still open and working
        ok.sendBatch(Samples.drive(0, 10, Samples.T0));
        assertThat(ok.awaitAck(9, WAIT)).isEqualTo(9);
    }

    /** Item 8: partial messages up to 8 MiB were buffered before authentication. */
    @Test
    void beforeHelloAMessageOverTheSmallLimitIsClosedUnbuffered() throws Exception {
        start(ServerConfig.PreAuth.defaults());
        EdgeClient whole = EdgeClient.connect(fx.base);
        whole.sendRaw(new byte[5_000]);
        assertThat(whole.closeCode(WAIT)).isEqualTo(1009);

        EdgeClient parts = EdgeClient.connect(fx.base);
        try {
            for (int i = 0; i < 100; i++) {
                parts.sendPart(new byte[3_000], false); // a message that never ends
            }
        } catch (RuntimeException e) {
            // the server closed the socket while we were still sending: what we want
        }
        // 1009 when the close frame is read, -1 when our next frame hit the closed socket first
        assertThat(parts.closeCode(WAIT)).isIn(1009, -1);
        // after Hello, the ingest limit applies again (a 100 KB batch)
        EdgeClient ok = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(ok.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        ok.sendBatch(Samples.drive(0, 5_000, Samples.T0));
        assertThat(ok.awaitAck(4_999, WAIT)).isEqualTo(4_999);
    }

    /** Item 8: any number of unauthenticated sockets per address. */
    @Test
    void anAddressMayHoldOnlySoManyUnauthenticatedConnections() throws Exception {
        // A Hello deadline far beyond the test: on a loaded machine a 5 s deadline closed the first
        // idle connections (1008) before the fourth arrived, freeing its slot.
        start(preAuth(60_000, 3, 10));
        List<EdgeClient> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            idle.add(EdgeClient.connect(fx.base));
        }
        EdgeClient fourth = EdgeClient.connect(fx.base);
        assertThat(fourth.closeCode(WAIT)).isEqualTo(1013);
        assertThat(fourth.closeReason()).contains("too many unauthenticated connections");
        assertThat(idle.get(0).closeCode(200)).as("the first three stay").isNull();
        idle.get(0).close();
        // one slot is free again (the close reaches the server asynchronously)
        EdgeClient edge = null;
        for (int i = 0; i < 50 && edge == null; i++) {
            EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A);
            if (c.next(Envelope.MsgCase.WELCOME, 1_000) != null) {
                edge = c;
            }
        }
        assertThat(edge).as("an edge gets in once a pending slot is free").isNotNull();
        // authenticated connections do not count as pending
        EdgeClient another = EdgeClient.hello(fx.base, Samples.VIN_B, ServerFixture.TOKEN_B);
        assertThat(another.next(Envelope.MsgCase.REJECT, 300)).isNull();
    }

    /** Item 8: failed Hellos could be retried at full speed. */
    @Test
    void failedAuthenticationsFromAnAddressBackOff() throws Exception {
        start(preAuth(5_000, 32, 2));
        for (int i = 0; i < 2; i++) {
            EdgeClient wrong = EdgeClient.hello(fx.base, VIN, "guess-" + i);
            assertThat(wrong.closeCode(WAIT)).isEqualTo(1008);
        }
        EdgeClient refused = EdgeClient.connect(fx.base);
        try {
            refused.send(hello(VIN, TOKEN_A, "x"));
        } catch (RuntimeException e) {
            // the server closed at once, before our Hello: what backing off means
        }
        assertThat(refused.closeCode(WAIT))
                .as("even the right token, while backing off")
                .isEqualTo(1008);
        assertThat(refused.closeReason()).contains("too many failed authentications");
        assertThat(refused.next(Envelope.MsgCase.WELCOME, 200)).isNull();
        nowMs.addAndGet(60_001); // the backoff window (server clock) passed
        EdgeClient ok = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(ok.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        assertThat(fx.server.ingestMetrics().authFailures("wrong_token")).isEqualTo(2);
        assertThat(fx.server.ingestMetrics().rejects("ADMISSION_BACKING_OFF")).isEqualTo(1);
    }

    // ---- item 9

    /** Item 9: a VIN with a newline forged a log line. */
    @Test
    void aVinWithANewlineIsRefusedAndNeverLoggedRaw() throws Exception {
        start(ServerConfig.PreAuth.defaults());
        String forged = VIN + "\n12:00:00.000 INFO ingest_connected vin=" + Samples.VIN_B;
        EdgeClient c = EdgeClient.connect(fx.base);
        c.send(hello(forged, TOKEN_A, "x"));
        Envelope r = c.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r.getReject().getFatal()).isTrue();
        assertThat(r.getReject().getReason()).contains("\\n").doesNotContain("\n");
        assertThat(c.closeCode(WAIT)).isEqualTo(1008);
        assertThat(loggedLines())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContain("\n").doesNotContain("\r"));
        assertThat(fx.server.ingestMetrics().authFailures("invalid_hello")).isEqualTo(1);
    }

    /** Item 9: a long (here 65 characters) or multi-line vehicle name was stored and served to dashboards. */
    @Test
    void vehicleNamesAndModelsAreBoundedAndPrintable() throws Exception {
        start(ServerConfig.PreAuth.defaults());
        for (String bad : List.of("n".repeat(65), "line\nbreak", "bell\u0007")) {
            EdgeClient c = EdgeClient.connect(fx.base);
            c.send(hello(VIN, TOKEN_A, bad));
            Envelope r = c.next(Envelope.MsgCase.REJECT, WAIT);
            assertThat(r.getReject().getReason()).contains("name").contains("printable characters");
            assertThat(c.closeCode(WAIT)).isEqualTo(1008);
        }
        assertThat(fx.server.store().vehicle(VIN)).as("nothing stored").isEmpty();
        // a 3 MB name never gets past the pre-Hello message limit
        EdgeClient huge = EdgeClient.connect(fx.base);
        try {
            huge.send(hello(VIN, TOKEN_A, "n".repeat(3_000_000)));
        } catch (RuntimeException e) {
            // closed while sending
        }
        assertThat(huge.closeCode(WAIT)).isEqualTo(1009);
        assertThat(fx.server.store().vehicle(VIN)).isEmpty();
        // 64 printable characters (not only ASCII) are fine
        String name = "Ünïcødé " + "x".repeat(56);
        EdgeClient ok = EdgeClient.connect(fx.base);
        ok.send(hello(VIN, TOKEN_A, name));
        assertThat(ok.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        assertThat(fx.server.store().vehicle(VIN).orElseThrow().name()).isEqualTo(name);
    }

    /** Item 9: an EdgeStatus link_state was stored unbounded and shown to dashboards. */
    @Test
    void anEdgeStatusWithAnUnknownLinkStateIsRejectedNotStored() throws Exception {
        start(ServerConfig.PreAuth.defaults());
        EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(c.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        c.send(Envelope.newBuilder()
                .setStatus(EdgeStatus.newBuilder().setSpoolDepth(7).setLinkState("DRAINING\n" + "x".repeat(100_000)))
                .build());
        Envelope r = c.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r.getReject().getReason())
                .contains("link_state 'DRAINING\\nxxx")
                .hasSizeLessThan(600);
        assertThat(fx.server.fleet().state(VIN).get("link")).isEqualTo("online");
        assertThat(fx.server.fleet().state(VIN).get("spoolDepth")).isEqualTo(0L);
    }

    @Test
    void logSafeEscapesControlCharactersAndBoundsLength() {
        assertThat(LogSafe.of("a\nb\rc\td\"e\\f\u0000g\u2028")).isEqualTo("a\\nb\\rc\\td\\\"e\\\\f\\u0000g\\u2028");
        assertThat(LogSafe.of("v".repeat(3_000_000))).isEqualTo("v".repeat(64) + "…(+2999936 chars)");
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }
}
