package io.fleetlog.bench.peer;

import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.Backoff;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.Uplink;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fleetlog's vehicles for the benchmark: per VIN a durable {@link Spool} ({@code stateDir/VIN.spool},
 * {@link SpoolConfig} as given — defaults: 24 h bound, block when full, 100 ms / 4096-sample group
 * commits, {@code synchronous=FULL}) and an {@link Uplink} over the JDK WebSocket, each uplink loop on
 * its own platform thread. {@link #begin()} starts one capture thread per vehicle that appends the
 * source to the spool in chunks as fast as the spool takes them ("max speed").
 *
 * <p>Uplink settings are fleetlog's defaults except the reconnect backoff, capped at 1 s like the
 * peer's Paho {@code maxReconnectDelay}, so neither stack's recovery time is its backoff ceiling.
 */
final class FleetlogFleet implements Capture {

    private static final Logger log = LoggerFactory.getLogger(FleetlogFleet.class);

    /** Reconnect backoff: 250 ms doubling to 1 s, ±50 % jitter. */
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1), 0.5);

    /** Samples per {@link Spool#append} call of a capture thread. */
    static final int CHUNK = 512;

    private record Vehicle(String vin, int index, Spool spool, Uplink uplink, Thread loop, long firstSeq) {
        /** Samples committed to the spool since this fleet opened it and not dropped by its bound. */
        long committed() {
            long last = spool.lastCommittedSeq();
            return (last < firstSeq ? 0 : last - firstSeq + 1) - spool.stats().dropped();
        }
    }

    private final Workload workload;
    private final List<Vehicle> vehicles = new ArrayList<>();
    private final List<Thread> captures = new ArrayList<>();
    private volatile boolean stopped;

    private FleetlogFleet(Workload workload) {
        this.workload = workload;
    }

    /**
     * Opens every vehicle's spool and starts its uplink to {@code serverBaseUrl}; waits (up to
     * {@code timeout}) until every uplink is online.
     */
    static FleetlogFleet connect(
            Workload workload,
            String serverBaseUrl,
            Map<String, String> tokens,
            Path stateDir,
            SpoolConfig spoolConfig,
            Duration timeout)
            throws InterruptedException {
        FleetlogFleet fleet = new FleetlogFleet(workload);
        for (int i = 0; i < workload.vehicles(); i++) {
            String vin = workload.vins().get(i);
            Spool spool = Spools.open(Spools.fileFor(stateDir, vin), spoolConfig);
            UplinkConfig cfg =
                    UplinkConfig.of(serverBaseUrl, vin, Workload.model(i).key(), tokens.get(vin));
            cfg = new UplinkConfig(
                    URI.create(serverBaseUrl),
                    vin,
                    cfg.model(),
                    cfg.name(),
                    cfg.token(),
                    cfg.catalogue(),
                    cfg.heartbeatInterval(),
                    cfg.heartbeatTimeout(),
                    cfg.connectTimeout(),
                    cfg.liveFlushInterval(),
                    cfg.statusInterval(),
                    cfg.liveBatchSamples(),
                    cfg.drainBatchSamples(),
                    cfg.maxInFlightBatches(),
                    cfg.drainThresholdSamples(),
                    BACKOFF);
            Uplink uplink = new Uplink(spool, cfg, Transport.webSocket(), new SplittableRandom(workload.seed() + i));
            Thread loop = Thread.ofPlatform()
                    .name("uplink-" + vin)
                    .start(() -> uplink.run(InstantSource.system(), Duration.ofMillis(20)));
            fleet.vehicles.add(new Vehicle(vin, i, spool, uplink, loop, spool.nextSeq()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (fleet.vehicles.stream()
                .anyMatch(v ->
                        v.uplink().state() == LinkState.OFFLINE || v.uplink().state() == LinkState.CONNECTING)) {
            if (System.nanoTime() > deadline) {
                fleet.close();
                throw new IllegalStateException("fleetlog uplinks not online within " + timeout);
            }
            Thread.sleep(10);
        }
        return fleet;
    }

    @Override
    public void begin() {
        for (Vehicle v : vehicles) {
            Source source = workload.source(v.index());
            captures.add(Thread.ofPlatform().name("capture-" + v.vin()).start(() -> captureAll(v, source)));
        }
    }

    private void captureAll(Vehicle v, Source source) {
        try (source) {
            List<Sample> chunk = new ArrayList<>(CHUNK);
            Sample s;
            while (!stopped && (s = source.next()) != null) {
                chunk.add(s);
                if (chunk.size() == CHUNK) {
                    v.spool().append(chunk);
                    v.uplink().wake();
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            v.spool().append(chunk);
            v.spool().flush();
            v.uplink().wake();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("fleetlog_capture_failed vin={}", v.vin(), e);
        }
    }

    @Override
    public long accepted() {
        return vehicles.stream().mapToLong(Vehicle::committed).sum();
    }

    @Override
    public long refused() {
        return vehicles.stream().mapToLong(v -> v.spool().stats().dropped()).sum();
    }

    @Override
    public boolean finished() {
        return captures.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public long unacknowledged() {
        return vehicles.stream().mapToLong(v -> v.spool().depth()).sum();
    }

    @Override
    public Map<String, Long> refusals() {
        long dropped = refused();
        return dropped == 0 ? Map.of() : Map.of("spool full, drop-oldest", dropped);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : captures) {
            t.join(10_000);
        }
        for (Vehicle v : vehicles) {
            v.uplink().stop();
        }
        for (Vehicle v : vehicles) {
            v.loop().join(5_000);
            v.spool().close();
        }
    }
}
