package io.fleetlog.app.cli;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.sample.Vin;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetlog edge}: one simulated vehicle ({@code --vin}) or a fleet ({@code --vehicles N}),
 * or one real vehicle's live CAN bus ({@code --can}, see {@link LiveEdge}), with a durable spool and
 * the uplink; settings may come from {@code --config FILE} ({@link EdgeConfigFile}), flags win. Restarted on the same spool directory after a crash it sends
 * what the spool holds first, continues its seq, and resumes the drive after the last committed sample.
 */
@Command(
        name = "edge",
        mixinStandardHelpOptions = true,
        description = "Run simulated vehicles, or one vehicle's live CAN bus (--can): spool + uplink.")
public final class EdgeCommand implements Callable<Integer> {

    @Option(names = "--vin", description = "VIN of the one vehicle (default: derived from --model).")
    String vin;

    @Option(
            names = "--model",
            description =
                    "model3, modely, models-plaid or modelx (default: model3); with --can the model name sent to the server.")
    String model;

    @Option(names = "--vehicles", description = "Run a fleet of N simulated vehicles instead of one.")
    Integer vehicles;

    @Option(
            names = "--server",
            description = "Server base URL, e.g. http://127.0.0.1:8080 or https://fleet.example.com (verified)."
                    + " Required, here or in --config.")
    String server;

    @Mixin
    TokenSource token;

    @Mixin
    ClientTlsOptions tls;

    @Option(names = "--spool-dir", description = "Spool directory (default: data/spool).")
    Path spoolDir;

    @Option(
            names = "--speed",
            description = "1 = real time, 20 = 20x, max (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    String speed;

    @Option(names = "--duration", description = "Capture time to drive, seconds (default: endless).")
    Long duration;

    @Option(
            names = "--outages",
            description = "Dead zones by capture time, e.g. 120-180,400-460 (seconds; suffix :reset for a reset).")
    String outages;

    @Option(names = "--seed", description = "Simulator seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(
            names = "--start",
            description =
                    "Capture time of the drive's first sample, ISO-8601 (default: now). Give the same value when restarting after a crash.")
    Instant start;

    @Option(names = "--spool-max", description = "Spool bound in samples (default: 4320000).")
    Long spoolMax;

    @Option(names = "--spool-full", description = "block or drop-oldest (default: block).")
    String spoolFull;

    @Option(
            names = "--can",
            paramLabel = "-|slcan:DEV@BITRATE",
            description = "Live CAN input instead of the simulator: '-' reads candump -L lines from standard input"
                    + " (candump -L can0 | fleetlog edge --can - …), slcan:/dev/ttyACM0@500000 an SLCAN serial"
                    + " adapter. Needs --vin.")
    String can;

    @Option(names = "--dbc", description = "--can: DBC file (default: the built-in Tesla Model 3 signals).")
    Path dbc;

    @Option(names = "--mapping", description = "--can: signal mapping file (default: the built-in Model 3 mapping).")
    Path mapping;

    @Option(names = "--interface", description = "--can -: only frames of this interface (default: all).")
    String iface;

    @Option(
            names = "--silence-after",
            description = "--can: seconds without a frame that count as a silent bus (an event; default: 5).")
    Double silenceAfter;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Edge configuration file (key = value lines, docs/edge.md); flags override it.")
    Path config;

    /** Heartbeat settings from the config file (null: the uplink's defaults). */
    java.time.Duration heartbeatInterval;

    java.time.Duration heartbeatTimeout;

    @picocli.CommandLine.Mixin
    CatalogueOption catalogue = new CatalogueOption();

    @Override
    public Integer call() throws Exception {
        applyConfig();
        if (can != null) {
            if (vehicles != null || outages != null) {
                throw new IllegalArgumentException(
                        "--can reads one live vehicle: --vehicles and --outages are" + " for the simulator");
            }
            return LiveEdge.run(this);
        }
        if (dbc != null || mapping != null || iface != null || silenceAfter != null) {
            throw new IllegalArgumentException("--dbc, --mapping, --interface and --silence-after need --can");
        }
        VehicleModel m = VehicleModel.byKey(model);
        long startMs = (start == null ? Instant.now() : start).toEpochMilli();
        Duration d = duration == null ? null : Duration.ofSeconds(duration);
        OutageSchedule schedule = outages == null ? OutageSchedule.none() : OutageSchedule.parse(outages);
        SpoolConfig spool = spoolConfig();
        String secret = token.token(tls.hasClientCertificate());
        Catalogue cat = catalogue.catalogue(); // a bad file fails before any agent starts
        Transport transport = tls.transport(); // reads the TLS files now: a bad one fails before any agent starts
        List<SimulatedVehicle> agents = new ArrayList<>();
        int n = vehicles == null ? 1 : vehicles;
        VehicleModel[] order = VehicleModel.values();
        int[] perModel = new int[order.length];
        for (int i = 0; i < n; i++) {
            VehicleModel vm = vehicles == null ? m : order[i % order.length];
            String v =
                    vehicles == null && vin != null ? Vin.check(vin) : DriveSimulator.vin(vm, perModel[vm.ordinal()]++);
            UplinkConfig up = heartbeat(UplinkConfig.of(server, v, vm.key(), secret)
                    .withName(vm.displayName())
                    .withCatalogue(cat));
            long resumedAfterMs = ResumingSource.resumePoint(Spools.fileFor(spoolDir, v));
            SimConfig ac = SimConfig.of(up, spoolDir)
                    .withSpool(spool)
                    .withSpeed(SimConfig.parseSpeed(speed))
                    .withOutages(shifted(schedule, resumedAfterMs < 0 ? 0 : resumedAfterMs - startMs), Duration.ZERO)
                    .withFaultProxy(!schedule.isEmpty());
            var source =
                    ResumingSource.resume(new DriveSimulator(vm, seed + i, startMs, d), Spools.fileFor(spoolDir, v));
            agents.add(SimulatedVehicle.create(ac, source, transport));
        }
        Thread hook = new Thread(() -> agents.forEach(EdgeCommand::closeAndSay), "edge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        agents.forEach(SimulatedVehicle::start);
        System.out.printf("fleetlog edge: %d vehicle(s) → %s, spools in %s%n", n, server, spoolDir);
        for (SimulatedVehicle a : agents) {
            while (!a.awaitDrained(Duration.ofSeconds(1))) {
                // Wait for the drive to end and the server to acknowledge everything (endless: until Ctrl-C).
            }
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        agents.forEach(EdgeCommand::closeAndSay);
        return 0;
    }

    /**
     * Fills what the command line did not give from {@code --config}, then the defaults; checks that a
     * server is known.
     */
    void applyConfig() throws java.io.IOException {
        if (config != null) {
            EdgeConfigFile f = EdgeConfigFile.read(config);
            server = f.string("server", server);
            vin = f.string("vin", vin);
            model = f.string("model", model);
            token.tokenFile = f.path("token-file", token.tokenFile);
            tls.ca = f.path("ca", tls.ca);
            tls.clientCert = f.path("client-cert", tls.clientCert);
            tls.clientKey = f.path("client-key", tls.clientKey);
            spoolDir = f.path("spool-dir", spoolDir);
            spoolMax = f.whole("spool-max", spoolMax, 1);
            spoolFull = f.string("spool-full", spoolFull);
            f.check("spool-full", spoolFull, java.util.Set.of("block", "drop-oldest"));
            catalogue.file = f.path("catalogue", catalogue.file);
            can = f.string("can", can);
            dbc = f.path("dbc", dbc);
            mapping = f.path("mapping", mapping);
            iface = f.string("interface", iface);
            Duration silence = f.seconds("silence-after", null);
            if (silenceAfter == null && silence != null) {
                silenceAfter = silence.toNanos() / 1e9;
            }
            heartbeatInterval = f.seconds("heartbeat-interval", null);
            heartbeatTimeout = f.seconds("heartbeat-timeout", null);
        }
        model = model == null ? "model3" : model;
        spoolDir = spoolDir == null ? Path.of("data/spool") : spoolDir;
        spoolMax = spoolMax == null ? 4_320_000L : spoolMax;
        spoolFull = spoolFull == null ? "block" : spoolFull;
        if (server == null) {
            throw new IllegalArgumentException("no server: give --server URL or server = URL in --config");
        }
    }

    SpoolConfig spoolConfig() {
        return SpoolConfig.defaults().withMaxSamples(spoolMax, SpoolConfig.FullPolicy.parse(spoolFull));
    }

    /** The config file's heartbeat settings over {@code up}'s (a missing one keeps its default). */
    UplinkConfig heartbeat(UplinkConfig up) {
        if (heartbeatInterval == null && heartbeatTimeout == null) {
            return up;
        }
        return up.withHeartbeat(
                heartbeatInterval == null ? up.heartbeatInterval() : heartbeatInterval,
                heartbeatTimeout == null ? up.heartbeatTimeout() : heartbeatTimeout);
    }

    /**
     * The schedule as seen from a drive resumed {@code offsetMs} after its start: the agent applies
     * outages from its first sample, so a restarted edge keeps the dead zones the user wrote.
     */
    static OutageSchedule shifted(OutageSchedule schedule, long offsetMs) {
        if (offsetMs <= 0) {
            return schedule;
        }
        double off = offsetMs / 1000.0;
        List<OutageSchedule.Outage> out = new ArrayList<>();
        for (OutageSchedule.Outage o : schedule.outages()) {
            if (o.endSeconds() - off > 0) {
                out.add(new OutageSchedule.Outage(Math.max(0, o.startSeconds() - off), o.endSeconds() - off, o.mode()));
            }
        }
        return new OutageSchedule(out);
    }

    static void closeAndSay(SimulatedVehicle a) {
        sayClosed(a.shutdown(), a.config().spoolDir());
    }

    /** Prints an edge's final stats: what is still buffered, and anything set aside (never silent). */
    static void sayClosed(AgentStats s, java.nio.file.Path spoolDir) {
        System.out.printf(
                "%s: captured %,d, still buffered %,d (sent on the next start), next seq %d%n",
                s.vin(), s.captured(), s.spoolDepth(), s.nextSeq());
        if (s.setAside() > 0 || s.seqConflicts() > 0) {
            // never silent: samples kept on the vehicle instead of stored, and seq conflicts with the server
            System.out.printf(
                    "%s: set aside on the edge (not stored) %,d rejected + %,d failed the spool checksum (ever);"
                            + " %d seq conflict(s) with the server, %,d samples renumbered — see fleetlog inspect %s%n",
                    s.vin(),
                    s.rejectedSamples(),
                    s.quarantined(),
                    s.seqConflicts(),
                    s.renumbered(),
                    Spools.fileFor(spoolDir, s.vin()));
        }
    }
}
