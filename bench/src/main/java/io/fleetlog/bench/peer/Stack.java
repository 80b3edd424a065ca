package io.fleetlog.bench.peer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One telemetry stack under test, started on loopback only: a receiving side (broker + subscriber +
 * store, or fleetlog's server + store), and vehicles that reach it through a cuttable, byte-counting
 * {@link Link}.
 *
 * <p>Each scenario uses a fresh stack and closes it; {@link #close()} stops every process and thread
 * the stack started. Not thread-safe: one driver thread calls it.
 */
interface Stack extends AutoCloseable {

    /** Short name for the table column ("fleetlog", "MQTT peer"). */
    String name();

    /** Versions and durable settings, one line, for the docs. */
    String describe();

    /** The link between the vehicles and the receiving side. */
    Link link();

    /** What the receiving side has stored (committed), per VIN. */
    Tally stored();

    /**
     * Starts the workload's vehicles in this JVM and connects them; {@link Capture#begin()} then
     * captures every vehicle as fast as its stack accepts samples ("max speed").
     */
    Capture connect(Workload workload) throws Exception;

    /**
     * The command line of a child JVM that runs this stack's vehicles for {@code workload} with its
     * durable state under {@code stateDir} (see {@link EdgeProcess} for the protocol on stdin/stdout).
     */
    List<String> edgeProcessArgs(Workload workload, Path stateDir);

    /** Where the in-process vehicles keep their durable state (spools, Paho persistence). */
    Path edgeStateDir();

    /** Environment of that child JVM (e.g. vehicle credentials, which stay off the command line). */
    default Map<String, String> edgeProcessEnv(Workload workload) {
        return Map.of();
    }

    @Override
    void close() throws Exception;
}
