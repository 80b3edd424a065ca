package io.fleetlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.StoreException;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Samples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replica's store against Kafka's own fake producer: completion, failure, the Welcome's seq. */
class KafkaBusStoreTest {
    static final String A = Samples.VIN_A;

    @Test
    void aFailedRecordKeepsLaterAcknowledgedSeqsOutOfTheWelcomeUntilItIsProducedAgain(@TempDir Path dir) {
        MockProducer<byte[], byte[]> kafka =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (KafkaBusStore store = new KafkaBusStore(
                Stores.open("jdbc:sqlite:" + dir.resolve("f.db")), kafka, "frames", Duration.ofMillis(100))) {
            List<Sample> s = Samples.drive(0, 30, Samples.T0);
            CompletableFuture<Void> f1 = store.appendAsync(A, s.subList(0, 10));
            CompletableFuture<Void> f2 = store.appendAsync(A, s.subList(10, 20));
            CompletableFuture<Void> f3 = store.appendAsync(A, s.subList(20, 30));
            assertThat(f1).isNotDone(); // not before Kafka acknowledged
            kafka.completeNext();
            assertThat(f1).isCompleted();
            assertThat(store.lastSeq(A)).isEqualTo(9);
            kafka.errorNext(new TimeoutException("delivery timeout"));
            assertThat(f2).isCompletedExceptionally();
            assertThatThrownBy(f2::join).hasCauseInstanceOf(StoreException.class);
            kafka.completeNext();
            assertThat(f3).isCompleted();
            assertThat(store.lastSeq(A)).as("20..29 are behind the hole at 10").isEqualTo(9);
            assertThat(store.appendAsync(A, Samples.drive(30, 10, Samples.T0 + 600)))
                    .as("nothing is sent behind the hole")
                    .isCompletedExceptionally();
            CompletableFuture<Void> resend = store.appendAsync(A, s.subList(10, 30)); // from the Welcome's seq + 1
            kafka.completeNext();
            assertThat(resend).isCompleted();
            assertThat(store.lastSeq(A)).isEqualTo(29);
            assertThatThrownBy(() -> store.stored(A, 0, 9, Samples.T0, Samples.T0 + 1000))
                    .as("a resend is compared only when the sink stored what this replica produced")
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("has not stored");
            assertThat(kafka.history()).hasSize(4);
            assertThat(kafka.history().get(0).key()).isEqualTo(A.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
