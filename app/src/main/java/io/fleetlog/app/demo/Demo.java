package io.fleetlog.app.demo;

import io.fleetlog.app.report.FleetReport;
import io.fleetlog.app.report.VehicleRun;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.HttpSecurity;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: a fleetlog server with its embedded store and a simulated fleet in one process, each car
 * talking to the server over real loopback WebSockets through its own fault proxy, with scripted dead
 * zones (a tunnel, a parking garage, a long rural gap).
 *
 * <p>The fleet can be stopped and started again ({@link #stopFleet}, {@link #startFleet}), and any car
 * put in a dead zone now ({@link #deadZone}); the dashboard does that through the control routes of
 * {@link DemoControl}. {@link #report} compares what every car captured (its simulator re-run from
 * its seed) with what the store holds. Spools live in {@code DATA/spool} and survive runs, so seqs
 * are never reused. Thread-safe.
 */
public final class Demo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    private static final VehicleModel[] MODELS = {
        VehicleModel.MODEL3, VehicleModel.MODELY, VehicleModel.MODELS_PLAID, VehicleModel.MODELX
    };

    /** Demo settings, validated on construction. */
    public record Options(
            int vehicles,
            Duration duration,
            double speed,
            String bind,
            int port,
            String db,
            Path dataDir,
            long seed,
            boolean outages,
            SpoolConfig spool,
            java.util.List<String> signals,
            int ftVehicles,
            int replicas) {
        /** As the full form, directly on the store (no Kafka bus). */
        public Options(
                int vehicles,
                Duration duration,
                double speed,
                String bind,
                int port,
                String db,
                Path dataDir,
                long seed,
                boolean outages,
                SpoolConfig spool,
                java.util.List<String> signals,
                int ftVehicles) {
            this(vehicles, duration, speed, bind, port, db, dataDir, seed, outages, spool, signals, ftVehicles, 0);
        }

        /** As the full form, without Fleet Telemetry cars. */
        public Options(
                int vehicles,
                Duration duration,
                double speed,
                String bind,
                int port,
                String db,
                Path dataDir,
                long seed,
                boolean outages,
                SpoolConfig spool,
                java.util.List<String> signals) {
            this(vehicles, duration, speed, bind, port, db, dataDir, seed, outages, spool, signals, 0);
        }

        /** As the full form, every simulated signal, without Fleet Telemetry cars. */
        public Options(
                int vehicles,
                Duration duration,
                double speed,
                String bind,
                int port,
                String db,
                Path dataDir,
                long seed,
                boolean outages,
                SpoolConfig spool) {
            this(vehicles, duration, speed, bind, port, db, dataDir, seed, outages, spool, null, 0);
        }

        public Options {
            if (signals != null) {
                signals = java.util.List.copyOf(signals);
                signals.forEach(io.fleetlog.catalog.Catalogue.builtin()::id); // an unknown name fails here
            }
            if (vehicles < 1 || vehicles > 200) {
                throw new IllegalArgumentException("--vehicles " + vehicles + " must be between 1 and 200");
            }
            if (ftVehicles < 0 || ftVehicles > 200) {
                throw new IllegalArgumentException("--ft-vehicles " + ftVehicles + " must be between 0 and 200");
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("--duration " + duration.toSeconds() + " must be positive");
            }
            if (replicas < 0 || replicas > MAX_REPLICAS) {
                throw new IllegalArgumentException("--replicas " + replicas + " must be between 1 and " + MAX_REPLICAS);
            }
            if (replicas > 0 && ftVehicles > 0) {
                throw new IllegalArgumentException(
                        "--ft-vehicles is not supported with --bus kafka (the demo's Fleet Telemetry cars need one server)");
            }
            if (!(speed > 0)) {
                throw new IllegalArgumentException("--speed " + speed + " must be positive or max");
            }
            spool = spool == null ? SpoolConfig.defaults() : spool;
        }

        /** Whether the demo runs on Kafka: {@link #replicas} ingest replicas, a sink and a broker. */
        public boolean bus() {
            return replicas > 0;
        }

        public boolean maxSpeed() {
            return Double.isInfinite(speed);
        }
    }

    /** The most ingest replicas {@code --bus kafka} starts. */
    public static final int MAX_REPLICAS = 8;

    /** How long the report waits for the Kafka sink to store what the replicas acked. */
    static final Duration SINK_DRAIN_TIMEOUT = Duration.ofSeconds(120);

    private final Options options;
    /** The server the dashboard, control routes and logs belong to: the first replica on Kafka. */
    private final FleetServer server;
    /** Every server the cars connect to (car i to servers[i mod n]): one, or the Kafka replicas. */
    private final List<FleetServer> servers;
    /** The broker, replicas and sink, or null without --bus. */
    private final DemoBus bus;
    /** Set by {@link #report}: null when the sink stored everything in time (or without the bus). */
    private volatile String sinkBehind;

    private final List<DemoVehicle> vehicles;
    private final List<FtDemoCar> ftCars;
    private final Path ftPki;
    private final Path spoolDir;
    private boolean ftStarted;
    private boolean running;
    /** The MQTT publisher, or null without --mqtt. */
    private io.fleetlog.server.mqtt.MqttBridge mqtt;

    private boolean closed;

    private Demo(
            Options options,
            List<FleetServer> servers,
            DemoBus bus,
            List<DemoVehicle> vehicles,
            List<FtDemoCar> ftCars,
            Path ftPki) {
        this.options = options;
        this.server = servers.get(0);
        this.servers = List.copyOf(servers);
        this.bus = bus;
        this.vehicles = vehicles;
        this.ftCars = ftCars;
        this.ftPki = ftPki;
        this.spoolDir = options.dataDir().resolve("spool");
    }

    /** Starts the server and the fleet. */
    public static Demo start(Options o) throws IOException {
        return start(o, HttpSecurity.defaults());
    }

    /** Starts the server, with this HTTP access control (docs/security.md), and the fleet. */
    public static Demo start(Options o, HttpSecurity security) throws IOException {
        return start(o, security, null);
    }

    /** As {@link #start(Options, HttpSecurity)}, also publishing to MQTT unless {@code mqtt} is null (docs/mqtt.md). */
    public static Demo start(Options o, HttpSecurity security, io.fleetlog.server.mqtt.MqttConfig mqtt)
            throws IOException {
        Files.createDirectories(o.dataDir());
        List<DemoVehicle> cars = plan(o);
        Map<String, String> tokens = new LinkedHashMap<>();
        cars.forEach(c -> tokens.put(c.vin, c.token));
        Demo[] self = new Demo[1];
        ServerConfig config = ServerConfig.defaults(TokenStore.demo(tokens))
                .withBind(o.bind())
                .withPort(o.port())
                .withDb(o.db())
                .withDemo(true)
                .withSecurity(security)
                .withRoutes(cfg -> DemoControl.routes(cfg, () -> self[0]));
        Path ftPki = o.dataDir().resolve("ft-pki");
        if (o.ftVehicles() > 0) {
            config = config.withFleetTelemetry(ftListener(o, ftPki));
        }
        if (o.bus() && mqtt != null) {
            throw new IllegalArgumentException("--mqtt is not supported with --bus kafka");
        }
        DemoBus bus = o.bus() ? DemoBus.start(config, o.replicas(), o.dataDir().resolve("kafka")) : null;
        List<FleetServer> servers = bus != null ? bus.replicas() : List.of(FleetServer.start(config));
        FleetServer server = servers.get(0);
        List<FtDemoCar> ftCars = new ArrayList<>();
        for (int i = 0; i < o.ftVehicles(); i++) {
            String vin = DriveSimulator.vin(VehicleModel.MODEL3, 500 + i);
            OutageSchedule outages =
                    o.outages() ? DeadZones.scripted(o.vehicles() + i, o.duration()) : OutageSchedule.none();
            ftCars.add(new FtDemoCar(
                    i,
                    vin,
                    "Fleet Telemetry #" + (i + 1),
                    o.seed() + 1000 + i,
                    outages,
                    server.store().lastSeq(vin) + 1));
        }
        Demo demo = new Demo(o, servers, bus, cars, ftCars, ftPki);
        self[0] = demo;
        try {
            if (mqtt != null) {
                demo.mqtt = io.fleetlog.server.mqtt.MqttBridge.start(mqtt, server);
            }
            demo.startFleet();
        } catch (RuntimeException | IOException e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    /**
     * The Fleet Telemetry listener of the demo: on the demo's bind, any free port, with its own
     * throw-away PKI in {@code DATA/ft-pki} (made anew each start: a CA, a server certificate for
     * localhost, one certificate per car) so the HTTP port stays plain; no rate limit (the cars are
     * simulated faster than real time).
     */
    private static io.fleetlog.server.ft.FtConfig ftListener(Options o, Path pki) throws IOException {
        if (Files.exists(pki)) {
            try (var files = Files.walk(pki)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        io.fleetlog.ft.pki.DevCa ca = io.fleetlog.ft.pki.DevCa.create(pki, "fleetlog demo CA", Duration.ofDays(30));
        io.fleetlog.ft.pki.DevCa.Issued cert =
                ca.issueServer(pki.resolve("server"), List.of("localhost", "127.0.0.1"), Duration.ofDays(30));
        return new io.fleetlog.server.ft.FtConfig(o.bind(), 0)
                .withRateLimit(0, Duration.ofSeconds(1))
                .withTls(io.fleetlog.server.tls.TlsConfig.of(cert.certFile(), cert.keyFile())
                        .withClientCa(pki.resolve(io.fleetlog.ft.pki.DevCa.CA_CERT)));
    }

    /** Starts the Fleet Telemetry cars (once per demo: they are not restarted with the fleet). */
    private void startFtCars(long now) throws IOException {
        if (ftStarted || ftCars.isEmpty()) {
            return;
        }
        ftStarted = true;
        io.fleetlog.ft.pki.DevCa ca = io.fleetlog.ft.pki.DevCa.load(ftPki);
        java.net.URI uri =
                java.net.URI.create("wss://localhost:" + server.fleetTelemetry().port() + "/");
        for (FtDemoCar c : ftCars) {
            io.fleetlog.ft.pki.DevCa.Issued cert = ca.issueVehicle(ftPki.resolve(c.vin), c.vin, Duration.ofDays(30));
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .sslContext(io.fleetlog.ft.client.FtTls.clientContext(
                            cert.certFile(), cert.keyFile(), ftPki.resolve(io.fleetlog.ft.pki.DevCa.CA_CERT)))
                    .build();
            c.start(uri, http, now, options.duration(), options.speed(), minOutageWall());
        }
        log.info(
                "demo_ft_cars_started cars={} port={}",
                ftCars.size(),
                server.fleetTelemetry().port());
    }

    /** The cars: models cycle, each with a valid VIN, its own seed, token and dead zones. */
    static List<DemoVehicle> plan(Options o) {
        List<DemoVehicle> out = new ArrayList<>();
        int[] perModel = new int[VehicleModel.values().length];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < o.vehicles(); i++) {
            VehicleModel m = MODELS[i % MODELS.length];
            int n = perModel[m.ordinal()]++;
            byte[] t = new byte[24];
            random.nextBytes(t);
            OutageSchedule outages = o.outages() ? DeadZones.scripted(i, o.duration()) : OutageSchedule.none();
            out.add(new DemoVehicle(
                    i,
                    m,
                    DriveSimulator.vin(m, n),
                    m.displayName() + " #" + (n + 1),
                    o.seed() + i,
                    HexFormat.of().formatHex(t),
                    outages,
                    o.signals()));
        }
        return out;
    }

    public FleetServer server() {
        return server;
    }

    /** Every server the cars connect to: the one server, or the Kafka ingest replicas in order. */
    public List<FleetServer> servers() {
        return servers;
    }

    /** The bootstrap address and topic of the demo's broker, or null without --bus. */
    public String busDescription() {
        return bus == null ? null : bus.bootstrap() + " topic " + bus.topic();
    }

    public Options options() {
        return options;
    }

    /** The server's base URL as a browser on this machine reaches it. */
    public String url() {
        return server.baseUrl();
    }

    /** Starts (or restarts) every car's simulator from now; a no-op while running. */
    public synchronized void startFleet() throws IOException {
        if (running || closed) {
            return;
        }
        long now = System.currentTimeMillis();
        for (DemoVehicle v : vehicles) {
            Duration left = remaining(v);
            if (left != null && left.isZero()) {
                continue;
            }
            UplinkConfig up = UplinkConfig.of(
                            servers.get(v.index % servers.size()).baseUrl(), v.vin, v.model.key(), v.token)
                    .withName(v.name);
            SimConfig ac = SimConfig.of(up, spoolDir)
                    .withSpool(options.spool())
                    .withSpeed(options.speed())
                    .withOutages(v.segments.isEmpty() ? v.outages : OutageSchedule.none(), minOutageWall());
            long start = captureStart(v, now);
            v.agent = SimulatedVehicle.create(ac, v.simulator(start, left));
            v.agentStartMs = start;
            v.agentDuration = left;
            v.agentFirstSeq = v.agent.stats().nextSeq();
            checkSeqs(v);
            v.agent.start();
        }
        startFtCars(now);
        running = true;
        server.publishLog(
                "info",
                "demo fleet started: " + vehicles.size() + " vehicles"
                        + (ftCars.isEmpty() ? "" : " and " + ftCars.size() + " Fleet Telemetry cars"));
        log.info(
                "demo_fleet_started vehicles={} speed={}",
                vehicles.size(),
                options.maxSpeed() ? "max" : options.speed());
    }

    /**
     * Where a car's capture clock starts: now, or just after the last capture time it already has —
     * at high speed a drive runs ahead of the wall clock, and an earlier run (kept in the store) or
     * segment (kept in the spool) may end in the future; starting before it would run time backwards.
     */
    private long captureStart(DemoVehicle v, long now) {
        long last = server.store().totals(v.vin).lastCaptureMs();
        for (DemoVehicle.Segment s : v.segments) {
            if (s.captured() > 0) {
                last = Math.max(last, s.startEpochMs() + (s.captured() - 1) * DriveSimulator.PERIOD_MS);
            }
        }
        return Math.max(now, last + DriveSimulator.PERIOD_MS);
    }

    /** The capture time a car still has to drive (null = endless, zero = done). */
    private Duration remaining(DemoVehicle v) {
        if (options.duration() == null) {
            return null;
        }
        long done = v.segments.stream().mapToLong(DemoVehicle.Segment::captured).sum();
        long total = options.duration().toMillis() / DriveSimulator.PERIOD_MS;
        return Duration.ofMillis(Math.max(0, total - done) * DriveSimulator.PERIOD_MS);
    }

    /** A dead zone must outlast the heartbeat timeout in wall time, or at max speed nobody notices. */
    private Duration minOutageWall() {
        return options.maxSpeed() || options.speed() > 20 ? Duration.ofSeconds(3) : Duration.ZERO;
    }

    /** Refuses a spool whose seqs the store already holds (a spool directory reset under a kept database). */
    private void checkSeqs(DemoVehicle v) {
        long stored = server.store().lastSeq(v.vin);
        if (stored >= v.agentFirstSeq && v.segments.isEmpty() && v.agent.stats().spoolDepth() == 0) {
            v.agent.close();
            throw new IllegalStateException("the store already holds seq " + stored + " of " + v.vin
                    + " but this vehicle's spool (" + spoolDir + ") starts at " + v.agentFirstSeq
                    + ": the spool directory was reset while the database was kept; use a fresh database "
                    + "(--db) or remove both (rm -r " + options.dataDir() + ")");
        }
    }

    /** Stops every car gracefully (drains briefly, keeps the rest in the spools); a no-op when stopped. */
    public synchronized void stopFleet() {
        if (!running) {
            return;
        }
        running = false;
        // Cars stop in parallel: each may spend a few seconds draining its backlog.
        List<Thread> stopping = new ArrayList<>();
        for (DemoVehicle v : vehicles) {
            SimulatedVehicle agent = v.agent;
            if (agent != null) {
                stopping.add(Thread.ofVirtual().name("stop-" + v.vin).start(() -> {
                    AgentStats s = agent.shutdown();
                    synchronized (v) {
                        v.segments.add(new DemoVehicle.Segment(v.agentStartMs, v.agentDuration, v.agentFirstSeq, s));
                    }
                }));
                v.agent = null;
            }
        }
        for (FtDemoCar c : ftCars) {
            stopping.add(Thread.ofVirtual().name("stop-" + c.vin).start(() -> c.stop(Duration.ofSeconds(30))));
        }
        boolean interrupted = false;
        for (Thread t : stopping) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // Ctrl-C: still wait, the report needs every car's final stats
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        server.publishLog("info", "demo fleet stopped");
        log.info("demo_fleet_stopped");
    }

    public synchronized boolean running() {
        return running;
    }

    /** Puts a car in a dead zone now, or ends it. */
    public synchronized void deadZone(String vin, boolean on) {
        DemoVehicle v = vehicle(vin);
        if (v.agent == null) {
            throw new IllegalStateException("the demo fleet is stopped");
        }
        v.agent.deadZone(on);
        server.publishLog("info", v.name + (on ? " entered a dead zone" : " left its dead zone"));
    }

    synchronized DemoVehicle vehicle(String vin) {
        for (DemoVehicle v : vehicles) {
            if (v.vin.equals(vin)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no demo vehicle " + vin);
    }

    synchronized List<FtDemoCar> ftCarsForTest() {
        return List.copyOf(ftCars);
    }

    synchronized List<DemoVehicle> vehicles() {
        return List.copyOf(vehicles);
    }

    /** Stats of the running agents (empty when stopped). */
    public synchronized List<AgentStats> stats() {
        List<AgentStats> out = new ArrayList<>();
        for (DemoVehicle v : vehicles) {
            if (v.agent != null) {
                out.add(v.agent.stats());
            }
        }
        return out;
    }

    /** Whether every car finished its drive and the server acknowledged everything. */
    public synchronized boolean finished() {
        for (DemoVehicle v : vehicles) {
            if (v.agent != null) {
                AgentStats s = v.agent.stats();
                if (!s.sourceDone() || s.spoolDepth() > 0) {
                    return false;
                }
            }
        }
        for (FtDemoCar c : ftCars) {
            if (ftStarted && !c.finished()) {
                return false;
            }
        }
        return options.duration() != null;
    }

    /** One monitoring step: tracks backlog drains (dead zone over → everything up to then acked). */
    public synchronized void monitor(long nowNanos) {
        for (DemoVehicle v : vehicles) {
            if (v.agent == null) {
                continue;
            }
            AgentStats s = v.agent.stats();
            if (v.wasDeadZone && !s.deadZone()) {
                v.drainTargetSeq = s.nextSeq() - 1;
                v.drainStartNanos = nowNanos;
            }
            v.wasDeadZone = s.deadZone();
            if (v.drainTargetSeq >= 0 && s.ackedSeq() >= v.drainTargetSeq) {
                v.longestDrainSeconds = Math.max(v.longestDrainSeconds, (nowNanos - v.drainStartNanos) / 1e9);
                v.drainTargetSeq = -1;
            }
        }
    }

    /** Stops the fleet (if running) and compares captured with stored for every car. */
    public FleetReport report() {
        stopFleet();
        if (bus != null) {
            // every car is acked by Kafka now: the report reads the store once the sink wrote all of it;
            // after Ctrl-C (the thread interrupted) too, so the wait runs with the flag cleared
            boolean interrupted = Thread.interrupted();
            try {
                sinkBehind = bus.awaitStored(SINK_DRAIN_TIMEOUT);
            } catch (InterruptedException e) {
                interrupted = true;
                sinkBehind = "interrupted while waiting for the Kafka sink";
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (sinkBehind != null) {
                log.error("demo_sink_behind error=\"{}\"", sinkBehind);
                server.publishLog("error", sinkBehind);
            }
        }
        List<VehicleRun> runs = new ArrayList<>();
        for (DemoVehicle v : vehicles()) {
            runs.add(new VehicleRun(
                    v.vin,
                    v.name,
                    v.model.key(),
                    v::captured,
                    v.firstSeq(),
                    v.firstCaptureMs(),
                    v.segments.stream().map(DemoVehicle.Segment::stats).toList(),
                    v.longestDrainSeconds));
        }
        if (ftStarted) {
            for (FtDemoCar c : ftCars) {
                runs.add(new VehicleRun(
                        c.vin,
                        c.name,
                        "fleet-telemetry",
                        c::captured,
                        c.firstSeq,
                        c.firstCaptureMs(),
                        List.of(c.stats()),
                        0));
            }
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("vehicles", vehicles.size());
        run.put("fleet_telemetry_vehicles", ftCars.size());
        run.put(
                "duration_seconds",
                options.duration() == null ? null : options.duration().toSeconds());
        run.put("speed", options.maxSpeed() ? "max" : options.speed());
        run.put("seed", options.seed());
        run.put("db", Stores.redact(options.db()));
        run.put("dashboard", url());
        if (bus != null) {
            run.put("bus", "kafka");
            run.put("replicas", servers.size());
            run.put("sink_stored_everything", sinkBehind == null);
            if (sinkBehind != null) {
                run.put("sink_behind", sinkBehind);
            }
        }
        return FleetReport.build(runs, bus != null ? bus.store() : server.store(), spoolDir, run);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopFleet();
        closed = true;
        if (mqtt != null) {
            mqtt.close();
        }
        if (bus != null) {
            bus.close();
        } else {
            server.close();
        }
    }
}
