package io.fleetlog.app.cli;

import io.fleetlog.server.auth.Passwords;
import io.fleetlog.server.auth.Scope;
import io.fleetlog.server.auth.Users;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetlog user add|remove|list}: dashboard users in the users file that {@code fleetlog server
 * --users FILE} reads. The password is read from the console (asked twice), or as one line from
 * standard input when that is not a terminal — never from the command line, where {@code ps} shows it.
 */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Manage dashboard users (a running server applies changes within a second).",
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.ListUsers.class})
public final class UserCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Create or replace user NAME; the password is read from the console or standard input"
                    + " and stored as an Argon2id hash.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--users", required = true, description = "Users file (created 0600 when missing).")
        Path users;

        @Parameters(paramLabel = "NAME", description = "User name: 1..64 of A-Z a-z 0-9 . _ @ -")
        String name;

        @Option(
                names = "--scope",
                required = true,
                description = "read, control, admin, comma-separated (control implies read, admin implies both).")
        String scope;

        @Option(names = "--vin", description = "Only these vehicles (VINs, comma-separated; default: all).")
        String vins;

        @Override
        public Integer call() throws IOException {
            Users u = Users.load(users);
            Users.checkName(name);
            var scopes = Scope.parseList(scope);
            var only = Users.parseVins(vins);
            char[] password = readPassword(name);
            try {
                u.addUser(name, password, scopes, only);
            } finally {
                Arrays.fill(password, '\0');
            }
            System.err.println("user " + name + " (" + Scope.format(scopes) + ", vehicles: "
                    + (only.isEmpty() ? "all" : String.join(",", only)) + ") saved in " + users
                    + "; a running server applies it within a second.");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove user NAME.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--users", required = true, description = "Users file.")
        Path users;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!Users.load(users).remove(Users.Kind.USER, name)) {
                throw new IllegalArgumentException("no user '" + Users.checkName(name) + "' in " + users);
            }
            System.err.println(
                    "user " + name + " removed from " + users + "; a running server applies it within a second.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and API token names.")
    static final class ListUsers implements Callable<Integer> {
        @Option(names = "--users", required = true, description = "Users file.")
        Path users;

        @Override
        public Integer call() {
            Users u = Users.load(users);
            u.userNames().forEach(n -> System.out.println("user " + n));
            u.tokenNames().forEach(n -> System.out.println("token " + n));
            return 0;
        }
    }

    /**
     * The new password: asked twice on a terminal; otherwise the first line of standard input (for
     * scripts: {@code printf '%s\n' "$PW" | fleetlog user add …}).
     */
    static char[] readPassword(String name) throws IOException {
        Console c = System.console();
        if (terminal(c)) {
            char[] first = c.readPassword("password for %s: ", name);
            char[] second = c.readPassword("again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the two passwords differ (or input ended); nothing saved");
            }
            Arrays.fill(second, '\0');
            Passwords.checkLength(first);
            return first;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            throw new IllegalArgumentException("no password on standard input (one line expected); nothing saved");
        }
        char[] pw = line.toCharArray();
        Passwords.checkLength(pw);
        return pw;
    }

    /** Whether the console is a terminal (JDK 22+ returns a console for redirected input too). */
    private static boolean terminal(Console c) {
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }
}
