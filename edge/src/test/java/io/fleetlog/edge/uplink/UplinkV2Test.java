package io.fleetlog.edge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.edge.RandomFrames;
import io.fleetlog.edge.SameSample;
import io.fleetlog.edge.TestDrive;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Hello;
import io.fleetlog.wire.v2.RejectCode;
import io.fleetlog.wire.v2.Welcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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

/** The v2 link: Hello names the catalogue, Welcome's limits and echo, UNKNOWN_CATALOGUE, any frames. */
class UplinkV2Test {
    static final long T0 = 1_764_180_000_000L;
    static final String VIN = TestDrive.VIN;
    static final Catalogue CAT = Catalogue.builtin();

    @TempDir
    Path dir;

    Spool spool;
    FakeTransport transport = new FakeTransport();
    FakeTransport.Server server = new FakeTransport.Server();
    Uplink uplink;
    long now = T0;

    @BeforeEach
    void setUp() {
        spool = Spools.open(
                dir.resolve("v.spool"),
                SpoolConfig.defaults()
                        .withGroupCommit(Duration.ofSeconds(10), 1_000_000)
                        .withSynchronous(SpoolConfig.Synchronous.OFF));
        uplink = new Uplink(
                spool,
                UplinkConfig.of("http://127.0.0.1:9", VIN, "model3", "secret")
                        .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.5)),
                transport,
                new SplittableRandom(1));
    }

    @AfterEach
    void tearDown() {
        uplink.close();
        spool.close();
    }

    List<Frame> append(List<Frame> frames) throws Exception {
        spool.append(frames.stream().map(f -> new Sample(-1, f)).toList());
        spool.flush();
        return frames;
    }

    void step(long advanceMs) {
        now += advanceMs;
        uplink.runOnce(Instant.ofEpochMilli(now));
    }

    void exchange(int n) {
        for (int i = 0; i < n; i++) {
            step(10);
            FakeTransport.FakeConnection c = transport.last();
            if (!c.aborted && !c.closed) {
                server.serve(c);
            }
        }
    }

    /** Opens the link and lets the fake server answer the Hello. */
    void connect() {
        step(0);
        transport.last().open();
        exchange(2);
        assertThat(uplink.state()).isIn(LinkState.ONLINE, LinkState.DRAINING);
    }

    void assertStored(List<Frame> frames) {
        assertThat(server.conflicts).isZero();
        assertThat(server.store).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(SameSample.lawBroken(
                            CAT, frames.get(i), server.store.get((long) i).frame()))
                    .as("seq %d", i)
                    .isNull();
        }
    }

    @Test
    void theHelloNamesTheBuiltinCatalogueWithEveryItsSignalAsTheLayout() {
        step(0);
        transport.last().open();
        step(1);
        Hello h = transport.last().sent.get(0).getHello();
        assertThat(h.getProtocolVersion()).isEqualTo(2);
        assertThat(h.getCatalogueHash()).isEqualTo(CAT.hash());
        assertThat(h.getLayoutList())
                .as("empty = every signal of the catalogue")
                .isEmpty();
        assertThat(h.getVin()).isEqualTo(VIN);
        assertThat(uplink.config().toString()).contains(CAT.shortId()).doesNotContain("secret");
    }

    @Test
    void sparseFramesOfEveryKindArriveWithinTheirBoundsAndExactTypesExact() throws Exception {
        List<Frame> frames = append(RandomFrames.frames(CAT, new Random(3), T0, 3_000));
        connect();
        exchange(40);
        assertStored(frames);
        assertThat(spool.depth()).isZero();
        assertThat(uplink.stats().samplesSent()).isEqualTo(3_000);
    }

    @Test
    void batchesAreCutByWelcomesMessageBytesAndFrameLimitAndAllArrive() throws Exception {
        List<Frame> frames = append(RandomFrames.frames(CAT, new Random(4), T0, 2_500));
        step(0);
        FakeTransport.FakeConnection c = transport.last();
        c.open();
        step(1);
        // the test answers the Hello itself, with limits; the fake server decodes the batches
        c.served = 1;
        server.decoder = new io.fleetlog.codec.v2.FrameDecoder(io.fleetlog.codec.v2.FrameLayout.all(CAT));
        c.welcome(Welcome.newBuilder()
                .setProtocolVersion(2)
                .setLastStoredSeq(-1)
                .setMaxBatchFrames(300)
                .setMaxMessageBytes(6_000)
                .setCatalogueHash(CAT.hash()));
        exchange(200);
        List<io.fleetlog.wire.v2.Batch> batches = c.batches();
        assertThat(batches).hasSizeGreaterThan(2_500 / 300);
        for (io.fleetlog.wire.v2.Batch b : batches) {
            assertThat(b.getCount()).isLessThanOrEqualTo(300);
            assertThat(Envelope.newBuilder().setBatch(b).build().getSerializedSize())
                    .isLessThanOrEqualTo(6_000);
        }
        assertThat(server.decoded.stream().mapToInt(d -> d.frames().size()).sum())
                .isEqualTo(2_500);
        assertStored(frames);
    }

    @Test
    void aWelcomeThatDoesNotEchoTheCatalogueDropsTheLink() throws Exception {
        append(RandomFrames.frames(CAT, new Random(5), T0, 10));
        step(0);
        transport.last().open();
        step(1);
        transport
                .last()
                .welcome(Welcome.newBuilder()
                        .setProtocolVersion(2)
                        .setLastStoredSeq(-1)
                        .setCatalogueHash("0".repeat(64)));
        step(1);
        assertThat(uplink.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(uplink.stats().lastError()).contains("catalogue_mismatch").contains(CAT.shortId());
        assertThat(transport.last().batches()).isEmpty();
        assertThat(spool.depth()).isEqualTo(10);
    }

    @Test
    void anUnknownCatalogueKeepsTheSpoolAndBacksOffForTenMinutes() throws Exception {
        List<Frame> frames = append(RandomFrames.frames(CAT, new Random(6), T0, 50));
        step(0);
        transport.last().open();
        step(1);
        transport.last().reject(RejectCode.UNKNOWN_CATALOGUE, "unknown catalogue " + CAT.hash());
        step(1);
        assertThat(uplink.state()).isEqualTo(LinkState.OFFLINE);
        assertThat(uplink.stats().lastError()).contains("catalogue_unknown").contains(CAT.shortId());
        assertThat(spool.depth()).isEqualTo(50);
        assertThat(spool.stats().rejected()).isZero();
        int opened = transport.opened.size();
        for (int i = 0; i < 59; i++) {
            step(10_000); // 9 minutes 50 s
        }
        assertThat(transport.opened).as("no attempt within the long backoff").hasSize(opened);
        step(11_000);
        assertThat(transport.opened).hasSize(opened + 1);
        transport.last().open();
        exchange(20);
        assertStored(frames);
    }

    @Test
    void framesTheEncoderRefusesAreSetAsideWithTheirReasonAndTheRestFlows() throws Exception {
        List<Frame> good = RandomFrames.frames(CAT, new Random(8), T0, 40);
        int speed = CAT.id("VehicleSpeed");
        int gear = CAT.id("Gear");
        List<Frame> all = new ArrayList<>(good);
        long t = good.getLast().timeMs();
        all.add(10, Frame.builder(t + 1).number(speed, 1e9).build()); // out of range
        all.add(20, Frame.builder(t + 2).string(gear, "D").build()); // wrong kind (an enum)
        all.add(30, Frame.builder(t + 3).number(CAT.size() + 5, 1).build()); // not in the catalogue
        append(all);
        connect();
        exchange(60); // live batches leave every 100 ms
        assertThat(spool.depth()).isZero();
        assertThat(spool.stats().rejected()).isEqualTo(3);
        assertThat(uplink.stats().rejectedSamples()).isEqualTo(3);
        assertThat(server.store).hasSize(40).doesNotContainKeys(10L, 20L, 30L);
        assertThat(server.conflicts).isZero();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + spool.path());
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq, reason FROM rejected ORDER BY seq")) {
            List<String> reasons = new ArrayList<>();
            while (rs.next()) {
                reasons.add(rs.getLong(1) + " " + rs.getString(2));
            }
            assertThat(reasons).hasSize(3);
            assertThat(reasons.get(0)).startsWith("10 invalid on the edge").contains("VehicleSpeed");
            assertThat(reasons.get(1)).startsWith("20 invalid on the edge");
            assertThat(reasons.get(2)).startsWith("30 invalid on the edge");
        }
        // the frames after each hole arrive in a batch that declares it
        List<DecodedFrames> d = server.decoded;
        assertThat(d.stream().filter(x -> x.gap().isGap()).count()).isEqualTo(3);
    }
}
