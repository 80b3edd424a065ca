package io.fleetlog.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention per tier, against each store: the 10 s tier and the 1 min tier are trimmed separately,
 * only before the cutoff, and appends go on afterwards (a late frame of a dropped span lands again).
 */
abstract class RollupRetentionContract {
    static final long DAY = SampleStore.DAY_MS;
    /** 2026-01-30T00:00Z: the stream runs over Jan 30, Jan 31, Feb 1 and Feb 2. */
    static final long JAN30 = 1_769_731_200_000L;

    static final long FEB1 = JAN30 + 2 * DAY;

    SampleStore store;
    final String vin = RollupModel.newVin();

    abstract SampleStore open() throws Exception;

    /** Rollup partitions the store holds (PostgreSQL), or null when it has none. */
    abstract List<String> partitions() throws Exception;

    @BeforeEach
    void fill() throws Exception {
        store = open();
        List<Sample> in = new ArrayList<>();
        for (int i = 0; i < 4 * 24 * 6; i++) { // one frame every 10 minutes for four days
            in.add(RollupModel.frame(i, JAN30 + i * 600_000L + 5, 7));
        }
        store.append(vin, in);
    }

    @AfterEach
    void close() {
        store.close();
    }

    long buckets(Step step, long from, long to) {
        return store.rollups()
                .orElseThrow()
                .buckets(vin, step, RollupModel.SPEED, from, to)
                .size();
    }

    @Test
    void tenSecondTierIsTrimmedBeforeItsCutoffOnlyAndTheMinuteTierStays() throws Exception {
        RollupStore r = store.rollups().orElseThrow();
        assertThat(buckets(Step.TEN_SECONDS, JAN30, JAN30 + 4 * DAY)).isEqualTo(576);
        long removed = r.purgeBefore(Step.TEN_SECONDS, JAN30 + 3 * DAY);
        assertThat(removed).as("three days of numeric buckets, every signal").isGreaterThanOrEqualTo(3 * 144);
        assertThat(buckets(Step.TEN_SECONDS, Long.MIN_VALUE, JAN30 + 3 * DAY)).isZero();
        assertThat(buckets(Step.TEN_SECONDS, JAN30 + 3 * DAY, Long.MAX_VALUE)).isEqualTo(144);
        assertThat(r.states(vin, Step.TEN_SECONDS, RollupModel.GEAR, Long.MIN_VALUE, JAN30 + 3 * DAY))
                .isEmpty();
        assertThat(buckets(Step.ONE_MINUTE, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(576);
        List<String> parts = partitions();
        if (parts != null) {
            assertThat(parts).contains("rollups_10s_p20260202", "rollups_1m_p202601", "rollups_1m_p202602");
            assertThat(parts).doesNotContain("rollups_10s_p20260130", "rollup_states_10s_p20260201");
        }
        // a late frame of a dropped day lands again (its partition is recreated)
        store.append(vin, List.of(RollupModel.frame(10_000, JAN30 + 1000, 7)));
        assertThat(buckets(Step.TEN_SECONDS, JAN30, JAN30 + DAY)).isEqualTo(1);
    }

    @Test
    void minuteTierIsTrimmedOnlyWhereTheStoreCanDropItCheaply() throws Exception {
        RollupStore r = store.rollups().orElseThrow();
        r.purgeBefore(Step.ONE_MINUTE, FEB1 + DAY); // Feb 2
        long left = buckets(Step.ONE_MINUTE, Long.MIN_VALUE, Long.MAX_VALUE);
        List<String> parts = partitions();
        if (parts != null) {
            // PostgreSQL drops whole months: January goes, February (not over by the cutoff) stays
            assertThat(left).isEqualTo(2 * 144);
            assertThat(parts).contains("rollups_1m_p202602").doesNotContain("rollups_1m_p202601");
        } else {
            assertThat(left).isEqualTo(144);
        }
        assertThat(buckets(Step.ONE_MINUTE, Long.MIN_VALUE, JAN30 + 2 * DAY)).isZero();
        assertThat(buckets(Step.TEN_SECONDS, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(576);
    }
}
