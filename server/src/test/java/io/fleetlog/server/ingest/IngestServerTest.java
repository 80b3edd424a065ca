package io.fleetlog.server.ingest;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static io.fleetlog.server.testing.ServerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.codec.v2.EncodedFrames;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.FailingStore;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.EdgeStatus;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Heartbeat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on port 0, a real WebSocket client, the real SQLite store. */
class IngestServerTest {
    static final String VIN = Samples.VIN_A;
    static final long WAIT = 10_000;

    @TempDir
    Path dir;

    ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private ServerFixture start() {
        fx = ServerFixture.start(dir);
        return fx;
    }

    private EdgeClient helloA() throws Exception {
        EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        Envelope w = c.next(WAIT);
        assertThat(w).isNotNull();
        assertThat(w.hasWelcome()).as("welcome: %s", w).isTrue();
        return c;
    }

    @Test
    void aHelloDeliveredTwiceIsIgnoredNotRejected() throws Exception {
        start();
        EdgeClient c = helloA();
        c.send(Envelope.newBuilder()
                .setHello(EdgeClient.hello(VIN, TOKEN_A, EdgeClient.LAYOUT))
                .build());
        c.sendBatch(Samples.drive(0, 100, Samples.T0));
        Envelope e;
        while ((e = c.next(WAIT)) != null && !e.hasAck()) {
            assertThat(e.hasReject())
                    .as("no Reject for a repeated Hello: %s", e)
                    .isFalse();
        }
        assertThat(e).as("the batch after it is acked").isNotNull();
        assertThat(e.getAck().getSeq()).isEqualTo(99);
    }

    @Test
    void welcomeTellsTheStoredSeqAndBatchesAreAckedAndStoredWithinBounds() throws Exception {
        start();
        EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        Envelope w = c.next(WAIT);
        assertThat(w.getWelcome().getLastStoredSeq()).isEqualTo(-1);
        List<Sample> in = Samples.drive(0, 600, Samples.T0);
        for (int i = 0; i < 6; i++) {
            c.sendBatch(in.subList(i * 100, i * 100 + 100));
            assertThat(c.awaitAck(i * 100 + 99, WAIT)).isEqualTo(i * 100 + 99);
        }
        List<Sample> out = new ArrayList<>();
        fx.server.store().scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).hasSize(600);
        for (int i = 0; i < 600; i++) {
            assertThat(Samples.differs(in.get(i), out.get(i))).as("seq %d", i).isNull();
        }
        assertThat(out.stream().anyMatch(s -> s.omittedMask() != 0))
                .as("some fields reconstructed")
                .isTrue();
        assertThat(fx.server.ingestMetrics().count("frames")).isEqualTo(600);
        assertThat(fx.server.ingestMetrics().count("values")).isEqualTo(600 * 7);
        c.close();
        EdgeClient again = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(again.next(WAIT).getWelcome().getLastStoredSeq()).isEqualTo(599);
        again.close();
    }

    @Test
    void wrongTokenAndUnknownVinAreRejectedAndClosed() throws Exception {
        start();
        EdgeClient wrong = EdgeClient.hello(fx.base, VIN, "not-the-token");
        Envelope r = wrong.next(WAIT);
        assertThat(r.getReject().getFatal()).isTrue();
        assertThat(r.getReject().getReason())
                .isEqualTo("authentication failed for " + VIN)
                .doesNotContain("not-the-token");
        assertThat(wrong.closeCode(WAIT)).isEqualTo(1008);

        // Issue 12 (smaller finding): an unknown VIN gets the same answer, so VINs cannot be enumerated.
        String stranger = Samples.vins(1).get(0);
        EdgeClient unknown = EdgeClient.hello(fx.base, stranger, TOKEN_A);
        assertThat(unknown.next(WAIT).getReject().getReason()).isEqualTo("authentication failed for " + stranger);
        assertThat(unknown.closeCode(WAIT)).isEqualTo(1008);

        IngestMetrics m = fx.server.ingestMetrics();
        assertThat(m.authFailures("wrong_token")).isEqualTo(1);
        assertThat(m.authFailures("unknown_vin")).isEqualTo(1);
        assertThat(fx.server.store().count(VIN)).isZero();
    }

    @Test
    void batchForAnotherVinClosesTheConnection() throws Exception {
        start();
        EdgeClient c = helloA();
        EncodedFrames b = EdgeClient.encodeFresh(Samples.drive(0, 10, Samples.T0));
        Batch other = Envelope.parseFrom(b.bytes()).getBatch().toBuilder()
                .setVin(Samples.VIN_B)
                .build();
        c.send(Envelope.newBuilder().setBatch(other).build());
        Envelope r = c.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r.getReject().getFatal()).isTrue();
        assertThat(r.getReject().getReason()).contains(Samples.VIN_B);
        assertThat(c.closeCode(WAIT)).isEqualTo(1008);
        assertThat(fx.server.store().count(VIN)).isZero();
        assertThat(fx.server.store().count(Samples.VIN_B)).isZero();
        assertThat(fx.server.ingestMetrics().authFailures("vin_mismatch")).isEqualTo(1);
    }

    @Test
    void malformedMessagesAreRejectedUntilTheBudgetIsSpent() throws Exception {
        fx = ServerFixture.start(
                ServerFixture.config(dir).withLimits(new ServerConfig.Limits(4096, 1000, 3, 256)),
                Stores.open(ServerFixture.config(dir).dbUrl()));
        EdgeClient c = helloA();
        c.sendRaw(new byte[] {(byte) 0xff, 0x01, 0x02});
        Envelope r1 = c.next(WAIT);
        assertThat(r1.getReject().getFatal()).isFalse();
        assertThat(r1.getReject().getReason()).startsWith("MALFORMED");
        // the connection still works
        c.sendBatch(Samples.drive(0, 10, Samples.T0));
        assertThat(c.awaitAck(9, WAIT)).isEqualTo(9);
        // oversized (more than the 4096-byte limit, less than the transport's hard limit)
        c.sendRaw(new byte[6000]);
        Envelope r2 = c.next(WAIT);
        assertThat(r2.getReject().getReason()).startsWith("TOO_LARGE").contains("6000");
        assertThat(r2.getReject().getFatal()).isFalse();
        c.sendRaw(new byte[] {0x0a, 0x7f});
        Envelope r3 = c.next(WAIT);
        assertThat(r3.getReject().getFatal()).isTrue();
        assertThat(c.closeCode(WAIT)).isEqualTo(1008);
        assertThat(fx.server.ingestMetrics().rejects("MALFORMED")).isEqualTo(2);
        assertThat(fx.server.ingestMetrics().rejects("TOO_LARGE")).isEqualTo(1);
        assertThat(fx.server.store().count(VIN)).isEqualTo(10);
        // the server is fine
        EdgeClient d = helloA();
        d.close();
    }

    @Test
    void tooManySamplesInABatchIsRejectedWithTheNumbers() throws Exception {
        fx = ServerFixture.start(
                ServerFixture.config(dir).withLimits(new ServerConfig.Limits(1 << 20, 50, 10, 256)),
                Stores.open(ServerFixture.config(dir).dbUrl()));
        EdgeClient c = helloA();
        c.sendBatch(Samples.drive(0, 51, Samples.T0));
        Envelope r = c.next(WAIT);
        assertThat(r.getReject().getReason()).contains("51 frames exceeds the limit of 50");
        assertThat(r.getReject().getFirstSeq()).isZero();
        assertThat(r.getReject().getLastSeq()).isEqualTo(50);
    }

    @Test
    void resentBatchesAfterReconnectAreAckedAndNotDuplicated() throws Exception {
        start();
        List<Sample> in = Samples.drive(0, 300, Samples.T0);
        EdgeClient c = helloA();
        c.sendBatch(in.subList(0, 100));
        c.sendBatch(in.subList(100, 200));
        assertThat(c.awaitAck(199, WAIT)).isEqualTo(199);
        c.abort();
        // the edge crashed before deleting: it resends 100..299 on a new connection
        EdgeClient d = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(d.next(WAIT).getWelcome().getLastStoredSeq()).isEqualTo(199);
        d.sendBatch(in.subList(100, 200));
        assertThat(d.awaitAck(199, WAIT)).isEqualTo(199);
        d.sendBatch(in.subList(200, 300));
        assertThat(d.awaitAck(299, WAIT)).isEqualTo(299);
        assertThat(fx.server.store().count(VIN)).isEqualTo(300);
        List<Long> seqs = new ArrayList<>();
        fx.server.store().scan(VIN, 0, Long.MAX_VALUE, s -> seqs.add(s.seq()));
        assertThat(seqs).doesNotHaveDuplicates().hasSize(300);
        assertThat(fx.server.ingestMetrics().describe().get("duplicateSamples")).isEqualTo(100L);
    }

    @Test
    void aFailedCommitIsNeverAcked() throws Exception {
        FailingStore store =
                new FailingStore(Stores.open(ServerFixture.config(dir).dbUrl()));
        fx = ServerFixture.start(ServerFixture.config(dir), store);
        List<Sample> in = Samples.drive(0, 200, Samples.T0);
        EdgeClient c = helloA();
        c.sendBatch(in.subList(0, 100));
        assertThat(c.awaitAck(99, WAIT)).isEqualTo(99);
        store.failCommits.set(true);
        c.sendBatch(in.subList(100, 200));
        assertThat(c.awaitAck(100, 2_000)).as("no ack for a failed commit").isEqualTo(-2);
        assertThat(c.closeCode(WAIT)).isEqualTo(1011);
        assertThat(store.failedAppends.get()).isEqualTo(1);
        assertThat(store.lastSeq(VIN)).isEqualTo(99);
        // the store recovers; the edge reconnects and resends
        store.failCommits.set(false);
        EdgeClient d = EdgeClient.hello(fx.base, VIN, TOKEN_A);
        assertThat(d.next(WAIT).getWelcome().getLastStoredSeq()).isEqualTo(99);
        d.sendBatch(in.subList(100, 200));
        assertThat(d.awaitAck(199, WAIT)).isEqualTo(199);
        assertThat(fx.server.ingestMetrics().describe().get("storeFailures")).isEqualTo(1L);
    }

    @Test
    void aLaterBatchCommittedFirstIsNotAckedBeforeTheEarlierOne() throws Exception {
        FailingStore store =
                new FailingStore(Stores.open(ServerFixture.config(dir).dbUrl()));
        fx = ServerFixture.start(ServerFixture.config(dir), store);
        EdgeClient c = helloA();
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        store.holdAppendStartingAt(0, hold);
        c.sendBatch(Samples.drive(0, 100, Samples.T0)); // held before its commit
        c.sendBatch(Samples.drive(100, 100, Samples.T0 + 2000)); // commits first
        assertThat(await(() -> store.count(VIN) == 100, WAIT)).isTrue();
        assertThat(c.next(Envelope.MsgCase.ACK, 500))
                .as("no ack while seqs 0..99 are not committed")
                .isNull();
        hold.countDown();
        assertThat(c.awaitAck(199, WAIT)).isEqualTo(199);
        assertThat(store.count(VIN)).isEqualTo(200);
    }

    @Test
    void aBatchLeavingAHoleAfterTheStoredSeqIsRecordedAsAGap() throws Exception {
        start();
        EdgeClient c = helloA();
        c.sendBatch(Samples.drive(0, 100, Samples.T0));
        assertThat(c.awaitAck(99, WAIT)).isEqualTo(99);
        c.close();
        // the edge dropped 100..149 while offline (drop-oldest) and starts at 150
        EdgeClient d = helloA();
        d.sendBatch(Samples.drive(150, 50, Samples.T0 + 150 * 20));
        assertThat(d.awaitAck(199, WAIT)).isEqualTo(199);
        List<VehicleEvent> gaps = fx.server.store().events(VIN, 0, Long.MAX_VALUE).stream()
                .filter(e -> e.kind() == VehicleEvent.Kind.GAP)
                .toList();
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).fromSeq()).isEqualTo(100);
        assertThat(gaps.get(0).toSeq()).isEqualTo(149);
        assertThat(fx.server.store().count(VIN)).isEqualTo(150);
        String status = fx.get("/status").body();
        assertThat(status).contains("\"gaps\":1").contains("\"gapSamples\":50");
    }

    @Test
    void retentionDeletesWhatIsOlderThanItsDaysAtStartAndOnRequest() throws Exception {
        io.fleetlog.server.store.SampleStore store =
                Stores.open(ServerFixture.config(dir).dbUrl());
        long day = io.fleetlog.server.store.SampleStore.DAY_MS;
        long today = io.fleetlog.server.store.SampleStore.dayStart(Samples.T0);
        store.append(VIN, Samples.drive(0, 50, today - 3 * day)); // 3 days old
        store.append(VIN, Samples.drive(50, 50, today - day)); // yesterday
        store.append(VIN, Samples.drive(100, 50, today)); // today
        java.time.Instant now = java.time.Instant.ofEpochMilli(today + 3_600_000);
        fx = ServerFixture.start(
                ServerFixture.config(dir)
                        .withClock(java.time.InstantSource.fixed(now))
                        .withRetention(java.time.Duration.ofDays(2)),
                store);
        // the run at start keeps yesterday and today: the cutoff is the start of the day 2 days ago
        assertThat(await(() -> store.count(VIN) == 100, WAIT))
                .as("the retention run at start")
                .isTrue();
        assertThat(store.lastSeq(VIN)).isEqualTo(149);
        assertThat(fx.server.purgeExpired()).as("nothing more").isZero();
        assertThat(fx.get("/status").body()).contains("\"retentionDays\":2");
        // an edge keeps sending after a purge
        EdgeClient c = helloA();
        c.sendBatch(Samples.drive(150, 10, today + 3_000));
        assertThat(c.awaitAck(159, WAIT)).isEqualTo(159);
        assertThat(store.count(VIN)).isEqualTo(110);
    }

    @Test
    void linksACrashLeftOpenAreClosedWhenTheServerStarts() throws Exception {
        io.fleetlog.server.store.SampleStore store =
                Stores.open(ServerFixture.config(dir).dbUrl());
        store.recordEvent(VehicleEvent.link(VIN, Samples.T0, true)); // no OFFLINE: the server died
        store.recordEvent(VehicleEvent.link(Samples.VIN_B, Samples.T0, true));
        store.recordEvent(VehicleEvent.link(Samples.VIN_B, Samples.T0 + 1, false)); // closed cleanly
        fx = ServerFixture.start(ServerFixture.config(dir), store);
        assertThat(store.openLinks(VIN)).isZero();
        assertThat(store.openLinks(Samples.VIN_B)).isZero();
        List<VehicleEvent> events = store.events(VIN, 0, Long.MAX_VALUE);
        assertThat(events)
                .extracting(VehicleEvent::kind)
                .containsExactly(VehicleEvent.Kind.ONLINE, VehicleEvent.Kind.OFFLINE);
        assertThat(events.get(1).detail()).isEqualTo("server restart");
        assertThat(store.events(Samples.VIN_B, 0, Long.MAX_VALUE))
                .as("nothing added for a closed link")
                .hasSize(2);
    }

    @Test
    void aGapResentAfterAFailedCommitIsRecordedOnce() throws Exception {
        FailingStore store =
                new FailingStore(Stores.open(ServerFixture.config(dir).dbUrl()));
        fx = ServerFixture.start(ServerFixture.config(dir), store);
        EdgeClient c = helloA();
        c.sendBatch(Samples.drive(0, 100, Samples.T0));
        assertThat(c.awaitAck(99, WAIT)).isEqualTo(99);
        c.close();
        // 100..149 were dropped on the edge; the batch after them fails its commit, then is resent
        store.failCommits.set(true);
        EdgeClient d = helloA();
        d.sendBatch(Samples.drive(150, 50, Samples.T0 + 150 * 20));
        assertThat(d.closeCode(WAIT)).isEqualTo(1011);
        store.failCommits.set(false);
        EdgeClient e = helloA();
        e.sendBatch(Samples.drive(150, 50, Samples.T0 + 150 * 20));
        assertThat(e.awaitAck(199, WAIT)).isEqualTo(199);
        List<VehicleEvent> gaps = fx.server.store().events(VIN, 0, Long.MAX_VALUE).stream()
                .filter(ev -> ev.kind() == VehicleEvent.Kind.GAP)
                .toList();
        assertThat(gaps).as("one gap event for 100..149").hasSize(1);
        assertThat(fx.server.fleet().status(VIN).gapCount()).isEqualTo(1);
        assertThat(fx.server.fleet().status(VIN).gapSamples()).isEqualTo(50);
    }

    @Test
    void aDeclaredGapWithinAConnectionIsRecordedAndAnUndeclaredOneRejected() throws Exception {
        start();
        EdgeClient c = helloA();
        c.sendBatch(Samples.drive(0, 10, Samples.T0));
        c.sendBatch(Samples.drive(20, 10, Samples.T0 + 400)); // encoder marks gap=true
        assertThat(c.awaitAck(29, WAIT)).isEqualTo(29);
        assertThat(fx.server.fleet().status(VIN).gapSamples()).isEqualTo(10);
        // a hand-made batch that jumps without declaring it
        EncodedFrames b = EdgeClient.encodeFresh(Samples.drive(40, 5, Samples.T0 + 800));
        c.sendRaw(b.bytes());
        Envelope r = c.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r.getReject().getReason()).contains("SEQ_NOT_FOLLOWING").contains("undeclared gap");
        assertThat(fx.server.store().lastSeq(VIN)).isEqualTo(29);
    }

    @Test
    void heartbeatsAreEchoedAndEdgeStatusShowsInStatus() throws Exception {
        start();
        EdgeClient c = helloA();
        c.send(Envelope.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentTimeMs(12345))
                .build());
        Envelope h = c.next(WAIT);
        assertThat(h.getHeartbeat().getReply()).isTrue();
        assertThat(h.getHeartbeat().getSentTimeMs()).isEqualTo(12345);
        c.send(Envelope.newBuilder()
                .setStatus(EdgeStatus.newBuilder()
                        .setSpoolDepth(4321)
                        .setOldestBufferedTimeMs(Samples.T0)
                        .setLinkState("DRAINING"))
                .build());
        assertThat(await(() -> fx.server.fleet().state(VIN).get("spoolDepth").equals(4321L), WAIT))
                .isTrue();
        var state = fx.server.fleet().state(VIN);
        assertThat(state.get("link")).isEqualTo("draining");
        assertThat(state.get("oldestBufferedMs")).isEqualTo(Samples.T0);
        c.close();
        assertThat(await(() -> fx.server.fleet().state(VIN).get("link").equals("offline"), WAIT))
                .isTrue();
    }

    @Test
    void closeIsGracefulAndIdempotent() throws Exception {
        start();
        EdgeClient c = helloA();
        c.sendBatch(Samples.drive(0, 100, Samples.T0));
        assertThat(c.awaitAck(99, WAIT)).isEqualTo(99);
        fx.server.close();
        fx.server.close();
        assertThat(c.closeCode(WAIT)).isNotNull();
        try (var s = Stores.open(ServerFixture.config(dir).dbUrl())) {
            assertThat(s.count(VIN)).isEqualTo(100);
        }
        fx = null;
    }
}
