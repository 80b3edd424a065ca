package io.fleetlog.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.SameSample;
import io.fleetlog.edge.TestDrive;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v2.Envelope;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step tests: a fake transport, an explicit clock, a real spool. No threads, no sleeps. */
class UplinkTest {
    static final long T0 = 1_764_180_000_000L;
    static final String VIN = TestDrive.VIN;

    @TempDir
    Path dir;

    Spool spool;
    FakeTransport transport = new FakeTransport();
    FakeTransport.Server server = new FakeTransport.Server();
    Uplink uplink;
    long now = T0;
    List<Sample> captured = new ArrayList<>();
    TestDrive sim = new TestDrive(5, T0);

    @BeforeEach
    void setUp() {
        // durability is the spool tests' business: no fsync here keeps the step tests fast
        spool = Spools.open(
                dir.resolve("v.spool"),
                SpoolConfig.defaults()
                        .withGroupCommit(Duration.ofSeconds(10), 1_000_000)
                        .withSynchronous(SpoolConfig.Synchronous.OFF));
        uplink = new Uplink(spool, config(), transport, new SplittableRandom(1));
    }

    @AfterEach
    void tearDown() {
        uplink.close();
        spool.close();
    }

    UplinkConfig config() {
        return UplinkConfig.of("http://127.0.0.1:9", VIN, "model3", "secret")
                .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.5));
    }

    void capture(int n) throws Exception {
        List<Sample> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.add(sim.next());
        }
        long first = spool.append(b);
        for (int i = 0; i < n; i++) {
            captured.add(b.get(i).withSeq(first + i));
        }
        spool.flush();
    }

    void step(long advanceMs) {
        now += advanceMs;
        uplink.runOnce(Instant.ofEpochMilli(now));
    }

    /** Steps the uplink and lets the fake server answer, {@code n} times. */
    void exchange(int n, long advanceMs) {
        for (int i = 0; i < n; i++) {
            step(advanceMs);
            if (!transport.opened.isEmpty()) {
                FakeTransport.FakeConnection c = transport.last();
                if (!c.aborted && !c.closed) {
                    server.serve(c);
                }
            }
        }
    }

    void connectAndWelcome(long lastStored) {
        step(0);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTING);
        transport.last().open();
        step(1);
        assertThat(transport.last().sent.get(0).getHello().getVin()).isEqualTo(VIN);
        assertThat(transport.last().sent.get(0).getHello().getToken()).isEqualTo("secret");
        transport.last().welcome(lastStored);
        step(1);
    }

    void assertStoreMatchesCaptured() {
        assertThat(server.conflicts).isZero();
        assertThat(server.store.keySet())
                .containsExactlyElementsOf(captured.stream().map(Sample::seq).toList());
        for (Sample c : captured) {
            Sample r = server.store.get(c.seq());
            assertThat(SameSample.lawBroken(Catalogue.builtin(), c.frame(), r.frame()))
                    .as("seq %d", c.seq())
                    .isNull();
        }
    }

    @Test
    void handshakeThenOldestFirstBatchesAndAckDeletesFromTheSpool() throws Exception {
        capture(5_000);
        connectAndWelcome(-1);
        assertThat(uplink.state()).isEqualTo(LinkState.DRAINING);
        exchange(20, 10);
        assertStoreMatchesCaptured();
        assertThat(server.arrivalOrder).isSorted();
        assertThat(spool.depth()).isZero();
        assertThat(uplink.state()).isEqualTo(LinkState.ONLINE);
        assertThat(transport.last().batches().get(0).getCount()).isEqualTo(2_000);
        assertThat(uplink.stats().ackedSeq()).isEqualTo(4_999);
        assertThat(transport.uris.get(0)).isEqualTo(URI.create("ws://127.0.0.1:9/ingest"));
    }

    @Test
    void aCutLinkSendsNothingAndARestoreResumesAtTheOldestUnacknowledgedSample() throws Exception {
        capture(3_000);
        connectAndWelcome(-1);
        exchange(3, 10); // some batches stored and acknowledged
        long acked = uplink.stats().ackedSeq();
        assertThat(acked).isNotNegative();
        capture(1_000);
        step(1); // more batches in flight, never answered: the cut comes first
        LinkControl link = uplink;
        link.cut();
        step(1);
        assertThat(uplink.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(transport.last().aborted)
                .as("the connection is dropped at once")
                .isTrue();
        int connections = transport.opened.size();
        capture(2_500); // captured in the dead zone: stays in the spool
        for (int i = 0; i < 50; i++) {
            step(1_000); // far beyond every backoff delay: still no attempt
        }
        assertThat(transport.opened).as("no connection while cut").hasSize(connections);
        assertThat(spool.depth()).isEqualTo(4_000 + 2_500 - (acked + 1));
        link.restore();
        step(1);
        assertThat(transport.opened).as("the restore connects at once").hasSize(connections + 1);
        transport.last().open();
        step(1);
        transport.last().welcome(acked);
        step(1);
        exchange(20, 10);
        assertThat(transport.last().batches().get(0).getFirstSeq())
                .as("resumes at the oldest unacknowledged sample")
                .isEqualTo(acked + 1);
        assertStoreMatchesCaptured();
        assertThat(server.arrivalOrder).isSorted();
        assertThat(spool.depth()).isZero();
    }

    @Test
    void severalBatchesAreInFlightBeforeTheFirstAck() throws Exception {
        capture(20_000);
        connectAndWelcome(-1);
        step(1);
        assertThat(transport.last().batches()).hasSize(8); // the window
        step(1);
        assertThat(transport.last().batches()).hasSize(8);
        transport.last().ack(1_999);
        step(1);
        assertThat(transport.last().batches()).hasSize(9);
        assertThat(spool.depth()).isEqualTo(18_000);
    }

    @Test
    void liveSamplesLeaveInSmallBatchesWithin200ms() throws Exception {
        connectAndWelcome(-1);
        for (int i = 0; i < 50; i++) {
            capture(1); // one sample every 20 ms
            exchange(1, 20);
        }
        List<io.fleetlog.wire.v2.Batch> batches = transport.last().batches();
        assertThat(batches.size()).isBetween(8, 12);
        for (io.fleetlog.wire.v2.Batch b : batches) {
            assertThat(b.getCount()).isLessThanOrEqualTo(10);
        }
        exchange(10, 20);
        assertStoreMatchesCaptured();
        assertThat(uplink.state()).isEqualTo(LinkState.ONLINE);
    }

    @Test
    void heartbeatTimeoutDeclaresABlackholedLinkDead() throws Exception {
        connectAndWelcome(-1);
        // a live link: heartbeats answered
        for (int i = 0; i < 10; i++) {
            exchange(1, 1_000);
        }
        assertThat(uplink.state()).isEqualTo(LinkState.ONLINE);
        assertThat(transport.last().of(Envelope.MsgCase.HEARTBEAT, Envelope::getHeartbeat))
                .hasSizeGreaterThanOrEqualTo(9);
        // a tunnel: the socket stays open, nothing comes back
        capture(100);
        for (int i = 0; i < 5; i++) {
            step(1_000); // the first step still handles the last heartbeat reply
            assertThat(uplink.state()).isIn(LinkState.ONLINE, LinkState.DRAINING);
        }
        step(1_000);
        assertThat(uplink.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(transport.last().aborted).isTrue();
        assertThat(uplink.stats().heartbeatTimeouts()).isEqualTo(1);
        assertThat(uplink.stats().lastError()).startsWith("heartbeat_timeout");
        assertThat(spool.depth()).as("nothing acked, nothing lost").isEqualTo(100);
    }

    @Test
    void aHandshakeThatNeverCompletesTimesOut() {
        step(0);
        transport.last().open();
        step(4_999);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTING);
        step(1);
        assertThat(uplink.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(transport.last().aborted).isTrue();
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.5);
        Random r = new Random(3);
        for (int attempt = 0; attempt < 20; attempt++) {
            long ceiling = Math.min(5_000, 100L << Math.min(attempt, 20));
            assertThat(b.ceilingMillis(attempt)).isEqualTo(ceiling);
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 200; i++) {
                long d = b.delayMillis(attempt, r);
                assertThat(d).isBetween(ceiling / 2, ceiling);
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            assertThat(max - min).as("jitter spreads attempt %d", attempt).isGreaterThan(ceiling / 5);
        }
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5))
                .hasMessageContaining("cap");
    }

    @Test
    void theUplinkWaitsOutItsBackoffBetweenFailedConnects() {
        List<Long> attempts = new ArrayList<>();
        for (int ms = 0; ms < 60_000; ms += 10) {
            int before = transport.opened.size();
            step(10);
            if (transport.opened.size() > before) {
                attempts.add(now);
                transport.last().drop("connection refused");
            }
        }
        assertThat(attempts.size()).isBetween(12, 40);
        for (int i = 1; i < attempts.size(); i++) {
            long gap = attempts.get(i) - attempts.get(i - 1);
            long ceiling = Math.min(5_000, 100L << Math.min(i - 1, 20));
            assertThat(gap).as("gap before attempt %d", i).isBetween(ceiling / 2, ceiling + 30);
        }
        assertThat(uplink.stats().connects()).isEqualTo(attempts.size());
    }

    @Test
    void welcomeIsNotAnAckTheEdgeResendsAndTheServerComparesWhatItHolds() throws Exception {
        capture(3_000);
        // the edge sent 0..1199 and the server stored them, but the edge crashed before the ack
        spool.markSent(1_199);
        for (Sample s : captured.subList(0, 1_200)) {
            server.store.put(s.seq(), s);
        }
        step(0);
        transport.last().open();
        exchange(1, 1);
        // Welcome(1199) deleted nothing: the server could hold another writer's samples there
        assertThat(spool.stats().oldestSeq()).isZero();
        exchange(1, 1);
        assertThat(transport.last().batches().get(0).getFirstSeq()).isZero();
        exchange(10, 10);
        assertStoreMatchesCaptured();
        assertThat(server.resends)
                .as("the stored ones came again and were found equal")
                .isEqualTo(1_200);
        assertThat(spool.depth()).isZero();
    }

    @Test
    void duplicateAndStaleAcksAreHarmless() throws Exception {
        capture(6_000);
        connectAndWelcome(-1);
        step(1);
        FakeTransport.FakeConnection c = transport.last();
        c.ack(1_999);
        c.ack(1_999);
        c.ack(500);
        step(1);
        assertThat(spool.stats().oldestSeq()).isEqualTo(2_000);
        assertThat(uplink.stats().duplicateAcks()).isEqualTo(2);
        c.ack(5_999);
        step(1);
        assertThat(spool.depth()).isZero();
        assertThat(uplink.state()).isEqualTo(LinkState.ONLINE);
    }

    @Test
    void aRejectedBatchIsMovedAsideCountedAndTheRestStillArrives() throws Exception {
        capture(5_000);
        connectAndWelcome(-1);
        step(1);
        FakeTransport.FakeConnection c = transport.last();
        // the server stores the first batch, rejects the second and (as its decoder did not advance)
        // everything after it
        c.served = 1; // the Hello was answered by hand
        server.decoder =
                new io.fleetlog.codec.v2.FrameDecoder(io.fleetlog.codec.v2.FrameLayout.all(Catalogue.builtin()));
        server.ack = false;
        server.serve(c);
        server.store.tailMap(2_000L).clear();
        server.ack = true;
        c.ack(1_999);
        c.reject(2_000, 3_999, "capture time is not believable");
        c.reject(4_000, 4_999, "batch first seq 4000 does not follow 1999 (undeclared gap)");
        step(1);
        assertThat(uplink.stats().rejects()).isEqualTo(1);
        assertThat(uplink.stats().rejectedSamples()).isEqualTo(2_000);
        assertThat(spool.stats().rejected()).isEqualTo(2_000);
        assertThat(uplink.state()).as("reconnects at once").isEqualTo(LinkState.CONNECTING);
        transport.last().open();
        exchange(10, 10);
        captured.subList(2_000, 4_000).clear();
        assertStoreMatchesCaptured();
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aRejectOfNoBatchInFlightMovesNothingAside() throws Exception {
        capture(100);
        connectAndWelcome(-1);
        step(1);
        // A Reject of something that is not a batch (a Hello the network delivered twice) names
        // seqs 0..0; seq 0 is in flight only as part of 0..99, so it must stay in the spool.
        transport.last().reject(0, 0, "a second Hello on one connection");
        step(1);
        assertThat(spool.stats().rejected()).isZero();
        assertThat(spool.stats().oldestSeq()).isZero();
        transport.last().open();
        exchange(10, 10);
        assertStoreMatchesCaptured();
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aCutInTheMiddleOfABatchEndsWithTheSpoolAndStoreExact() throws Exception {
        capture(10_000);
        connectAndWelcome(-1);
        step(1); // 8 batches of 2000 would exceed 10000: 5 batches in flight
        FakeTransport.FakeConnection c = transport.last();
        // the server stores batches 1 and 2, acks only the first; the link dies while batch 3 is on
        // the wire (it never arrives), the ack of batch 2 is lost
        server.ack = false;
        List<Envelope> sent = new ArrayList<>(c.sent);
        c.sent.clear();
        c.sent.addAll(sent.subList(0, 3)); // Hello, batch 1, batch 2 (heartbeat/status may follow)
        c.served = 1;
        server.decoder =
                new io.fleetlog.codec.v2.FrameDecoder(io.fleetlog.codec.v2.FrameLayout.all(Catalogue.builtin()));
        server.serve(c);
        c.ack(1_999);
        c.drop("connection reset");
        step(1);
        assertThat(uplink.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(spool.stats().oldestSeq()).isEqualTo(2_000);
        server.ack = true;
        // reconnect after the backoff; Welcome says 3999, but only an Ack deletes: batch 2 is sent
        // again and the server finds it equal to what it holds
        for (int i = 0; i < 100 && transport.opened.size() < 2; i++) {
            step(50);
        }
        transport.last().open();
        exchange(20, 10);
        assertThat(transport.last().batches().get(0).getFirstSeq()).isEqualTo(2_000);
        assertThat(server.resends).isEqualTo(2_000);
        assertStoreMatchesCaptured();
        assertThat(spool.depth()).isZero();
        assertThat(uplink.stats().reconnects()).isEqualTo(1);
    }

    @Test
    void aSampleTheWireCannotCarryIsSetAsideAndTheRestFlows() throws Exception {
        capture(100);
        double[] bad = sim.next().values().clone();
        bad[Field.SPEED.ordinal()] = 9_999; // outside [-500, 500] mph
        long badSeq = spool.append(List.of(new Sample(0, T0 + 100 * 20, bad)));
        spool.flush();
        capture(100);
        connectAndWelcome(-1);
        exchange(10, 10);
        assertThat(uplink.stats().rejectedSamples()).isEqualTo(1);
        assertThat(spool.stats().rejected()).isEqualTo(1);
        assertThat(spool.depth()).isZero();
        assertThat(server.store).hasSize(200).doesNotContainKey(badSeq);
    }

    /** Random link drops, lost acks and silences over many seeds: store and spool always end exact. */
    @Test
    void randomFaultsNeverLoseOrDuplicateASample() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            Random r = new Random(seed);
            for (int step = 0; step < 300; step++) {
                if (r.nextInt(4) == 0) {
                    capture(1 + r.nextInt(300));
                }
                FakeTransport.FakeConnection c = transport.opened.isEmpty() ? null : transport.last();
                if (c != null && !c.aborted && !c.closed) {
                    int fault = r.nextInt(40);
                    if (fault == 0) {
                        c.drop("random reset");
                    } else if (fault == 1) {
                        server.ack = false; // the server stores but the acks are lost from here on
                    } else if (fault == 2) {
                        server.ack = true;
                    } else if (fault < 6 && !c.sent.isEmpty()) {
                        // messages still on the wire are lost with the link
                        c.sent.subList(c.served, c.sent.size()).clear();
                        c.drop("cut mid-batch");
                    }
                    if (!c.sent.isEmpty() && c.sent.get(0).hasHello() && c.served == 0) {
                        c.open();
                    }
                }
                if (c != null && !c.aborted && !c.closed && c.sent.isEmpty()) {
                    c.open();
                }
                exchange(1, 20 + r.nextInt(200));
            }
            server.ack = true;
            for (int i = 0; i < 2_000 && spool.depth() > 0; i++) {
                FakeTransport.FakeConnection c = transport.opened.isEmpty() ? null : transport.last();
                if (c != null && c.sent.isEmpty() && !c.aborted) {
                    c.open();
                }
                exchange(1, 100);
            }
            assertThat(spool.depth()).as("seed %d: spool drained", seed).isZero();
            assertStoreMatchesCaptured();
        }
    }

    @Test
    void aServerThatStoresButNeverAcksIsLeftAfterTheAckTimeout() throws Exception {
        capture(3_000);
        connectAndWelcome(-1);
        server.ack = false;
        for (int i = 0; i < 29; i++) {
            exchange(1, 1_000); // heartbeats are answered, acks never come
        }
        assertThat(uplink.state()).isIn(LinkState.ONLINE, LinkState.DRAINING);
        exchange(2, 1_000);
        assertThat(uplink.state()).isNotIn(LinkState.ONLINE, LinkState.DRAINING);
        assertThat(uplink.stats().lastError()).startsWith("ack_timeout");
        server.ack = true;
        for (int i = 0; i < 100 && spool.depth() > 0; i++) {
            if (transport.last().sent.isEmpty()) {
                transport.last().open();
            }
            exchange(1, 100);
        }
        assertStoreMatchesCaptured();
        assertThat(spool.depth()).isZero();
    }

    @Test
    void statusReportsSpoolDepthAndLinkStateEverySecond() throws Exception {
        capture(300);
        connectAndWelcome(-1);
        server.ack = false;
        for (int i = 0; i < 30; i++) {
            exchange(1, 100);
        }
        List<io.fleetlog.wire.v2.EdgeStatus> st = transport.last().of(Envelope.MsgCase.STATUS, Envelope::getStatus);
        assertThat(st.size()).isBetween(3, 5);
        assertThat(st.get(st.size() - 1).getSpoolDepth()).isEqualTo(300);
        assertThat(st.get(st.size() - 1).getLinkState()).isEqualTo("DRAINING");
        assertThat(st.get(st.size() - 1).getOldestBufferedTimeMs()).isEqualTo(T0);
    }

    /**
     * Issue 12, items 1b and 2: a fresh spool for a VIN the server already holds (a replaced SD card,
     * a second replay with a new spool dir). Before the fix the edge acked the server's seqs and
     * deleted its own, never-sent samples.
     */
    @Test
    void aServerAheadOfEverythingThisEdgeSentGetsItsSamplesRenumberedNeverDeleted() throws Exception {
        capture(122);
        TestDrive other = new TestDrive(99, T0 - 3_600_000);
        for (long q = 0; q < 122; q++) {
            server.store.put(q, other.next().withSeq(q)); // stored earlier from another spool
        }
        step(0);
        transport.last().open();
        exchange(20, 10);
        assertThat(spool.depth()).isZero();
        assertThat(server.store).hasSize(244);
        assertCapturedStoredAt(122);
        assertThat(spool.stats().seqConflicts()).isEqualTo(1);
        assertThat(spool.stats().renumbered()).isEqualTo(122);
        List<io.fleetlog.wire.v2.EdgeStatus> st = transport.last().of(Envelope.MsgCase.STATUS, Envelope::getStatus);
        assertThat(st.get(st.size() - 1).getSeqConflicts()).isEqualTo(1);
        assertThat(st.get(st.size() - 1).getRenumberedSamples()).isEqualTo(122);
        // later captures follow the renumbered ones
        capture(10);
        exchange(20, 10);
        assertThat(server.store).hasSize(254);
        assertThat(spool.depth()).isZero();
    }

    /** Issue 12, item 2: a forged batch made the server "hold" seq 10^15; the edge keeps its samples. */
    @Test
    void aWelcomeFarAheadCostsNoCapturedSample() throws Exception {
        capture(500);
        connectAndWelcome(1_000_000_000_000_000L);
        assertThat(spool.depth()).isEqualTo(500);
        assertThat(spool.stats().oldestSeq()).isEqualTo(1_000_000_000_000_001L);
        FakeTransport.FakeConnection c = transport.last();
        step(1);
        assertThat(c.batches().get(0).getFirstSeq()).isEqualTo(1_000_000_000_000_001L);
        c.ack(1_000_000_000_000_500L);
        step(1);
        assertThat(spool.depth()).isZero();
    }

    /** Issue 12, item 2: an Ack beyond what the edge sent deletes only what it sent. */
    @Test
    void anAckBeyondWhatWasSentDeletesOnlyWhatWasSent() throws Exception {
        capture(20_000);
        connectAndWelcome(-1);
        step(1); // 8 batches of 2000 in flight: 16000.. are not sent yet
        long sent = transport.last().batches().stream()
                .mapToLong(b -> b.getFirstSeq() + b.getCount() - 1)
                .max()
                .orElseThrow();
        assertThat(sent).isEqualTo(15_999);
        transport.last().ack(1_000_000_000_000_000L);
        step(1);
        assertThat(spool.stats().oldestSeq()).isEqualTo(sent + 1);
        assertThat(spool.depth()).isEqualTo(20_000 - 16_000);
        assertThat(uplink.stats().acksBeyondSent()).isEqualTo(1);
    }

    /** The edge's own crash between send and ack is not a conflict: the mark says it sent them. */
    @Test
    void aWelcomeWithinWhatThisEdgeSentIsNoConflict() throws Exception {
        capture(3_000);
        connectAndWelcome(-1);
        server.ack = false;
        exchange(1, 1); // sends 0..1999 (marked sent first); the server stores them, the ack is lost
        assertThat(spool.sentThrough()).isGreaterThanOrEqualTo(1_999);
        transport.last().drop("cut");
        step(1);
        step(10_000);
        server.ack = true;
        transport.last().open();
        exchange(20, 10);
        assertThat(spool.stats().seqConflicts()).isZero();
        assertThat(spool.stats().renumbered()).isZero();
        assertStoreMatchesCaptured();
        assertThat(spool.depth()).isZero();
    }

    /**
     * Issue 12 item 3: another writer of this VIN (a cloned SD card) stored its samples at seqs this
     * edge had sent but the server never committed. Before, Welcome covering those seqs deleted them
     * here; now they are resent, the server refuses them as a conflict, and they are set aside.
     */
    @Test
    void seqsAnotherWriterStoredAreNeverDeletedOnWelcome() throws Exception {
        capture(100);
        connectAndWelcome(-1);
        FakeTransport.FakeConnection c = transport.last();
        c.sent.subList(1, c.sent.size()).clear(); // the batch 0..99 is lost with the link
        c.drop("cut");
        TestDrive other = new TestDrive(99, T0 + 5_000);
        for (long q = 0; q <= 500; q++) {
            server.store.put(q, other.next().withSeq(q)); // the clone's drive, stored meanwhile
        }
        for (int i = 0; i < 100 && transport.opened.size() < 2; i++) {
            step(50);
        }
        transport.last().open();
        exchange(20, 10);
        assertThat(spool.stats().rejected())
                .as("our 100 samples kept, set aside")
                .isEqualTo(100);
        assertThat(spool.depth()).isZero();
        assertThat(server.conflicts).isPositive();
        for (long q = 0; q < 100; q++) {
            assertThat(server.store.get(q).captureTimeMs())
                    .isNotEqualTo(captured.get((int) q).captureTimeMs());
        }
    }

    /** Issue 12, item 5: a rotten spool chunk is skipped with a gap that says why. */
    @Test
    void aQuarantinedChunkIsAGapWhoseReasonIsCorrupt() throws Exception {
        capture(1_500); // chunks 0..511, 512..1023, 1024..1499
        rot(512);
        connectAndWelcome(-1);
        FakeTransport.FakeConnection c = transport.last();
        c.served = 1;
        server.decoder =
                new io.fleetlog.codec.v2.FrameDecoder(io.fleetlog.codec.v2.FrameLayout.all(Catalogue.builtin()));
        exchange(20, 10);
        List<io.fleetlog.wire.v2.Batch> b = c.batches();
        assertThat(b.get(0).getFirstSeq()).isZero();
        assertThat(b.get(0).getGap()).isFalse();
        io.fleetlog.wire.v2.Batch after =
                b.stream().filter(x -> x.getFirstSeq() == 1_024).findFirst().orElseThrow();
        assertThat(after.getGap()).isTrue();
        assertThat(after.getGapReason()).isEqualTo(io.fleetlog.wire.v2.GapReason.CORRUPT);
        captured.subList(512, 1_024).clear();
        assertStoreMatchesCaptured();
        assertThat(spool.stats().quarantined()).isEqualTo(512);
        List<io.fleetlog.wire.v2.EdgeStatus> st = c.of(Envelope.MsgCase.STATUS, Envelope::getStatus);
        assertThat(st.get(st.size() - 1).getQuarantinedSamples()).isEqualTo(512);
    }

    /** The first batch of a connection that skips seqs after Welcome carries the gap flag too. */
    @Test
    void aFirstBatchStartingAfterTheServersNextSeqIsFlaggedAsAGap() throws Exception {
        capture(1_000);
        rot(0);
        connectAndWelcome(-1);
        step(1);
        io.fleetlog.wire.v2.Batch first = transport.last().batches().get(0);
        assertThat(first.getFirstSeq()).isEqualTo(512);
        assertThat(first.getGap()).isTrue();
        assertThat(first.getGapReason()).isEqualTo(io.fleetlog.wire.v2.GapReason.CORRUPT);
    }

    /** Flips a bit of the chunk at {@code firstSeq} behind the spool's back (it stays open). */
    void rot(long firstSeq) throws Exception {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + spool.path());
                java.sql.Statement st = db.createStatement()) {
            st.execute("PRAGMA busy_timeout = 5000");
            int n = st.executeUpdate("UPDATE samples SET data = substr(data, 1, 100) || x'ff' || substr(data, 102)"
                    + " WHERE first_seq = " + firstSeq);
            assertThat(n).isEqualTo(1);
        }
    }

    void assertCapturedStoredAt(long offset) {
        for (Sample c : captured) {
            Sample r = server.store.get(c.seq() + offset);
            assertThat(r).as("seq %d", c.seq() + offset).isNotNull();
            assertThat(SameSample.lawBroken(Catalogue.builtin(), c.frame(), r.frame()))
                    .as("seq %d", c.seq())
                    .isNull();
        }
    }

    @Test
    void ingestUriIsDerivedFromTheBaseUrl() {
        assertThat(UplinkConfig.of("http://h:8080", VIN, "model3", "").ingestUri())
                .isEqualTo(URI.create("ws://h:8080/ingest"));
        assertThat(UplinkConfig.of("https://fleet.example.com/", VIN, "model3", "")
                        .ingestUri())
                .isEqualTo(URI.create("wss://fleet.example.com/ingest"));
        assertThatThrownBy(() -> UplinkConfig.of("ftp://h", VIN, "model3", "")).hasMessageContaining("http://");
        assertThatThrownBy(() -> UplinkConfig.of("http://h", "5YJ3E1EA1JFXXXXXX", "model3", ""))
                .hasMessageContaining("masked");
        assertThat(UplinkConfig.of("http://h", VIN, "model3", "s3cr3t").toString())
                .doesNotContain("s3cr3t");
    }
}
