package io.fleetlog.app;

import io.fleetlog.app.cli.ApiTokenCommand;
import io.fleetlog.app.cli.CaCommand;
import io.fleetlog.app.cli.EdgeCommand;
import io.fleetlog.app.cli.ExportCommand;
import io.fleetlog.app.cli.FleetTelemetryCommand;
import io.fleetlog.app.cli.InspectCommand;
import io.fleetlog.app.cli.ReplayCommand;
import io.fleetlog.app.cli.ServerCommand;
import io.fleetlog.app.cli.SinkCommand;
import io.fleetlog.app.cli.TokenCommand;
import io.fleetlog.app.cli.UserCommand;
import io.fleetlog.app.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fleetlog} command line. */
@Command(
        name = "fleetlog",
        mixinStandardHelpOptions = true,
        version = "fleetlog 0.1.0",
        description = "Fault-tolerant telemetry logger for vehicle fleets.",
        subcommands = {
            DemoCommand.class,
            ServerCommand.class,
            SinkCommand.class,
            EdgeCommand.class,
            ReplayCommand.class,
            InspectCommand.class,
            TokenCommand.class,
            UserCommand.class,
            ApiTokenCommand.class,
            ExportCommand.class,
            CaCommand.class,
            FleetTelemetryCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Expected failures (bad input, unreachable server) get one clear line, not a stack trace.
            if (e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException
                    || e instanceof java.io.IOException
                    || e instanceof io.fleetlog.edge.spool.SpoolException) {
                cmd.getErr().println("fleetlog " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
