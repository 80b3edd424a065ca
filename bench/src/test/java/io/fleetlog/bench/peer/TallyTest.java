package io.fleetlog.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void countsDistinctDuplicateAndReorderedDeliveriesPerVin() {
        Tally t = new Tally();
        t.record("A", 1, 10);
        t.record("A", 3, 20);
        t.record("A", 2, 30); // after 3: reordered
        t.record("A", 3, 40); // again: duplicate
        t.record("B", 1, 50);

        assertThat(t.distinct()).isEqualTo(4);
        assertThat(t.distinct("A")).isEqualTo(3);
        assertThat(t.duplicates()).isEqualTo(1);
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.lastNewNanos()).isEqualTo(50);
        assertThat(t.complete("A", 3)).isTrue();
        assertThat(t.complete("B", 2)).isFalse();
    }
}
