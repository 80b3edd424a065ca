package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerComparisonOptionsTest {

    @Test
    void optionsShapeThePlan() {
        Plan p = PeerComparison.Options.parse(
                        "--vehicles",
                        "3",
                        "--dead-zone-seconds",
                        "60",
                        "--throughput-seconds",
                        "30",
                        "--long-dead-zone-seconds",
                        "7200",
                        "--warm-up-seconds",
                        "0")
                .plan();

        assertThat(p.vehicles()).isEqualTo(3);
        assertThat(p.deadZone()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.throughputCapture()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.longDeadZone()).isEqualTo(Duration.ofHours(2));
        assertThat(p.warmUpCapture())
                .as("--warm-up-seconds 0 turns the warm-up off")
                .isNull();
        assertThat(PeerComparison.Options.parse().plan().warmUpCapture())
                .as("by default the warm-up repeats the measured run")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(PeerComparison.Options.parse("--throughput-seconds", "30")
                        .plan()
                        .warmUpCapture())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(PeerComparison.Options.parse("--quick").plan().warmUpCapture())
                .isNull();
        assertThat(p.capacityDeadZone().toSeconds() * Workload.HZ)
                .as("the default capacity run goes past the peer's 65,535 message ids")
                .isGreaterThan(65_535);
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertThatThrownBy(() -> PeerComparison.Options.parse("--dead-zone", "5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'--dead-zone'")
                .hasMessageContaining("--dead-zone-seconds");
    }

    @Test
    void aPlanRejectsAZeroFleet() {
        assertThatThrownBy(() -> Plan.quick(0)).hasMessageContaining("vehicles must be >= 1, got 0");
    }
}
