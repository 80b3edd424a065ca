package io.fleetlog.edge.uplink;

import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.EncodedFrames;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.Gap;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.edge.spool.HoleCause;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v2.EdgeStatus;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.Heartbeat;
import io.fleetlog.wire.v2.Reject;
import io.fleetlog.wire.v2.RejectCode;
import io.fleetlog.wire.v2.Welcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a spool to the server: oldest first, several batches in flight, deleting on cumulative Ack.
 *
 * <p>One step of the loop is {@link #runOnce(Instant)}: it handles the transport events that arrived
 * since the last step (in order), then acts on {@code now} — connect when the backoff allows, give up
 * a handshake after the connect timeout, declare the link dead when nothing arrived for the heartbeat
 * timeout, send heartbeats, batches and EdgeStatus. Tests drive it with a fake {@link Transport} and
 * an explicit clock; {@link #run} is the production loop that repeats it.
 *
 * <p><b>Protocol</b> ({@code fleetlog.v2}, docs/codec.md). On open it sends a Hello naming the
 * catalogue by hash with the layout {@link FrameLayout#all} of it. A Welcome must echo that hash (else
 * the link is dropped as a protocol error). Welcome is not an ack (another writer of the VIN may
 * hold those seqs): only an Ack deletes, and sending resumes at the oldest unacknowledged sample with
 * a fresh {@link FrameEncoder} (a reconnect starts with a keyframe); the server compares a resend of
 * a stored seq with what it holds, acks it when equal and rejects it as a conflict when not. A {@code
 * last_stored_seq} beyond every seq this spool ever sent ({@link Spool#sentThrough}, written before
 * each send) is a conflict: nothing is deleted, the certainly unsent samples are renumbered after the
 * server's seqs, and it is logged ({@code uplink_server_ahead}) and counted. A batch that skips seqs
 * carries a {@link Gap}: {@code CORRUPT} when seqs were quarantined or set aside, {@code DROPPED}
 * otherwise (v2 has no set-aside reason). A batch holds at most Welcome's {@code max_batch_frames}
 * and its frames' worst-case encoded size fits Welcome's {@code max_message_bytes}. A batch is never
 * resent on the same connection; after a reconnect, whatever was not acknowledged is sent again and the
 * server's idempotent store makes that harmless. A Reject of a batch moves its samples to the spool's
 * {@code rejected} table, counts and logs it, and reconnects at once (the server's decoder did not
 * advance, so the connection's predictor state is gone); a Reject of the Hello is a failed connection,
 * and a Reject with {@code UNKNOWN_CATALOGUE} (the server does not hold this catalogue) is logged once as
 * an error naming the catalogue and retried only after {@link #UNKNOWN_CATALOGUE_RETRY}; the spool
 * keeps every frame meanwhile. A frame the encoder refuses (a value outside its signal's range, a wrong
 * kind, a signal not in the catalogue, an unbelievable capture time) is moved to the spool's {@code
 * rejected} table with the encoder's reason when its batch is built: it never blocks the spool.
 *
 * <p><b>Threads.</b> {@code runOnce} and {@code close} must be called from one thread; transport
 * callbacks only enqueue into a bounded inbox (overflow aborts the connection); {@link #stats()} and
 * {@link #state()} may be called from any thread.
 */
public final class Uplink implements AutoCloseable, LinkControl {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);
    private static final int INBOX_CAPACITY = 4_096;

    /** After a Reject with {@code UNKNOWN_CATALOGUE}: the next attempt waits this long (a server upgrade). */
    public static final Duration UNKNOWN_CATALOGUE_RETRY = Duration.ofMinutes(10);

    /** Envelope bytes of a batch beyond its frames, at most (tags, lengths, seqs, time, count, gap). */
    static final int BATCH_OVERHEAD_BYTES = 64;

    private final Spool spool;
    private final UplinkConfig config;
    private final Transport transport;
    private final RandomGenerator random;
    private final ArrayBlockingQueue<Event> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
    private final Semaphore wakeup = new Semaphore(0);
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();

    private LinkState state = LinkState.OFFLINE;
    private Transport.Connection connection;
    private long generation;
    private final FrameLayout layout;
    private final int bitmapBytes;
    private FrameEncoder encoder;
    private int maxBatch;
    private int maxMessageBytes = WireV2.DEFAULT_MAX_MESSAGE_BYTES;
    private long nextSendSeq;
    /** The seq the server's decoder expects next on this connection (Welcome's last + 1, then past each batch). */
    private long expectNext;

    private boolean catalogueRefusalLogged;
    private long ackedSeq = -1;
    private boolean everWelcomed;
    private boolean stopped;
    private volatile boolean stopRequested;
    private int attempt;
    private volatile boolean restoreRequested;
    /** {@link #cut()} was called and not yet {@link #restore()}d: no connection. */
    private volatile boolean cutRequested;

    private long nextAttemptMs = Long.MIN_VALUE;
    private long connectStartedMs;
    private long lastHeardMs;
    private long lastHeartbeatMs;
    private long lastStatusMs;
    private long lastBatchMs;
    // counters
    private long connects;
    private long reconnects;
    private long heartbeatTimeouts;
    private long bytesSent;
    private long messageBytesSent;
    private long samplesSent;
    private long batchesSent;
    private long duplicateAcks;
    private long rejects;
    private long rejectedSamples;
    private long acksBeyondSent;
    private String lastError = "";
    private volatile UplinkStats snapshot;

    public Uplink(Spool spool, UplinkConfig config, Transport transport, RandomGenerator random) {
        this.spool = spool;
        this.config = config;
        this.transport = transport;
        this.random = random;
        this.layout = FrameLayout.all(config.catalogue());
        this.bitmapBytes = (layout.size() + 7) / 8;
        this.snapshot = snapshotNow();
    }

    public UplinkConfig config() {
        return config;
    }

    public LinkState state() {
        return snapshot.state();
    }

    public UplinkStats stats() {
        return snapshot;
    }

    /** One step of the loop at time {@code now}. */
    public void runOnce(Instant now) {
        long t = now.toEpochMilli();
        if (stopRequested && !stopped) {
            close();
        }
        Event e;
        while ((e = inbox.poll()) != null) {
            if (e.generation() == generation && connection != null) {
                handle(e, t);
            }
        }
        if (cutRequested && (connection != null || state != LinkState.OFFLINE)) {
            linkDown("link_cut", "the link was cut (LinkControl)", t, true, 0);
        }
        if (restoreRequested) {
            restoreRequested = false;
            if (state == LinkState.OFFLINE) {
                attempt = 0;
                nextAttemptMs = t;
            }
        }
        switch (state) {
            case OFFLINE -> {
                if (!stopped && !cutRequested && t >= nextAttemptMs) {
                    connect(t);
                }
            }
            case CONNECTING -> {
                if (t - connectStartedMs >= config.connectTimeout().toMillis()) {
                    linkDown("connect_timeout", "no Welcome within " + config.connectTimeout(), t, true);
                }
            }
            case ONLINE, DRAINING -> online(t);
        }
        snapshot = snapshotNow();
    }

    /**
     * The production loop: repeats {@link #runOnce} with the system clock until the thread is
     * interrupted or {@link #stop()} was called, waking on transport events or every {@code tick}.
     */
    public void run(java.time.InstantSource clock, java.time.Duration tick) {
        run(clock, tick, () -> {});
    }

    /** As {@link #run(java.time.InstantSource, Duration)}, calling {@code afterStep} after every step (e.g. to wake a waiter). */
    public void run(java.time.InstantSource clock, java.time.Duration tick, Runnable afterStep) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    runOnce(clock.instant());
                } catch (RuntimeException e) {
                    // a spool failure or a bug must not kill the loop silently: say so and go on
                    log.error("uplink_step_failed vin={} error={}", config.vin(), e.toString());
                    if (connection != null) {
                        linkDown("step_failed", e.toString(), clock.instant().toEpochMilli(), true);
                    }
                }
                afterStep.run();
                if (stopped && state == LinkState.OFFLINE) {
                    return;
                }
                wakeup.tryAcquire(tick.toMillis(), TimeUnit.MILLISECONDS);
                wakeup.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes {@link #run} early (e.g. after a group commit). Any thread. */
    public void wake() {
        wakeup.release();
    }

    /** Whether every committed sample was acknowledged (nothing left to send). */
    public boolean drained() {
        return spool.depth() == 0;
    }

    /**
     * Stops connecting; an open connection is closed gracefully at the next step. What is not
     * acknowledged stays in the spool for the next run. Any thread.
     */
    public void stop() {
        stopRequested = true;
        wake();
    }

    /** Closes the connection now (graceful close frame) and stops. Same thread as runOnce. */
    @Override
    public void close() {
        stopped = true;
        generation++;
        if (connection != null) {
            connection.close();
            connection = null;
        }
        state = LinkState.OFFLINE;
        snapshot = snapshotNow();
    }

    // ---- events

    private enum EventKind {
        OPEN,
        MESSAGE,
        CLOSED
    }

    private record Event(long generation, EventKind kind, byte[] message, String reason) {}

    private Transport.Listener listenerFor(long gen) {
        return new Transport.Listener() {
            @Override
            public void onOpen() {
                enqueue(new Event(gen, EventKind.OPEN, null, null));
            }

            @Override
            public void onMessage(byte[] message) {
                enqueue(new Event(gen, EventKind.MESSAGE, message, null));
            }

            @Override
            public void onClosed(String reason) {
                enqueue(new Event(gen, EventKind.CLOSED, null, reason));
            }
        };
    }

    private void enqueue(Event e) {
        if (!inbox.offer(e)) {
            // cannot keep up with the server's messages: drop the connection rather than lose events
            inbox.clear();
            inbox.offer(new Event(e.generation(), EventKind.CLOSED, null, "inbox overflow"));
        }
        wake();
    }

    private void handle(Event e, long now) {
        switch (e.kind()) {
            case OPEN -> {
                lastHeardMs = now;
                send(
                        Envelope.newBuilder()
                                .setHello(WireV2.hello(
                                        config.vin(), config.model(), config.token(), config.name(), layout))
                                .build()
                                .toByteArray(),
                        now);
            }
            case MESSAGE -> message(e.message(), now);
            case CLOSED -> linkDown("link_closed", e.reason(), now, false);
        }
    }

    private void message(byte[] bytes, long now) {
        lastHeardMs = now;
        Envelope env;
        try {
            env = WireV2.parse(bytes, maxMessageBytes);
        } catch (WireException ex) {
            linkDown("protocol_error", ex.getMessage(), now, true);
            return;
        }
        switch (env.getMsgCase()) {
            case WELCOME -> welcome(env.getWelcome(), now);
            case ACK -> ack(env.getAck().getSeq());
            case REJECT -> reject(env.getReject(), now);
            case HEARTBEAT -> {
                if (!env.getHeartbeat().getReply()) {
                    send(
                            Envelope.newBuilder()
                                    .setHeartbeat(Heartbeat.newBuilder()
                                            .setSentTimeMs(env.getHeartbeat().getSentTimeMs())
                                            .setReply(true))
                                    .build()
                                    .toByteArray(),
                            now);
                }
            }
            default -> log.warn("uplink_unexpected_message vin={} kind={}", config.vin(), env.getMsgCase());
        }
    }

    private void welcome(Welcome w, long now) {
        if (state != LinkState.CONNECTING) {
            log.warn("uplink_unexpected_welcome vin={} state={}", config.vin(), state);
            return;
        }
        if (!config.catalogue().hash().equals(w.getCatalogueHash())) {
            linkDown(
                    "catalogue_mismatch",
                    "Welcome names catalogue '" + w.getCatalogueHash() + "', the Hello named "
                            + config.catalogue().shortId() + " ("
                            + config.catalogue().hash() + ")",
                    now,
                    true);
            return;
        }
        long last = w.getLastStoredSeq();
        // Seqs this spool may have sent: never beyond what it assigned (the durable sent mark runs
        // ahead of the real sends by a slack, so this is an upper bound).
        long mayHaveSent = Math.min(spool.sentThrough(), spool.nextSeq() - 1);
        if (last > mayHaveSent) {
            serverAhead(last, mayHaveSent);
        }
        // Welcome is not an ack: the server may hold these seqs from another writer of this VIN (a
        // cloned SD card), and taking it as one deleted our own captures. Everything not acked by an
        // Ack is resent from the oldest; the server compares a resend of a stored seq with what it
        // holds — the same samples are acked as duplicates, others are a conflict it rejects, and
        // the rejected batch is set aside here, visibly.
        nextSendSeq = ackedSeq + 1;
        maxBatch = w.getMaxBatchFrames() > 0
                ? Math.min(config.drainBatchSamples(), w.getMaxBatchFrames())
                : config.drainBatchSamples();
        maxMessageBytes = w.getMaxMessageBytes() > 0
                ? (int) Math.min(Integer.MAX_VALUE, w.getMaxMessageBytes() & 0xFFFFFFFFL)
                : WireV2.DEFAULT_MAX_MESSAGE_BYTES;
        encoder = new FrameEncoder(layout);
        // A first batch starting after last + 1 (samples dropped or set aside here) says so: the
        // server refuses an undeclared jump.
        expectNext = last + 1;
        inFlight.clear();
        if (everWelcomed) {
            reconnects++;
        }
        everWelcomed = true;
        attempt = 0;
        lastHeartbeatMs = now;
        lastStatusMs = Long.MIN_VALUE / 2;
        lastBatchMs = Long.MIN_VALUE / 2;
        state = LinkState.ONLINE;
        catalogueRefusalLogged = false;
        log.info(
                "uplink_online vin={} last_stored_seq={} spool_depth={} reconnects={} catalogue={}",
                config.vin(),
                last,
                spool.depth(),
                reconnects,
                config.catalogue().shortId());
    }

    /**
     * Welcome says the server holds seqs up to {@code last}, beyond every seq this spool ever sent
     * ({@code sent}): they are not ours (a lost or replaced spool file, a second edge with this VIN,
     * a forged batch). Our buffered samples were never acknowledged, so nothing is deleted: those we
     * may have sent are resent and compared by the server, the unsent ones get seqs after the server's (they are genuinely new captures) and
     * the conflict is logged as an error and counted ({@code seq_conflicts}, {@code
     * renumbered_samples} in EdgeStatus, {@code fleetlog inspect}).
     */
    private void serverAhead(long last, long sent) {
        long nextBefore = spool.nextSeq();
        // Seqs up to `sent` may be ours on the server, or another writer's: they are resent and
        // compared there. The ones after it were certainly never sent: they get seqs after the server's.
        long moved = spool.renumber(sent + 1, last + 1);
        log.error(
                "uplink_server_ahead vin={} last_stored_seq={} edge_sent_through={} spool_next_seq_was={}"
                        + " renumbered_samples={} next_seq={} (the server holds seqs this edge never sent;"
                        + " its unsent samples were renumbered after them, nothing deleted)",
                config.vin(),
                last,
                sent,
                nextBefore,
                moved,
                spool.nextSeq());
    }

    private void ack(long seq) {
        if (state == LinkState.CONNECTING || seq <= ackedSeq) {
            duplicateAcks++;
            return;
        }
        long sent = nextSendSeq - 1; // the highest seq handed to this connection (or known stored)
        if (seq > sent) {
            // An ack for seqs we never sent is not an ack of our samples: deleting on it could lose
            // captured data (a confused or hostile server). Take only what we did send.
            acksBeyondSent++;
            log.error(
                    "uplink_ack_beyond_sent vin={} ack_seq={} highest_sent_seq={} (only up to the sent seq is deleted)",
                    config.vin(),
                    seq,
                    sent);
            seq = sent;
            if (seq <= ackedSeq) {
                return;
            }
        }
        ackedSeq = seq;
        spool.ack(seq);
        while (!inFlight.isEmpty() && inFlight.peekFirst()[1] <= seq) {
            inFlight.pollFirst();
        }
    }

    private void reject(Reject r, long now) {
        rejects++;
        if (r.getCode() == RejectCode.UNKNOWN_CATALOGUE) {
            unknownCatalogue(r, now);
            return;
        }
        if (state == LinkState.CONNECTING) {
            log.warn(
                    "uplink_hello_rejected vin={} code={} reason={} fatal={}",
                    config.vin(),
                    r.getCode(),
                    r.getReason(),
                    r.getFatal());
            linkDown("hello_rejected", r.getReason(), now, true);
            return;
        }
        long first = r.getFirstSeq();
        long last = r.getLastSeq();
        // Only a batch in flight on this connection can be moved aside (the server names its exact
        // range): a Reject of something else (a message the network delivered twice) carries no
        // seqs, and its 0..0 must not cost seq 0.
        boolean ours = inFlight.stream().anyMatch(b -> b[0] == first && b[1] == last);
        int moved = ours && last >= first ? spool.reject(first, last, r.getReason()) : 0;
        rejectedSamples += moved;
        log.warn(
                "uplink_batch_rejected vin={} first_seq={} last_seq={} moved_aside={} reason={}",
                config.vin(),
                first,
                last,
                moved,
                r.getReason());
        // The server's decoder did not take the batch: start a fresh connection (keyframe) at once.
        linkDown("batch_rejected", r.getReason(), now, true);
        nextAttemptMs = now;
        attempt = 0;
    }

    /**
     * The server cannot decode this vehicle's catalogue: nothing this edge sends can be stored until
     * the server learns it (or the vehicle is configured with one it holds). Logged once as an error
     * until a Welcome; the spool keeps every frame; the next attempt waits {@link
     * #UNKNOWN_CATALOGUE_RETRY} (or a {@link #linkRestored}).
     */
    private void unknownCatalogue(Reject r, long now) {
        if (!catalogueRefusalLogged) {
            catalogueRefusalLogged = true;
            log.error(
                    "uplink_catalogue_unknown vin={} catalogue={} hash={} reason=\"{}\" retry_in_s={} spool_depth={}"
                            + " (the server does not hold this vehicle's catalogue: give the server the catalogue"
                            + " file, or configure the vehicle with one the server holds; every frame stays in"
                            + " the spool)",
                    config.vin(),
                    config.catalogue().shortId(),
                    config.catalogue().hash(),
                    r.getReason(),
                    UNKNOWN_CATALOGUE_RETRY.toSeconds(),
                    spool.depth());
        }
        linkDown(
                "catalogue_unknown",
                "server does not hold catalogue " + config.catalogue().shortId(),
                now,
                true,
                UNKNOWN_CATALOGUE_RETRY.toMillis());
    }

    // ---- actions

    private void connect(long now) {
        generation++;
        connects++;
        state = LinkState.CONNECTING;
        connectStartedMs = now;
        lastHeardMs = now;
        connection = transport.open(config.ingestUri(), listenerFor(generation));
    }

    private void online(long now) {
        if (now - lastHeardMs >= config.heartbeatTimeout().toMillis()) {
            heartbeatTimeouts++;
            linkDown("heartbeat_timeout", "nothing heard for " + (now - lastHeardMs) + " ms", now, true);
            return;
        }
        long[] oldest = inFlight.peekFirst();
        if (oldest != null && now - oldest[2] >= ackTimeoutMs()) {
            linkDown(
                    "ack_timeout",
                    "batch " + oldest[0] + ".." + oldest[1] + " unacknowledged for " + (now - oldest[2]) + " ms",
                    now,
                    true);
            return;
        }
        if (now - lastHeartbeatMs >= config.heartbeatInterval().toMillis()) {
            lastHeartbeatMs = now;
            send(
                    Envelope.newBuilder()
                            .setHeartbeat(Heartbeat.newBuilder().setSentTimeMs(now))
                            .build()
                            .toByteArray(),
                    now);
        }
        sendBatches(now);
        if (state != LinkState.OFFLINE) {
            // committed samples still buffered = not yet acknowledged (acks delete)
            LinkState next = spool.depth() > config.drainThresholdSamples() ? LinkState.DRAINING : LinkState.ONLINE;
            boolean changed = next != state;
            state = next;
            // A change between ONLINE and DRAINING is reported at once, so the server (and its
            // dashboards) see a short drain too; otherwise the status goes out every statusInterval.
            if (changed || now - lastStatusMs >= config.statusInterval().toMillis()) {
                lastStatusMs = now;
                send(Envelope.newBuilder().setStatus(status()).build().toByteArray(), now);
            }
        }
    }

    /**
     * The network is known to be back (a modem's link-up, the end of a simulated dead zone): the next
     * connection attempt happens at once instead of after the backoff delay. Thread-safe.
     */
    public void linkRestored() {
        restoreRequested = true;
        wake();
    }

    /**
     * Cuts the link ({@link LinkControl}): the next step drops the connection (unacknowledged batches
     * are sent again later) and no connection is attempted until {@link #restore()}. Any thread.
     */
    @Override
    public void cut() {
        cutRequested = true;
        wake();
    }

    /** Ends a {@link #cut()}: the next step connects at once. Any thread. */
    @Override
    public void restore() {
        cutRequested = false;
        linkRestored();
    }

    /** Whether the link is cut through {@link LinkControl}. */
    public boolean isCut() {
        return cutRequested;
    }

    /**
     * A batch not acknowledged for this long (6 heartbeat timeouts, 30 s by default) means the server
     * answers heartbeats but does not store: reconnect and send what is unacknowledged again.
     */
    private long ackTimeoutMs() {
        return 6 * config.heartbeatTimeout().toMillis();
    }

    private void sendBatches(long now) {
        while (state != LinkState.OFFLINE && inFlight.size() < config.maxInFlightBatches()) {
            long committed = spool.lastCommittedSeq();
            long available = committed - nextSendSeq + 1;
            if (available <= 0) {
                return;
            }
            boolean backlog = available > config.liveBatchSamples();
            if (!backlog
                    && available < config.liveBatchSamples()
                    && now - lastBatchMs < config.liveFlushInterval().toMillis()) {
                return;
            }
            int max = backlog ? maxBatch : config.liveBatchSamples();
            List<Sample> batch = consecutive(spool.peek(nextSendSeq, max));
            if (batch.isEmpty()) {
                nextSendSeq = committed + 1; // everything up to committed was acked or moved aside
                return;
            }
            int fit = fitting(batch, maxMessageBytes);
            if (fit == 0) {
                Sample big = batch.get(0);
                setAside(
                        big,
                        "frame of up to " + frameBound(big.frame()) + " bytes cannot fit a message of "
                                + maxMessageBytes + " bytes");
                continue;
            }
            batch = batch.subList(0, fit);
            long first = batch.get(0).seq();
            long jump = first - expectNext;
            Gap gap = jump > 0 ? gap(spool.holeCause(first - jump, first - 1), jump) : Gap.NONE;
            EncodedFrames eb;
            try {
                eb = encoder.encode(first, frames(batch), gap);
            } catch (IllegalArgumentException e) {
                // a value the wire cannot carry (out of range, wrong kind, unknown signal): set it aside,
                // never block the spool
                setAsideInvalid(batch, e.getMessage());
                continue;
            }
            spool.markSent(eb.lastSeq()); // durable before the send: Welcome can then tell ours from others'
            if (!send(eb.bytes(), now)) {
                return;
            }
            inFlight.add(new long[] {eb.firstSeq(), eb.lastSeq(), now});
            nextSendSeq = eb.lastSeq() + 1;
            expectNext = eb.lastSeq() + 1;
            lastBatchMs = now;
            bytesSent += eb.bytes().length;
            samplesSent += eb.frames();
            batchesSent++;
        }
    }

    private static List<Frame> frames(List<Sample> batch) {
        List<Frame> out = new ArrayList<>(batch.size());
        for (Sample s : batch) {
            out.add(s.frame());
        }
        return out;
    }

    /** v2 knows two reasons: set-aside rows (quarantined, rejected) are CORRUPT, the rest DROPPED. */
    private static Gap gap(HoleCause c, long n) {
        return switch (c) {
            case QUARANTINED, SET_ASIDE, MIXED -> Gap.corrupt(n);
            case DROPPED, NONE -> Gap.dropped(n);
        };
    }

    /**
     * How many leading frames of {@code batch} surely fit one message of {@code maxBytes}: the sum of
     * their worst-case encoded sizes ({@link #frameBound}) plus the envelope's.
     */
    int fitting(List<Sample> batch, int maxBytes) {
        long total = BATCH_OVERHEAD_BYTES;
        for (int i = 0; i < batch.size(); i++) {
            total += frameBound(batch.get(i).frame());
            if (total > maxBytes) {
                return i;
            }
        }
        return batch.size();
    }

    /**
     * The most bytes one frame can take on the wire (docs/codec.md): flags, a time delta, the three
     * bitmaps, and per value its longest varint (a location two), a string its length and UTF-8.
     */
    long frameBound(Frame f) {
        long b = 1 + 10 + 3L * bitmapBytes;
        for (int i = 0; i < f.size(); i++) {
            b += switch (f.kind(i)) {
                case NUMBER, INTEGER -> 10;
                case POSITION -> 20;
                case STRING -> 5 + 3L * f.string(i).length(); // a UTF-16 unit is at most 3 UTF-8 bytes
                case UNAVAILABLE -> 0;
            };
        }
        return b;
    }

    /**
     * Moves the frames of {@code batch} that the encoder refuses on their own to the spool's rejected
     * table, each with the encoder's reason.
     */
    private void setAsideInvalid(List<Sample> batch, String reason) {
        int moved = 0;
        for (Sample s : batch) {
            try {
                new FrameEncoder(layout).encode(s.seq(), List.of(s.frame()));
            } catch (IllegalArgumentException e) {
                moved += spool.reject(s.seq(), s.seq(), "invalid on the edge: " + e.getMessage());
            }
        }
        if (moved == 0) {
            // the encoder refused the batch as a whole: set it all aside rather than loop forever
            Sample first = batch.get(0);
            moved = spool.reject(first.seq(), batch.get(batch.size() - 1).seq(), "not encodable: " + reason);
        }
        rejectedSamples += moved;
        log.warn("uplink_invalid_samples_set_aside vin={} samples={} reason={}", config.vin(), moved, reason);
    }

    private void setAside(Sample s, String reason) {
        int moved = spool.reject(s.seq(), s.seq(), "invalid on the edge: " + reason);
        rejectedSamples += moved;
        log.warn("uplink_invalid_samples_set_aside vin={} samples={} reason={}", config.vin(), moved, reason);
    }

    /** The leading run of consecutive seqs (the spool may have holes: drops, rejects). */
    private static List<Sample> consecutive(List<Sample> peeked) {
        for (int i = 1; i < peeked.size(); i++) {
            if (peeked.get(i).seq() != peeked.get(i - 1).seq() + 1) {
                return peeked.subList(0, i);
            }
        }
        return peeked;
    }

    private EdgeStatus status() {
        SpoolStats s = spool.stats();
        return EdgeStatus.newBuilder()
                .setSpoolDepth(s.depth() + s.pending())
                .setOldestBufferedTimeMs(s.oldestTimeMs())
                .setDroppedSamples(s.dropped())
                .setLinkState(state.name())
                .setReconnects(reconnects)
                .setBytesSent(bytesSent)
                .setNewestCapturedSeq(s.nextSeq() - 1)
                .setQuarantinedSamples(s.quarantined())
                .setRejectedSamples(s.rejected())
                .setSeqConflicts(s.seqConflicts())
                .setRenumberedSamples(s.renumbered())
                .build();
    }

    private boolean send(byte[] message, long now) {
        if (connection == null) {
            return false;
        }
        if (!connection.send(message)) {
            linkDown("send_buffer_full", "the transport refused a message of " + message.length + " bytes", now, true);
            return false;
        }
        messageBytesSent += message.length;
        return true;
    }

    private void linkDown(String event, String reason, long now, boolean abort) {
        linkDown(event, reason, now, abort, -1);
    }

    /** As {@link #linkDown(String, String, long, boolean)}, retrying after {@code delayMs} when it is not negative. */
    private void linkDown(String event, String reason, long now, boolean abort, long delayMs) {
        if (connection != null && abort) {
            connection.abort();
        }
        connection = null;
        encoder = null;
        inFlight.clear();
        generation++; // late events of the old connection are ignored
        LinkState was = state;
        state = LinkState.OFFLINE;
        long delay = delayMs >= 0 ? delayMs : config.backoff().delayMillis(attempt, random);
        attempt++;
        nextAttemptMs = now + delay;
        lastError = event + ": " + reason;
        log.info(
                "uplink_{} vin={} was={} reason={} retry_in_ms={} spool_depth={}",
                event,
                config.vin(),
                was,
                reason,
                delay,
                spool.depth());
    }

    private UplinkStats snapshotNow() {
        return new UplinkStats(
                state,
                connects,
                reconnects,
                heartbeatTimeouts,
                bytesSent,
                messageBytesSent,
                samplesSent,
                batchesSent,
                ackedSeq,
                duplicateAcks,
                rejects,
                rejectedSamples,
                lastError,
                acksBeyondSent);
    }
}
