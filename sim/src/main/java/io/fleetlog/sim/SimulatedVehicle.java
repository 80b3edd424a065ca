package io.fleetlog.sim;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.Capture;
import io.fleetlog.edge.VehicleAgent;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.CutMode;
import io.fleetlog.sim.proxy.FaultProxy;
import io.fleetlog.sim.proxy.OutageSchedule;
import io.fleetlog.sim.proxy.ProxyLink;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulation harness around one product edge ({@link VehicleAgent}): it paces the edge's capture
 * step to real time × {@code speed} (or not at all at {@code max}), and plays dead zones — scheduled
 * by capture time ({@link OutageSchedule}) or toggled by hand — by cutting the link through a {@link
 * FaultProxy} in front of the server ({@link ProxyLink}).
 *
 * <p>Pacing is a {@link VehicleAgent.CaptureDriver}: before a sample is committed it waits until the
 * sample's capture time is due on the replay's clock (the first capture time, advancing {@code speed}
 * × wall time, held back while a dead zone waits out {@link SimConfig#minOutageWall()}), and it stops
 * every step at the next outage boundary, so a dead zone starts and ends at the sample whose capture
 * time crosses it. A {@linkplain Source#live() live} source is never paced. The edge's guarantees are
 * the edge's: the harness only decides when a step runs and when the link is cut.
 *
 * <p>{@link #close()} closes the edge gracefully (see {@link VehicleAgent}), then the proxy.
 * Idempotent and thread-safe.
 */
public final class SimulatedVehicle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedVehicle.class);
    /** Pacing does not sleep for less than this (ns): the samples are committed at once instead. */
    private static final long MIN_SLEEP_NANOS = 1_000_000;
    /** A step horizon before every capture time: reads the first sample without committing it. */
    private static final Instant BEFORE_ALL = Instant.ofEpochMilli(Long.MIN_VALUE);

    private final SimConfig config;
    private final VehicleAgent agent;
    private final FaultProxy proxy;
    private final ProxyLink link;
    private final ReentrantLock closeLock = new ReentrantLock();
    private volatile AgentStats finalStats;

    // pacing, capture thread only
    private volatile long firstCaptureMs = -1;
    private long wallStartNanos;
    private long pausedNanos;

    // dead zones, guarded by this
    private OutageSchedule.Outage scheduled;
    private long scheduledStartNanos;
    private boolean manual;
    private boolean cut;
    private long outageCount;
    private double outageSeconds;
    private long outageStartCaptureMs;

    private SimulatedVehicle(SimConfig config, Source source, Transport transport) throws IOException {
        this.config = config;
        FaultProxy p = null;
        UplinkConfig up = config.uplink();
        if (config.faultProxy()) {
            URI s = up.server();
            p = FaultProxy.start(s.getHost(), s.getPort() < 0 ? 80 : s.getPort());
            up = up.withServer(URI.create("http://127.0.0.1:" + p.port() + (s.getPath() == null ? "" : s.getPath())));
        }
        try {
            this.agent = VehicleAgent.create(config.edge().withUplink(up), source, transport);
        } catch (IOException | RuntimeException e) {
            if (p != null) {
                p.close();
            }
            throw e;
        }
        this.proxy = p;
        this.link = p == null ? null : new ProxyLink(p, agent.link());
    }

    /** A harnessed edge for any source (a simulator, a log replay). Opens the spool; {@link #start()} runs it. */
    public static SimulatedVehicle create(SimConfig config, Source source) throws IOException {
        return new SimulatedVehicle(config, source, Transport.webSocket());
    }

    /** As {@link #create(SimConfig, Source)}, the uplink connecting through {@code transport}. */
    public static SimulatedVehicle create(SimConfig config, Source source, Transport transport) throws IOException {
        return new SimulatedVehicle(config, source, transport);
    }

    /** A harnessed edge driving a {@link DriveSimulator} (duration {@code null} = endless). */
    public static SimulatedVehicle simulated(
            SimConfig config, VehicleModel model, long seed, long startEpochMs, Duration duration) throws IOException {
        return create(config, new DriveSimulator(model, seed, startEpochMs, duration));
    }

    public String vin() {
        return agent.vin();
    }

    public SimConfig config() {
        return config;
    }

    /** The product edge this harness drives. */
    public VehicleAgent agent() {
        return agent;
    }

    /** The proxy's port (where the uplink connects), or -1 without a proxy. */
    public int proxyPort() {
        return proxy == null ? -1 : proxy.port();
    }

    /** Starts the edge with this harness's pacing and dead zones. */
    public SimulatedVehicle start() {
        log.info(
                "sim_vehicle_started vin={} speed={} outages={} fault_proxy={}",
                vin(),
                config.maxSpeed() ? "max" : config.speed(),
                config.outages(),
                proxy != null);
        agent.start(this::drive);
        return this;
    }

    // ---- pacing (the capture thread)

    private void drive(Capture capture) throws IOException, InterruptedException {
        boolean paced = !config.maxSpeed() && !capture.source().live();
        try {
            Capture.Step st = capture.step(BEFORE_ALL);
            firstCaptureMs = st.heldCaptureMs();
            wallStartNanos = System.nanoTime();
            while (!st.ended()) {
                long next = st.heldCaptureMs(); // -1: the last step filled a chunk without reading ahead
                if (next >= 0) {
                    if (proxy != null) {
                        outagesAt(next);
                    }
                    if (paced) {
                        sleepUntilDue(next);
                    }
                }
                long horizon = Long.MAX_VALUE;
                if (proxy != null) {
                    horizon = nextBoundaryMs(next >= 0 ? next : capture.lastCaptureMs()) - 1;
                }
                if (paced) {
                    horizon = Math.min(horizon, dueCaptureMs());
                }
                st = capture.step(Instant.ofEpochMilli(Math.max(horizon, next)));
                if (config.maxSpeed()) {
                    Thread.yield(); // let the uplink run between chunks
                }
            }
        } finally {
            synchronized (this) {
                if (scheduled != null) {
                    scheduled = null;
                    if (!manual) {
                        endOutage(capture.lastCaptureMs());
                    }
                }
            }
        }
    }

    /** The capture time due now on the replay clock. */
    private long dueCaptureMs() {
        long wall = System.nanoTime() - wallStartNanos - pausedNanos;
        return firstCaptureMs + (long) (wall / 1e6 * config.speed());
    }

    private void sleepUntilDue(long captureMs) throws InterruptedException {
        long due = wallStartNanos + pausedNanos + (long) ((captureMs - firstCaptureMs) * 1e6 / config.speed());
        long wait = due - System.nanoTime();
        if (wait > MIN_SLEEP_NANOS) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** The first outage start or end strictly after {@code captureMs} (ms), or {@link Long#MAX_VALUE}. */
    private long nextBoundaryMs(long captureMs) {
        long best = Long.MAX_VALUE;
        for (OutageSchedule.Outage o : config.outages().outages()) {
            for (double sec : new double[] {o.startSeconds(), o.endSeconds()}) {
                long b = firstCaptureMs + (long) Math.ceil(sec * 1000);
                if (b > captureMs && b < best) {
                    best = b;
                }
            }
        }
        return best;
    }

    /** Applies the outage schedule at the capture time of the next sample, before it is committed. */
    private void outagesAt(long captureMs) throws InterruptedException {
        double sec = (captureMs - firstCaptureMs) / 1000.0;
        OutageSchedule.Outage current;
        synchronized (this) {
            current = scheduled;
        }
        if (current != null && !current.contains(sec)) {
            long left = config.minOutageWall().toNanos() - (System.nanoTime() - scheduledStartNanos);
            if (left > 0) {
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

    // ---- dead zones (guarded by this)

    private void startOutage(long captureMs, CutMode mode) {
        link.cut(mode);
        cut = true;
        outageCount++;
        outageStartCaptureMs = captureMs;
        log.info("agent_dead_zone_entered vin={} mode={} capture_ms={}", vin(), mode, captureMs);
    }

    private void endOutage(long captureMs) {
        if (!cut) {
            return;
        }
        link.restore();
        cut = false;
        outageSeconds += outageCaptureSeconds(captureMs);
        log.info(
                "agent_dead_zone_left vin={} capture_ms={} spool_depth={}",
                vin(),
                captureMs,
                agent.stats().spoolDepth());
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
        long last = agent.capture().lastCaptureMs();
        if (on && !manual) {
            manual = true;
            if (scheduled == null) {
                startOutage(last, CutMode.BLACKHOLE);
            }
        } else if (!on && manual) {
            manual = false;
            if (scheduled == null) {
                endOutage(last);
            }
        }
    }

    public synchronized boolean inDeadZone() {
        return cut;
    }

    // ---- observation

    /** The edge's stats with this harness's dead zones and the bytes through the proxy. */
    public AgentStats stats() {
        AgentStats done = finalStats;
        return done != null ? done : withDeadZones(agent.stats());
    }

    private AgentStats withDeadZones(AgentStats s) {
        long outages;
        double outageSec;
        boolean dz;
        synchronized (this) {
            outages = outageCount;
            outageSec = outageSeconds + (cut ? outageCaptureSeconds(s.lastCaptureMs()) : 0);
            dz = cut;
        }
        return s.withDeadZones(outages, outageSec, dz, proxy != null ? proxy.bytesUpstream() : s.wireBytesSent());
    }

    /** See {@link VehicleAgent#captureError()}. */
    public String captureError() {
        return agent.captureError();
    }

    public LinkState linkState() {
        return agent.linkState();
    }

    public boolean sourceDone() {
        return agent.sourceDone();
    }

    /** See {@link VehicleAgent#awaitDrained(Duration)}. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return agent.awaitDrained(timeout);
    }

    /** Closes the edge gracefully, then the proxy; returns the final stats. Idempotent. */
    public AgentStats shutdown() {
        // not synchronized on this: the capture thread takes this monitor for dead-zone state
        closeLock.lock();
        try {
            if (finalStats == null) {
                AgentStats s = withDeadZones(agent.shutdown());
                if (proxy != null) {
                    proxy.close();
                }
                finalStats = s;
            }
            return finalStats;
        } finally {
            closeLock.unlock();
        }
    }

    @Override
    public void close() {
        shutdown();
    }
}
