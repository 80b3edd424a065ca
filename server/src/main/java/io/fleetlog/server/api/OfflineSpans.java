package io.fleetlog.server.api;

import io.fleetlog.server.store.VehicleEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The times in a window when a vehicle had no open ingest link, from its ONLINE/OFFLINE events (server
 * time): a frame captured then cannot have arrived live, so it was backfilled — the definition the
 * session deriver uses for a drive's backfill share (docs/drives.md). Links are counted (a reconnect
 * can open before the old link's OFFLINE); before the first ONLINE the vehicle counts as offline. Edge
 * clock skew shifts the boundaries by the skew. Stateless.
 */
final class OfflineSpans {
    private OfflineSpans() {}

    /**
     * Offline spans {@code [from, to]} (inclusive ms; the instants of the ONLINE and OFFLINE events
     * count as online, as for the deriver) clipped to {@code [fromMs, toMs)}, oldest first; events oldest first. */
    static List<long[]> of(List<VehicleEvent> events, long fromMs, long toMs) {
        List<long[]> out = new ArrayList<>();
        int open = 0;
        long downSince = Long.MIN_VALUE;
        for (VehicleEvent e : events) {
            if (e.kind() == VehicleEvent.Kind.ONLINE) {
                if (open++ == 0) {
                    add(out, downSince, e.tMs() - 1, fromMs, toMs);
                }
            } else if (e.kind() == VehicleEvent.Kind.OFFLINE && open > 0) {
                if (--open == 0) {
                    downSince = e.tMs() + 1;
                }
            }
        }
        if (open == 0) {
            add(out, downSince, Long.MAX_VALUE, fromMs, toMs);
        }
        return out;
    }

    private static void add(List<long[]> out, long from, long to, long fromMs, long toMs) {
        long a = Math.max(from, fromMs);
        long b = Math.min(to, toMs - 1);
        if (a <= b) {
            out.add(new long[] {a, b});
        }
    }
}
