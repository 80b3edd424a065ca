package io.fleetlog.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Durable drives and charges, keyed by {@code (vin, startMs)}: what {@code io.fleetlog.server.trips}
 * derives from the stored frames, kept next to them (SQLite tables, PostgreSQL tables that Grafana reads
 * with plain SQL).
 *
 * <p>Contract (one contract test runs against each store): {@link #replaceSessions} deletes every drive
 * and charge of the vehicle that overlaps {@code [fromMs, toMs]} and inserts the given ones in one
 * transaction — a reader sees the old set or the new one, never a mix; the given sessions must lie in
 * the window. Lists are ordered by start time; {@code afterStartMs} is the paging cursor (the start of
 * the last session of the previous page). Thread-safe.
 */
public interface SessionStore {

    /** Most sessions one list call returns. */
    int MAX_PAGE = 1000;

    void replaceSessions(String vin, long fromMs, long toMs, List<Drive> drives, List<Charge> charges);

    /** Drives overlapping {@code [fromMs, toMs)} that start after {@code afterStartMs}, at most {@code limit}. */
    List<Drive> drives(String vin, long fromMs, long toMs, long afterStartMs, int limit);

    Optional<Drive> drive(String vin, long startMs);

    /** Charges overlapping {@code [fromMs, toMs)} that start after {@code afterStartMs}, at most {@code limit}. */
    List<Charge> charges(String vin, long fromMs, long toMs, long afterStartMs, int limit);

    Optional<Charge> charge(String vin, long startMs);

    /** Checks a window given to {@link #replaceSessions}. */
    static void checkWindow(long fromMs, long toMs, List<Drive> drives, List<Charge> charges) {
        if (toMs < fromMs) {
            throw new IllegalArgumentException("session window " + fromMs + ".." + toMs + " is reversed");
        }
        for (Drive d : drives) {
            if (d.startMs() < fromMs || d.endMs() > toMs) {
                throw new IllegalArgumentException(
                        "drive " + d.startMs() + ".." + d.endMs() + " lies outside the window " + fromMs + ".." + toMs);
            }
        }
        for (Charge c : charges) {
            if (c.startMs() < fromMs || c.endMs() > toMs) {
                throw new IllegalArgumentException("charge " + c.startMs() + ".." + c.endMs()
                        + " lies outside the window " + fromMs + ".." + toMs);
            }
        }
    }
}
