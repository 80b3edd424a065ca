package io.fleetlog.app.cli;

import io.fleetlog.edge.AgentConfig;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.VehicleAgent;
import io.fleetlog.edge.proxy.OutageSchedule;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.LogSources;
import io.fleetlog.logs.OpenedLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetlog replay}: sends a real log through the real pipeline (spool, uplink, dead zones) as
 * one vehicle, at the log's own capture times, and exits when the server acknowledged everything.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay a log file to a server as one vehicle.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "The log file.")
    Path input;

    @Option(names = "--format", required = true, description = "candump, tessie, teslafi, teslamate or csv.")
    String format;

    @Option(names = "--dbc", description = "candump: DBC file (default: the built-in Tesla Model 3 signals).")
    Path dbc;

    @Option(names = "--mapping", description = "candump: signal mapping file; csv: column mapping file.")
    Path mapping;

    @Option(names = "--interface", description = "candump: only frames of this interface (default: all).")
    String iface;

    @Option(names = "--vehicle", description = "The car of a multi-car export (its vehicle_id or VIN).")
    String vehicle;

    @Option(names = "--vin", description = "Send as this VIN (required when the log has none or a masked one).")
    String vin;

    @Option(
            names = "--model",
            description = "Vehicle model sent to the server (default: ${DEFAULT-VALUE}).",
            defaultValue = "model3")
    String model;

    @Option(names = "--zone", description = "Time zone of local times in CSV exports (e.g. America/Los_Angeles).")
    ZoneId zone;

    @Option(
            names = "--resample",
            description = "Resample to this rate in Hz (CSV: default none; candump: default 50).",
            defaultValue = "0")
    double resampleHz;

    @Option(names = "--max-gap", description = "Longest gap in seconds that resampling bridges.")
    Double maxGapSeconds;

    @Option(
            names = "--server",
            required = true,
            description = "Server base URL, e.g. http://127.0.0.1:8080 or https://fleet.example.com (verified).")
    String server;

    @Mixin
    TokenSource token;

    @Mixin
    ClientTlsOptions tls;

    @Option(
            names = "--speed",
            description = "1 = the log's own pace, 20 = 20x, max (default: ${DEFAULT-VALUE}).",
            defaultValue = "max")
    String speed;

    @Option(
            names = "--outages",
            description = "Dead zones by capture time since the log's start, e.g. 120-180,400-460.")
    String outages;

    @Option(
            names = "--spool-dir",
            description = "Spool directory (default: ${DEFAULT-VALUE}).",
            defaultValue = "data/replay-spool")
    Path spoolDir;

    @Override
    public Integer call() throws Exception {
        LogOptions o = new LogOptions(
                dbc,
                mapping,
                iface,
                vehicle,
                zone,
                resampleHz,
                maxGapSeconds == null ? null : Duration.ofMillis((long) (maxGapSeconds * 1000)));
        OpenedLog log = LogSources.open(input, format, o);
        String sendAs = log.vinOr(vin);
        OutageSchedule schedule = outages == null ? OutageSchedule.none() : OutageSchedule.parse(outages);
        UplinkConfig up = UplinkConfig.of(server, sendAs, model, token.token(tls.hasClientCertificate()));
        Transport transport = tls.transport();
        AgentConfig ac = AgentConfig.of(up, spoolDir)
                .withSpeed(AgentConfig.parseSpeed(speed))
                .withOutages(schedule, schedule.isEmpty() ? Duration.ZERO : Duration.ofSeconds(2))
                .withFaultProxy(!schedule.isEmpty());
        System.out.printf("fleetlog replay: %s as %s → %s%n", log.describe(), sendAs, server);
        try (VehicleAgent agent = VehicleAgent.create(
                ac, ResumingSource.resume(log.source(), Spools.fileFor(spoolDir, sendAs)), transport)) {
            agent.start();
            long last = System.nanoTime();
            while (!agent.awaitDrained(Duration.ofMillis(500))) {
                if (System.nanoTime() - last > 5_000_000_000L) {
                    AgentStats s = agent.stats();
                    System.out.printf(
                            "  %s: captured %,d, buffered %,d, link %s%n",
                            sendAs, s.captured(), s.spoolDepth(), s.link());
                    last = System.nanoTime();
                }
            }
            AgentStats s = agent.shutdown();
            System.out.printf(
                    "replayed %,d samples of %s as %s; all acknowledged (%d skipped input records)%n",
                    s.captured(), input.getFileName(), sendAs, log.source().problems());
        }
        return 0;
    }
}
