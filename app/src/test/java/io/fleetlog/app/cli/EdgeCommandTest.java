package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sim.proxy.CutMode;
import io.fleetlog.sim.proxy.OutageSchedule;
import org.junit.jupiter.api.Test;

class EdgeCommandTest {

    @Test
    void aResumedDriveKeepsTheDeadZonesWhereTheUserPutThem() {
        OutageSchedule s = OutageSchedule.parse("20-280,400-460");
        assertThat(EdgeCommand.shifted(s, 0)).isEqualTo(s);
        OutageSchedule at100 = EdgeCommand.shifted(s, 100_000);
        assertThat(at100.outages())
                .containsExactly(
                        new OutageSchedule.Outage(0, 180, CutMode.BLACKHOLE),
                        new OutageSchedule.Outage(300, 360, CutMode.BLACKHOLE));
        assertThat(EdgeCommand.shifted(s, 300_000).outages())
                .containsExactly(new OutageSchedule.Outage(100, 160, CutMode.BLACKHOLE));
    }
}
