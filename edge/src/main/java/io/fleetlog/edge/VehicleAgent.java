package io.fleetlog.edge;

import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.LinkControl;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.Uplink;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.edge.uplink.UplinkStats;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vehicle's edge: {@link Source} → {@link Capture} → {@link Spool} → {@link Uplink}, wired and run.
 *
 * <p>{@link #start()} starts two virtual threads: one repeats the uplink's step ({@link Uplink#run}
 * with the injected clock), the other repeats the capture step with {@link Instant#MAX}, committing
 * every sample as soon as the source gives it (SQLite runs on the spool's own platform thread). A
 * harness that wants to decide when samples are committed (a recording replayed at a speed) passes its
 * own {@link CaptureDriver} to {@link #start(CaptureDriver)}; the edge itself never paces. The link
 * can be cut and restored through {@link #link()}. Restarted on the same spool directory after a
 * crash, the agent sends what the spool holds first and continues its seq.
 *
 * <p>{@link #close()} is graceful and idempotent: stop the capture, commit what is pending, let a
 * connected uplink drain for {@link AgentConfig#closeDrainTimeout()}, close the connection, close
 * SQLite cleanly, and log what is still buffered (it is sent on the next start). Thread-safe.
 */
public final class VehicleAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VehicleAgent.class);
    /** Samples per spool append when the source has many at once (a recording). */
    public static final int MAX_CHUNK = 500;

    private static final Duration UPLINK_TICK = Duration.ofMillis(10);

    /**
     * Runs the capture on the capture thread: calls {@link Capture#step} until it reports the end. It
     * returns when the capture is over; {@link Capture#stop()} (on close) makes the next step end it.
     */
    @FunctionalInterface
    public interface CaptureDriver {
        void run(Capture capture) throws IOException, InterruptedException;
    }

    /** The product's driver: every sample as soon as the source gives it. */
    public static final CaptureDriver AS_CAPTURED = capture -> {
        while (!capture.step(Instant.MAX).ended()) {
            Thread.yield(); // a recording gives chunks back to back: let the uplink run between them
        }
    };

    private final AgentConfig config;
    private final Source source;
    private final Spool spool;
    private final Capture capture;
    private final Uplink uplink;
    private final InstantSource clock;
    private final ReentrantLock closeLock = new ReentrantLock();
    /** Signalled after every uplink step and at the end of the capture: a waiter re-checks {@link #drained()}. */
    private final ReentrantLock progressLock = new ReentrantLock();

    private final Condition progress = progressLock.newCondition();
    private volatile String captureError;
    private Thread captureThread;
    private Thread uplinkThread;
    private volatile boolean started;
    private volatile boolean sourceDone;
    private volatile AgentStats finalStats;

    private VehicleAgent(AgentConfig config, Source source, Transport transport, InstantSource clock)
            throws IOException {
        this.config = config;
        this.source = source;
        this.clock = clock;
        UplinkConfig up = config.uplink();
        this.spool = Spools.open(Spools.fileFor(config.spoolDir(), up.vin()), config.spool());
        this.capture = new Capture(source, spool, MAX_CHUNK);
        this.uplink =
                new Uplink(spool, up, transport, new SplittableRandom(up.vin().hashCode()));
    }

    /** An agent for any source (a CAN bus, a log replay) over WebSocket. Opens the spool; {@link #start()} runs it. */
    public static VehicleAgent create(AgentConfig config, Source source) throws IOException {
        return create(config, source, Transport.webSocket());
    }

    /**
     * An agent whose uplink connects through {@code transport} (e.g. {@link Transport#webSocket(
     * java.net.http.HttpClient)} with a TLS context that trusts a private CA or presents a client
     * certificate).
     */
    public static VehicleAgent create(AgentConfig config, Source source, Transport transport) throws IOException {
        return create(config, source, transport, InstantSource.system());
    }

    /** As {@link #create(AgentConfig, Source, Transport)}, the uplink's steps taking {@code now} from {@code clock}. */
    public static VehicleAgent create(AgentConfig config, Source source, Transport transport, InstantSource clock)
            throws IOException {
        return new VehicleAgent(config, source, transport, clock);
    }

    public String vin() {
        return config.uplink().vin();
    }

    public AgentConfig config() {
        return config;
    }

    /** The capture step (its counters; a harness's {@link CaptureDriver} gets it too). */
    public Capture capture() {
        return capture;
    }

    /** Cuts and restores the link to the server (the uplink's own connection). */
    public LinkControl link() {
        return uplink;
    }

    /** Starts the uplink and the capture, committing every sample as soon as the source gives it. */
    public VehicleAgent start() {
        return start(AS_CAPTURED);
    }

    /** Starts the uplink, and the capture run by {@code driver} on the capture thread. */
    public VehicleAgent start(CaptureDriver driver) {
        closeLock.lock();
        try {
            if (!started && finalStats == null) {
                started = true;
                log.info(
                        "agent_started vin={} catalogue={} source=\"{}\" spool_depth={} next_seq={}",
                        vin(),
                        config.uplink().catalogue().shortId(),
                        source.describe(),
                        spool.depth(),
                        spool.nextSeq());
                uplinkThread = Thread.ofVirtual()
                        .name("uplink-" + vin())
                        .start(() -> uplink.run(clock, UPLINK_TICK, this::signalProgress));
                captureThread = Thread.ofVirtual().name("capture-" + vin()).start(() -> runCapture(driver));
            }
            return this;
        } finally {
            closeLock.unlock();
        }
    }

    private void runCapture(CaptureDriver driver) {
        try {
            driver.run(capture);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!capture.stopRequested()) {
                captureError = e.getMessage() == null ? e.toString() : e.getMessage();
                log.error("agent_capture_failed vin={} captured={} error={}", vin(), capture.captured(), e.toString());
            }
        } finally {
            try {
                spool.flush();
            } catch (RuntimeException e) {
                log.error("agent_flush_failed vin={} error={}", vin(), e.getMessage());
            }
            sourceDone = true;
            uplink.wake();
            log.info("agent_source_done vin={} captured={} problems={}", vin(), capture.captured(), source.problems());
        }
    }

    // ---- observation

    /**
     * A snapshot. The dead-zone fields count cuts through {@link #link()} only as {@code deadZone}; a
     * harness that plays dead zones fills them with {@link AgentStats#withDeadZones}.
     */
    public AgentStats stats() {
        SpoolStats s = spool.stats();
        UplinkStats u = uplink.stats();
        UplinkConfig up = config.uplink();
        long depth = s.depth() + s.pending();
        return new AgentStats(
                up.vin(),
                up.name(),
                up.model(),
                capture.captured(),
                capture.firstCaptureMs(),
                capture.lastCaptureMs(),
                u.state(),
                depth,
                Math.max(capture.peakDepth(), depth),
                s.oldestTimeMs(),
                s.nextSeq(),
                u.ackedSeq(),
                0,
                0,
                uplink.isCut(),
                u.connects(),
                u.reconnects(),
                u.heartbeatTimeouts(),
                u.messageBytesSent(),
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

    /** Whether the capture is over (source exhausted, failed or stopped). */
    public boolean sourceDone() {
        return sourceDone;
    }

    /** Whether the capture is over and every captured sample was acknowledged by the server. */
    public boolean drained() {
        return sourceDone && spool.depth() == 0 && spool.stats().pending() == 0;
    }

    /**
     * Waits until the capture is over and every captured sample was acknowledged by the server.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return awaitProgress(timeout, this::drained);
    }

    private void signalProgress() {
        progressLock.lock();
        try {
            progress.signalAll();
        } finally {
            progressLock.unlock();
        }
    }

    /**
     * Waits until {@code done} holds, re-checking after every uplink step (the uplink steps on its
     * events and every {@code UPLINK_TICK}); false when {@code timeout} passed first.
     */
    private boolean awaitProgress(Duration timeout, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long left = timeout.toNanos();
        progressLock.lock();
        try {
            while (!done.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = progress.awaitNanos(left);
            }
            return true;
        } finally {
            progressLock.unlock();
        }
    }

    /** Graceful stop (see the class comment); returns the final stats. Idempotent. */
    public AgentStats shutdown() {
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
        capture.stop();
        try {
            stopCapture();
            spool.flush();
            LinkState st = uplink.state();
            if (uplinkThread != null && (st == LinkState.ONLINE || st == LinkState.DRAINING)) {
                awaitDrainedWhileClosing(config.closeDrainTimeout());
            }
            stopUplink();
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
        log.info(
                "agent_closed vin={} captured={} still_buffered={} oldest_buffered_ms={} next_seq={}",
                vin(),
                finalStats.captured(),
                finalStats.spoolDepth(),
                finalStats.oldestBufferedMs(),
                finalStats.nextSeq());
        return finalStats;
    }

    private void stopCapture() throws InterruptedException {
        if (captureThread != null) {
            captureThread.join(2_000);
            if (captureThread.isAlive()) {
                captureThread.interrupt(); // blocked in a source read or an append (BLOCK policy, full spool)
                captureThread.join(5_000);
            }
        }
    }

    private void stopUplink() throws InterruptedException {
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
    }

    private void awaitDrainedWhileClosing(Duration timeout) throws InterruptedException {
        uplink.wake(); // send what the flush just committed without waiting for the tick
        awaitProgress(timeout, () -> spool.depth() == 0);
    }

    @Override
    public void close() {
        shutdown();
    }
}
