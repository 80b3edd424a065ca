package io.fleetlog.edge.spool;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;

/** Deterministic samples whose values are a function of their seq (so a reader can check them). */
final class TestSamples {
    static final long T0 = 1_764_180_000_000L;

    private TestSamples() {}

    static Sample of(long seq) {
        double[] v = new double[Field.COUNT];
        v[0] = (seq % 9000) / 100.0;
        v[1] = ((seq * 7) % 20000) / 100.0 - 100;
        v[2] = 100 - (seq % 10000) / 100.0;
        v[3] = (seq * 13 % 36000) / 100.0;
        v[4] = 1000 + seq / 1000.0;
        v[5] = 37 + (seq % 100000) * 1e-7;
        v[6] = -122 - (seq % 100000) * 1e-7;
        v[7] = seq % 7 == 0 ? Double.NaN : (seq % 500) / 10.0;
        return new Sample(seq, T0 + seq * 20, v);
    }

    static List<Sample> range(long first, int n) {
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(of(first + i));
        }
        return out;
    }
}
