package io.fleetlog.source;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.frame.Frames;
import io.fleetlog.sample.Sample;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;

/**
 * A source restricted to some signals: every frame of the wrapped source keeps only the named signals
 * (a frame left with none is skipped). For measuring a workload on fewer signals, e.g. today's eight
 * fields of the simulator ({@link #LEGACY}).
 */
public final class OnlySignals implements Source {

    /** The built-in signals that carry the eight legacy fields. */
    public static final java.util.List<String> LEGACY =
            java.util.List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation");

    private final Source inner;
    private final int[] ids; // ascending
    private final String names;

    private OnlySignals(Source inner, int[] ids, String names) {
        this.inner = inner;
        this.ids = ids;
        this.names = names;
    }

    /**
     * {@code inner} restricted to {@code names} (names or aliases of {@code catalogue}).
     *
     * @throws IllegalArgumentException naming a signal the catalogue does not have
     */
    public static OnlySignals of(Source inner, Catalogue catalogue, Collection<String> names) {
        int[] ids = names.stream().mapToInt(catalogue::id).sorted().distinct().toArray();
        return new OnlySignals(inner, ids, String.join(",", names));
    }

    /** {@code s} without the signals not selected, or null when none is left. */
    public Sample keep(Sample s) {
        Frame f = s.frame();
        Frame.Builder b = Frame.builder(f.timeMs(), Math.min(f.size(), ids.length));
        int kept = 0;
        for (int i = 0; i < f.size(); i++) {
            if (Arrays.binarySearch(ids, f.id(i)) >= 0) {
                Frames.copy(b, f, i);
                kept++;
            }
        }
        return kept == 0 ? null : new Sample(s.seq(), b.build());
    }

    @Override
    public Sample next() throws IOException {
        for (Sample s; (s = inner.next()) != null; ) {
            Sample k = keep(s);
            if (k != null) {
                return k;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return inner.describe() + ", only " + names;
    }

    @Override
    public long problems() {
        return inner.problems();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
