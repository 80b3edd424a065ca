package io.fleetlog.server.trips;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Charge;
import io.fleetlog.server.store.Drive;
import io.fleetlog.server.store.ForwardingSampleStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.SessionStore;
import io.fleetlog.server.store.VehicleEvent;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every vehicle's drives and charges in step with its stored frames, whatever order they arrive
 * in. After each committed append the {@linkplain #watch watched store} marks the vehicle's capture-time
 * window dirty; {@link #runOnce} re-derives the windows marked at least the debounce ago: it widens the
 * window until no session crosses its edges (stored sessions, and sessions still open at the scanned
 * frames' ends), scans the frames, runs a {@link SessionDetector} and replaces the window's sessions in
 * one transaction ({@link SessionStore#replaceSessions}). A drive recorded in a tunnel and stored an hour
 * later therefore replaces the half drive derived before it, in its true place.
 *
 * <p>Thread-safe: marks come from any thread; derivations run one at a time (the background virtual
 * thread of {@link #start}, or a caller of {@link #runOnce} / {@link #flush}). The dirty set holds one
 * merged window per vehicle, so it is bounded by the number of vehicles. A failed derivation is logged,
 * counted ({@link #failures}) and its window marked again, to be retried after the debounce. Not
 * guaranteed: sessions of frames deleted by retention stay (nothing marks them).
 */
public final class Deriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deriver.class);

    public static final Duration DEFAULT_DEBOUNCE = Duration.ofSeconds(10);
    /** How far a window grows at a time while a session crosses its edge (1 h). */
    static final long EXTEND_MS = 3_600_000;
    /** At most this many widenings per derivation (48 h beyond the dirty window each way). */
    static final int MAX_EXTENSIONS = 48;

    private final SampleStore store;
    private final SessionStore sessions;
    private final InstantSource clock;
    private final long debounceMs;
    private final double packKwh;
    private volatile Tariff tariff = Tariff.NONE;
    private final Map<String, Dirty> dirty = new HashMap<>(); // guarded by this
    private final Object deriving = new Object();
    private final AtomicLong derivations = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private Thread thread;
    private volatile boolean closed;

    private record Dirty(long fromMs, long toMs, long sinceMs) {}

    public Deriver(SampleStore store, SessionStore sessions, InstantSource clock, Duration debounce, double packKwh) {
        this.store = store;
        this.sessions = sessions;
        this.clock = clock;
        this.debounceMs = debounce.toMillis();
        this.packKwh = packKwh;
    }

    /** A deriver for {@code store}'s own sessions, or null when the store keeps none. */
    public static Deriver forStore(SampleStore store, InstantSource clock) {
        return store.sessions()
                .map(s -> new Deriver(store, s, clock, DEFAULT_DEBOUNCE, SessionDetector.DEFAULT_PACK_KWH))
                .orElse(null);
    }

    /** Prices charges derived from now on ({@link Tariff#NONE}: no cost). */
    public void tariff(Tariff t) {
        this.tariff = t == null ? Tariff.NONE : t;
    }

    public SessionStore sessions() {
        return sessions;
    }

    /** {@code store}, marking each committed append's capture-time window dirty. */
    public SampleStore watch(SampleStore base) {
        return new Watching(base);
    }

    /** Marks {@code [fromMs, toMs]} of {@code vin} for re-derivation. */
    public synchronized void markDirty(String vin, long fromMs, long toMs) {
        long now = clock.millis();
        dirty.merge(
                vin,
                new Dirty(fromMs, toMs, now),
                (a, b) -> new Dirty(Math.min(a.fromMs, b.fromMs), Math.max(a.toMs, b.toMs), a.sinceMs));
        notifyAll();
    }

    /** Re-derives every window marked at least the debounce before {@code nowMs}; returns how many. */
    public int runOnce(long nowMs) {
        List<Map.Entry<String, Dirty>> due = new ArrayList<>();
        synchronized (this) {
            var it = dirty.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (nowMs - e.getValue().sinceMs >= debounceMs) {
                    due.add(Map.entry(e.getKey(), e.getValue()));
                    it.remove();
                }
            }
        }
        for (var e : due) {
            try {
                rederive(e.getKey(), e.getValue().fromMs, e.getValue().toMs);
            } catch (RuntimeException ex) {
                failures.incrementAndGet();
                log.warn("derive_failed vin={} error={}", e.getKey(), ex.getMessage());
                markDirty(e.getKey(), e.getValue().fromMs, e.getValue().toMs);
            }
        }
        return due.size();
    }

    /** Re-derives everything marked, now (tests, shutdown). */
    public int flush() {
        return runOnce(Long.MAX_VALUE);
    }

    public long derivations() {
        return derivations.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Re-derives the sessions of {@code vin} around {@code [fromMs, toMs]} and stores them. */
    public void rederive(String vin, long fromMs, long toMs) {
        synchronized (deriving) {
            long lo = sat(fromMs, -SessionDetector.MAX_GAP_MS);
            long hi = sat(toMs, SessionDetector.MAX_GAP_MS);
            SessionDetector.Result found = null;
            for (int i = 0; i <= MAX_EXTENSIONS; i++) {
                long[] w = coverStored(vin, lo, hi);
                lo = w[0];
                hi = w[1];
                Scan scan = scan(vin, lo, hi);
                found = scan.result;
                boolean openAtStart = scan.first != Long.MIN_VALUE
                        && startsAt(found, scan.first)
                        && hasFrames(vin, sat(lo, -EXTEND_MS), lo);
                boolean openAtEnd = scan.last != Long.MIN_VALUE
                        && endsAt(found, scan.last)
                        && hasFrames(vin, hi + 1, sat(hi, EXTEND_MS));
                if (!openAtStart && !openAtEnd) {
                    break;
                }
                lo = openAtStart ? sat(lo, -EXTEND_MS) : lo;
                hi = openAtEnd ? sat(hi, EXTEND_MS) : hi;
            }
            sessions.replaceSessions(vin, lo, hi, found.drives(), found.charges());
            derivations.incrementAndGet();
            log.debug(
                    "derived vin={} window={}..{} drives={} charges={}",
                    vin,
                    lo,
                    hi,
                    found.drives().size(),
                    found.charges().size());
        }
    }

    private record Scan(SessionDetector.Result result, long first, long last) {}

    private Scan scan(String vin, long lo, long hi) {
        SessionDetector d = new SessionDetector(vin, packKwh, liveSpans(vin, hi), tariff);
        long[] ends = {Long.MIN_VALUE, Long.MIN_VALUE};
        store.scan(vin, lo, hi == Long.MAX_VALUE ? hi : hi + 1, (Sample s) -> {
            if (ends[0] == Long.MIN_VALUE) {
                ends[0] = s.captureTimeMs();
            }
            ends[1] = s.captureTimeMs();
            d.accept(s);
        });
        return new Scan(d.finish(), ends[0], ends[1]);
    }

    private static boolean startsAt(SessionDetector.Result r, long t) {
        return r.drives().stream().anyMatch(d -> d.startMs() == t)
                || r.charges().stream().anyMatch(c -> c.startMs() == t);
    }

    private static boolean endsAt(SessionDetector.Result r, long t) {
        return r.drives().stream().anyMatch(d -> d.endMs() == t)
                || r.charges().stream().anyMatch(c -> c.endMs() == t);
    }

    private boolean hasFrames(String vin, long fromMs, long toMs) {
        boolean[] any = {false};
        if (fromMs < toMs) {
            store.scan(vin, fromMs, toMs, 1, s -> any[0] = true);
        }
        return any[0];
    }

    /** Widens {@code [lo, hi]} until no stored session crosses its edges. */
    private long[] coverStored(String vin, long lo, long hi) {
        for (int i = 0; i < 100; i++) {
            long nlo = lo;
            long nhi = hi;
            for (Drive d : all(vin, lo, hi, true, Drive.class)) {
                nlo = Math.min(nlo, d.startMs());
                nhi = Math.max(nhi, d.endMs());
            }
            for (Charge c : all(vin, lo, hi, false, Charge.class)) {
                nlo = Math.min(nlo, c.startMs());
                nhi = Math.max(nhi, c.endMs());
            }
            if (nlo == lo && nhi == hi) {
                break;
            }
            lo = nlo;
            hi = nhi;
        }
        return new long[] {lo, hi};
    }

    /** Every stored session overlapping {@code [lo, hi]}, page by page. */
    private <T> List<T> all(String vin, long lo, long hi, boolean drives, Class<T> type) {
        List<T> out = new ArrayList<>();
        long after = Long.MIN_VALUE;
        long toExclusive = hi == Long.MAX_VALUE ? hi : hi + 1;
        while (true) {
            List<?> page = drives
                    ? sessions.drives(vin, lo, toExclusive, after, SessionStore.MAX_PAGE)
                    : sessions.charges(vin, lo, toExclusive, after, SessionStore.MAX_PAGE);
            for (Object o : page) {
                out.add(type.cast(o));
                after = o instanceof Drive d ? d.startMs() : ((Charge) o).startMs();
            }
            if (page.size() < SessionStore.MAX_PAGE) {
                return out;
            }
        }
    }

    /**
     * Whether a frame captured at a time arrived live: the vehicle's ingest link was open then (its
     * ONLINE/OFFLINE events). A frame captured while the link was down was necessarily backfilled.
     */
    private LongPredicate liveSpans(String vin, long hi) {
        List<long[]> spans = new ArrayList<>();
        int open = 0;
        long since = 0;
        for (VehicleEvent e : store.events(vin, Long.MIN_VALUE, sat(hi, 1))) {
            if (e.kind() == VehicleEvent.Kind.ONLINE) {
                if (open++ == 0) {
                    since = e.tMs();
                }
            } else if (e.kind() == VehicleEvent.Kind.OFFLINE && open > 0) {
                if (--open == 0) {
                    spans.add(new long[] {since, e.tMs()});
                }
            }
        }
        if (open > 0) {
            spans.add(new long[] {since, Long.MAX_VALUE});
        }
        return t -> {
            for (long[] s : spans) {
                if (t >= s[0] && t <= s[1]) {
                    return true;
                }
            }
            return false;
        };
    }

    private static long sat(long t, long d) {
        long r = t + d;
        if (((t ^ r) & (d ^ r)) < 0) {
            return d > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }

    /** Starts the background virtual thread that runs {@link #runOnce} when a window falls due. */
    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("session-deriver").start(this::loop);
        }
    }

    private void loop() {
        while (!closed) {
            runOnce(clock.millis());
            synchronized (this) {
                try {
                    long wait = dirty.isEmpty() ? 1_000 : Math.max(1, Math.min(debounceMs, 1_000));
                    if (!closed) {
                        wait(wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops the background thread (what is still dirty is derived on the next start); idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
            notifyAll();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The watched store: marks each committed append's window; a failed mark never fails the append. */
    private final class Watching extends ForwardingSampleStore {
        Watching(SampleStore base) {
            super(base);
        }

        @Override
        public void append(String vin, List<Sample> samples) {
            delegate.append(vin, samples);
            mark(vin, samples);
        }

        @Override
        public CompletableFuture<Void> appendAsync(String vin, List<Sample> samples) {
            return delegate.appendAsync(vin, samples).thenRun(() -> mark(vin, samples));
        }

        private void mark(String vin, List<Sample> samples) {
            if (samples.isEmpty()) {
                return;
            }
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (Sample s : samples) {
                lo = Math.min(lo, s.captureTimeMs());
                hi = Math.max(hi, s.captureTimeMs());
            }
            markDirty(vin, lo, hi);
        }
    }
}
