package io.fleetlog.server.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The vehicles whose tail may hold sealed rows, so the background merger does not visit every
 * vehicle every round. A window becomes sealed only when newer frames of the vehicle arrive, so a
 * vehicle is due again only after an append; at start every vehicle is due once (a tail left by an
 * earlier process or by the rows layout). A vehicle marked by an append that then rolled back is
 * merely visited once for nothing. It also keeps, per vehicle, the window from which the next
 * compaction of small chunks must look (every sealed window below it holds one chunk, or as many as
 * its frames need); unknown means from the start (the first step after a start scans everything
 * once). Thread-safe.
 */
final class MergeDue {
    private final Set<String> due = ConcurrentHashMap.newKeySet();
    private volatile boolean everyone = true;

    /** Frames of {@code vin} were (or are about to be) appended. */
    void appended(String vin) {
        due.add(vin);
    }

    /** The vehicles to visit now, taken out of the set; {@code every} gives all vehicles the first time. */
    List<String> take(Supplier<Collection<String>> every) {
        if (everyone) {
            everyone = false;
            return List.copyOf(every.get());
        }
        List<String> out = List.copyOf(due);
        out.forEach(due::remove);
        return out;
    }

    /** {@code vin} still has sealed rows (its step moved some, or failed): visit it next round too. */
    void again(String vin) {
        due.add(vin);
    }

    private final Map<String, Long> compactFrom = new ConcurrentHashMap<>();

    /** The window from which the next compaction of {@code vin} must look. */
    long compactFrom(String vin) {
        return compactFrom.getOrDefault(vin, Long.MIN_VALUE);
    }

    /** A chunk of {@code vin} was (or is about to be) written in window {@code windowMs}. */
    void chunkWritten(String vin, long windowMs) {
        compactFrom.computeIfPresent(vin, (k, v) -> Math.min(v, windowMs));
    }

    /**
     * A compaction step of {@code vin} visited every window below {@code nextFrom}. Called while no
     * append of the vehicle can run (the SQLite writer thread; the PostgreSQL row lock), before the
     * step commits; a step that then fails calls {@link #compactionFailed}.
     */
    void compacted(String vin, long nextFrom) {
        compactFrom.put(vin, nextFrom);
    }

    /** A compaction step of {@code vin} rolled back: look from the start next time. */
    void compactionFailed(String vin) {
        compactFrom.remove(vin);
    }
}
