package io.fleetlog.server.ingest;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.codec.v2.FrameDecoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.WireV2;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.catalog.Catalogues;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.fleet.SignalStats;
import io.fleetlog.server.fleet.VehicleStatus;
import io.fleetlog.server.live.LiveHub;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.wire.v2.Ack;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.EdgeStatus;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.GapReason;
import io.fleetlog.wire.v2.Heartbeat;
import io.fleetlog.wire.v2.Hello;
import io.fleetlog.wire.v2.Reject;
import io.fleetlog.wire.v2.RejectCode;
import io.fleetlog.wire.v2.Welcome;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge's ingest connection ({@code fleetlog.v2}): authenticate, check the Hello's catalogue,
 * decode frames with the connection's {@link FrameDecoder}, store, ack.
 *
 * <p>Catalogue: the Hello names it by full hash; one the server does not hold ({@link Catalogues}) is
 * refused with a fatal {@code Reject{code: UNKNOWN_CATALOGUE}} naming its short id and the ones the
 * server holds, never guessed. A vehicle's catalogue may only grow: when the store holds frames of the
 * VIN, the Hello's catalogue must keep every signal id of the stored one with the same name and type
 * kind ({@link Catalogues#growthProblem}), else a fatal {@code INVALID} Reject naming the first
 * differing id. An accepted catalogue is recorded as the vehicle's ({@link SampleStore#useCatalogue}).
 *
 * <p>States: awaiting Hello → ready (after Welcome) → closed. Messages are handled one at a time in
 * arrival order (the WebSocket layer delivers them so). A decoded batch is handed to the store
 * asynchronously, so the next one is decoded while it commits; at most {@link #MAX_IN_FLIGHT} batches
 * per connection are uncommitted, then {@link #onMessage} waits, which applies back-pressure to the
 * edge. Acks go out in submission order from a virtual thread once the commits returned.
 *
 * <p>Guarantees: an {@code Ack(seq)} is sent only after {@link SampleStore#append} returned, and means
 * every seq ≤ {@code seq} of the VIN is stored or recorded as a gap event. A store failure closes the
 * connection (1011) without an ack; the edge reconnects and resends. A batch that leaves a hole after
 * the stored seq is accepted only when it declares the hole (gap flag, {@code dropped} ≥ the hole);
 * then it is stored and the hole recorded as a {@link VehicleEvent.Kind#GAP} event, never silently
 * ({@link Continuity}). Capture time may not run backwards (a Reject names the seq and the times). A
 * resend of stored seqs is compared with what is stored (capture time and captured signals exact,
 * exact types equal, floats and locations within twice their bound: {@link ResendCheck});
 * a difference is a {@link VehicleEvent.Kind#CONFLICT}: recorded, counted, logged, shown, and the
 * batch refused with a fatal Reject — never acked. A bad message gets a {@code Reject} with the
 * reason, is counted and logged; the one that exhausts the connection's budget, and any
 * authentication failure or VIN mismatch, gets a fatal Reject and the connection is closed (1008).
 *
 * <p>One VIN, one writer: an accepted Hello fences the VIN's older connection — it takes no further
 * message, its in-flight batches finish (committed and acked, or failed), then it is closed (1008,
 * "superseded") — before the newer one reads the stored seq for its Welcome (see {@link Writers}).
 *
 * <p>Before Hello (see {@link ServerConfig.PreAuth}): messages are small, nothing is echoed, anything
 * but a Hello closes the connection, and the Hello must come within the deadline. Every remote string
 * is validated ({@link HelloCheck}) before it is logged or stored, and logged through {@link LogSafe}.
 */
final class IngestConnection {
    private static final Logger log = LoggerFactory.getLogger(IngestConnection.class);
    static final int CLOSE_POLICY = 1008;
    static final int CLOSE_SERVER_ERROR = 1011;

    private final Peer peer;
    private final String remote;
    private final ServerConfig.Limits limits;
    private final TokenStore tokens;
    private final SampleStore store;
    private final Fleet fleet;
    private final LiveHub live;
    private final IngestMetrics metrics;
    private final InstantSource clock;
    private final String address;
    private final Writers writers;
    private final Admission admission;
    private final Catalogues catalogues;

    /** Uncommitted batches a connection may have; the next one waits (back-pressure to the edge). */
    static final int MAX_IN_FLIGHT = 8;

    private static final java.util.concurrent.Executor ACKS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();

    private String vin;
    private VehicleStatus status;
    private FrameDecoder decoder;
    private FrameLayout layout;
    private Continuity continuity;
    private boolean firstBatch = true;
    private int badMessages;
    /** Highest seq this connection knows to be stored (Welcome, then acks); guarded by this. */
    private long known = -1;
    /** The highest stored seq when this connection's Welcome went out: resends are at or below it. */
    private long storedAtWelcome = -1;
    /** Compares resends of stored seqs with the store (from Hello on). */
    private ResendCheck resends;

    private volatile boolean closed;
    /** Set when a newer connection of the VIN takes over: no further batch is taken; guarded by this. */
    private boolean fenced;

    IngestConnection(Peer peer, String remote, IngestContext ctx) {
        this(peer, remote, remote, ctx, new Writers(), null);
    }

    /**
     * @param address the remote address without port, as {@link Admission} counts it
     * @param admission told when the Hello is accepted or failed; null in tests without one
     */
    IngestConnection(
            Peer peer, String remote, String address, IngestContext ctx, Writers writers, Admission admission) {
        this.peer = peer;
        this.remote = remote;
        this.address = address;
        this.writers = writers;
        this.admission = admission;
        this.limits = ctx.limits();
        this.tokens = ctx.tokens();
        this.store = ctx.store();
        this.fleet = ctx.fleet();
        this.live = ctx.live();
        this.metrics = ctx.metrics();
        this.clock = ctx.clock();
        this.catalogues = ctx.catalogues();
    }

    /** Handles one binary WebSocket message. */
    void onMessage(byte[] data) {
        if (closed) {
            return;
        }
        long startNanos = System.nanoTime();
        boolean authenticated = vin != null;
        if (!authenticated && data.length > limits.preAuth().maxMessageBytes()) {
            fatal(
                    "pre_hello_too_large",
                    "TOO_LARGE",
                    "message of " + data.length + " bytes before Hello exceeds the limit of "
                            + limits.preAuth().maxMessageBytes(),
                    0,
                    0);
            return;
        }
        Envelope e;
        try {
            e = WireV2.parse(data, limits.maxMessageBytes());
        } catch (WireException ex) {
            if (!authenticated) {
                fatal("pre_hello_invalid", ex.kind().name(), ex.getMessage(), 0, 0);
                return;
            }
            bad(ex.kind().name(), ex.getMessage(), 0, 0);
            return;
        }
        if (!authenticated && e.getMsgCase() != Envelope.MsgCase.HELLO) {
            // Nothing is answered or echoed before Hello: an unauthenticated socket costs a read only.
            fatal("message_before_hello", "INVALID", "a " + e.getMsgCase() + " before Hello", 0, 0);
            return;
        }
        try {
            switch (e.getMsgCase()) {
                case HELLO -> onHello(e.getHello());
                case BATCH -> onBatch(e.getBatch(), data.length, startNanos);
                case STATUS -> onStatus(e.getStatus());
                case HEARTBEAT -> onHeartbeat(e.getHeartbeat());
                default -> bad("INVALID", "a " + e.getMsgCase() + " message is not accepted from an edge", 0, 0);
            }
        } catch (IllegalStateException ex) {
            // The peer is gone or stopped reading (a send failed); what was committed stays committed,
            // the edge resends what it has no ack for.
            log.info("ingest_send_failed vin={} remote={} error={}", vin, remote, ex.getMessage());
            close(CLOSE_SERVER_ERROR, "send failed");
        }
    }

    /**
     * The transport closed (either side). Jetty may report it inline from a failed send, on the thread
     * that holds the session's send lock ({@code IngestEndpoint.SessionPeer.send}), while a thread
     * draining acks holds this connection's lock and waits for the session's: taking this lock here
     * would close that cycle (a deadlock FaultChaosTest met). So the close is handled on its own thread.
     */
    void onClose() {
        Thread.ofVirtual().name("ingest-closed").start(this::markClosed);
    }

    private synchronized void markClosed() {
        if (closed) {
            return;
        }
        closed = true;
        if (vin != null) {
            finish();
        } else if (admission != null) {
            admission.closedPending(address);
        }
    }

    /** The Hello deadline passed: closes the connection if it is still unauthenticated. */
    synchronized void helloDeadline() {
        if (vin == null && !closed) {
            metrics.reject("HELLO_TIMEOUT");
            log.warn(
                    "ingest_hello_timeout remote={} deadline_ms={}",
                    remote,
                    limits.preAuth().helloDeadline().toMillis());
            close(
                    CLOSE_POLICY,
                    "no Hello within " + limits.preAuth().helloDeadline().toMillis() + " ms");
        }
    }

    /**
     * A newer connection of the same VIN was accepted: take no further batch, let the in-flight ones
     * finish (commit and ack, or fail), then close. Returns when this connection holds no uncommitted
     * batch (or after {@code waitMs}), so the newer one's Welcome tells the truth.
     */
    void fence(String byRemote, long waitMs) {
        synchronized (this) {
            if (closed) {
                return;
            }
            fenced = true;
        }
        boolean drained = false;
        try {
            drained = inFlight.tryAcquire(MAX_IN_FLIGHT, waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (drained) {
                inFlight.release(MAX_IN_FLIGHT);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        metrics.fenced.increment();
        log.warn("ingest_fenced vin={} remote={} by_remote={} in_flight_finished={}", vin, remote, byRemote, drained);
        live.publishLog("warn", vin + ": an older connection was closed, a newer one took over");
        close(CLOSE_POLICY, "superseded by a newer connection of this vehicle");
    }

    private void finish() {
        writers.release(vin, this);
        if (!welcomed) {
            return; // failed during Hello: never counted as connected
        }
        metrics.connections.decrementAndGet();
        status.disconnected(this);
        try {
            store.recordEvent(VehicleEvent.link(vin, clock.millis(), false));
        } catch (StoreException ex) {
            log.warn("link_event_not_stored vin={} error={}", vin, ex.getMessage());
        }
        live.publishLog("info", vin + " disconnected");
        log.info("ingest_disconnected vin={} remote={}", vin, remote);
    }

    /** How long an accepted Hello waits for the VIN's older connection to finish its batches. */
    static final long FENCE_WAIT_MS = 30_000;

    private boolean welcomed;

    /** Synchronized with {@link #onClose}, so a close during Hello never sees half a connection. */
    private synchronized void onHello(Hello hello) {
        if (closed) {
            return;
        }
        if (vin != null) {
            if (vin.equals(hello.getVin())) {
                // The network delivered the Hello twice: the connection is already established, and a
                // Reject would name no batch (its seq range 0..0 reads as "seq 0" to the edge).
                log.debug("ingest_duplicate_hello vin={} remote={}", vin, remote);
                return;
            }
            bad("INVALID", "a second Hello on one connection", 0, 0);
            return;
        }
        try {
            HelloCheck.check(hello);
        } catch (WireException ex) {
            authFailed("invalid_hello", ex.kind().name(), ex.getMessage(), ex.getMessage());
            return;
        }
        java.util.Optional<String> certVin = peer.certificateVin(); // TLS verified it against --client-ca
        if (certVin.isPresent() && !certVin.get().equals(hello.getVin())) {
            metrics.authFailure("vin_mismatch");
            fatal(
                    "vin_mismatch",
                    "VIN_MISMATCH",
                    "Hello for " + hello.getVin() + " with the certificate of " + certVin.get(),
                    0,
                    0);
            return;
        }
        TokenStore.Check check =
                certVin.isPresent() ? TokenStore.Check.OK : tokens.check(hello.getVin(), hello.getToken());
        if (check != TokenStore.Check.OK) {
            // One answer for an unknown VIN and a wrong token, so a caller cannot enumerate VINs;
            // the log and the metric tell them apart.
            String why = check == TokenStore.Check.UNKNOWN_VIN ? "unknown vehicle" : "wrong token";
            authFailed(
                    check.name().toLowerCase(java.util.Locale.ROOT),
                    "AUTH",
                    "authentication failed for " + hello.getVin(),
                    why + " for " + hello.getVin());
            return;
        }
        FrameLayout helloLayout = catalogueOf(hello);
        if (helloLayout == null) {
            return; // refused and closed
        }
        if (admission != null) {
            admission.authenticated(address);
        }
        vin = hello.getVin();
        peer.authenticated(limits.maxMessageBytes());
        IngestConnection older = writers.claim(vin, this);
        if (older != null) {
            older.fence(remote, FENCE_WAIT_MS);
        }
        // Checked again as the VIN's only writer: an older connection may have recorded another
        // catalogue since the check above (two edges of one VIN with different files).
        if (!keepsStoredSignals(vin, helloLayout.catalogue())) {
            return;
        }
        status = fleet.status(vin);
        layout = helloLayout;
        decoder = new FrameDecoder(layout, limits.maxBatchSamples(), limits.maxMessageBytes());
        resends = new ResendCheck(store, vin, layout.catalogue());
        long last;
        try {
            store.upsertVehicle(new Vehicle(vin, emptyToNull(hello.getModel()), emptyToNull(hello.getName())));
            store.useCatalogue(vin, layout.catalogue());
            fleet.catalogueChanged(vin);
            store.recordEvent(VehicleEvent.link(vin, clock.millis(), true));
            io.fleetlog.server.store.VehicleTotals totals = store.totals(vin);
            last = totals.lastSeq();
            continuity =
                    new Continuity(last + 1, totals.lastCaptureMs() >= 0 ? totals.lastCaptureMs() : Long.MIN_VALUE);
            storedAtWelcome = last;
            known = last;
        } catch (StoreException ex) {
            storeFailed(ex);
            return;
        }
        welcomed = true;
        metrics.connections.incrementAndGet();
        status.connected();
        peer.send(Envelope.newBuilder()
                .setWelcome(Welcome.newBuilder()
                        .setProtocolVersion(WireV2.PROTOCOL_VERSION)
                        .setLastStoredSeq(last)
                        .setMaxBatchFrames(limits.maxBatchSamples())
                        .setMaxMessageBytes(limits.maxMessageBytes())
                        .setCatalogueHash(layout.catalogue().hash()))
                .build());
        live.publishLog("info", vin + " connected, server holds up to seq " + last);
        log.info(
                "ingest_connected vin={} remote={} last_stored_seq={} catalogue={} layout_signals={}",
                vin,
                remote,
                last,
                layout.catalogue().shortId(),
                layout.size());
    }

    /**
     * The authenticated Hello's catalogue and layout, or null after a fatal Reject: an unknown
     * catalogue ({@code UNKNOWN_CATALOGUE}), a bad layout, or a catalogue that does not keep the
     * signals the vehicle's stored frames use ({@code INVALID}).
     */
    private FrameLayout catalogueOf(Hello hello) {
        String hash = hello.getCatalogueHash(); // 64 hex digits (HelloCheck): safe to quote
        if (catalogues.find(hash).isEmpty()) {
            fatal(
                    "unknown_catalogue",
                    "UNKNOWN_CATALOGUE",
                    "unknown catalogue " + hash.substring(0, 16) + " for " + hello.getVin()
                            + ": this server holds " + catalogues.shortIds()
                            + " (load the vehicle's catalogue file on the server with --catalogue)",
                    0,
                    0);
            return null;
        }
        FrameLayout l;
        try {
            l = WireV2.checkHello(hello, catalogues::find);
        } catch (WireException ex) {
            fatal("invalid_hello", ex.kind().name(), ex.getMessage(), 0, 0);
            return null;
        }
        return keepsStoredSignals(hello.getVin(), l.catalogue()) ? l : null;
    }

    /**
     * The growth rule: when the store holds frames of {@code v}, {@code offered} must keep every
     * signal of the vehicle's recorded catalogue ({@link Catalogues#growthProblem}). False after a
     * fatal Reject (or a store failure, which closes the connection).
     */
    private boolean keepsStoredSignals(String v, Catalogue offered) {
        String problem;
        try {
            problem = store.lastSeq(v) >= 0 ? Catalogues.growthProblem(store.catalogue(v), offered) : null;
        } catch (StoreException ex) {
            storeFailed(ex);
            return false;
        }
        if (problem != null) {
            fatal(
                    "catalogue_shrinks",
                    "INVALID",
                    "INVALID: catalogue " + offered.shortId() + " cannot replace the one " + v
                            + "'s stored frames use (a vehicle's catalogue may only grow): " + problem,
                    0,
                    0);
            return false;
        }
        return true;
    }

    /** A failed Hello: counted per reason, the address's failure count raised, one answer to the client. */
    private void authFailed(String reason, String kind, String toClient, String toLog) {
        metrics.authFailure(reason);
        long backoffMs = admission == null ? 0 : admission.failed(address);
        metrics.reject(kind);
        log.warn(
                "ingest_auth_failed remote={} reason={} detail=\"{}\" address_backoff_ms={}",
                remote,
                reason,
                LogSafe.of(toLog),
                backoffMs);
        reject(kind, toClient, 0, 0, true);
        close(CLOSE_POLICY, truncate(toClient));
    }

    private void onBatch(Batch batch, int wireBytes, long startNanos) {
        long first = batch.getFirstSeq();
        long count = Integer.toUnsignedLong(batch.getCount());
        long lastDeclared = first + Math.max(0, count - 1);
        if (batch.hasVin() && !batch.getVin().equals(vin)) {
            metrics.authFailure("vin_mismatch");
            fatal(
                    "vin_mismatch",
                    "VIN_MISMATCH",
                    "batch for '" + LogSafe.of(batch.getVin()) + "' on the connection of " + vin,
                    first,
                    lastDeclared);
            return;
        }
        synchronized (this) {
            if (fenced) {
                return; // a newer connection of this vehicle took over: it gets every batch again
            }
        }
        if (count > 0 && first >= 0 && lastDeclared < decoder.nextSeq()) {
            // This connection already decoded these seqs: the network delivered a message twice. The
            // predictors stay in step by skipping it. The original was acked (cumulatively), refused
            // (its Reject went out), or not taken because the connection was closing (the edge resends
            // it on its next connection) — a Reject of the copy would make the edge set aside frames
            // the server may hold or still needs (chaos seed 19 of FaultChaosTest).
            metrics.duplicates.increment(count);
            return;
        }
        DecodedFrames d;
        long skipped;
        try {
            continuity.checkBefore(batch);
            d = decoder.decode(batch);
            skipped = continuity.check(d);
        } catch (WireException ex) {
            bad(ex.kind().name(), ex.getMessage(), first, lastDeclared);
            return;
        }
        if (d.firstSeq() <= storedAtWelcome) {
            String conflict;
            try {
                conflict = resends.compare(d, storedAtWelcome);
            } catch (StoreException ex) {
                storeFailed(ex);
                return;
            }
            if (conflict != null) {
                conflict(d, conflict);
                return;
            }
        }
        try {
            recordGap(d, skipped);
        } catch (StoreException ex) {
            storeFailed(ex);
            return;
        }
        try {
            inFlight.acquire(); // at most MAX_IN_FLIGHT uncommitted batches per connection
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            close(CLOSE_SERVER_ERROR, "server shutting down");
            return;
        }
        Pending p;
        synchronized (this) {
            if (fenced || closed) {
                inFlight.release(); // a newer connection took over: it gets this batch again
                return;
            }
            long duplicates = Math.max(0, Math.min(d.lastSeq(), known) - d.firstSeq() + 1);
            p = new Pending(d, wireBytes, startNanos, duplicates);
            pending.add(p);
            continuity.accepted(d);
        }
        store.appendAsync(vin, samples(d))
                .whenCompleteAsync(
                        (v, ex) -> {
                            p.failure = ex;
                            p.done = true;
                            drainAcks(); // before the permit returns, so a fence sees the ack sent
                            inFlight.release();
                        },
                        ACKS);
    }

    /** The decoded frames as the store takes them: seq and frame (omitted marks kept). */
    static List<Sample> samples(DecodedFrames d) {
        List<Frame> frames = d.frames();
        List<Sample> out = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            out.add(new Sample(d.firstSeq() + i, frames.get(i)));
        }
        return out;
    }

    /** A resend that disagrees with the store: an error event, counted and shown, the batch refused. */
    private void conflict(DecodedFrames d, String what) {
        metrics.conflicts.increment();
        try {
            store.recordEvent(VehicleEvent.conflict(vin, clock.millis(), d.firstSeq(), d.lastSeq(), what));
        } catch (StoreException ex) {
            log.warn("conflict_event_not_stored vin={} error={}", vin, ex.getMessage());
        }
        status.conflict(d.firstSeq(), d.lastSeq(), what);
        live.publishLog(
                "error",
                vin + ": conflicting resend of seqs " + d.firstSeq() + ".." + d.lastSeq() + " refused (" + what + ")");
        log.error(
                "ingest_conflict vin={} remote={} first_seq={} last_seq={} detail=\"{}\"",
                vin,
                remote,
                d.firstSeq(),
                d.lastSeq(),
                what);
        fatal("conflict_rejected", "CONFLICT", "CONFLICT: " + what, d.firstSeq(), d.lastSeq());
    }

    /**
     * Sends the acks of committed batches in submission order: a batch committed before an earlier
     * one waits for it, so a cumulative ack never covers an uncommitted seq. A failed commit closes the
     * connection (1011) and nothing after it is acked.
     */
    private synchronized void drainAcks() {
        while (!pending.isEmpty() && pending.peek().done) {
            Pending p = pending.poll();
            if (closed) {
                continue;
            }
            if (p.failure != null) {
                Throwable c = p.failure instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                        ? ce.getCause()
                        : p.failure;
                storeFailed(c instanceof StoreException se ? se : new StoreException(c.toString(), c));
                continue;
            }
            // Every seq of the batch is now stored, and every seq before it is stored or a recorded gap
            // (batches follow each other, earlier ones are acked first, the first one was checked
            // against the stored seq), so the cumulative ack needs no query.
            long ack = Math.max(known, p.batch.lastSeq());
            known = ack;
            // Counted before the ack goes out: the batch is committed whether or not the ack arrives,
            // and a client that reads the metrics after its ack sees the batch in them.
            account(p.batch, p.wireBytes, p.duplicates);
            try {
                peer.send(Envelope.newBuilder()
                        .setAck(Ack.newBuilder().setSeq(ack))
                        .build());
            } catch (IllegalStateException ex) {
                log.info("ingest_ack_not_sent vin={} remote={} error={}", vin, remote, ex.getMessage());
                close(CLOSE_SERVER_ERROR, "send failed");
                continue;
            }
            metrics.acks.increment();
            metrics.ackLatency.record(System.nanoTime() - p.startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** A batch handed to the store and not acked yet. */
    private static final class Pending {
        final DecodedFrames batch;
        final int wireBytes;
        final long startNanos;
        final long duplicates;
        volatile boolean done;
        volatile Throwable failure;

        Pending(DecodedFrames batch, int wireBytes, long startNanos, long duplicates) {
            this.batch = batch;
            this.wireBytes = wireBytes;
            this.startNanos = startNanos;
            this.duplicates = duplicates;
        }
    }

    /** Records the seqs between the stored seq (or the previous batch) and this batch as a gap event. */
    private void recordGap(DecodedFrames d, long skipped) {
        // Continuity accepted the jump only because the batch declared at least this many dropped.
        long from = d.firstSeq() - skipped;
        String why = "edge declared " + skipped + " samples " + gapCause(d.gap().reason())
                + (firstBatch ? " before its first batch after the stored seq" : "");
        firstBatch = false;
        long to = d.firstSeq() - 1;
        if (to < from || status.gapRecorded(from, to)) {
            return; // no gap, or this one's batch is resent after a failed commit: recorded already
        }
        store.recordEvent(VehicleEvent.gap(vin, clock.millis(), from, to, why));
        long n = to - from + 1;
        metrics.gaps.increment();
        metrics.gapSamples.increment(n);
        status.gap(from, to);
        live.publishLog("warn", vin + ": seqs " + from + ".." + to + " (" + n + ") will never arrive: " + why);
        log.warn("ingest_gap vin={} from_seq={} to_seq={} samples={} reason=\"{}\"", vin, from, to, n, why);
    }

    /** What the edge says happened to the seqs of a gap (Batch.gap_reason). */
    static String gapCause(GapReason gapReason) {
        return switch (gapReason) {
            case CORRUPT -> "corrupt in its spool (failed the checksum, quarantined on the edge)";
            default -> "dropped (spool full)";
        };
    }

    private void account(DecodedFrames d, int wireBytes, long duplicates) {
        List<Frame> frames = d.frames();
        long full = 0;
        long newValues = 0;
        for (int i = 0; i < frames.size(); i++) {
            full += uncompressedBytes(frames.get(i));
            if (i >= duplicates) {
                newValues += frames.get(i).size();
            }
        }
        metrics.batches.increment();
        metrics.bytes.increment(wireBytes);
        status.received(wireBytes, frames.size(), full);
        status.compression(this, SignalStats.of(layout, decoder.stats()));
        status.stored(
                d.firstSeq(),
                d.lastSeq(),
                frames.get(0).timeMs(),
                frames.get(frames.size() - 1).timeMs(),
                frames);
        metrics.samples.increment(frames.size() - duplicates);
        metrics.values.increment(newValues);
        metrics.duplicates.increment(duplicates);
    }

    /**
     * The size of a frame without compression, the figure the wire size is compared with: 8 bytes of
     * capture time, and per captured signal a 2-byte id plus its value (8 bytes a number or integer, 16
     * a position, the UTF-8 of a string, none when unavailable).
     */
    static long uncompressedBytes(Frame f) {
        long n = 8;
        for (int i = 0; i < f.size(); i++) {
            n += 2
                    + switch (f.kind(i)) {
                        case NUMBER, INTEGER -> 8;
                        case POSITION -> 16;
                        case STRING -> f.string(i).length(); // UTF-16 units: close enough for a ratio
                        case UNAVAILABLE -> 0;
                    };
        }
        return n;
    }

    /** Link states an edge may report (EdgeStatus.link_state); anything else is refused, not stored. */
    private static final java.util.Set<String> LINK_STATES =
            java.util.Set.of("OFFLINE", "CONNECTING", "ONLINE", "DRAINING");

    private void onStatus(EdgeStatus s) {
        if (!LINK_STATES.contains(s.getLinkState()) || s.getSpoolDepth() < 0 || s.getDroppedSamples() < 0) {
            bad(
                    "INVALID",
                    "EdgeStatus with link_state '" + LogSafe.of(s.getLinkState()) + "', spool_depth "
                            + s.getSpoolDepth() + ", dropped_samples " + s.getDroppedSamples()
                            + " (link_state one of " + new java.util.TreeSet<>(LINK_STATES) + ", counts >= 0)",
                    0,
                    0);
            return;
        }
        status.edgeReported(
                s.getSpoolDepth(),
                s.getOldestBufferedTimeMs(),
                s.getLinkState(),
                s.getDroppedSamples(),
                s.getNewestCapturedSeq());
        status.edgeSetAside(
                s.getQuarantinedSamples(), s.getRejectedSamples(), s.getSeqConflicts(), s.getRenumberedSamples());
    }

    private void onHeartbeat(Heartbeat h) {
        if (h.getReply()) {
            return; // an echo of a server heartbeat; nothing to do
        }
        peer.send(Envelope.newBuilder()
                .setHeartbeat(
                        Heartbeat.newBuilder().setSentTimeMs(h.getSentTimeMs()).setReply(true))
                .build());
    }

    private void bad(String kind, String reason, long firstSeq, long lastSeq) {
        badMessages++;
        metrics.reject(kind);
        boolean fatal = badMessages >= limits.badMessageBudget();
        log.warn(
                "ingest_rejected vin={} remote={} kind={} first_seq={} last_seq={} bad_messages={} fatal={} reason=\"{}\"",
                vin,
                remote,
                kind,
                firstSeq,
                lastSeq,
                badMessages,
                fatal,
                reason);
        reject(kind, reason, firstSeq, lastSeq, fatal);
        if (fatal) {
            close(CLOSE_POLICY, "bad message budget of " + limits.badMessageBudget() + " exhausted");
        }
    }

    private void fatal(String event, String kind, String reason, long firstSeq, long lastSeq) {
        metrics.reject(kind);
        log.warn("ingest_{} vin={} remote={} reason=\"{}\"", event, vin, remote, reason);
        reject(kind, reason, firstSeq, lastSeq, true);
        close(CLOSE_POLICY, truncate(reason));
    }

    private void reject(String kind, String reason, long firstSeq, long lastSeq, boolean fatal) {
        try {
            peer.send(Envelope.newBuilder()
                    .setReject(Reject.newBuilder()
                            .setFirstSeq(firstSeq)
                            .setLastSeq(lastSeq)
                            .setReason(reason)
                            .setFatal(fatal)
                            .setCode(code(kind)))
                    .build());
        } catch (RuntimeException ex) {
            log.debug("reject_not_sent vin={} error={}", vin, ex.getMessage());
        }
    }

    /** The Reject code of a refusal kind (the metric's tag). */
    static RejectCode code(String kind) {
        return switch (kind) {
            case "MALFORMED" -> RejectCode.MALFORMED;
            case "TOO_LARGE" -> RejectCode.TOO_LARGE;
            case "SEQ_NOT_FOLLOWING" -> RejectCode.SEQ_NOT_FOLLOWING;
            case "OUT_OF_RANGE", "TIME_BACKWARDS" -> RejectCode.OUT_OF_RANGE;
            case "UNSUPPORTED_VERSION" -> RejectCode.UNSUPPORTED_VERSION;
            case "UNKNOWN_CATALOGUE" -> RejectCode.UNKNOWN_CATALOGUE;
            case "CONFLICT" -> RejectCode.CONFLICT;
            case "AUTH", "VIN_MISMATCH" -> RejectCode.UNAUTHORIZED;
            default -> RejectCode.INVALID;
        };
    }

    private void storeFailed(StoreException ex) {
        metrics.storeFailures.increment();
        log.error("ingest_store_failed vin={} remote={} error={}", vin, remote, ex.getMessage());
        live.publishLog("error", "store failure for " + vin + ": " + ex.getMessage());
        close(CLOSE_SERVER_ERROR, "store failure; reconnect and resend");
    }

    private void close(int code, String reason) {
        markClosed();
        peer.close(code, reason);
    }

    private static String truncate(String s) {
        return s.length() > 120 ? s.substring(0, 120) : s; // close reasons are limited to 123 bytes
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
