package io.fleetlog.edge.spool;

import java.nio.file.Path;

/** Opens spools. */
public final class Spools {
    private Spools() {}

    /**
     * Opens the spool file at {@code file}, creating it (and its directory) when missing. An existing
     * file must be a fleetlog spool that passes SQLite's {@code quick_check}.
     *
     * @throws SpoolException naming the file and what is wrong with it
     */
    public static Spool open(Path file, SpoolConfig config) {
        return SqliteSpool.open(file, config);
    }

    /**
     * The counters of an existing spool file (for {@code fleetlog inspect}), read through a read-only
     * connection: safe while an edge has the spool open, and the file is never changed.
     *
     * @throws SpoolException when the file does not exist, is empty or is not a spool
     */
    public static SpoolStats inspect(Path file) {
        return SqliteSpool.inspect(file);
    }

    /**
     * Up to {@code max} runs of samples the spool at {@code file} set aside (rejected, quarantined),
     * oldest first, read like {@link #inspect}.
     */
    public static java.util.List<SetAside> setAside(Path file, int max) {
        return SqliteSpool.inspectSetAside(file, max);
    }

    /** The spool file of a vehicle in a spool directory: {@code DIR/VIN.spool}. */
    public static Path fileFor(Path dir, String vin) {
        return dir.resolve(vin + ".spool");
    }
}
