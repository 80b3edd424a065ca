package io.fleetlog.server.api;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.VehicleEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A vehicle's summary over a time window, fed samples oldest first.
 *
 * <ul>
 *   <li>distance: last minus first available odometer reading (mi), never negative;
 *   <li>energy: power integrated over capture time with the trapezoid rule (kWh; regen counts
 *       negative), skipping intervals longer than {@link #MAX_STEP_MS} (a gap is not a drive);
 *   <li>efficiency: energy / distance in Wh/mi (null when the distance is 0);
 *   <li>online/offline: from the ONLINE/OFFLINE link events, clipped to the window; the window is
 *       {@code [from, to)} with open ends replaced by the first sample or event and {@code now}.
 * </ul>
 */
final class Summary {
    static final long MAX_STEP_MS = 5_000;

    private long samples;
    private double firstOdo = Double.NaN;
    private double lastOdo = Double.NaN;
    private double energyKwh;
    private long prevT = Long.MIN_VALUE;
    private double prevPower = Double.NaN;
    private long firstT = Long.MAX_VALUE;
    private long lastT = Long.MIN_VALUE;

    void accept(Sample s) {
        samples++;
        firstT = Math.min(firstT, s.captureTimeMs());
        lastT = Math.max(lastT, s.captureTimeMs());
        if (s.available(Field.ODOMETER)) {
            if (Double.isNaN(firstOdo)) {
                firstOdo = s.get(Field.ODOMETER);
            }
            lastOdo = s.get(Field.ODOMETER);
        }
        double p = s.available(Field.POWER) ? s.get(Field.POWER) : Double.NaN;
        long dt = s.captureTimeMs() - prevT;
        if (!Double.isNaN(p) && !Double.isNaN(prevPower) && dt > 0 && dt <= MAX_STEP_MS) {
            energyKwh += (p + prevPower) / 2 * dt / 3_600_000.0;
        }
        prevT = s.captureTimeMs();
        prevPower = p;
    }

    Map<String, Object> result(String vin, long fromMs, long toMs, List<VehicleEvent> events, long nowMs) {
        double distance = Double.isNaN(firstOdo) ? 0 : Math.max(0, lastOdo - firstOdo);
        long start = fromMs != Long.MIN_VALUE ? fromMs : earliest(events);
        long end = toMs != Long.MAX_VALUE ? toMs : Math.max(nowMs, lastT + 1);
        long online = onlineMs(events, start, end);
        long window = Math.max(0, end - start);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vin", vin);
        m.put("samples", samples);
        m.put("distanceMi", round(distance, 3));
        m.put("energyKwh", round(energyKwh, 4));
        m.put("whPerMi", distance > 0 ? round(energyKwh * 1000 / distance, 1) : null);
        m.put("onlineSeconds", round(online / 1000.0, 1));
        m.put("offlineSeconds", round(Math.max(0, window - online) / 1000.0, 1));
        return m;
    }

    private long earliest(List<VehicleEvent> events) {
        long e = firstT;
        for (VehicleEvent ev : events) {
            e = Math.min(e, ev.tMs());
        }
        return e == Long.MAX_VALUE ? 0 : e;
    }

    /** Time within [start, end) during which at least one connection was open. */
    static long onlineMs(List<VehicleEvent> events, long start, long end) {
        int open = 0;
        long since = start;
        long total = 0;
        for (VehicleEvent e : events) {
            if (e.kind() != VehicleEvent.Kind.ONLINE && e.kind() != VehicleEvent.Kind.OFFLINE) {
                continue; // gaps, conflicts
            }
            long t = Math.max(start, Math.min(end, e.tMs()));
            if (open > 0) {
                total += t - since;
            }
            since = t;
            open = e.kind() == VehicleEvent.Kind.ONLINE ? open + 1 : Math.max(0, open - 1);
        }
        if (open > 0) {
            total += end - since;
        }
        return total;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
