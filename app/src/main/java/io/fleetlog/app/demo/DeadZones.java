package io.fleetlog.app.demo;

import io.fleetlog.sim.proxy.CutMode;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's scripted dead zones, in capture-time seconds, repeating every 10 minutes: a tunnel (40 s,
 * packets blackholed), a parking garage (90 s, the connection reset), and a long rural gap (120 s,
 * blackholed). Each car meets them at its own offsets so the fleet never goes dark all at once.
 */
final class DeadZones {
    static final Duration CYCLE = Duration.ofMinutes(10);
    private static final Duration ENDLESS_HORIZON = Duration.ofHours(24);

    private DeadZones() {}

    static OutageSchedule scripted(int vehicle, Duration duration) {
        double horizon = (duration == null ? ENDLESS_HORIZON : duration).toSeconds();
        double cycle = CYCLE.toSeconds();
        List<OutageSchedule.Outage> out = new ArrayList<>();
        int k = vehicle % 5; // offsets repeat every five cars so zones never overlap
        for (double base = 0; base < horizon; base += cycle) {
            add(out, base + 45 + 17 * k, 40, CutMode.BLACKHOLE, horizon); // tunnel
            add(out, base + 200 + 23 * k, 90, CutMode.RESET, horizon); // parking garage
            add(out, base + 380 + 11 * k, 120, CutMode.BLACKHOLE, horizon); // rural gap
        }
        if (out.isEmpty() && horizon > 4) {
            // A drive shorter than the first scripted zone still shows one outage, in its middle third.
            add(out, horizon / 3, horizon / 3, CutMode.BLACKHOLE, horizon);
        }
        return new OutageSchedule(out);
    }

    private static void add(
            List<OutageSchedule.Outage> out, double start, double length, CutMode mode, double horizon) {
        // Leave the last 10 % of the drive online so the backlog of the last zone drains on screen.
        double end = Math.min(start + length, horizon * 0.9);
        if (start < end - 1) {
            out.add(new OutageSchedule.Outage(start, end, mode));
        }
    }
}
