package io.fleetlog.app.cli;

import io.fleetlog.server.auth.TokenStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetlog token add}: creates a vehicle's token; only its hash is stored. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage vehicle tokens.",
        subcommands = TokenCommand.Add.class)
public final class TokenCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Create a token for VIN, print it once, store its hash.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--tokens", required = true, description = "Tokens file (created when missing).")
        Path tokens;

        @Parameters(paramLabel = "VIN", description = "17-character VIN.")
        String vin;

        @Override
        public Integer call() {
            String token = TokenStore.load(tokens).add(vin);
            System.out.println(token);
            System.err.println("token for " + vin + " created; only its SHA-256 is stored in " + tokens
                    + ". It is shown once: keep it now.");
            return 0;
        }
    }
}
