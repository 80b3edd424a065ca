package io.fleetlog.server.fleet;

import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.codec.v2.FrameStats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the v2 decoders of a vehicle (or the fleet) have seen: frames, batches, wire bytes, and per
 * signal name how many values were sent, omitted (predicted) and captured unavailable. An immutable
 * snapshot; the per-signal map is unmodifiable, its arrays are {@code {sent, omitted, unavailable}}
 * and must not be changed.
 */
public record SignalStats(long frames, long batches, long bytes, Map<String, long[]> perSignal) {

    public static final SignalStats EMPTY = new SignalStats(0, 0, 0, Map.of());

    public SignalStats {
        perSignal = Collections.unmodifiableMap(new LinkedHashMap<>(perSignal));
    }

    /** A decoder's counters, its slots named by the layout's catalogue. */
    public static SignalStats of(FrameLayout layout, FrameStats s) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int slot = 0; slot < layout.size(); slot++) {
            long[] c = {s.sent()[slot], s.omitted()[slot], s.unavailable()[slot]};
            if (c[0] + c[1] + c[2] > 0) {
                m.put(layout.catalogue().signal(layout.id(slot)).name(), c);
            }
        }
        return new SignalStats(s.frames(), s.batches(), s.bytes(), m);
    }

    public SignalStats plus(SignalStats o) {
        Map<String, long[]> m = new LinkedHashMap<>();
        perSignal.forEach((k, v) -> m.put(k, v.clone()));
        o.perSignal.forEach((k, v) ->
                m.merge(k, v.clone(), (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
        return new SignalStats(frames + o.frames, batches + o.batches, bytes + o.bytes, m);
    }

    public double bytesPerFrame() {
        return frames == 0 ? 0 : (double) bytes / frames;
    }

    /** Share of all captured values that were omitted, 0..1. */
    public double omittedShare() {
        long omitted = 0;
        long all = 0;
        for (long[] c : perSignal.values()) {
            omitted += c[1];
            all += c[0] + c[1] + c[2];
        }
        return all == 0 ? 0 : (double) omitted / all;
    }
}
