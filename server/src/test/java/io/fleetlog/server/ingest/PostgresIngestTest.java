package io.fleetlog.server.ingest;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Postgres;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole ingest path into the real PostgreSQL: acks, resends, holes. */
class PostgresIngestTest {
    static final String VIN = Samples.VIN_A;

    @Test
    void ingestIntoPostgresAcksResendsIdempotentlyAndRecordsHoles() throws Exception {
        Postgres.Schema schema = Postgres.newSchema();
        ServerConfig cfg = ServerConfig.defaults(ServerFixture.tokens()).withDb(schema.url());
        try (ServerFixture fx = ServerFixture.start(cfg)) {
            List<Sample> in = Samples.drive(0, 1000, Samples.T0);
            EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A);
            assertThat(c.next(10_000).getWelcome().getLastStoredSeq()).isEqualTo(-1);
            c.sendBatch(in.subList(0, 500));
            assertThat(c.awaitAck(499, 10_000)).isEqualTo(499);
            c.abort();
            EdgeClient d = EdgeClient.hello(fx.base, VIN, TOKEN_A);
            assertThat(d.next(10_000).getWelcome().getLastStoredSeq()).isEqualTo(499);
            d.sendBatch(in.subList(400, 700)); // 100 resent
            assertThat(d.awaitAck(699, 10_000)).isEqualTo(699);
            d.close();
            EdgeClient e = EdgeClient.hello(fx.base, VIN, TOKEN_A);
            e.next(10_000);
            e.sendBatch(in.subList(800, 1000)); // 700..799 dropped by the edge
            assertThat(e.awaitAck(999, 10_000)).isEqualTo(999);
            e.close();
            assertThat(fx.server.store().count(VIN)).isEqualTo(900);
            assertThat(fx.server.fleet().status(VIN).gapSamples()).isEqualTo(100);
            assertThat(fx.get("/status").body()).contains("\"kind\":\"postgresql\"");
        } finally {
            schema.drop();
        }
    }
}
