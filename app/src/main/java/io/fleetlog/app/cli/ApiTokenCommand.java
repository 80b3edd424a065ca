package io.fleetlog.app.cli;

import io.fleetlog.server.auth.Scope;
import io.fleetlog.server.auth.Users;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetlog api-token add|remove}: tokens for scripts ({@code Authorization: Bearer TOKEN}),
 * kept in the users file as SHA-256 hashes. The token is printed once, on standard output.
 */
@Command(
        name = "api-token",
        mixinStandardHelpOptions = true,
        description = "Manage API tokens for scripts (a running server applies changes within a second).",
        subcommands = {ApiTokenCommand.Add.class, ApiTokenCommand.Remove.class})
public final class ApiTokenCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Create or replace token NAME, print it once, store its SHA-256.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--users", required = true, description = "Users file (created 0600 when missing).")
        Path users;

        @Parameters(paramLabel = "NAME", description = "Token name: 1..64 of A-Z a-z 0-9 . _ @ -")
        String name;

        @Option(
                names = "--scope",
                required = true,
                description = "read, control, admin, comma-separated (control implies read, admin implies both).")
        String scope;

        @Option(names = "--vin", description = "Only these vehicles (VINs, comma-separated; default: all).")
        String vins;

        @Override
        public Integer call() {
            var scopes = Scope.parseList(scope);
            var only = Users.parseVins(vins);
            String token = Users.load(users).addToken(name, scopes, only);
            System.out.println(token);
            System.err.println("API token " + name + " (" + Scope.format(scopes) + ", vehicles: "
                    + (only.isEmpty() ? "all" : String.join(",", only)) + ") created; only its SHA-256 is stored in "
                    + users + ". It is shown once: keep it now.");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Revoke token NAME.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--users", required = true, description = "Users file.")
        Path users;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!Users.load(users).remove(Users.Kind.TOKEN, name)) {
                throw new IllegalArgumentException("no API token '" + Users.checkName(name) + "' in " + users);
            }
            System.err.println(
                    "API token " + name + " removed from " + users + "; a running server applies it within a second.");
            return 0;
        }
    }
}
