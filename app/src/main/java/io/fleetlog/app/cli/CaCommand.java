package io.fleetlog.app.cli;

import io.fleetlog.ft.pki.DevCa;
import io.fleetlog.sample.Vin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetlog ca init|server|vehicle}: a private test CA for trying the Fleet Telemetry path (and
 * fleetlog's own mutual TLS) without a car: the CA, a server certificate for the listener's host
 * names, vehicle certificates whose CN is the VIN. Keys are EC P-256, written owner-only; nothing
 * secret is printed. Not for production (docs/fleet-telemetry.md).
 */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        description = "A private test CA: create it, issue a server certificate, issue vehicle certificates.",
        subcommands = {CaCommand.Init.class, CaCommand.Server.class, CaCommand.Vehicle.class})
public final class CaCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Create a CA in DIR (ca.pem, ca.key); refuses to overwrite one.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Option(
                names = "--name",
                description = "The CA's common name (default: ${DEFAULT-VALUE}).",
                defaultValue = "fleetlog test CA")
        String name;

        @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).", defaultValue = "365")
        int days;

        @Override
        public Integer call() throws IOException {
            DevCa.create(dir, name, Duration.ofDays(positive(days, "--days")));
            System.out.println(dir.resolve(DevCa.CA_CERT));
            System.err.println("CA created: certificate " + dir.resolve(DevCa.CA_CERT) + " (give it to the server as"
                    + " --client-ca and to clients as their trust), key " + dir.resolve(DevCa.CA_KEY)
                    + " (owner-only; keep it private)");
            return 0;
        }
    }

    @Command(
            name = "server",
            mixinStandardHelpOptions = true,
            description = "Issue a server certificate for HOST names (OUT.pem = leaf + CA, OUT.key).")
    static final class Server implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output path without suffix.")
        Path out;

        @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).", defaultValue = "90")
        int days;

        @Parameters(
                arity = "1..*",
                paramLabel = "HOST",
                description = "DNS names or IP addresses of the server (the first is also the CN).")
        List<String> hosts;

        @Override
        public Integer call() throws IOException {
            DevCa.Issued i = DevCa.load(dir).issueServer(out, hosts, Duration.ofDays(positive(days, "--days")));
            System.out.println(i.certFile());
            System.err.println("server certificate for " + String.join(", ", hosts) + ": " + i.certFile() + ", key "
                    + i.keyFile() + " (owner-only)");
            return 0;
        }
    }

    @Command(
            name = "vehicle",
            mixinStandardHelpOptions = true,
            description = "Issue a vehicle certificate, CN = VIN (OUT.pem = leaf + CA, OUT.key).")
    static final class Vehicle implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Option(names = "--out", paramLabel = "OUT", description = "Output path without suffix (default: DIR/VIN).")
        Path out;

        @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).", defaultValue = "365")
        int days;

        @Option(names = "--expired", description = "Issue one that expired yesterday (to see the listener refuse it).")
        boolean expired;

        @Parameters(paramLabel = "VIN", description = "17-character VIN.")
        String vin;

        @Override
        public Integer call() throws IOException {
            if (!Vin.isValid(vin)) {
                throw new IllegalArgumentException("'" + vin + "' is not a 17-character VIN");
            }
            DevCa ca = DevCa.load(dir);
            Path target = out != null ? out : dir.resolve(vin);
            DevCa.Issued i;
            if (expired) {
                Instant now = Instant.now();
                i = ca.issueVehicle(target, vin, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
            } else {
                i = ca.issueVehicle(target, vin, Duration.ofDays(positive(days, "--days")));
            }
            System.out.println(i.certFile());
            System.err.println("vehicle certificate for " + vin + (expired ? " (expired)" : "") + ": " + i.certFile()
                    + ", key " + i.keyFile() + " (owner-only)");
            return 0;
        }
    }

    private static int positive(int days, String flag) {
        if (days < 1) {
            throw new IllegalArgumentException(flag + " " + days + " must be at least 1");
        }
        return days;
    }
}
