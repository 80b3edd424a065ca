package io.fleetlog.server.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.Gap;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.EdgeStatus;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Heartbeat;
import io.fleetlog.wire.v2.Hello;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's attack suite: the real server on port 0 (SQLite), real WebSocket clients. Legitimate
 * edges drain their drives while a seeded fuzzer sends at least {@value #FUZZ_MESSAGES} hostile
 * fleetlog.v2 messages — random bytes, mutated Hellos (bad VINs with newlines, long names, wrong tokens
 * for the legitimate VINs, other versions, unknown or malformed catalogue hashes, random layouts),
 * messages before Hello, mutated batches (seq jumps with and without the gap flag, time running
 * backwards, damaged frames, wrong counts, foreign VINs), EdgeStatus with junk, heartbeats
 * — on unauthenticated connections and on two authenticated connections of a VIN of its own (which
 * fence each other and resend conflicting drives). At the end the store holds exactly what the
 * legitimate edges sent (nothing lost, duplicated, spliced or invisible: every seq once, capture time
 * exact, values within the codec's bound, found by a time-range read), no gap or conflict was recorded
 * for them, and the fuzzer's own VIN holds unique seqs whose time never decreases, all visible.
 *
 * <p>The seed is fixed (override with {@code -Dfleetlog.attack.seed=N}); a failure names it.
 */
class AttackSuiteTest {
    static final int FUZZ_MESSAGES = 12_000;
    static final int LEGIT_SAMPLES = 3_000;
    static final String FUZZ_VIN = Samples.vins(3).get(2);
    static final String FUZZ_TOKEN = "fuzz-token";

    @TempDir
    Path dir;

    ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void legitimateEdgesLoseNothingWhileTheFuzzerAttacks() throws Exception {
        long seed = Long.getLong("fleetlog.attack.seed", 20_261_207L);
        List<String> legit =
                List.of(Samples.VIN_A, Samples.VIN_B, Samples.vins(3).get(0));
        Map<String, String> tokens = new HashMap<>();
        for (String vin : legit) {
            tokens.put(vin, "token-" + vin);
        }
        tokens.put(FUZZ_VIN, FUZZ_TOKEN);
        // Everything comes from 127.0.0.1 here: the failed-auth backoff would lock the legitimate
        // edges out with the fuzzer (IngestAdmissionTest covers it); the other pre-Hello limits apply.
        ServerConfig.PreAuth preAuth =
                new ServerConfig.PreAuth(4096, Duration.ofSeconds(2), 64, 1_000_000, Duration.ZERO, Duration.ZERO);
        ServerConfig cfg = ServerConfig.defaults(TokenStore.demo(tokens))
                .withDb("jdbc:sqlite:" + dir.resolve("fleetlog.db"))
                .withLimits(ServerConfig.Limits.defaults().withPreAuth(preAuth));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));

        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<List<Sample>>> edges = new ArrayList<>();
        for (int i = 0; i < legit.size(); i++) {
            String vin = legit.get(i);
            long t0 = Samples.T0 + i * 1_000L;
            edges.add(pool.submit(() -> drain(vin, tokens.get(vin), Samples.drive(0, LEGIT_SAMPLES, t0))));
        }
        AtomicLong sent = new AtomicLong();
        List<Future<?>> fuzzers = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            long s = seed * 31 + f;
            boolean authenticated = f < 2; // two writers of FUZZ_VIN: they fence each other
            fuzzers.add(pool.submit(() -> {
                new Fuzzer(new SplittableRandom(s), authenticated, legit, fx.base).run(FUZZ_MESSAGES / 4, sent);
                return null;
            }));
        }
        for (Future<?> f : fuzzers) {
            f.get(50, TimeUnit.SECONDS);
        }
        Map<String, List<Sample>> sentByVin = new HashMap<>();
        for (int i = 0; i < legit.size(); i++) {
            sentByVin.put(legit.get(i), edges.get(i).get(50, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        assertThat(sent.get()).as("fuzz messages (seed %d)", seed).isGreaterThanOrEqualTo(FUZZ_MESSAGES);

        SampleStore store = fx.server.store();
        for (String vin : legit) {
            checkExactlyWhatWasSent(store, vin, sentByVin.get(vin), seed);
        }
        checkConsistent(store, FUZZ_VIN, seed);
        // the attacks really happened
        var m = fx.server.ingestMetrics();
        assertThat(m.count("conflicts")).as("conflicting resends").isPositive();
        assertThat(m.count("fencedConnections")).as("fenced writers").isPositive();
        assertThat(m.rejects("TIME_BACKWARDS")).as("time running backwards").isPositive();
        assertThat(m.rejects("SEQ_NOT_FOLLOWING")).as("seq jumps").isPositive();
        assertThat(m.rejects("MALFORMED") + m.rejects("INVALID")).as("junk").isPositive();
        assertThat(m.rejects("UNKNOWN_CATALOGUE")).as("unknown catalogues").isPositive();
        assertThat(m.authFailures("wrong_token") + m.authFailures("invalid_hello"))
                .as("failed Hellos")
                .isPositive();
    }

    /** A well-behaved edge: sends its drive in batches, resumes after Welcome when a connection drops. */
    private List<Sample> drain(String vin, String token, List<Sample> drive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        EdgeClient c = null;
        long next = 0;
        while (next < drive.size()) {
            assertThat(System.nanoTime()).as("%s drains in time", vin).isLessThan(deadline);
            if (c == null) {
                c = EdgeClient.hello(fx.base, vin, token);
                Envelope w = c.next(Envelope.MsgCase.WELCOME, 5_000);
                if (w == null) {
                    c.abort();
                    c = null;
                    continue;
                }
                next = w.getWelcome().getLastStoredSeq() + 1;
                continue;
            }
            int n = (int) Math.min(50, drive.size() - next);
            c.sendBatch(drive.subList((int) next, (int) next + n));
            long ack = c.awaitAck(next + n - 1, 5_000);
            if (ack < 0) {
                c.abort();
                c = null;
                continue;
            }
            next = ack + 1;
        }
        c.close();
        return drive;
    }

    private static void checkExactlyWhatWasSent(SampleStore store, String vin, List<Sample> sent, long seed) {
        List<Sample> stored = new ArrayList<>();
        store.scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, stored::add);
        assertThat(stored)
                .as("%s: every sample once, visible (seed %d)", vin, seed)
                .hasSize(sent.size());
        assertThat(store.count(vin)).isEqualTo(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Sample in = sent.get(i);
            Sample out = stored.get(i);
            assertThat(out.seq()).as("%s position %d (seed %d)", vin, i, seed).isEqualTo(in.seq());
            assertThat(out.captureTimeMs()).as("%s seq %d time", vin, in.seq()).isEqualTo(in.captureTimeMs());
            assertThat(Samples.differs(in, out)).as("%s (seed %d)", vin, seed).isNull();
        }
        List<VehicleEvent> bad = store.events(vin, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(e -> e.kind() == VehicleEvent.Kind.GAP || e.kind() == VehicleEvent.Kind.CONFLICT)
                .toList();
        assertThat(bad).as("%s: no gap or conflict (seed %d)", vin, seed).isEmpty();
    }

    private static void checkConsistent(SampleStore store, String vin, long seed) {
        List<Sample> stored = new ArrayList<>();
        store.scan(vin, Long.MIN_VALUE, Long.MAX_VALUE, stored::add);
        assertThat((long) stored.size())
                .as("%s: all visible (seed %d)", vin, seed)
                .isEqualTo(store.count(vin));
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).seq())
                    .as("unique seqs")
                    .isGreaterThan(stored.get(i - 1).seq());
            assertThat(stored.get(i).captureTimeMs())
                    .as(
                            "%s seq %d: time never decreases (seed %d)",
                            vin, stored.get(i).seq(), seed)
                    .isGreaterThanOrEqualTo(stored.get(i - 1).captureTimeMs());
        }
    }

    /** One fuzzing client: hostile messages over connections it reopens whenever the server closes one. */
    static final class Fuzzer {
        private final SplittableRandom r;
        private final boolean authenticated;
        private final List<String> legit;
        private final String base;
        private EdgeClient c;
        private FrameEncoder encoder;
        /** The seq the encoder's connection expects next (a jump past it is declared), -1: declare nothing. */
        private long declareFrom = -1;

        private long nextSeq;
        private long timeMs;

        Fuzzer(SplittableRandom r, boolean authenticated, List<String> legit, String base) {
            this.r = r;
            this.authenticated = authenticated;
            this.legit = legit;
            this.base = base;
            this.nextSeq = r.nextLong(0, 1_000);
            this.timeMs = Samples.T0 + r.nextLong(0, 3_600_000);
        }

        void run(int messages, AtomicLong sent) throws Exception {
            for (int i = 0; i < messages; i++) {
                if (c == null || c.closeCode(0) != null) {
                    open();
                }
                try {
                    c.sendRaw(authenticated ? authenticatedMessage() : hostileMessage());
                } catch (RuntimeException e) {
                    c = null; // the server closed it meanwhile
                }
                sent.incrementAndGet();
            }
            if (c != null) {
                c.abort();
            }
        }

        private void open() throws Exception {
            if (c != null) {
                c.abort();
            }
            c = EdgeClient.connect(base);
            encoder = null;
            if (authenticated) {
                Envelope h = hello(FUZZ_VIN, FUZZ_TOKEN, 2, "fuzz");
                Hello.Builder hb = h.getHello().toBuilder().setModel("model3");
                if (r.nextInt(12) == 0) {
                    hb.setCatalogueHash(randomHash()); // the right token, a catalogue the server lacks
                } else {
                    hb.setCatalogueHash(Catalogue.builtin().hash()).clearLayout();
                    EdgeClient.hello(FUZZ_VIN, FUZZ_TOKEN, EdgeClient.LAYOUT)
                            .getLayoutList()
                            .forEach(hb::addLayout);
                }
                c.sendRaw(h.toBuilder().setHello(hb).build().toByteArray());
                Envelope w;
                do {
                    w = c.next(5_000);
                } while (w != null && !w.hasWelcome() && !w.hasReject());
                if (w != null && w.hasWelcome()) {
                    encoder = new FrameEncoder(EdgeClient.LAYOUT);
                    long stored = w.getWelcome().getLastStoredSeq();
                    declareFrom = r.nextInt(4) > 0 ? stored + 1 : -1;
                    if (r.nextBoolean()) {
                        nextSeq = Math.max(0, stored + 1 - r.nextInt(100)); // resend what the other writer stored
                    }
                }
            }
        }

        /** Mostly plausible batches of the fuzzer's own drive, now and then mutated. */
        private byte[] authenticatedMessage() {
            if (encoder == null || r.nextInt(8) == 0) {
                return hostileMessage();
            }
            int n = 1 + r.nextInt(40);
            if (r.nextInt(10) == 0) {
                nextSeq += r.nextInt(3) == 0 ? 1_000_000_000_000_000L : r.nextInt(100); // jumps
            }
            if (r.nextInt(10) == 0) {
                nextSeq = Math.max(0, nextSeq - r.nextInt(200)); // resends of (other) samples
            }
            if (r.nextInt(15) == 0) {
                timeMs -= r.nextLong(1, 86_400_000L); // time running backwards
            }
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long seq = nextSeq + i;
                double[] v = Samples.sample(seq, 0).values();
                if (r.nextInt(4) == 0) {
                    v[r.nextInt(Field.COUNT)] = Double.NaN;
                }
                samples.add(new Sample(seq, timeMs + i * 20L - (r.nextInt(30) == 0 ? 5_000 : 0), v));
            }
            byte[] bytes;
            try {
                long skipped = declareFrom >= 0 ? nextSeq - declareFrom : 0;
                List<Frame> frames = samples.stream().map(Sample::frame).toList();
                bytes = encoder.encode(nextSeq, frames, skipped > 0 ? Gap.dropped(skipped) : Gap.NONE)
                        .bytes();
                declareFrom = nextSeq + n;
            } catch (IllegalArgumentException e) {
                encoder = new FrameEncoder(EdgeClient.LAYOUT); // the encoder refused: start over
                declareFrom = -1;
                return hostileMessage();
            }
            nextSeq += n;
            timeMs += n * 20L;
            if (r.nextInt(6) == 0) {
                return mutate(bytes);
            }
            return bytes;
        }

        private byte[] mutate(byte[] batchEnvelope) {
            try {
                Batch.Builder b = Envelope.parseFrom(batchEnvelope).getBatch().toBuilder();
                switch (r.nextInt(7)) {
                    case 0 -> b.setFirstSeq(r.nextLong());
                    case 1 ->
                        b.setGap(r.nextBoolean())
                                .setDropped(r.nextLong(0, 1L << 62))
                                .setGapReasonValue(r.nextInt(4));
                    case 2 -> b.setFirstTimeMs(r.nextLong());
                    case 3 -> b.setVin(randomString(30));
                    case 4 -> { // damaged frames: flags, deltas, bitmaps, values
                        byte[] f = b.getFrames().toByteArray();
                        for (int k = 1 + r.nextInt(3); k > 0 && f.length > 0; k--) {
                            f[r.nextInt(f.length)] = (byte) r.nextInt(256);
                        }
                        b.setFrames(com.google.protobuf.ByteString.copyFrom(f));
                    }
                    case 5 -> b.setCount(r.nextInt(b.getCount() + 3));
                    default -> {
                        byte[] f = b.getFrames().toByteArray();
                        b.setFrames(com.google.protobuf.ByteString.copyFrom(f, 0, r.nextInt(f.length + 1)));
                    }
                }
                return Envelope.newBuilder().setBatch(b).build().toByteArray();
            } catch (Exception e) {
                return batchEnvelope;
            }
        }

        /** Anything an attacker without a token might send, before or after a Hello. */
        private byte[] hostileMessage() {
            return switch (r.nextInt(9)) {
                case 0 -> randomBytes(r.nextInt(300));
                case 1 ->
                    hello(legit.get(r.nextInt(legit.size())), "guess-" + r.nextInt(), 1, "x")
                            .toByteArray();
                case 2 ->
                    hello(randomVin(), randomString(40), r.nextInt(4), randomString(80))
                            .toByteArray();
                case 3 ->
                    Envelope.newBuilder()
                            .setHeartbeat(Heartbeat.newBuilder()
                                    .setSentTimeMs(r.nextLong())
                                    .setReply(r.nextBoolean()))
                            .build()
                            .toByteArray();
                case 4 ->
                    Envelope.newBuilder()
                            .setStatus(EdgeStatus.newBuilder()
                                    .setSpoolDepth(r.nextLong())
                                    .setLinkState(r.nextBoolean() ? "DRAINING" : randomString(50))
                                    .setNewestCapturedSeq(r.nextLong())
                                    .setDroppedSamples(r.nextLong()))
                            .build()
                            .toByteArray();
                case 5 -> {
                    byte[] b = EdgeClient.encodeFresh(
                                    Samples.drive(r.nextLong(0, 1L << 40), 1 + r.nextInt(20), Samples.T0))
                            .bytes();
                    yield r.nextBoolean() ? java.util.Arrays.copyOf(b, r.nextInt(b.length)) : mutate(b);
                }
                case 6 -> randomBytes(4_000 + r.nextInt(200)); // around the pre-Hello limit
                case 7 ->
                    Envelope.newBuilder()
                            .setWelcome(io.fleetlog.wire.v2.Welcome.newBuilder().setLastStoredSeq(r.nextLong()))
                            .build()
                            .toByteArray();
                default ->
                    hello(legit.get(0) + "\n" + randomString(10), "t", 1, "x").toByteArray();
            };
        }

        private Envelope hello(String vin, String token, int version, String name) {
            Hello.Builder h = Hello.newBuilder()
                    .setProtocolVersion(version)
                    .setVin(vin)
                    .setToken(token)
                    .setName(name)
                    .setModel(r.nextInt(5) == 0 ? randomString(70) : "model3")
                    .setCatalogueHash(
                            switch (r.nextInt(6)) {
                                case 0 -> randomHash();
                                case 1 -> randomString(70);
                                default -> Catalogue.builtin().hash();
                            });
            if (r.nextInt(4) == 0) {
                for (int i = r.nextInt(12); i > 0; i--) {
                    h.addLayout(r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(60));
                }
            }
            return Envelope.newBuilder().setHello(h).build();
        }

        private String randomHash() {
            StringBuilder b = new StringBuilder(64);
            for (int i = 0; i < 64; i++) {
                b.append(Character.forDigit(r.nextInt(16), 16));
            }
            return b.toString();
        }

        private String randomVin() {
            return r.nextBoolean() ? Samples.vins(1 + r.nextInt(5)).get(0) : randomString(r.nextInt(25));
        }

        private String randomString(int max) {
            int n = r.nextInt(max + 1);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append((char) (r.nextInt(5) == 0 ? r.nextInt(0x20) : 0x20 + r.nextInt(0x60)));
            }
            return b.toString();
        }

        private byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }
    }
}
