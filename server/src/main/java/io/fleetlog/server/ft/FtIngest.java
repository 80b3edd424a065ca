package io.fleetlog.server.ft;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.ft.FtEvents;
import io.fleetlog.ft.FtFormatException;
import io.fleetlog.ft.FtIdentity;
import io.fleetlog.ft.FtIdentity.FtIdentityException;
import io.fleetlog.ft.FtStream;
import io.fleetlog.ft.FtWriter;
import io.fleetlog.ft.PayloadFrames;
import io.fleetlog.ft.proto.Payload;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.live.LiveHub;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.store.VehicleTotals;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Fleet Telemetry listener does with one message of a car whose VIN came from its verified
 * certificate: {@link #handle} returns the reply (an ack or an error envelope), after the store's
 * commit for a stored record. Independent of the transport, so it is tested without sockets too.
 *
 * <p>Rules (docs/fleet-telemetry.md):
 *
 * <ul>
 *   <li>The VIN is the certificate's; a stream whose senderId or payload {@code vin} names another
 *       VIN gets an error reply and nothing is stored.
 *   <li>Topic {@code V}: the payload becomes one frame in the vehicle's catalogue (the store's, which
 *       is the built-in one for a car first seen here) and is stored as the VIN's next seq (highest
 *       stored + 1: the server numbers Fleet Telemetry cars). The ack is sent only after the commit
 *       returned. Per VIN, records are handled one at a time (a lock), so two connections of one car
 *       cannot take the same seq.
 *   <li>Resends: a per-VIN in-memory LRU of the last {@value #TXIDS_PER_VIN} txids says "already
 *       stored" cheaply; after a restart (LRU empty) or for an older txid, a record whose capture time
 *       is not newer than the newest stored frame is compared with what is stored at exactly that
 *       capture time — an equal frame is a resend. Both are acked and not stored again. Why not a
 *       txid table in the store: that needs a schema change in both stores (not this step's); the
 *       stored frame is the durable truth, and the LRU only saves the read.
 *   <li>Time may not run backwards per VIN: a record older than the newest stored frame that is not
 *       a resend is <em>acked and not stored</em> (counted {@code ft_out_of_order}, logged, shown on
 *       the live feed) — an error reply would make the car resend it forever. A record at the same
 *       capture time with other values is stored as the next seq.
 *   <li>A {@code V} record with no storable value is acked and counted, not stored.
 *   <li>Unknown message types are acked (the car stops resending); undecodable envelopes or payloads
 *       and oversized messages get an error reply. Records of the topics {@code alerts}, {@code errors}
 *       and {@code connectivity} become vehicle events ({@link FtEvents}), stored before the ack and
 *       not stored twice; other topics are acked and counted, and shown on the live feed (bounded).
 *   <li>A car silent for longer than the gap threshold gets an {@code ARRIVAL_GAP} event when its
 *       next record arrives; a record dropped for running backwards an {@code OUT_OF_ORDER} event.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FtIngest {
    private static final Logger log = LoggerFactory.getLogger(FtIngest.class);

    /** Txids remembered per VIN (most recent). */
    public static final int TXIDS_PER_VIN = 1024;

    private final SampleStore store;
    private final Fleet fleet;
    private final LiveHub live;
    private final FtMetrics metrics;
    private final InstantSource clock;
    private final long arrivalGapMs;
    private final Map<String, VinState> vins = new ConcurrentHashMap<>();

    public FtIngest(SampleStore store, Fleet fleet, LiveHub live, FtMetrics metrics, InstantSource clock) {
        this(store, fleet, live, metrics, clock, FtConfig.DEFAULT_ARRIVAL_GAP);
    }

    /** As above; a car silent for longer than {@code arrivalGap} gets an {@code ARRIVAL_GAP} event. */
    public FtIngest(
            SampleStore store,
            Fleet fleet,
            LiveHub live,
            FtMetrics metrics,
            InstantSource clock,
            java.time.Duration arrivalGap) {
        this.store = store;
        this.fleet = fleet;
        this.live = live;
        this.metrics = metrics;
        this.clock = clock;
        this.arrivalGapMs = arrivalGap.toMillis();
    }

    private static final class VinState {
        final ReentrantLock lock = new ReentrantLock();
        boolean registered;
        PayloadFrames frames;
        /** Server time the car's last record arrived (-1: none since this server started). */
        long lastArrivalMs = -1;

        final LinkedHashMap<String, Long> txids = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
                return size() > TXIDS_PER_VIN;
            }
        };
    }

    private VinState state(String vin) {
        return vins.computeIfAbsent(vin, v -> new VinState());
    }

    public FtMetrics metrics() {
        return metrics;
    }

    /**
     * A car connected: registers the vehicle (built-in catalogue) on first contact, records the link.
     *
     * @throws StoreException when the store cannot record it
     */
    public void connected(String vin) {
        VinState st = state(vin);
        st.lock.lock();
        try {
            register(vin, st);
            store.recordEvent(VehicleEvent.link(vin, clock.millis(), true));
        } finally {
            st.lock.unlock();
        }
        fleet.status(vin).connected();
        live.publishLog("info", vin + " connected over Fleet Telemetry");
    }

    /** The car's connection closed. */
    public void disconnected(String vin, Object connection) {
        try {
            store.recordEvent(VehicleEvent.link(vin, clock.millis(), false));
        } catch (StoreException e) {
            log.warn("ft_offline_event_not_stored vin={} error={}", vin, e.getMessage());
        }
        fleet.status(vin).disconnected(connection);
        live.publishLog("info", vin + " disconnected (Fleet Telemetry)");
    }

    private void register(String vin, VinState st) {
        if (st.registered) {
            return;
        }
        if (store.vehicle(vin).isEmpty()) {
            store.upsertVehicle(new Vehicle(vin, null, null));
            store.useCatalogue(vin, Catalogue.builtin());
            fleet.catalogueChanged(vin);
        }
        // a vehicle known from an edge keeps its catalogue (the built-in one or an extension of it)
        st.frames = new PayloadFrames(store.catalogue(vin));
        st.registered = true;
    }

    /**
     * Handles one binary message of the car {@code vin} and returns the reply to send (an ack or an
     * error envelope). For a stored record, returns after the commit.
     */
    public byte[] handle(String vin, byte[] message) {
        if (message.length > FtEnvelope.MAX_MESSAGE_BYTES) {
            metrics.refused("too_large");
            log.warn("ft_refused vin={} reason=too_large bytes={}", vin, message.length);
            return FtWriter.error(
                    new byte[0],
                    "message of " + message.length + " bytes is over the limit of " + FtEnvelope.MAX_MESSAGE_BYTES
                            + " bytes");
        }
        FtEnvelope env;
        try {
            env = FtEnvelope.parse(message);
        } catch (FtFormatException e) {
            metrics.refused("undecodable");
            log.warn("ft_refused vin={} reason=undecodable error=\"{}\"", vin, e.getMessage());
            return FtWriter.error(new byte[0], e.getMessage());
        }
        if (env.messageType() != FtEnvelope.TYPE_STREAM || env.stream() == null) {
            metrics.unknownType.increment();
            log.info("ft_unknown_message_type vin={} type={} txid={}", vin, env.messageType(), env.txidShown());
            return FtWriter.ack(env.txid(), env.topic());
        }
        FtStream s = env.stream();
        String topic = env.topicText();
        metrics.record(topic, message.length);
        try {
            FtIdentity.checkSender(vin, s.senderId());
        } catch (FtIdentityException e) {
            return otherVin(vin, env, e);
        }
        if (FtEvents.isEventTopic(topic)) {
            return events(vin, env, s, topic);
        }
        if (!FtEnvelope.TOPIC_VEHICLE_DATA.equals(topic)) {
            return otherTopic(vin, env, s);
        }
        Payload payload;
        try {
            payload = PayloadFrames.decode(s.payload());
            FtIdentity.checkPayloadVin(vin, payload.getVin());
        } catch (FtFormatException e) {
            return badPayload(vin, env, e);
        } catch (FtIdentityException e) {
            return otherVin(vin, env, e);
        }
        VinState st = state(vin);
        st.lock.lock();
        try {
            register(vin, st);
            PayloadFrames.Result r;
            try {
                r = st.frames.frame(payload);
            } catch (FtFormatException e) {
                return badPayload(vin, env, e);
            }
            for (PayloadFrames.Problem p : r.problems()) {
                metrics.problems(p.kind().name().toLowerCase(java.util.Locale.ROOT), 1);
            }
            if (r.problemCount() > r.problems().size()) {
                metrics.problems(
                        "beyond_detail", r.problemCount() - r.problems().size());
            }
            arrived(vin, st, r.frame().timeMs());
            return store(vin, st, env, r.frame());
        } catch (StoreException e) {
            metrics.refused("store_failed");
            log.error("ft_store_failed vin={} txid={} error={}", vin, env.txidShown(), e.getMessage());
            live.publishLog("error", "store failure for " + vin + ": " + e.getMessage());
            return FtWriter.error(env.txid(), "not stored, send again: store failure");
        } finally {
            st.lock.unlock();
        }
    }

    /** Under the VIN's lock: resend check, time order, append, then the ack. */
    private byte[] store(String vin, VinState st, FtEnvelope env, Frame frame) {
        String txid = env.txidKey();
        long t = frame.timeMs();
        if (!txid.isEmpty() && st.txids.containsKey(txid)) {
            metrics.resends.increment();
            return ack(env);
        }
        if (frame.isEmpty()) {
            metrics.empty.increment();
            return ack(env);
        }
        VehicleTotals totals = store.totals(vin);
        if (totals.lastSeq() >= 0 && t <= totals.lastCaptureMs()) {
            for (Sample s : store.stored(vin, 0, totals.lastSeq(), t, t)) {
                if (s.frame().equals(frame)) {
                    remember(st, txid, t);
                    metrics.resends.increment();
                    return ack(env);
                }
            }
            if (t < totals.lastCaptureMs()) {
                metrics.outOfOrder.increment();
                String what = vin + ": Fleet Telemetry record " + env.txidShown() + " captured at "
                        + java.time.Instant.ofEpochMilli(t)
                        + " is older than the newest stored frame ("
                        + java.time.Instant.ofEpochMilli(totals.lastCaptureMs())
                        + "): acked, not stored (time may not run backwards)";
                log.warn(
                        "ft_out_of_order vin={} txid={} capture_ms={} newest_ms={}",
                        vin,
                        env.txidShown(),
                        t,
                        totals.lastCaptureMs());
                live.publishLog("warn", what);
                store.recordEvent(VehicleEvent.note(vin, t, VehicleEvent.Kind.OUT_OF_ORDER, what));
                remember(st, txid, t);
                return ack(env);
            }
        }
        long seq = totals.lastSeq() + 1;
        Sample sample = new Sample(seq, frame);
        store.append(vin, List.of(sample)); // returns after the commit
        remember(st, txid, t);
        metrics.stored.increment();
        fleet.status(vin)
                .received(env.stream().payload().length, 1, env.stream().payload().length);
        fleet.status(vin).stored(seq, seq, t, t, List.of(sample.frame()));
        return ack(env);
    }

    private static void remember(VinState st, String txid, long t) {
        if (!txid.isEmpty()) {
            st.txids.put(txid, t);
        }
    }

    private byte[] ack(FtEnvelope env) {
        metrics.acked(env.topicText());
        return FtWriter.ack(env.txid(), env.topic());
    }

    /** A payload that does not decode or map: an error reply, counted and logged. */
    private byte[] badPayload(String vin, FtEnvelope env, FtFormatException e) {
        metrics.refused("bad_payload");
        log.warn(
                "ft_refused vin={} reason=bad_payload topic={} txid={} error=\"{}\"",
                vin,
                FtMetrics.recordType(env.topicText()),
                env.txidShown(),
                e.getMessage());
        return FtWriter.error(env.txid(), e.getMessage());
    }

    private byte[] otherVin(String vin, FtEnvelope env, FtIdentityException e) {
        metrics.refused("other_vin");
        log.warn("ft_refused vin={} reason=other_vin txid={} error=\"{}\"", vin, env.txidShown(), e.getMessage());
        live.publishLog("warn", vin + ": a Fleet Telemetry record naming another VIN was refused");
        return FtWriter.error(env.txid(), e.getMessage());
    }

    /**
     * Under the VIN's lock, before a record is stored: a car silent for longer than the gap threshold
     * gets an {@code ARRIVAL_GAP} event (recorded once per silence: the arrival time moves on even
     * when the record turns out to be a resend).
     */
    private void arrived(String vin, VinState st, long captureMs) {
        long now = clock.millis();
        long last = st.lastArrivalMs;
        st.lastArrivalMs = now;
        if (last < 0 || now - last <= arrivalGapMs) {
            return;
        }
        String what = "no Fleet Telemetry record arrived for " + (now - last) / 1000 + " s (since "
                + java.time.Instant.ofEpochMilli(last) + "); the next was captured "
                + Math.max(0, now - captureMs) / 1000 + " s before it arrived";
        store.recordEvent(VehicleEvent.note(vin, now, VehicleEvent.Kind.ARRIVAL_GAP, what));
        metrics.arrivalGaps.increment();
        log.info("ft_arrival_gap vin={} silent_ms={} capture_age_ms={}", vin, now - last, now - captureMs);
    }

    /**
     * alerts, errors, connectivity: each item becomes a vehicle event, stored before the ack; a record
     * whose events are all stored already (a resend, also after a restart) is acked, not stored again.
     */
    private byte[] events(String vin, FtEnvelope env, FtStream s, String topic) {
        FtEvents.Decoded d;
        try {
            d = FtEvents.decode(topic, s.payload(), vin);
        } catch (FtFormatException e) {
            return badPayload(vin, env, e);
        } catch (FtIdentityException e) {
            return otherVin(vin, env, e);
        }
        VinState st = state(vin);
        st.lock.lock();
        try {
            register(vin, st);
            String txid = env.txidKey();
            if (!txid.isEmpty() && st.txids.containsKey(txid)) {
                metrics.resends.increment();
                return ack(env);
            }
            int stored = 0;
            for (FtEvents.Event e : d.events()) {
                VehicleEvent ve = VehicleEvent.note(vin, e.tMs(), kindOf(e.kind()), e.detail());
                if (!store.events(vin, e.tMs(), e.tMs() + 1).contains(ve)) {
                    store.recordEvent(ve);
                    stored++;
                }
            }
            if (stored == 0 && !d.events().isEmpty()) {
                metrics.resends.increment();
            }
            metrics.eventsStored(topic, stored);
            if (d.dropped() > 0) {
                metrics.problems("events_beyond_limit", d.dropped());
            }
            remember(st, txid, -1);
            if (stored > 0) {
                live.publishLog(
                        "info",
                        vin + ": " + d.events().get(0).detail()
                                + (d.events().size() > 1 ? " (+" + (d.events().size() - 1) + " more)" : ""));
            }
            return ack(env);
        } catch (StoreException e) {
            metrics.refused("store_failed");
            log.error("ft_store_failed vin={} topic={} txid={} error={}", vin, topic, env.txidShown(), e.getMessage());
            return FtWriter.error(env.txid(), "not stored, send again: store failure");
        } finally {
            st.lock.unlock();
        }
    }

    private static VehicleEvent.Kind kindOf(FtEvents.Kind k) {
        return switch (k) {
            case ALERT -> VehicleEvent.Kind.ALERT;
            case ERROR -> VehicleEvent.Kind.ERROR;
            case CONNECTIVITY -> VehicleEvent.Kind.CONNECTIVITY;
        };
    }

    /** Any other topic: acked, counted, shown (bounded). */
    private byte[] otherTopic(String vin, FtEnvelope env, FtStream s) {
        String topic = FtMetrics.recordType(env.topicText());
        log.info("ft_record vin={} topic={} txid={} bytes={}", vin, topic, env.txidShown(), s.payload().length);
        live.publishLog("info", vin + ": Fleet Telemetry " + topic + " record (" + s.payload().length + " bytes)");
        return ack(env);
    }
}
