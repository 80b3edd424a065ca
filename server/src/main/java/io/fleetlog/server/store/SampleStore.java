package io.fleetlog.server.store;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable storage of reconstructed samples, keyed by {@code (vin, seq)}, plus the vehicle registry
 * and per-vehicle events (gaps, link changes).
 *
 * <p>Contract, for every implementation (one contract test suite runs against each):
 *
 * <ul>
 *   <li>{@link #append} writes all samples of the call in one transaction and returns only after the
 *       commit returned; a sample whose {@code (vin, seq)} is already stored is ignored (a resend is
 *       success, never a duplicate row). On failure it throws {@link StoreException} and nothing of
 *       the call is visible.
 *   <li>{@link #lastSeq}, {@link #count} and {@link #totals} reflect exactly the committed samples.
 *   <li>{@link #scan} streams samples with {@code fromMs <= captureTime < toMs} in capture-time order
 *       (which is seq order), without loading the range into memory.
 * </ul>
 *
 * <p>Thread-safe: any number of threads may append and read concurrently. Not guaranteed: that a
 * seq reused with a different capture time or other values is detected here — ingest compares a
 * resend with {@link #stored} before appending it and refuses a conflict.
 */
public interface SampleStore extends AutoCloseable {

    /** Highest stored seq of {@code vin}, -1 when none. */
    default long lastSeq(String vin) {
        return totals(vin).lastSeq();
    }

    /** Number of stored samples of {@code vin}. */
    default long count(String vin) {
        return totals(vin).samples();
    }

    /** Stored totals of a vehicle ({@link VehicleTotals#NONE} when unknown). */
    VehicleTotals totals(String vin);

    /** Stores {@code samples} of {@code vin} in one transaction; duplicates are ignored. */
    void append(String vin, List<Sample> samples);

    /**
     * As {@link #append}, without blocking the caller: the future completes after the commit (or
     * exceptionally with a {@link StoreException}). Appends of one caller may commit in any order;
     * callers that ack cumulatively must ack in submission order. The default runs {@link #append}
     * on a virtual thread.
     */
    default java.util.concurrent.CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> append(vin, samples), StoreThreads.VIRTUAL);
    }

    /** Streams stored samples of {@code vin} with {@code fromMs <= t < toMs}, oldest first. */
    default void scan(String vin, long fromMs, long toMs, Consumer<Sample> sink) {
        scan(vin, fromMs, toMs, Long.MAX_VALUE, sink);
    }

    /** As {@link #scan(String, long, long, Consumer)}, at most {@code limit} samples. */
    void scan(String vin, long fromMs, long toMs, long limit, Consumer<Sample> sink);

    /**
     * The stored samples of {@code vin} with {@code fromSeq <= seq <= toSeq} and {@code fromMs <= t <=
     * toMs}, in seq order: what a resend is compared with. Both ranges are given so every store can
     * use its index (SQLite's key is the seq, PostgreSQL's the capture time); a sample stored at a
     * seq of the range with another capture time is not returned. Meant for short ranges (one
     * batch); reads only those rows.
     */
    default List<Sample> stored(String vin, long fromSeq, long toSeq, long fromMs, long toMs) {
        List<Sample> out = new java.util.ArrayList<>();
        if (fromSeq > toSeq || fromMs > toMs) {
            return out;
        }
        scan(vin, fromMs, toMs == Long.MAX_VALUE ? toMs : toMs + 1, s -> {
            if (s.seq() >= fromSeq && s.seq() <= toSeq) {
                out.add(s);
            }
        });
        out.sort(java.util.Comparator.comparingLong(Sample::seq));
        return out;
    }

    /**
     * The vehicle's current signal catalogue: the one last recorded with {@link #useCatalogue}, parsed
     * from the text the store holds (so it is known after a restart without the user's file), or
     * {@link Catalogue#builtin()} when none was recorded (a vehicle of before catalogues, or unknown).
     *
     * @throws StoreException when the stored text cannot be read back as the catalogue of its hash
     */
    Catalogue catalogue(String vin);

    /**
     * Records {@code catalogue} as the vehicle's current one (registering the vehicle if new): its
     * canonical text is stored once under its hash, the vehicle points at the hash. Returns after the
     * commit. Which catalogues a vehicle may move to is ingest's rule, not the store's.
     */
    void useCatalogue(String vin, Catalogue catalogue);

    /** VINs with a registered vehicle or stored samples, sorted. */
    List<String> vins();

    /** Registers a vehicle or updates its model and name (null keeps the stored value). */
    void upsertVehicle(Vehicle vehicle);

    Optional<Vehicle> vehicle(String vin);

    /**
     * The store's own number of {@code vin}: its vehicles row id, given in the order vehicles were
     * first stored and never reused, so stable across restarts (TeslaMate's {@code $car_id} on MQTT);
     * -1 when the vehicle is not stored or the store has no such numbers.
     */
    default int vehicleNumber(String vin) {
        return -1;
    }

    /** Records one vehicle event durably (returns after commit). */
    void recordEvent(VehicleEvent event);

    /** Events of {@code vin} with {@code fromMs <= t < toMs}, oldest first. */
    List<VehicleEvent> events(String vin, long fromMs, long toMs);

    /**
     * Links of {@code vin} that its events show open: ONLINE events minus OFFLINE events (more than 0
     * after a crash, when no OFFLINE was written). Stores count in the database; the default reads
     * every event.
     */
    default long openLinks(String vin) {
        long open = 0;
        for (VehicleEvent e : events(vin, Long.MIN_VALUE, Long.MAX_VALUE)) {
            open += e.kind() == VehicleEvent.Kind.ONLINE ? 1 : e.kind() == VehicleEvent.Kind.OFFLINE ? -1 : 0;
        }
        return open;
    }

    /**
     * Retention: deletes the samples of every vehicle captured before {@code cutoffMs}, and the
     * events before it. {@code cutoffMs} must be a UTC day boundary (PostgreSQL drops whole daily
     * partitions). Counts ({@link #count}) drop by what was deleted; {@link #lastSeq} stays, so an
     * edge is never asked to resend what retention removed.
     *
     * @return the number of samples deleted
     * @throws IllegalArgumentException when {@code cutoffMs} is not a multiple of a day
     */
    long purgeBefore(long cutoffMs);

    /** The start of the UTC day of {@code t} (ms). */
    static long dayStart(long t) {
        return Math.floorDiv(t, DAY_MS) * DAY_MS;
    }

    /** One UTC day in ms: the unit of retention. */
    long DAY_MS = 86_400_000L;

    /** Checks a retention cutoff (see {@link #purgeBefore}). */
    static void checkCutoff(long cutoffMs) {
        if (Math.floorMod(cutoffMs, DAY_MS) != 0) {
            throw new IllegalArgumentException("retention cutoff " + cutoffMs + " ms is not a UTC day boundary");
        }
    }

    /**
     * The store's rollups ({@link io.fleetlog.server.history.RollupStore}), maintained in the append
     * transaction from the samples each append stored, when it keeps them.
     */
    default Optional<io.fleetlog.server.history.RollupStore> rollups() {
        return Optional.empty();
    }

    /** The store's drives and charges ({@link SessionStore}), when it keeps them. */
    default Optional<SessionStore> sessions() {
        return Optional.empty();
    }

    /**
     * Applies {@code writes} consumed from a log, in order, and moves the consumer group's offsets to
     * {@code offsets}, all in one transaction: after a crash either both the rows and the offsets are
     * stored or neither is, so a sink that restarts from the stored offsets writes every record exactly
     * once (Kafka's pattern for offsets kept outside Kafka; docs/scale-out.md). Appends stay idempotent
     * on {@code (vin, seq)}. Each offset moves only from its {@link ConsumedOffset#expected} value;
     * otherwise nothing is committed and {@link OffsetConflictException} is thrown (possibly wrapped in
     * a {@link StoreException}). Returns after the commit.
     *
     * @throws UnsupportedOperationException when the store cannot keep offsets (the default)
     */
    default void applyConsumed(List<StoreWrite> writes, List<ConsumedOffset> offsets) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot store consumed offsets");
    }

    /**
     * The offsets stored by {@link #applyConsumed} for {@code group} in {@code topic}: partition → next
     * offset to read (a partition never written is absent).
     *
     * @throws UnsupportedOperationException when the store cannot keep offsets (the default)
     */
    default java.util.Map<Integer, Long> consumedOffsets(String group, String topic) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot store consumed offsets");
    }

    /** A short description for /status: kind, location (no credentials), sizes. */
    java.util.Map<String, Object> describe();

    /** Finishes in-flight transactions and releases the store; idempotent. */
    @Override
    void close();
}
