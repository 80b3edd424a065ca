package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Stores;
import io.fleetlog.source.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TallyingStoreTest {

    @TempDir
    Path dir;

    @Test
    void aResendIsStoredOnceAndCountedAsADuplicate() throws Exception {
        Workload w = Workload.fleet(1, Duration.ofSeconds(1), 3);
        String vin = w.vins().get(0);
        List<Sample> samples = new ArrayList<>();
        try (Source source = w.source(0)) {
            Sample s;
            long seq = 0;
            while ((s = source.next()) != null) {
                samples.add(s.withSeq(seq++));
            }
        }
        Tally tally = new Tally();
        try (TallyingStore store = new TallyingStore(Stores.open(FleetlogStack.storeUrl(dir)), tally)) {
            store.append(vin, samples.subList(0, 30));
            store.append(vin, samples.subList(20, 50)); // 20..29 again

            assertThat(store.count(vin)).isEqualTo(50);
            assertThat(tally.distinct()).isEqualTo(50);
            assertThat(tally.duplicates()).isEqualTo(10);
            assertThat(tally.reordered()).isZero();
            assertThat(tally.complete(vin, 49)).isTrue();
        }
    }
}
