package io.fleetlog.server.store;

import java.util.Locale;

/**
 * How a store keeps frames at rest (docs/server.md). Both layouts read and write the same tables, so
 * a database may be opened with either, and switched back and forth:
 *
 * <ul>
 *   <li>{@link #ROWS}: one row per frame, as before issue 16; the chunk merger does not run (chunks
 *       written earlier are still read).
 *   <li>{@link #CHUNKS}: appends still land as rows (the tail), and a background merger moves sealed
 *       rows into compressed chunks of one minute of capture time ({@link ChunkMerger}).
 * </ul>
 */
public enum StoreLayout {
    ROWS,
    CHUNKS;

    /** The default of {@code fleetlog server --store-layout}. */
    public static final StoreLayout DEFAULT = CHUNKS;

    /** {@code rows} or {@code chunks} (any case). */
    public static StoreLayout parse(String text) {
        for (StoreLayout l : values()) {
            if (l.name().equalsIgnoreCase(text.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("store layout '" + text + "' is not one of rows, chunks");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
