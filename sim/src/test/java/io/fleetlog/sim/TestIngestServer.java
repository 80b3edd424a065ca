package io.fleetlog.sim;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.codec.v2.FrameDecoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.edge.SameSample;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v2.Ack;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.EdgeStatus;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Heartbeat;
import io.fleetlog.wire.v2.Reject;
import io.fleetlog.wire.v2.RejectCode;
import io.fleetlog.wire.v2.Welcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Test fixture: a small WebSocket ingest server speaking fleetlog.v2 on 127.0.0.1 (port 0).
 *
 * <p>Hello (checked with {@link WireV2#checkHello} against the catalogues it holds, the built-in one by
 * default; another is refused with {@code UNKNOWN_CATALOGUE}) → Welcome(last stored seq of the VIN,
 * the catalogue hash echoed); batches are decoded with a per-connection {@link FrameDecoder} (the
 * first batch of a connection must start at most at last stored + 1 + its declared gap), stored in a map keyed by (VIN, seq) (a resend is compared with what is
 * stored: counted as a resend when equal, as a conflict when not) and acknowledged cumulatively; heartbeats are echoed; EdgeStatus is kept. Knobs: reject the
 * next batches, delay acks, kill every connection ("die"). Not the real server (that lives in
 * {@code server/}).
 */
public final class TestIngestServer implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, TreeMap<Long, Sample>> store = new HashMap<>();
    private final Map<String, List<Long>> arrivals = new HashMap<>();
    private final Map<String, EdgeStatus> statuses = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    /** Resent samples that differ from the stored ones (a real server refuses them; never expected here). */
    final AtomicLong conflicts = new AtomicLong();
    /** Resent samples equal to the stored ones (the edge resends what it has no ack for). */
    final AtomicLong resends = new AtomicLong();

    /** Catalogues this server can decode, by hash. */
    final Map<String, Catalogue> catalogues =
            new ConcurrentHashMap<>(Map.of(Catalogue.builtin().hash(), Catalogue.builtin()));
    /** First batches of a connection that jumped past last stored + 1 without declaring it. */
    final AtomicLong undeclaredJumps = new AtomicLong();

    final AtomicLong batches = new AtomicLong();
    final AtomicLong hellos = new AtomicLong();
    final AtomicInteger rejectNext = new AtomicInteger();
    volatile Duration ackDelay = Duration.ZERO;

    TestIngestServer() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(WireV2.DEFAULT_MAX_MESSAGE_BYTES);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/ingest", (req, resp, cb) -> new Connection());
        }));
        server.start();
    }

    /** Runs the fixture on its own for manual experiments: prints the base URL, serves for N seconds. */
    public static void main(String[] args) throws Exception {
        try (TestIngestServer s = new TestIngestServer()) {
            System.out.println(s.baseUrl());
            System.out.flush();
            Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "60") * 1000);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Closes every connection abruptly (a server crash, as the edge sees it). */
    void die() {
        sessions.forEach(Session::disconnect);
    }

    synchronized TreeMap<Long, Sample> stored(String vin) {
        return new TreeMap<>(store.getOrDefault(vin, new TreeMap<>()));
    }

    /** Seqs in the order they were first stored. */
    synchronized List<Long> arrivalOrder(String vin) {
        return new ArrayList<>(arrivals.getOrDefault(vin, List.of()));
    }

    EdgeStatus lastStatus(String vin) {
        return statuses.get(vin);
    }

    private synchronized long lastStored(String vin) {
        TreeMap<Long, Sample> m = store.get(vin);
        return m == null || m.isEmpty() ? -1 : m.lastKey();
    }

    private synchronized void commit(String vin, List<Sample> samples) {
        TreeMap<Long, Sample> m = store.computeIfAbsent(vin, v -> new TreeMap<>());
        List<Long> order = arrivals.computeIfAbsent(vin, v -> new ArrayList<>());
        for (Sample s : samples) {
            Sample had = m.putIfAbsent(s.seq(), s);
            if (had == null) {
                order.add(s.seq());
            } else if (SameSample.same(had, s)) {
                resends.incrementAndGet();
            } else {
                conflicts.incrementAndGet();
            }
        }
    }

    @Override
    public void close() throws Exception {
        delayed.shutdownNow();
        server.stop();
    }

    /** One edge connection. */
    public final class Connection implements Session.Listener.AutoDemanding {
        private Session session;
        private String vin;
        private FrameDecoder decoder;
        private boolean firstBatch;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            sessions.add(s);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            sessions.remove(session);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            try {
                handle(WireV2.parse(bytes, WireV2.DEFAULT_MAX_MESSAGE_BYTES));
            } catch (WireException e) {
                RejectCode code = e.getMessage().contains("unknown catalogue")
                        ? RejectCode.UNKNOWN_CATALOGUE
                        : RejectCode.INVALID;
                send(Envelope.newBuilder()
                        .setReject(Reject.newBuilder()
                                .setReason(e.getMessage())
                                .setFatal(true)
                                .setCode(code))
                        .build());
                session.close();
            }
            callback.succeed();
        }

        private void handle(Envelope e) throws WireException {
            switch (e.getMsgCase()) {
                case HELLO -> {
                    FrameLayout layout = WireV2.checkHello(e.getHello(), h -> Optional.ofNullable(catalogues.get(h)));
                    hellos.incrementAndGet();
                    vin = e.getHello().getVin();
                    decoder =
                            new FrameDecoder(layout, WireV2.DEFAULT_MAX_BATCH_FRAMES, WireV2.DEFAULT_MAX_MESSAGE_BYTES);
                    firstBatch = true;
                    send(Envelope.newBuilder()
                            .setWelcome(Welcome.newBuilder()
                                    .setProtocolVersion(WireV2.PROTOCOL_VERSION)
                                    .setLastStoredSeq(lastStored(vin))
                                    .setMaxBatchFrames(WireV2.DEFAULT_MAX_BATCH_FRAMES)
                                    .setMaxMessageBytes(WireV2.DEFAULT_MAX_MESSAGE_BYTES)
                                    .setCatalogueHash(layout.catalogue().hash()))
                            .build());
                }
                case BATCH -> batch(e.getBatch());
                case HEARTBEAT -> {
                    if (!e.getHeartbeat().getReply()) {
                        send(Envelope.newBuilder()
                                .setHeartbeat(Heartbeat.newBuilder()
                                        .setSentTimeMs(e.getHeartbeat().getSentTimeMs())
                                        .setReply(true))
                                .build());
                    }
                }
                case STATUS -> {
                    if (vin != null) {
                        statuses.put(vin, e.getStatus());
                    }
                }
                default -> {}
            }
        }

        private void batch(Batch b) throws WireException {
            long last = b.getFirstSeq() + b.getCount() - 1;
            if (vin == null) {
                throw new WireException(WireException.Kind.INVALID, "batch before Hello");
            }
            if (rejectNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(Envelope.newBuilder()
                        .setReject(Reject.newBuilder()
                                .setFirstSeq(b.getFirstSeq())
                                .setLastSeq(last)
                                .setReason("told to reject"))
                        .build());
                return;
            }
            DecodedFrames d = decoder.decode(b);
            if (firstBatch && d.firstSeq() > lastStored(vin) + 1 + d.gap().dropped()) {
                undeclaredJumps.incrementAndGet();
                throw new WireException(
                        WireException.Kind.SEQ_NOT_FOLLOWING,
                        "first batch at " + d.firstSeq() + " after stored " + lastStored(vin) + " declares only "
                                + d.gap().dropped());
            }
            firstBatch = false;
            List<Sample> samples = new ArrayList<>(d.frames().size());
            for (int i = 0; i < d.frames().size(); i++) {
                samples.add(new Sample(d.firstSeq() + i, d.frames().get(i)));
            }
            commit(vin, samples);
            batches.incrementAndGet();
            Envelope ack =
                    Envelope.newBuilder().setAck(Ack.newBuilder().setSeq(last)).build();
            Duration delay = ackDelay;
            if (delay.isZero()) {
                send(ack);
            } else {
                delayed.schedule(() -> send(ack), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void send(Envelope e) {
            Session s = session;
            if (s != null && s.isOpen()) {
                s.sendBinary(ByteBuffer.wrap(e.toByteArray()), Callback.NOOP);
            }
        }
    }
}
