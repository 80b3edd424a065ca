package io.fleetlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.ServerConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Admission} stepped with a settable clock: limits, doubling backoff, reset, forgetting. */
class AdmissionTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    final Admission a = new Admission(
            new ServerConfig.PreAuth(4096, Duration.ofSeconds(5), 2, 3, Duration.ofSeconds(1), Duration.ofSeconds(5)),
            clock);

    @Test
    void pendingConnectionsPerAddressAreLimited() {
        assertThat(a.open("10.0.0.1")).isNull();
        assertThat(a.open("10.0.0.1")).isNull();
        assertThat(a.open("10.0.0.1")).isEqualTo(Admission.Refusal.TOO_MANY_PENDING);
        assertThat(a.open("10.0.0.2")).as("another address").isNull();
        a.authenticated("10.0.0.1");
        assertThat(a.open("10.0.0.1")).isNull();
        a.closedPending("10.0.0.1");
        a.closedPending("10.0.0.1");
        assertThat(a.open("10.0.0.1")).isNull();
    }

    @Test
    void failuresBackOffDoublingUpToTheMaximumAndAnAcceptedHelloResets() {
        assertThat(a.failed("10.0.0.1")).isZero();
        assertThat(a.failed("10.0.0.1")).isZero();
        assertThat(a.failed("10.0.0.1")).as("the 3rd failure starts 1 s").isEqualTo(1_000);
        assertThat(a.open("10.0.0.1")).isEqualTo(Admission.Refusal.BACKING_OFF);
        now.addAndGet(1_000);
        assertThat(a.open("10.0.0.1")).isNull();
        assertThat(a.failed("10.0.0.1")).isEqualTo(2_000);
        assertThat(a.failed("10.0.0.1")).isEqualTo(4_000);
        assertThat(a.failed("10.0.0.1")).as("capped").isEqualTo(5_000);
        for (int i = 0; i < 100; i++) {
            assertThat(a.failed("10.0.0.1")).isEqualTo(5_000);
        }
        now.addAndGet(5_000);
        assertThat(a.open("10.0.0.1")).isNull();
        a.authenticated("10.0.0.1");
        assertThat(a.failures("10.0.0.1")).isZero();
        assertThat(a.failed("10.0.0.1")).as("counting starts again").isZero();
    }
}
