package io.fleetlog.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server applies each tier's retention (at start, then hourly), independent of raw retention. */
class RollupRetentionServerTest {
    @TempDir
    Path dir;

    @Test
    void theServerTrimsTheTenSecondTierAndKeepsRawFramesAndMinutes() throws Exception {
        SampleStore store = Stores.open(ServerFixture.config(dir).dbUrl());
        long today = SampleStore.dayStart(Samples.T0);
        store.append(Samples.VIN_A, Samples.drive(0, 100, today - 3 * SampleStore.DAY_MS));
        store.append(Samples.VIN_A, Samples.drive(100, 100, today + 1000));
        RollupStore r = store.rollups().orElseThrow();
        int speed = RollupModel.SPEED;
        try (ServerFixture fx = ServerFixture.start(
                ServerFixture.config(dir)
                        .withClock(java.time.InstantSource.fixed(java.time.Instant.ofEpochMilli(Samples.T0)))
                        .withRollupRetention(new RollupRetention(Duration.ofDays(2), null)),
                store)) {
            assertThat(ServerFixture.await(
                            () -> r.buckets(Samples.VIN_A, Step.TEN_SECONDS, speed, 0, today)
                                    .isEmpty(),
                            10_000))
                    .as("the retention run at start")
                    .isTrue();
            assertThat(r.buckets(Samples.VIN_A, Step.TEN_SECONDS, speed, today, Long.MAX_VALUE))
                    .isNotEmpty();
            assertThat(r.buckets(Samples.VIN_A, Step.ONE_MINUTE, speed, 0, today))
                    .as("1 min kept forever")
                    .hasSize(1);
            assertThat(store.count(Samples.VIN_A))
                    .as("raw frames have their own retention")
                    .isEqualTo(200);
        }
    }

    @Test
    void aTierKeptLessThanADayIsRefusedNamingIt() {
        assertThatThrownBy(() -> new RollupRetention(Duration.ofHours(5), null))
                .hasMessageContaining("10 s rollup retention PT5H is shorter than one day");
        assertThatThrownBy(() -> new RollupRetention(null, Duration.ZERO))
                .hasMessageContaining("1 min rollup retention");
    }
}
