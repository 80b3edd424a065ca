package io.fleetlog.logs.export;

import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.util.List;

/** A source over a list, for tests. */
final class ExportSourcesTestSupport {
    private ExportSourcesTestSupport() {}

    static Source of(List<Sample> samples) {
        return new Source() {
            int i;

            @Override
            public Sample next() {
                return i < samples.size() ? samples.get(i++) : null;
            }

            @Override
            public String describe() {
                return "list of " + samples.size();
            }
        };
    }
}
