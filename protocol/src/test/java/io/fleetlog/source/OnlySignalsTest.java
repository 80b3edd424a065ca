package io.fleetlog.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlySignalsTest {
    private static final Catalogue CAT = Catalogue.builtin();

    private static Source of(List<Sample> samples) {
        Iterator<Sample> it = samples.iterator();
        return new Source() {
            @Override
            public Sample next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public String describe() {
                return "list";
            }
        };
    }

    @Test
    void framesKeepOnlyTheNamedSignalsAndFramesLeftEmptyAreSkipped() throws Exception {
        int speed = CAT.id("VehicleSpeed");
        int gear = CAT.id("Gear");
        int soc = CAT.id("Soc");
        List<Sample> in = List.of(
                new Sample(0, Frame.builder(0).number(speed, 1).integer(gear, 4).build()),
                new Sample(1, Frame.builder(20).integer(gear, 1).build()),
                new Sample(
                        2,
                        Frame.builder(40)
                                .unavailable(soc)
                                .number(speed, 3)
                                .omitted()
                                .build()));
        OnlySignals only = OnlySignals.of(of(in), CAT, List.of("speed", "Soc"));
        assertThat(only.next().frame())
                .isEqualTo(Frame.builder(0).number(speed, 1).build());
        assertThat(only.next().frame())
                .as("the gear-only frame is skipped")
                .isEqualTo(Frame.builder(40)
                        .unavailable(soc)
                        .number(speed, 3)
                        .omitted()
                        .build());
        assertThat(only.next()).isNull();
        assertThat(only.describe()).isEqualTo("list, only speed,Soc");
        assertThatThrownBy(() -> OnlySignals.of(of(in), CAT, List.of("NoSuchSignal")))
                .hasMessageContaining("NoSuchSignal");
    }
}
