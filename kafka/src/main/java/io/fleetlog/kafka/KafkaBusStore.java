package io.fleetlog.kafka;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.store.ForwardingSampleStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.StoreWrite;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.store.VehicleTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of an <b>ingest replica</b>: every write ({@link #append}, {@link #appendAsync}, {@link
 * #recordEvent}, {@link #upsertVehicle}, {@link #useCatalogue}) becomes one Kafka record keyed by VIN
 * ({@link Records}) and returns, or completes, only when Kafka acknowledged it ({@code acks=all},
 * idempotent producer, at most 5 requests in flight, so one VIN's records keep their order even when
 * retried). Ingest acks the edge after that — the durable step in bus mode — without knowing Kafka is
 * there. A {@link Sink} writes the records to the database; reads go to {@code delegate}, that
 * database, which lags by the sink's delay.
 *
 * <p>So that an edge is not asked to resend what is in Kafka but not stored yet, {@link #totals}
 * (and {@link #lastSeq}, the {@code Welcome}) answer the highest of the database's seq and the
 * highest seq known to be in Kafka for the VIN: what this replica had acknowledged, and — read at each
 * ONLINE link event, which a Hello records before its Welcome — every append of the VIN in its
 * partition from the sink group's stored offset to the end ({@link PartitionTail}), whichever replica
 * produced it. After a failed produce of a VIN, later acknowledged records of it do not raise that
 * seq, and later batches of it are refused without being sent, until the failed seqs are produced
 * again. {@link #catalogue} answers the catalogue this replica recorded last. {@link #stored}
 * (resends below the stored seq) waits up to {@code sinkWait} for the sink to store the seqs known in
 * Kafka, then reads the database; when the sink is later, it throws {@link StoreException} (the
 * connection closes, the edge resends later). Sample counts ({@link #count}) are the database's.
 *
 * <p>One writer per VIN across replicas ({@link Fencing}): every record carries this replica's id in
 * a header; an append is acknowledged only when this replica's {@link FenceWatch} read it in its
 * partition with no ONLINE event of another replica before it — else it fails (the connection
 * closes) and the sink drops it by the same rule.
 *
 * Failure: a record Kafka did not acknowledge within the delivery timeout fails its call with a
 * {@link StoreException}; nothing is retried here. Thread-safe.
 */
public final class KafkaBusStore extends ForwardingSampleStore {
    private static final Logger log = LoggerFactory.getLogger(KafkaBusStore.class);

    /** The largest record value (a batch of 65,536 frames fits); the topic and producer allow it. */
    public static final int MAX_RECORD_BYTES = 8 << 20;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration sinkWait;
    private final PartitionTail tail;
    private final String sinkGroup;
    private final String replicaId;
    private final FenceWatch watch;
    private final byte[] writerHeader;
    private final Map<String, Produced> produced = new ConcurrentHashMap<>();
    private final Map<String, Catalogue> catalogues = new ConcurrentHashMap<>();
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Timer produceLatency;
    private final Counter records;
    private final Counter samples;
    private final Counter failures;
    private final Counter fenced;
    private final Timer verdictLatency;
    private final Timer tailRead;
    private volatile boolean closed;

    KafkaBusStore(SampleStore delegate, Producer<byte[], byte[]> producer, String topic, Duration sinkWait) {
        this(delegate, producer, topic, sinkWait, null, null, "replica-test", null);
    }

    /**
     * @param tail reader of a VIN's partition at each ONLINE link event (null: this replica's own
     *     records only, as in a one-replica test)
     * @param sinkGroup the consumer group whose stored offsets tell where the unstored tail starts
     * @param replicaId this replica's name in its link events ({@link #replicaTag}) and in the header
     *     of each of its records ({@link Fencing})
     * @param watch confirms that this replica still owned the VIN where each append landed (null: not
     *     checked, as in a one-replica test)
     */
    KafkaBusStore(
            SampleStore delegate,
            Producer<byte[], byte[]> producer,
            String topic,
            Duration sinkWait,
            PartitionTail tail,
            String sinkGroup,
            String replicaId,
            FenceWatch watch) {
        super(delegate);
        checkReplicaId(replicaId);
        this.producer = producer;
        this.topic = topic;
        this.sinkWait = sinkWait;
        this.tail = tail;
        this.sinkGroup = sinkGroup;
        this.replicaId = replicaId;
        this.writerHeader = replicaId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.watch = watch;
        produceLatency = Timer.builder("fleetlog.kafka.produce")
                .description("from a write handed to Kafka until Kafka acknowledged it (acks=all)")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        records = Counter.builder("fleetlog.kafka.records.produced")
                .description("records Kafka acknowledged")
                .register(meters);
        samples = Counter.builder("fleetlog.kafka.samples.produced")
                .description("frames in the records Kafka acknowledged")
                .register(meters);
        failures = Counter.builder("fleetlog.kafka.produce.failures")
                .description("records Kafka did not acknowledge (the write failed, no ack to the edge)")
                .register(meters);
        verdictLatency = Timer.builder("fleetlog.kafka.fence.verdict")
                .description("from Kafka's ack of an append until the fence watch read it (added to the edge's ack)")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        tailRead = Timer.builder("fleetlog.kafka.tail.read")
                .description("a Hello's read of its VIN's partition from the sink's stored offset to the end")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        if (watch != null) {
            io.micrometer.core.instrument.Gauge.builder("fleetlog.kafka.watch.lag.records", watch, FenceWatch::lag)
                    .description("records the fence watch is behind the ends of the topic's partitions")
                    .register(meters);
        }
        fenced = Counter.builder("fleetlog.kafka.appends.fenced")
                .description("appends that landed after another replica took their VIN over (not acked, not stored)")
                .register(meters);
    }

    /**
     * Opens the producer of {@code config} (the topic is not created here: {@link Topics#ensure}) and
     * a reader of partition tails in front of {@code delegate}, the database the sinks of {@code
     * sinkGroup} write; this store then owns all three.
     */
    public static KafkaBusStore open(SampleStore delegate, BusConfig config, String sinkGroup, String replicaId) {
        checkReplicaId(replicaId);
        return new KafkaBusStore(
                delegate,
                new KafkaProducer<>(producerConfig(config)),
                config.topic(),
                SINK_WAIT,
                PartitionTail.open(config, TAIL_TIMEOUT),
                sinkGroup,
                replicaId,
                FenceWatch.start(config, replicaId));
    }

    /** A replica id is 1..100 characters of letters, digits, '.', '_', ':', '-'. */
    public static void checkReplicaId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9._:\\-]{1,100}")) {
            throw new IllegalArgumentException(
                    "replica id '" + id + "' is not 1..100 characters of letters, digits, '.', '_', ':', '-'");
        }
    }

    /** The start of the detail of this replica's link events: {@code replica=ID}. */
    String replicaTag() {
        return "replica=" + replicaId;
    }

    /** How long a Hello may spend reading its VIN's partition tail before the connection closes. */
    static final Duration TAIL_TIMEOUT = Duration.ofSeconds(10);

    /** How long a resend check waits for the sink to store what this replica produced. */
    static final Duration SINK_WAIT = Duration.ofSeconds(10);

    static Map<String, Object> producerConfig(BusConfig config) {
        long delivery = config.deliveryTimeout().toMillis();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, (delivery - 2) / 2));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(10_000, delivery));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES + 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fleetlog-ingest");
        return p;
    }

    /**
     * Shows the vehicles connected to other replicas in {@code fleet} (the server's: its /status, /live
     * and dashboard), from the fence watch's reading of the topic ({@link RemoteVehicles}).
     */
    public void feed(io.fleetlog.server.fleet.Fleet fleet) {
        if (watch != null) {
            watch.feed(new RemoteVehicles(fleet));
        }
    }

    /** Adds this store's meters to {@code registry} (the server's, for /metrics). */
    public void bindTo(MeterRegistry registry) {
        meters.add(registry);
    }

    // ---- writes: to Kafka ----

    @Override
    public CompletableFuture<Void> appendAsync(String vin, List<Sample> batch) {
        Vin.check(vin);
        if (batch.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long first = batch.get(0).seq();
        long last = batch.get(batch.size() - 1).seq();
        long lastT = Long.MIN_VALUE;
        for (Sample s : batch) {
            lastT = Math.max(lastT, s.captureTimeMs());
        }
        long t = lastT;
        Produced before = produced.get(vin);
        if (before != null && before.behindHole(first)) {
            // Not sent: Kafka would hold it after a hole and the sink would store past the hole.
            failures.increment();
            return CompletableFuture.failedFuture(new StoreException("seqs " + first + ".." + last + " of " + vin
                    + " follow seqs Kafka did not acknowledge; the edge must resend those first"));
        }
        Catalogue c = catalogues.get(vin);
        byte[] value = Records.value(new StoreWrite.Append(vin, batch), c == null ? null : c.hash());
        String what = "seqs " + first + ".." + last;
        return produce(vin, value, what).thenCompose(m -> owned(vin, m, what)).whenComplete((v, ex) -> {
            Produced p = produced.computeIfAbsent(vin, k -> new Produced());
            if (ex == null) {
                p.acknowledged(first, last, t);
                samples.increment(batch.size());
            } else {
                p.failed(first);
            }
        });
    }

    /**
     * Completes when the {@link FenceWatch} read the append at {@code m} as kept; fails with a {@link
     * StoreException} when another replica took the VIN over before it (the sink drops it too), or when
     * the watch did not read it within the delivery timeout.
     */
    private CompletableFuture<Void> owned(String vin, RecordMetadata m, String what) {
        if (watch == null) {
            return CompletableFuture.completedFuture(null);
        }
        long start = System.nanoTime();
        return watch.verdict(m.partition(), m.offset())
                .orTimeout(VERDICT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, ex) -> {
                    verdictLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    if (ex != null) {
                        failures.increment();
                        throw new StoreException("no fence verdict for " + what + " of " + vin + " at partition "
                                + m.partition() + " offset " + m.offset() + " within " + VERDICT_TIMEOUT.toMillis()
                                + " ms");
                    }
                    if (!ok) {
                        fenced.increment();
                        log.warn(
                                "kafka_append_fenced vin={} what=\"{}\" partition={} offset={}",
                                vin,
                                what,
                                m.partition(),
                                m.offset());
                        throw new StoreException(vin + " was taken over by another replica before " + what
                                + " (partition " + m.partition() + " offset " + m.offset()
                                + "): not stored, the connection closes");
                    }
                    return null;
                });
    }

    /** How long an acknowledged append waits for the {@link FenceWatch} to read it. */
    static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public void append(String vin, List<Sample> batch) {
        await(appendAsync(vin, batch));
    }

    /**
     * Produces the event. An ONLINE link event (a Hello, before its Welcome) then reads the VIN's
     * partition up to its end (which is past this record): every append any replica had acknowledged
     * before it raises what {@link #totals} answers for the VIN.
     */
    @Override
    public void recordEvent(VehicleEvent event) {
        if (event.kind() == VehicleEvent.Kind.ONLINE || event.kind() == VehicleEvent.Kind.OFFLINE) {
            String d = event.detail() == null || event.detail().isEmpty()
                    ? replicaTag()
                    : replicaTag() + " " + event.detail();
            event = new VehicleEvent(event.vin(), event.tMs(), event.kind(), event.fromSeq(), event.toSeq(), d);
        }
        RecordMetadata m =
                await(produce(event.vin(), Records.value(new StoreWrite.Event(event), null), event.kind() + " event"));
        if (tail != null && event.kind() == VehicleEvent.Kind.ONLINE) {
            readTail(event.vin(), m.partition());
        }
    }

    /** Folds the VIN's appends Kafka holds and the database may not yet into {@link #produced}. */
    private void readTail(String vin, int partition) {
        // The stored offset first, then the tail from it: what lies below it is in the database,
        // which totals() reads after this, so nothing falls between the two reads.
        long from = delegate.consumedOffsets(sinkGroup, topic).getOrDefault(partition, -1L);
        Produced p = produced.computeIfAbsent(vin, k -> new Produced());
        long start = System.nanoTime();
        long n = tail.read(vin, partition, from, p::acknowledged);
        tailRead.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        log.debug(
                "kafka_tail_read vin={} partition={} from={} records={} last_seq={}",
                vin,
                partition,
                from,
                n,
                p.lastSeq());
    }

    @Override
    public void upsertVehicle(Vehicle vehicle) {
        Vin.check(vehicle.vin());
        await(produce(vehicle.vin(), Records.value(new StoreWrite.UpsertVehicle(vehicle), null), "vehicle"));
    }

    @Override
    public void useCatalogue(String vin, Catalogue catalogue) {
        Vin.check(vin);
        await(produce(
                vin,
                Records.value(new StoreWrite.UseCatalogue(vin, catalogue), null),
                "catalogue " + catalogue.shortId()));
        catalogues.put(vin, catalogue);
    }

    /** Sends one record; the future completes when Kafka acknowledged it (or failed: StoreException). */
    private CompletableFuture<RecordMetadata> produce(String vin, byte[] value, String what) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException("store is closed"));
        }
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        long start = System.nanoTime();
        try {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, Records.key(vin), value);
            record.headers().add(Fencing.WRITER, writerHeader);
            producer.send(record, (metadata, ex) -> {
                if (ex != null) {
                    failures.increment();
                    log.warn("kafka_produce_failed vin={} what=\"{}\" error={}", vin, what, ex.toString());
                    done.completeExceptionally(
                            new StoreException("kafka did not acknowledge " + what + " of " + vin + ": " + ex, ex));
                    return;
                }
                produceLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                records.increment();
                done.complete(metadata);
            });
        } catch (KafkaException | IllegalStateException e) {
            // metadata not available within max.block.ms, record too large, producer closed
            failures.increment();
            log.warn("kafka_produce_failed vin={} what=\"{}\" error={}", vin, what, e.toString());
            return CompletableFuture.failedFuture(
                    new StoreException("kafka refused " + what + " of " + vin + ": " + e.getMessage(), e));
        }
        return done;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for kafka", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException se
                    ? se
                    : new StoreException(e.getCause().toString(), e);
        }
    }

    // ---- reads: the database, plus what this replica produced ----

    @Override
    public VehicleTotals totals(String vin) {
        VehicleTotals d = delegate.totals(vin);
        Produced p = produced.get(vin);
        return p == null ? d : p.over(d);
    }

    @Override
    public long lastSeq(String vin) {
        return totals(vin).lastSeq();
    }

    /**
     * The links of {@code vin} that <em>this replica's</em> link events show open (ONLINE minus OFFLINE
     * tagged {@link #replicaTag}), so a restarted replica closes only its own (FleetServer closes them
     * at start). Reads the VIN's events: the database cannot filter on the tag.
     */
    @Override
    public long openLinks(String vin) {
        String tag = replicaTag();
        long open = 0;
        for (VehicleEvent e : delegate.events(vin, Long.MIN_VALUE, Long.MAX_VALUE)) {
            String d = e.detail() == null ? "" : e.detail();
            if (d.equals(tag) || d.startsWith(tag + " ")) {
                open += e.kind() == VehicleEvent.Kind.ONLINE ? 1 : e.kind() == VehicleEvent.Kind.OFFLINE ? -1 : 0;
            }
        }
        return open;
    }

    @Override
    public Catalogue catalogue(String vin) {
        Catalogue c = catalogues.get(vin);
        return c != null ? c : delegate.catalogue(vin);
    }

    @Override
    public List<String> vins() {
        TreeSet<String> all = new TreeSet<>(delegate.vins());
        all.addAll(produced.keySet());
        all.addAll(catalogues.keySet());
        return new ArrayList<>(all);
    }

    @Override
    public List<Sample> stored(String vin, long fromSeq, long toSeq, long fromMs, long toMs) {
        Produced p = produced.get(vin);
        long need = Math.min(toSeq, p == null ? -1 : p.lastSeq());
        long deadline = System.nanoTime() + sinkWait.toNanos();
        while (delegate.lastSeq(vin) < need) {
            if (System.nanoTime() > deadline) {
                throw new StoreException("the sink has not stored " + vin + " up to seq " + need + " within "
                        + sinkWait.toMillis() + " ms (it holds up to " + delegate.lastSeq(vin)
                        + "); the resend is compared when it has");
            }
            try {
                Thread.sleep(20); // a resend below the stored seq is rare: a short poll beats a notification path
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for the sink", e);
            }
        }
        return delegate.stored(vin, fromSeq, toSeq, fromMs, toMs);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>(delegate.describe());
        m.put("bus", Map.of("kind", "kafka", "topic", topic));
        return m;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            producer.close(Duration.ofSeconds(10)); // sends what is buffered; callbacks complete
            if (tail != null) {
                tail.close();
            }
            if (watch != null) {
                watch.close();
            }
        } finally {
            delegate.close();
        }
    }

    /** What this replica had acknowledged by Kafka for one VIN. Guarded by itself. */
    private static final class Produced {
        private long lastSeq = -1;
        private long lastCaptureMs = -1;
        /** The first seq of a failed record not produced again since; MAX_VALUE when none. */
        private long failedFrom = Long.MAX_VALUE;

        synchronized void acknowledged(long first, long last, long t) {
            if (first > failedFrom) {
                return; // behind a hole Kafka does not hold: the edge must resend from the hole
            }
            if (last >= failedFrom) {
                failedFrom = Long.MAX_VALUE; // the failed seqs are in Kafka now
            }
            lastSeq = Math.max(lastSeq, last);
            lastCaptureMs = Math.max(lastCaptureMs, t);
        }

        /** True when a record from {@code first} would land behind seqs Kafka did not acknowledge. */
        synchronized boolean behindHole(long first) {
            return first > failedFrom;
        }

        synchronized void failed(long first) {
            failedFrom = Math.min(failedFrom, first);
        }

        synchronized long lastSeq() {
            return lastSeq;
        }

        synchronized VehicleTotals over(VehicleTotals d) {
            return new VehicleTotals(
                    Math.max(d.lastSeq(), lastSeq), d.samples(), Math.max(d.lastCaptureMs(), lastCaptureMs));
        }
    }
}
