package io.fleetlog.edge;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random captured frames over a catalogue: each signal captured with some probability (sparse), with
 * a value of its type inside its range (strings, enum codes, booleans, positions near the poles and
 * the antimeridian), sometimes unavailable; never omitted marks (a captured frame has none).
 */
public final class RandomFrames {
    private RandomFrames() {}

    public static List<Frame> frames(Catalogue cat, Random r, long t0, int n) {
        List<Frame> out = new ArrayList<>(n);
        long t = t0;
        double density = 0.05 + r.nextDouble() * 0.5;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(10) == 0 ? 1_000 + r.nextInt(60_000) : r.nextInt(40);
            out.add(frame(cat, r, t, density));
        }
        return out;
    }

    public static Frame frame(Catalogue cat, Random r, long t, double density) {
        Frame.Builder b = Frame.builder(t);
        List<Signal> signals = cat.signals();
        for (int id = 0; id < signals.size(); id++) {
            if (r.nextDouble() >= density) {
                continue;
            }
            if (r.nextInt(12) == 0) {
                b.unavailable(id);
                continue;
            }
            switch (signals.get(id).type()) {
                case FloatType f -> b.number(id, f.quantise(f.min() + r.nextDouble() * (f.max() - f.min())));
                case IntegerType it -> b.integer(id, it.min() + (long) (r.nextDouble() * (it.max() - it.min())));
                case BooleanType bt -> b.bool(id, r.nextBoolean());
                case EnumType e ->
                    b.integer(id, e.values().get(r.nextInt(e.values().size())).code());
                case StringType s ->
                    b.string(id, r.nextBoolean() ? "" : "2026.44.25.\u00e9\ud83d\ude97 " + r.nextInt(1000));
                case LocationType l -> {
                    double lat = r.nextInt(4) == 0 ? 89.99 * (r.nextBoolean() ? 1 : -1) : r.nextDouble() * 170 - 85;
                    double lon = r.nextInt(4) == 0 ? 179.999 * (r.nextBoolean() ? 1 : -1) : r.nextDouble() * 358 - 179;
                    b.position(id, lat, lon);
                }
            }
        }
        return b.build();
    }
}
