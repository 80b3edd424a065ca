package io.fleetlog.app.cli;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.SetAside;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.edge.uplink.Transport;
import io.fleetlog.edge.uplink.UplinkConfig;
import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.LogSources;
import io.fleetlog.logs.OpenedLog;
import io.fleetlog.sim.SimConfig;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetlog replay}: sends a real log through the real pipeline (spool, uplink, dead zones) as
 * one vehicle, at the log's own capture times, and exits when the server acknowledged everything.
 *
 * <p>The promise: exit 0 means every sample of the log is stored. Restarted after a crash on the same
 * spool, it skips exactly the samples the spool committed from this same log (a content hash in the
 * spool's meta); any other log is sent in full, after what the spool and the server already hold. It
 * exits 1, saying what and why, when the file could not be read to its end, yielded no samples, or
 * samples were set aside (rejected, or failed the spool checksum) instead of stored.
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

    @picocli.CommandLine.Mixin
    CatalogueOption catalogue = new CatalogueOption();

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
        UplinkConfig up = UplinkConfig.of(server, sendAs, model, token.token(tls.hasClientCertificate()))
                .withCatalogue(catalogue.catalogue());
        Transport transport = tls.transport();
        SimConfig ac = SimConfig.of(up, spoolDir)
                .withSpeed(SimConfig.parseSpeed(speed))
                .withOutages(schedule, schedule.isEmpty() ? Duration.ZERO : Duration.ofSeconds(2))
                .withFaultProxy(!schedule.isEmpty());
        Path spoolFile = Spools.fileFor(spoolDir, sendAs);
        long already;
        SpoolStats before;
        try (Spool spool = Spools.open(spoolFile, ac.spool())) {
            already = spool.resumeSource(sourceId(input, format, o));
            before = spool.stats();
        }
        System.out.printf("fleetlog replay: %s as %s → %s%n", log.describe(), sendAs, server);
        if (already > 0) {
            System.out.printf(
                    "  resuming: %s already holds the first %,d samples of this very log (same content hash);"
                            + " continuing after them%n",
                    spoolFile, already);
        }
        ResumingSource source = ResumingSource.skipFirst(log.source(), already);
        try (SimulatedVehicle agent = SimulatedVehicle.create(ac, source, transport)) {
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
            return verdict(s, agent.captureError(), source, before, spoolFile);
        }
    }

    /**
     * The exit code, and what the user reads: 0 only when every sample of the log is stored (or was
     * stored by an earlier run of this same log); 1 when the log could not be read to its end, yielded
     * nothing, or samples were set aside instead of stored — each named, with what to do.
     */
    private int verdict(AgentStats s, String captureError, ResumingSource source, SpoolStats before, Path spoolFile) {
        String file = input.getFileName().toString();
        if (s.seqConflicts() > before.seqConflicts()) {
            System.out.printf(
                    "  note: the server already held seqs for %s that this spool never sent (an earlier replay with"
                            + " another --spool-dir, or another edge); %,d samples were numbered after them"
                            + " (next seq %d), nothing was deleted%n",
                    s.vin(), s.renumbered() - before.renumbered(), s.nextSeq());
        }
        int code = 0;
        if (captureError != null) {
            System.err.printf(
                    "fleetlog replay: reading %s stopped after %,d samples: %s%n"
                            + "  the samples read before that point were stored; the rest of the file was not."
                            + " Fix or re-export the file and replay it (a changed file is replayed in full).%n",
                    file, source.read(), captureError);
            code = 1;
        } else if (source.read() == 0) {
            System.err.printf(
                    "fleetlog replay: %s yielded no samples (%,d input records skipped as problems): check --format%s%n",
                    file,
                    source.problems(),
                    format.equalsIgnoreCase("candump") ? ", --interface and --dbc (no frame decoded to a signal)" : "");
            code = 1;
        }
        long quarantinedNow = s.quarantined() - before.quarantined();
        long setAside = s.rejectedSamples() + quarantinedNow;
        if (setAside > 0) {
            System.err.printf(
                    "fleetlog replay: %,d samples were set aside on the edge during this replay of %s instead of"
                            + " stored (%,d rejected, %,d failed the spool checksum):%n",
                    setAside, file, s.rejectedSamples(), quarantinedNow);
            boolean older = false;
            for (SetAside a : Spools.setAside(spoolFile, 10)) {
                System.err.println("  " + a);
                older |= a.reason() != null && a.reason().contains("time may not run backwards");
            }
            if (older) {
                System.err.printf(
                        "  the server already holds later samples of %s: a log older than what is stored cannot be"
                                + " appended (capture time may not run backwards for one vehicle). Replay older logs"
                                + " first, or this one under another --vin or into another store.%n",
                        s.vin());
            }
            System.err.printf(
                    "  they were not stored; they are kept, as found, in %s (see fleetlog inspect %s)%n",
                    spoolFile, spoolFile);
            code = 1;
        }
        if (code == 0) {
            System.out.printf(
                    "replayed %,d samples of %s as %s; all acknowledged (%d skipped input records%s)%n",
                    s.captured(),
                    file,
                    s.vin(),
                    source.problems(),
                    source.skipped() > 0 ? ", " + source.skipped() + " samples captured by an earlier run" : "");
        }
        return code;
    }

    /**
     * A content hash of what the log yields: the input file's bytes, the format and every option that
     * changes the samples (DBC and mapping files by their bytes too). Two runs with equal ids produce
     * the same samples in the same order; anything else is another log.
     */
    public static String sourceId(Path input, String format, LogOptions o) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        String opts = "fleetlog-replay/1 format=" + format.toLowerCase(java.util.Locale.ROOT) + " iface=" + o.iface()
                + " vehicle=" + o.vehicle() + " zone=" + o.zone() + " resample=" + o.resampleHz() + " maxGap="
                + o.maxGap() + "\n";
        d.update(opts.getBytes(StandardCharsets.UTF_8));
        for (Path p : new Path[] {o.dbc(), o.mapping(), input}) {
            d.update(p == null ? new byte[] {0} : new byte[] {1});
            if (p != null) {
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        d.update(buf, 0, n);
                    }
                }
            }
        }
        return "sha256:" + HexFormat.of().formatHex(d.digest());
    }
}
