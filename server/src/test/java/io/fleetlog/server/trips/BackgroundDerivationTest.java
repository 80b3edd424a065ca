package io.fleetlog.server.trips;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own deriver thread, nobody calling its step: once the debounce has passed on the server's
 * clock (the test's), the uploaded drive appears in the API by itself, and the metrics count it.
 */
class BackgroundDerivationTest {
    @TempDir
    Path dir;

    @Test
    void aCommittedDriveIsDerivedByTheServerOnceTheDebouncePassed() throws Exception {
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        var config = ServerFixture.config(dir).withClock(() -> Instant.ofEpochMilli(now.get()));
        try (ServerFixture fx = ServerFixture.start(config, Stores.open(config.dbUrl()))) {
            List<Sample> in = io.fleetlog.server.api.SessionsApiTestData.twoDrives();
            try (EdgeClient c = EdgeClient.hello(fx.base, Samples.VIN_A, TOKEN_A)) {
                c.next(10_000);
                c.sendBatch(in);
                assertThat(c.awaitAck(in.size() - 1, 10_000)).isEqualTo(in.size() - 1);
            }
            String drives = "/api/vehicles/" + Samples.VIN_A + "/drives";
            Thread.sleep(1_500); // the thread wakes at least every second: it must not derive before the debounce
            assertThat(fx.get(drives).body()).contains("\"drives\":[]");
            now.addAndGet(Deriver.DEFAULT_DEBOUNCE.toMillis());
            assertThat(ServerFixture.await(() -> body(fx, drives).contains("\"id\":" + Samples.T0), 5_000))
                    .as("drives after the debounce")
                    .isTrue();
            assertThat(fx.get("/metrics").body()).containsPattern("fleetlog_sessions_derivations_total [1-9]");
        }
    }

    private static String body(ServerFixture fx, String path) {
        try {
            return fx.get(path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
