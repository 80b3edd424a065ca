package io.fleetlog.server.ingest;

import io.fleetlog.codec.BatchDecoder;
import io.fleetlog.codec.DecodedBatch;
import io.fleetlog.codec.FullSamples;
import io.fleetlog.codec.Wire;
import io.fleetlog.codec.WireException;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.fleet.VehicleStatus;
import io.fleetlog.server.live.LiveHub;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.wire.v1.Ack;
import io.fleetlog.wire.v1.Batch;
import io.fleetlog.wire.v1.EdgeStatus;
import io.fleetlog.wire.v1.Envelope;
import io.fleetlog.wire.v1.Heartbeat;
import io.fleetlog.wire.v1.Hello;
import io.fleetlog.wire.v1.Reject;
import io.fleetlog.wire.v1.Welcome;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One edge's ingest connection: authenticate, decode with the connection's predictor, store, ack.
 *
 * <p>States: awaiting Hello → ready (after Welcome) → closed. Messages are handled one at a time in
 * arrival order (the WebSocket layer delivers them so). A decoded batch is handed to the store
 * asynchronously, so the next one is decoded while it commits; at most {@link #MAX_IN_FLIGHT} batches
 * per connection are uncommitted, then {@link #onMessage} waits, which applies back-pressure to the
 * edge. Acks go out in submission order from a virtual thread once the commits returned.
 *
 * <p>Guarantees: an {@code Ack(seq)} is sent only after {@link SampleStore#append} returned, and means
 * every seq ≤ {@code seq} of the VIN is stored or recorded as a gap event. A store failure closes the
 * connection (1011) without an ack; the edge reconnects and resends, which is idempotent. A batch
 * that leaves a hole after the stored seq (the edge dropped samples) is stored and the hole recorded
 * as a {@link VehicleEvent.Kind#GAP} event, never silently. A bad message gets a {@code Reject} with
 * the reason, is counted and logged; the one that exhausts the connection's budget, and any
 * authentication failure or VIN mismatch, gets a fatal Reject and the connection is closed (1008).
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

    /** Uncommitted batches a connection may have; the next one waits (back-pressure to the edge). */
    static final int MAX_IN_FLIGHT = 8;

    private static final java.util.concurrent.Executor ACKS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();

    private String vin;
    private VehicleStatus status;
    private BatchDecoder decoder;
    private boolean firstBatch = true;
    private int badMessages;
    /** Highest seq this connection knows to be stored (Welcome, then acks); guarded by this. */
    private long known = -1;

    private volatile boolean closed;

    IngestConnection(Peer peer, String remote, IngestContext ctx) {
        this.peer = peer;
        this.remote = remote;
        this.limits = ctx.limits();
        this.tokens = ctx.tokens();
        this.store = ctx.store();
        this.fleet = ctx.fleet();
        this.live = ctx.live();
        this.metrics = ctx.metrics();
        this.clock = ctx.clock();
    }

    /** Handles one binary WebSocket message. */
    void onMessage(byte[] data) {
        if (closed) {
            return;
        }
        long startNanos = System.nanoTime();
        Envelope e;
        try {
            e = Wire.parse(data, limits.maxMessageBytes());
        } catch (WireException ex) {
            bad(ex.kind().name(), ex.getMessage(), 0, 0);
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

    /** The transport closed (either side). */
    synchronized void onClose() {
        if (vin != null && !closed) {
            closed = true;
            finish();
        }
        closed = true;
    }

    private void finish() {
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
            Wire.checkHello(hello);
        } catch (WireException ex) {
            fatal("hello_rejected", ex.kind().name(), ex.getMessage(), 0, 0);
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
            metrics.authFailure(check.name().toLowerCase(java.util.Locale.ROOT));
            String reason = check == TokenStore.Check.UNKNOWN_VIN
                    ? "unknown vehicle " + hello.getVin()
                    : "wrong token for " + hello.getVin();
            fatal("auth_failed", "AUTH", reason, 0, 0);
            return;
        }
        vin = hello.getVin();
        status = fleet.status(vin);
        decoder = new BatchDecoder(limits.maxBatchSamples());
        long last;
        try {
            store.upsertVehicle(new Vehicle(vin, emptyToNull(hello.getModel()), emptyToNull(hello.getName())));
            store.recordEvent(VehicleEvent.link(vin, clock.millis(), true));
            last = store.lastSeq(vin);
            synchronized (this) {
                known = last;
            }
        } catch (StoreException ex) {
            storeFailed(ex);
            return;
        }
        metrics.connections.incrementAndGet();
        status.connected();
        peer.send(Envelope.newBuilder()
                .setWelcome(Welcome.newBuilder()
                        .setProtocolVersion(Wire.PROTOCOL_VERSION)
                        .setLastStoredSeq(last)
                        .setMaxBatchSamples(limits.maxBatchSamples())
                        .setMaxMessageBytes(limits.maxMessageBytes()))
                .build());
        live.publishLog("info", vin + " connected, server holds up to seq " + last);
        log.info("ingest_connected vin={} remote={} last_stored_seq={}", vin, remote, last);
    }

    private void onBatch(Batch batch, int wireBytes, long startNanos) {
        if (vin == null) {
            fatal("batch_before_hello", "INVALID", "a Batch before Hello", 0, 0);
            return;
        }
        long first = batch.getFirstSeq();
        long lastDeclared = first + Math.max(0, batch.getSamplesCount() - 1);
        if (batch.hasVin() && !batch.getVin().equals(vin)) {
            metrics.authFailure("vin_mismatch");
            fatal(
                    "vin_mismatch",
                    "VIN_MISMATCH",
                    "batch for " + batch.getVin() + " on the connection of " + vin,
                    first,
                    lastDeclared);
            return;
        }
        if (batch.getSamplesCount() > 0 && decoder.nextSeq() >= 0 && lastDeclared < decoder.nextSeq()) {
            // This connection already decoded these seqs: the network delivered a frame twice. The
            // predictors stay in step by skipping it; the original's (cumulative) ack covers it.
            metrics.duplicates.increment(batch.getSamplesCount());
            return;
        }
        DecodedBatch d;
        try {
            d = decoder.decode(batch);
        } catch (WireException ex) {
            bad(ex.kind().name(), ex.getMessage(), first, lastDeclared);
            return;
        }
        try {
            recordGap(d);
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
            long duplicates = Math.max(0, Math.min(d.lastSeq(), known) - d.firstSeq() + 1);
            p = new Pending(d, wireBytes, startNanos, duplicates);
            pending.add(p);
        }
        store.appendAsync(vin, d.samples())
                .whenCompleteAsync(
                        (v, ex) -> {
                            p.failure = ex;
                            p.done = true;
                            inFlight.release();
                            drainAcks();
                        },
                        ACKS);
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
            account(p.batch, p.wireBytes, p.duplicates);
        }
    }

    /** A batch handed to the store and not acked yet. */
    private static final class Pending {
        final DecodedBatch batch;
        final int wireBytes;
        final long startNanos;
        final long duplicates;
        volatile boolean done;
        volatile Throwable failure;

        Pending(DecodedBatch batch, int wireBytes, long startNanos, long duplicates) {
            this.batch = batch;
            this.wireBytes = wireBytes;
            this.startNanos = startNanos;
            this.duplicates = duplicates;
        }
    }

    /** Records the seqs between the stored seq (or the previous batch) and this batch as a gap event. */
    private void recordGap(DecodedBatch d) {
        long from;
        String why;
        if (firstBatch) {
            firstBatch = false;
            from = store.lastSeq(vin) + 1;
            why = "first batch of the connection starts after the stored seq";
        } else {
            from = d.firstSeq() - d.skippedBefore();
            why = "edge declared dropped samples";
        }
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

    private void account(DecodedBatch d, int wireBytes, long duplicates) {
        List<Sample> samples = d.samples();
        long full = 0;
        for (Sample s : samples) {
            full += FullSamples.serializedSize(vin, s);
        }
        metrics.batches.increment();
        metrics.bytes.increment(wireBytes);
        status.received(wireBytes, samples.size(), full);
        status.compression(this, decoder.stats());
        Sample newest = samples.get(samples.size() - 1);
        status.stored(d.firstSeq(), d.lastSeq(), samples.get(0).captureTimeMs(), newest.captureTimeMs(), newest);
        metrics.samples.increment(samples.size() - duplicates);
        metrics.duplicates.increment(duplicates);
    }

    private void onStatus(EdgeStatus s) {
        if (vin == null) {
            fatal("status_before_hello", "INVALID", "an EdgeStatus before Hello", 0, 0);
            return;
        }
        status.edgeReported(s.getSpoolDepth(), s.getOldestBufferedTimeMs(), s.getLinkState(), s.getDroppedSamples());
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
        reject(reason, firstSeq, lastSeq, fatal);
        if (fatal) {
            close(CLOSE_POLICY, "bad message budget of " + limits.badMessageBudget() + " exhausted");
        }
    }

    private void fatal(String event, String kind, String reason, long firstSeq, long lastSeq) {
        metrics.reject(kind);
        log.warn("ingest_{} vin={} remote={} reason=\"{}\"", event, vin, remote, reason);
        reject(reason, firstSeq, lastSeq, true);
        close(CLOSE_POLICY, truncate(reason));
    }

    private void reject(String reason, long firstSeq, long lastSeq, boolean fatal) {
        try {
            peer.send(Envelope.newBuilder()
                    .setReject(Reject.newBuilder()
                            .setFirstSeq(firstSeq)
                            .setLastSeq(lastSeq)
                            .setReason(reason)
                            .setFatal(fatal))
                    .build());
        } catch (RuntimeException ex) {
            log.debug("reject_not_sent vin={} error={}", vin, ex.getMessage());
        }
    }

    private void storeFailed(StoreException ex) {
        metrics.storeFailures.increment();
        log.error("ingest_store_failed vin={} remote={} error={}", vin, remote, ex.getMessage());
        live.publishLog("error", "store failure for " + vin + ": " + ex.getMessage());
        close(CLOSE_SERVER_ERROR, "store failure; reconnect and resend");
    }

    private synchronized void close(int code, String reason) {
        if (vin != null && !closed) {
            closed = true;
            finish();
        }
        closed = true;
        peer.close(code, reason);
    }

    private static String truncate(String s) {
        return s.length() > 120 ? s.substring(0, 120) : s; // close reasons are limited to 123 bytes
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
