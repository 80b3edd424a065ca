package io.fleetlog.app.cli;

import io.fleetlog.server.auth.HttpSecurity;
import io.fleetlog.server.auth.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The HTTP access flags shared by {@code fleetlog server} and {@code fleetlog demo} (a picocli mixin):
 * {@code --users}, {@code --allowed-host}, {@code --insecure}. See docs/security.md.
 */
public final class HttpSecurityOptions {
    @Option(
            names = "--users",
            description = "Users and API tokens file ('fleetlog user add', 'fleetlog api-token add'). Without"
                    + " it (and on a loopback bind) loopback clients read and control without a credential.")
    Path users;

    @Option(
            names = "--allowed-host",
            split = ",",
            description = "Host header values to accept besides localhost, 127.0.0.1, [::1] and the bind"
                    + " address: NAME (any port) or NAME:PORT; repeatable (e.g. fleet.example.com).")
    List<String> allowedHosts;

    @Option(
            names = "--insecure",
            description =
                    "Allow a non-loopback --bind without TLS or without users (warned at start and on" + " /status).")
    boolean insecure;

    /** The flags as the server's configuration; a named users file must exist. */
    public HttpSecurity toSecurity() {
        if (users != null && !Files.exists(users)) {
            throw new IllegalArgumentException("users file " + users + " does not exist (create it with 'fleetlog"
                    + " user add NAME --scope read --users " + users + "')");
        }
        return HttpSecurity.defaults()
                .withUsers(users == null ? Users.none() : Users.load(users))
                .withAllowedHosts(allowedHosts == null ? List.of() : allowedHosts)
                .withInsecure(insecure);
    }
}
