package io.fleetlog.server.ingest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The one live ingest connection per VIN (issue 12 item 3). {@link #claim} makes a connection the
 * VIN's writer and returns the one it replaces, which the caller fences; {@link #release} removes a
 * connection only while it is still the writer. Thread-safe.
 */
final class Writers {
    private final ConcurrentHashMap<String, IngestConnection> byVin = new ConcurrentHashMap<>();

    /** Makes {@code c} the writer of {@code vin}; returns the previous writer, or null. */
    IngestConnection claim(String vin, IngestConnection c) {
        IngestConnection old = byVin.put(vin, c);
        return old == c ? null : old;
    }

    void release(String vin, IngestConnection c) {
        byVin.remove(vin, c);
    }

    /** The VIN's writer, or null (for tests). */
    IngestConnection writer(String vin) {
        return byVin.get(vin);
    }
}
