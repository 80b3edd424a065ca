package io.fleetlog.app.cli;

import io.fleetlog.server.ServerConfig;
import picocli.CommandLine;

/** Test access to {@link ServerCommand}'s option mapping without starting (and blocking on) a server. */
public final class ServerCommandAccess {
    /** Parses {@code fleetlog server ARGS} and returns the server configuration they give. */
    public ServerConfig parse(String... args) {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }
}
