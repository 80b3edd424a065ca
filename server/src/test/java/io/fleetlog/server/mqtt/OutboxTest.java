package io.fleetlog.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void aChangedTopicGoesOutAtOnceThenAtMostOncePerIntervalWithItsNewestValue() {
        Outbox o = new Outbox();
        o.put("speed", "10");
        List<Outbox.Message> first = o.due(0, 1_000, 100);
        assertThat(first).containsExactly(new Outbox.Message("speed", "10"));
        o.sent(first.get(0), 0);

        o.put("speed", "11");
        o.put("speed", "12"); // 11 never reached the broker: superseded
        assertThat(o.due(500, 1_000, 100)).isEmpty();
        assertThat(o.due(1_000, 1_000, 100)).containsExactly(new Outbox.Message("speed", "12"));
        assertThat(o.superseded()).isEqualTo(1);
    }

    @Test
    void anUnchangedValueIsNotSentAgainAndAChangeBackCancelsThePendingOne() {
        Outbox o = new Outbox();
        o.put("gear", "D");
        o.sent(o.due(0, 1_000, 10).get(0), 0);
        o.put("gear", "D");
        assertThat(o.pending()).isZero();
        o.put("gear", "P");
        o.put("gear", "D"); // back to what the broker holds
        assertThat(o.pending()).isZero();
        assertThat(o.due(5_000, 1_000, 10)).isEmpty();
    }

    @Test
    void afterAReconnectEveryWantedPayloadIsDueAtOnce() {
        Outbox o = new Outbox();
        o.put("a", "1");
        o.put("b", "2");
        o.due(0, 1_000, 10).forEach(m -> o.sent(m, 0));
        assertThat(o.pending()).isZero();
        o.resendAll();
        assertThat(o.due(1, 1_000, 10)).containsExactly(new Outbox.Message("a", "1"), new Outbox.Message("b", "2"));
    }

    @Test
    void manyChangesWhileDisconnectedKeepOneEntryPerTopic() {
        Outbox o = new Outbox();
        for (int i = 0; i < 100_000; i++) {
            o.put("vehicles/" + (i % 10) + "/speed", Integer.toString(i));
        }
        assertThat(o.topics()).isEqualTo(10);
        assertThat(o.pending()).isEqualTo(10);
        assertThat(o.superseded()).isEqualTo(100_000 - 10);
        assertThat(o.due(0, 1_000, 3)).hasSize(3);
    }
}
