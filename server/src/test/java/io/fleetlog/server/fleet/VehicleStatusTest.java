package io.fleetlog.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VehicleStatusTest {

    @Test
    void aDrainShorterThanALiveTickIsStillReportedInOrder() {
        VehicleStatus s = new VehicleStatus("5YJ3E1EB4PF100001");
        s.connected();
        s.edgeReported(400, 1_000, "DRAINING", 0);
        s.edgeReported(0, -1, "ONLINE", 0);
        assertThat(s.link()).isEqualTo(VehicleStatus.Link.ONLINE);
        assertThat(s.takeTransition()).isEqualTo(VehicleStatus.Link.ONLINE);
        assertThat(s.takeTransition()).isEqualTo(VehicleStatus.Link.DRAINING);
        assertThat(s.takeTransition()).isEqualTo(VehicleStatus.Link.ONLINE);
        assertThat(s.takeTransition()).isNull();
    }

    @Test
    void aLinkChangeIsPublishedAtOnceWhileDepthUpdatesAreThrottled() {
        VehicleStatus s = new VehicleStatus("5YJ3E1EB4PF100001");
        s.connected();
        assertThat(s.takeStateChange(1_000, 500)).isTrue();
        s.edgeReported(10, 1_000, "ONLINE", 0);
        assertThat(s.takeStateChange(1_100, 500)).as("depth only: throttled").isFalse();
        s.disconnected(new Object());
        assertThat(s.takeStateChange(1_150, 500)).as("offline: at once").isTrue();
    }
}
