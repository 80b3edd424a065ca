package io.fleetlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.StoreWrite;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.Samples;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsTest {
    static final String A = Samples.VIN_A;
    static final byte[] KEY = Records.key(A);

    @Test
    void everyKindOfWriteReadsBackExactly() throws Exception {
        List<Sample> samples = new java.util.ArrayList<>(Samples.drive(5, 3, Samples.T0));
        samples.add(Samples.sample(20, Samples.T0 + 1000)); // a seq step of 13 (a declared gap)
        samples.addAll(Samples.sparse(Catalogue.builtin(), 21, 50, Samples.T0 + 2000, 7));
        Catalogue builtin = Catalogue.builtin();
        List<StoreWrite> writes = List.of(
                new StoreWrite.Append(A, samples),
                new StoreWrite.Event(VehicleEvent.gap(A, 42, 8, 19, "edge declared 12 samples dropped é")),
                new StoreWrite.Event(VehicleEvent.link(A, 43, false)),
                new StoreWrite.UpsertVehicle(new Vehicle(A, "model3", null)),
                new StoreWrite.UseCatalogue(A, builtin));
        for (StoreWrite w : writes) {
            Records.Read r = Records.read(KEY, Records.value(w, builtin.hash()));
            assertThat(r.write()).isEqualTo(w);
            assertThat(r.catalogueHash()).isEqualTo(w instanceof StoreWrite.Append ? builtin.hash() : null);
        }
        assertThat(Records.read(KEY, Records.value(writes.get(0), null)).catalogueHash())
                .isNull();
    }

    @Test
    void recordsThatAreNotOursAreRefusedSayingWhat() {
        byte[] good = Records.value(new StoreWrite.Append(A, Samples.drive(0, 10, Samples.T0)), null);
        byte[] version = good.clone();
        version[0] = 9;
        byte[] kind = good.clone();
        kind[1] = 77;
        byte[] huge = good.clone();
        huge[2 + 32] = 0x7f; // the sample count's high byte
        assertThatThrownBy(() -> Records.read(KEY, version)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> Records.read(KEY, kind)).hasMessageContaining("kind 77");
        assertThatThrownBy(() -> Records.read(KEY, huge)).hasMessageContaining("does not fit");
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> Records.read(KEY, cut)).isInstanceOf(Records.BadRecord.class);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> Records.read(KEY, trailing)).isInstanceOf(Records.BadRecord.class);
        assertThatThrownBy(() -> Records.read("not a vin".getBytes(), good)).hasMessageContaining("VIN");
        assertThatThrownBy(() -> Records.read(KEY, null)).hasMessageContaining("without value");
    }
}
