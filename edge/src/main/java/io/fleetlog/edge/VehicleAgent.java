package io.fleetlog.edge;

import io.fleetlog.edge.proxy.CutMode;
import io.fleetlog.edge.proxy.FaultProxy;
import io.fleetlog.edge.proxy.OutageSchedule;
import io.fleetlog.edge.sim.DriveSimulator;
import io.fleetlog.edge.sim.VehicleModel;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.Uplink;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.edge.uplink.UplinkStats;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vehicle: {@link Source} → {@link Spool} → {@link Uplink}, optionally through a {@link FaultProxy}
 * that plays the vehicle's dead zones.
 *
 * <p>A capture thread takes samples from the source paced by their capture time ({@code speed} × real
 * time, or as fast as the spool accepts at {@code max}; a {@linkplain Source#live() live} source is
 * never paced and each of its samples is appended at once), appends them to the spool and applies the
 * outage schedule by capture time. An uplink thread repeats {@link Uplink#runOnce}. Both are virtual
 * threads; SQLite runs on the spool's own platform thread. Restarted on the same spool directory after
 * a crash, the agent sends what the spool holds first and continues its seq.
 *
 * <p>{@link #close()} is graceful and idempotent: stop the source, commit what is pending, let a
 * connected uplink drain for {@link AgentConfig#closeDrainTimeout()}, close the connection, close
 * SQLite cleanly, and log what is still buffered (it is sent on the next start). Thread-safe.
 */
public final class VehicleAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VehicleAgent.class);
    private static final int MAX_CHUNK = 500;
    private static final Duration UPLINK_TICK = Duration.ofMillis(10);

    private final AgentConfig config;
    private final Source source;
    private final Spool spool;
    private volatile String captureError;
    private final FaultProxy proxy;
    private final Uplink uplink;
    private final InstantSource clock = InstantSource.system();
    private final List<Sample> chunk = new ArrayList<>();
    private final AtomicLong captured = new AtomicLong();
    private Thread captureThread;
    private Thread uplinkThread;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean sourceDone;
    private volatile long firstCaptureMs = -1;
    private volatile long lastCaptureMs = -1;
    private volatile long peakDepth;
    private long wallStartNanos;
    private long pausedNanos;
    private final java.util.concurrent.locks.ReentrantLock closeLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile AgentStats finalStats;

    // dead zones, guarded by this
    private OutageSchedule.Outage scheduled;
    private long scheduledStartNanos;
    private boolean manual;
    private boolean cut;
    private long outageCount;
    private double outageSeconds;
    private long outageStartCaptureMs;

    private VehicleAgent(AgentConfig config, Source source, Transport transport) throws IOException {
        this.config = config;
        this.source = source;
        UplinkConfig up = config.uplink();
        this.spool = Spools.open(Spools.fileFor(config.spoolDir(), up.vin()), config.spool());
        FaultProxy p = null;
        try {
            if (config.faultProxy()) {
                URI s = up.server();
                p = FaultProxy.start(s.getHost(), s.getPort() < 0 ? 80 : s.getPort());
                up = up.withServer(
                        URI.create("http://127.0.0.1:" + p.port() + (s.getPath() == null ? "" : s.getPath())));
            }
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
        this.proxy = p;
        this.uplink =
                new Uplink(spool, up, transport, new SplittableRandom(up.vin().hashCode()));
    }

    /** An agent for any source (a simulator, a log replay). Opens the spool; {@link #start()} runs it. */
    public static VehicleAgent create(AgentConfig config, Source source) throws IOException {
        return new VehicleAgent(config, source, Transport.webSocket());
    }

    /**
     * An agent whose uplink connects through {@code transport} (e.g. {@link Transport#webSocket(
     * java.net.http.HttpClient)} with a TLS context that trusts a private CA or presents a client
     * certificate).
     */
    public static VehicleAgent create(AgentConfig config, Source source, Transport transport) throws IOException {
        return new VehicleAgent(config, source, transport);
    }

    /** An agent driving a {@link DriveSimulator} (duration {@code null} = endless). */
    public static VehicleAgent simulated(
            AgentConfig config, VehicleModel model, long seed, long startEpochMs, Duration duration)
            throws IOException {
        return create(config, new DriveSimulator(model, seed, startEpochMs, duration));
    }

    public String vin() {
        return config.uplink().vin();
    }

    public AgentConfig config() {
        return config;
    }

    /** The proxy's port (where the uplink connects), or -1 without a proxy. */
    public int proxyPort() {
        return proxy == null ? -1 : proxy.port();
    }

    /** Starts the capture and uplink threads. */
    public VehicleAgent start() {
        closeLock.lock();
        try {
            if (started || finalStats != null) {
                return this;
            }
            startLocked();
            return this;
        } finally {
            closeLock.unlock();
        }
    }

    private void startLocked() {
        started = true;
        log.info(
                "agent_started vin={} catalogue={} source=\"{}\" speed={} outages={} spool_depth={} next_seq={}",
                vin(),
                config.uplink().catalogue().shortId(),
                source.describe(),
                config.maxSpeed() ? "max" : config.speed(),
                config.outages(),
                spool.depth(),
                spool.nextSeq());
        uplinkThread = Thread.ofVirtual().name("uplink-" + vin()).start(() -> uplink.run(clock, UPLINK_TICK));
        captureThread = Thread.ofVirtual().name("capture-" + vin()).start(this::captureLoop);
    }

    // ---- capture

    private void captureLoop() {
        boolean live = source.live(); // samples arrive in real time: commit each at once, never pace
        try {
            Sample s;
            while (!stopping && (s = source.next()) != null) {
                if (firstCaptureMs < 0) {
                    firstCaptureMs = s.captureTimeMs();
                    wallStartNanos = System.nanoTime();
                }
                if (proxy != null) {
                    outagesAt(s.captureTimeMs());
                }
                if (!config.maxSpeed() && !live) {
                    pace(s.captureTimeMs());
                }
                chunk.add(s);
                lastCaptureMs = s.captureTimeMs();
                if (!config.maxSpeed() || live || chunk.size() >= MAX_CHUNK) {
                    appendChunk();
                    if (config.maxSpeed()) {
                        Thread.yield(); // let the uplink run
                    }
                }
            }
            appendChunk();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                captureError = e.getMessage() == null ? e.toString() : e.getMessage();
                log.error("agent_capture_failed vin={} captured={} error={}", vin(), captured.get(), e.toString());
            }
        } finally {
            synchronized (this) {
                if (scheduled != null) {
                    scheduled = null;
                    if (!manual) {
                        endOutage(lastCaptureMs);
                    }
                }
            }
            try {
                spool.flush();
            } catch (RuntimeException e) {
                log.error("agent_flush_failed vin={} error={}", vin(), e.getMessage());
            }
            sourceDone = true;
            uplink.wake();
            log.info("agent_source_done vin={} captured={} problems={}", vin(), captured.get(), source.problems());
        }
    }

    private void appendChunk() throws InterruptedException {
        if (chunk.isEmpty()) {
            return;
        }
        spool.append(chunk);
        captured.addAndGet(chunk.size());
        chunk.clear();
        SpoolStats st = spool.stats();
        long depth = st.depth() + st.pending();
        if (depth > peakDepth) {
            peakDepth = depth;
        }
    }

    private void pace(long captureMs) throws InterruptedException {
        long due = wallStartNanos + pausedNanos + (long) ((captureMs - firstCaptureMs) * 1e6 / config.speed());
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            appendChunk();
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Applies the outage schedule at a capture time (capture thread). */
    private void outagesAt(long captureMs) throws InterruptedException {
        double sec = (captureMs - firstCaptureMs) / 1000.0;
        OutageSchedule.Outage current;
        synchronized (this) {
            current = scheduled;
        }
        if (current != null && !current.contains(sec)) {
            long left = config.minOutageWall().toNanos() - (System.nanoTime() - scheduledStartNanos);
            if (left > 0) {
                appendChunk();
                TimeUnit.NANOSECONDS.sleep(left);
                pausedNanos += left;
            }
            synchronized (this) {
                scheduled = null;
                if (!manual) {
                    endOutage(captureMs);
                }
            }
        }
        Optional<OutageSchedule.Outage> next = config.outages().at(sec);
        synchronized (this) {
            if (scheduled == null && next.isPresent()) {
                scheduled = next.get();
                scheduledStartNanos = System.nanoTime();
                if (!manual) {
                    startOutage(captureMs, scheduled.mode());
                }
            }
        }
    }

    private void startOutage(long captureMs, CutMode mode) {
        proxy.cut(mode);
        cut = true;
        outageCount++;
        outageStartCaptureMs = captureMs;
        log.info("agent_dead_zone_entered vin={} mode={} capture_ms={}", vin(), mode, captureMs);
    }

    private void endOutage(long captureMs) {
        if (!cut) {
            return;
        }
        proxy.restore();
        uplink.linkRestored();
        cut = false;
        outageSeconds += outageCaptureSeconds(captureMs);
        log.info("agent_dead_zone_left vin={} capture_ms={} spool_depth={}", vin(), captureMs, spool.depth());
    }

    /** Capture-time seconds since the current outage began (0 when either end is unknown). */
    private double outageCaptureSeconds(long captureMs) {
        long start = outageStartCaptureMs >= 0 ? outageStartCaptureMs : firstCaptureMs;
        return start < 0 || captureMs < start ? 0 : (captureMs - start) / 1000.0;
    }

    /**
     * Puts the vehicle in a dead zone now (a blackhole, as in a tunnel) or ends it; a scheduled dead
     * zone that is active stays until its end. Needs the fault proxy.
     */
    public synchronized void deadZone(boolean on) {
        if (proxy == null) {
            throw new IllegalStateException(vin() + " runs without a fault proxy: no dead zones");
        }
        if (on && !manual) {
            manual = true;
            if (scheduled == null) {
                startOutage(lastCaptureMs, CutMode.BLACKHOLE);
            }
        } else if (!on && manual) {
            manual = false;
            if (scheduled == null) {
                endOutage(lastCaptureMs);
            }
        }
    }

    public synchronized boolean inDeadZone() {
        return cut;
    }

    // ---- observation

    public AgentStats stats() {
        SpoolStats s = spool.stats();
        UplinkStats u = uplink.stats();
        long outages;
        double outageSec;
        boolean dz;
        synchronized (this) {
            outages = outageCount;
            outageSec = outageSeconds + (cut ? outageCaptureSeconds(lastCaptureMs) : 0);
            dz = cut;
        }
        UplinkConfig up = config.uplink();
        return new AgentStats(
                up.vin(),
                up.name(),
                up.model(),
                captured.get(),
                firstCaptureMs,
                lastCaptureMs,
                u.state(),
                s.depth() + s.pending(),
                Math.max(peakDepth, s.depth() + s.pending()),
                s.oldestTimeMs(),
                s.nextSeq(),
                u.ackedSeq(),
                outages,
                outageSec,
                dz,
                u.connects(),
                u.reconnects(),
                u.heartbeatTimeouts(),
                proxy != null ? proxy.bytesUpstream() : u.messageBytesSent(),
                u.bytesSent(),
                u.samplesSent(),
                u.rejects(),
                u.rejectedSamples(),
                s.dropped(),
                sourceDone,
                s.quarantined(),
                s.seqConflicts(),
                s.renumbered());
    }

    /**
     * Why the source stopped early (a read error: the rest of the input was never captured), or
     * {@code null} when it ended normally or is still running.
     */
    public String captureError() {
        return captureError;
    }

    public LinkState linkState() {
        return uplink.state();
    }

    /** Whether the source is exhausted. */
    public boolean sourceDone() {
        return sourceDone;
    }

    /**
     * Waits until the source is exhausted and every captured sample was acknowledged by the server.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (sourceDone && spool.depth() == 0 && spool.stats().pending() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Graceful stop (see the class comment); returns the final stats. Idempotent. */
    public AgentStats shutdown() {
        // not synchronized on this: the capture thread takes this monitor for dead-zone state
        closeLock.lock();
        try {
            return shutdownLocked();
        } finally {
            closeLock.unlock();
        }
    }

    private AgentStats shutdownLocked() {
        if (finalStats != null) {
            return finalStats;
        }
        stopping = true;
        try {
            if (captureThread != null) {
                captureThread.join(2_000);
                if (captureThread.isAlive()) {
                    captureThread.interrupt(); // blocked in append (BLOCK policy, full spool)
                    captureThread.join(5_000);
                }
            }
            spool.flush();
            LinkState st = uplink.state();
            if (uplinkThread != null && (st == LinkState.ONLINE || st == LinkState.DRAINING)) {
                awaitDrainedWhileClosing(config.closeDrainTimeout());
            }
            uplink.stop();
            if (uplinkThread != null) {
                uplinkThread.join(5_000);
                if (uplinkThread.isAlive()) {
                    uplinkThread.interrupt();
                    uplinkThread.join(2_000);
                }
            } else {
                uplink.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("agent_close_error vin={} error={}", vin(), e.getMessage());
        }
        try {
            source.close();
        } catch (IOException e) {
            log.warn("agent_source_close_failed vin={} error={}", vin(), e.getMessage());
        }
        sourceDone = true;
        finalStats = stats();
        spool.close();
        if (proxy != null) {
            proxy.close();
        }
        log.info(
                "agent_closed vin={} captured={} still_buffered={} oldest_buffered_ms={} next_seq={}",
                vin(),
                finalStats.captured(),
                finalStats.spoolDepth(),
                finalStats.oldestBufferedMs(),
                finalStats.nextSeq());
        return finalStats;
    }

    private void awaitDrainedWhileClosing(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && spool.depth() > 0) {
            uplink.wake();
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
