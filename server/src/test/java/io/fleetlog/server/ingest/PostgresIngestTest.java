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

    /**
     * Issue 12 item 3 on PostgreSQL, whose key includes the capture time: a resend of stored seqs with
     * another capture time used to become a second row of the same seq; now it is a conflict, refused.
     */
    @Test
    void aResendWithAnotherCaptureTimeIsAConflictNotASecondRow() throws Exception {
        Postgres.Schema schema = Postgres.newSchema();
        ServerConfig cfg = ServerConfig.defaults(ServerFixture.tokens()).withDb(schema.url());
        try (ServerFixture fx = ServerFixture.start(cfg)) {
            EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A);
            c.next(10_000);
            c.sendBatch(Samples.drive(0, 100, Samples.T0));
            assertThat(c.awaitAck(99, 10_000)).isEqualTo(99);
            c.close();
            EdgeClient d = EdgeClient.hello(fx.base, VIN, TOKEN_A);
            assertThat(d.next(io.fleetlog.wire.v2.Envelope.MsgCase.WELCOME, 10_000))
                    .isNotNull();
            d.sendBatch(Samples.drive(50, 100, Samples.T0 + 1)); // same seqs, 1 ms later
            var r = d.next(io.fleetlog.wire.v2.Envelope.MsgCase.REJECT, 10_000);
            assertThat(r.getReject().getReason()).startsWith("CONFLICT").contains("seq 50 captured at");
            assertThat(fx.server.store().count(VIN)).isEqualTo(100);
            List<Sample> all = new java.util.ArrayList<>();
            fx.server.store().scan(VIN, 0, Long.MAX_VALUE, all::add);
            assertThat(all).extracting(Sample::seq).doesNotHaveDuplicates().hasSize(100);
            assertThat(fx.server.store().events(VIN, 0, Long.MAX_VALUE))
                    .anyMatch(e -> e.kind() == io.fleetlog.server.store.VehicleEvent.Kind.CONFLICT);
        } finally {
            schema.drop();
        }
    }
}
