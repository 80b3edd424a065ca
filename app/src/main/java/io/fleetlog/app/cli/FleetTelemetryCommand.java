package io.fleetlog.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetlog.ft.proto.Field;
import io.fleetlog.sample.Vin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fleetlog fleet-telemetry config}: prints the JSON body of the Fleet API's {@code
 * fleet_telemetry_config} request that points cars at a fleetlog listener — hostname, port, the CA
 * chain of the server's certificate, the fields with their {@code interval_seconds}, alert types and
 * expiry. Field names are checked against the protocol's Field enum. Nothing is sent: the user (or
 * Tesla's vehicle-command proxy, which signs it) posts it.
 */
@Command(
        name = "fleet-telemetry",
        mixinStandardHelpOptions = true,
        description = "Tesla Fleet Telemetry helpers.",
        subcommands = FleetTelemetryCommand.Config.class)
public final class FleetTelemetryCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "config",
            mixinStandardHelpOptions = true,
            description = "Print the fleet_telemetry_config request body for the Fleet API.")
    static final class Config implements Callable<Integer> {
        @Option(names = "--vin", required = true, paramLabel = "VIN", description = "A car to configure; repeatable.")
        List<String> vins;

        @Option(names = "--host", required = true, description = "Host name the cars connect to (the listener's).")
        String host;

        @Option(
                names = "--port",
                description = "Port of the listener (default: ${DEFAULT-VALUE}).",
                defaultValue = "443")
        int port;

        @Option(
                names = "--ca",
                required = true,
                paramLabel = "FILE",
                description = "PEM chain of the CA that issued the listener's server certificate (the car checks"
                        + " the server with it), e.g. ca.pem of `fleetlog ca init`.")
        Path ca;

        @Option(
                names = "--fields",
                required = true,
                paramLabel = "NAME=SECONDS,…",
                split = ",",
                description = "Fields and their minimum interval in seconds, e.g. VehicleSpeed=1,Soc=60,Location=5.")
        List<String> fields;

        @Option(
                names = "--alert-types",
                split = ",",
                paramLabel = "TYPE,…",
                description = "Alert audiences to stream (service, customer, service-fix); none by default.")
        List<String> alertTypes;

        @Option(
                names = "--expires-days",
                description =
                        "Days until the configuration expires (its exp, epoch seconds; default: ${DEFAULT-VALUE}).",
                defaultValue = "365")
        int expiresDays;

        @Option(
                names = "--prefer-typed",
                negatable = true,
                description = "Ask for typed values instead of strings (default: ${DEFAULT-VALUE}).",
                defaultValue = "true")
        boolean preferTyped;

        @Override
        public Integer call() throws IOException {
            System.out.println(body(Instant.now()));
            return 0;
        }

        String body(Instant now) throws IOException {
            for (String v : vins) {
                if (!Vin.isValid(v)) {
                    throw new IllegalArgumentException("--vin '" + v + "' is not a 17-character VIN");
                }
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--port " + port + " is outside 1..65535");
            }
            if (host.isBlank() || !host.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
                throw new IllegalArgumentException("--host '" + host + "' is not a host name");
            }
            if (expiresDays < 1) {
                throw new IllegalArgumentException("--expires-days " + expiresDays + " must be at least 1");
            }
            String chain = Files.readString(ca, StandardCharsets.US_ASCII);
            if (!chain.contains("-----BEGIN CERTIFICATE-----")) {
                throw new IllegalArgumentException("--ca " + ca + " holds no PEM certificate");
            }
            io.fleetlog.ft.pki.DevCa.readCertificate(ca); // a readable certificate, or an error naming the file
            Map<String, Object> fieldMap = new LinkedHashMap<>();
            for (String f : fields) {
                int eq = f.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--fields '" + f + "' is not NAME=SECONDS");
                }
                String name = f.substring(0, eq).strip();
                Field field = fieldNamed(name);
                int seconds;
                try {
                    seconds = Integer.parseInt(f.substring(eq + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "--fields '" + f + "': the interval is not a whole number of seconds");
                }
                if (seconds < 1) {
                    throw new IllegalArgumentException("--fields '" + f + "': the interval must be at least 1 s");
                }
                if (fieldMap.put(field.name(), Map.of("interval_seconds", seconds)) != null) {
                    throw new IllegalArgumentException("--fields names " + field.name() + " twice");
                }
            }
            List<String> alerts = new ArrayList<>();
            if (alertTypes != null) {
                for (String a : alertTypes) {
                    String t = a.strip().toLowerCase(Locale.ROOT);
                    if (!List.of("service", "customer", "service-fix").contains(t)) {
                        throw new IllegalArgumentException(
                                "--alert-types '" + a + "' is not one of service, customer, service-fix");
                    }
                    alerts.add(t);
                }
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("hostname", host);
            config.put("port", port);
            config.put("ca", chain);
            config.put("fields", fieldMap);
            if (!alerts.isEmpty()) {
                config.put("alert_types", alerts);
            }
            config.put("exp", now.plus(Duration.ofDays(expiresDays)).getEpochSecond());
            config.put("prefer_typed", preferTyped);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("vins", vins);
            body.put("config", config);
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(body);
        }

        /** The Field of {@code name} (exact, or ignoring case); a name the protocol does not have is refused. */
        static Field fieldNamed(String name) {
            for (Field f : Field.values()) {
                if (f != Field.UNRECOGNIZED && f != Field.Unknown && f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--fields: '" + name + "' is not a Fleet Telemetry field (see"
                    + " fleettelemetry/src/main/proto/fleetlog/ft/vehicle_data.proto)");
        }
    }
}
