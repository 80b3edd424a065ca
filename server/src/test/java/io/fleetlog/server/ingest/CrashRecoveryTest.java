package io.fleetlog.server.ingest;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static io.fleetlog.server.testing.ServerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.CrashServerMain;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.wire.v2.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server in a child JVM is killed with SIGKILL in the middle of a stream and restarted on the
 * same SQLite file: nothing it acked is lost, and the edge's resend of everything not acked produces
 * no duplicate rows.
 */
class CrashRecoveryTest {
    static final String VIN = Samples.VIN_A;
    static final int N = 40_000;
    static final int BATCH = 200;

    @TempDir
    Path dir;

    @Test
    void killedServerLosesNothingAckedAndResendsAreNotDuplicated() throws Exception {
        String db = "jdbc:sqlite:" + dir.resolve("crash.db");
        List<Sample> in = Samples.drive(0, N, Samples.T0);

        Process first = spawn(db, dir.resolve("port1"));
        long acked;
        try {
            EdgeClient c = EdgeClient.hello(base(dir.resolve("port1")), VIN, TOKEN_A);
            assertThat(c.next(Envelope.MsgCase.WELCOME, 20_000)).isNotNull();
            AtomicLong maxAck = new AtomicLong(-1);
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    Envelope e;
                    while ((e = c.next(30_000)) != null) {
                        if (e.hasAck()) {
                            maxAck.accumulateAndGet(e.getAck().getSeq(), Math::max);
                        }
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            int sent = 0;
            // stream without waiting for acks; kill once a good part is acked but not all of it is sent
            while (sent < N && maxAck.get() < N / 4) {
                while (sent - maxAck.get() > 10 * BATCH) {
                    Thread.sleep(1); // an edge keeps a bounded window of unacked batches in flight
                }
                c.sendBatch(in.subList(sent, sent + BATCH));
                sent += BATCH;
            }
            assertThat(sent).as("the kill happens mid-stream").isLessThan(N);
            first.destroyForcibly(); // SIGKILL
            first.waitFor();
            acked = maxAck.get();
            reader.interrupt();
            c.abort();
        } finally {
            first.destroyForcibly();
        }
        assertThat(acked).isGreaterThanOrEqualTo(N / 4);

        Process second = spawn(db, dir.resolve("port2"));
        try {
            EdgeClient c = EdgeClient.hello(base(dir.resolve("port2")), VIN, TOKEN_A);
            long stored = c.next(Envelope.MsgCase.WELCOME, 20_000).getWelcome().getLastStoredSeq();
            assertThat(stored).as("everything acked survived the kill").isGreaterThanOrEqualTo(acked);
            // the edge resends from just after its last ack (it deleted only what was acked)
            int from = (int) (acked + 1);
            int batchEnd = 0;
            for (int s = from; s < N; s = batchEnd) {
                batchEnd = Math.min(N, s + BATCH);
                c.sendBatch(in.subList(s, batchEnd));
            }
            assertThat(c.awaitAck(N - 1, 30_000)).isEqualTo(N - 1);
            c.close();
        } finally {
            second.destroyForcibly();
            second.waitFor();
        }

        try (SampleStore store = Stores.open(db)) {
            assertThat(store.count(VIN)).isEqualTo(N);
            assertThat(store.lastSeq(VIN)).isEqualTo(N - 1);
            List<Sample> out = new ArrayList<>(N);
            store.scan(VIN, 0, Long.MAX_VALUE, out::add);
            assertThat(out).hasSize(N);
            for (int i = 0; i < N; i++) {
                assertThat(out.get(i).seq()).isEqualTo(i);
                assertThat(Samples.differs(in.get(i), out.get(i)))
                        .as("seq %d", i)
                        .isNull();
            }
        }
    }

    private static Process spawn(String db, Path portFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                CrashServerMain.class.getName(),
                db,
                portFile.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(
                portFile.resolveSibling(portFile.getFileName() + ".log").toFile());
        Process p = pb.start();
        assertThat(await(() -> Files.exists(portFile) || !p.isAlive(), 30_000)).isTrue();
        assertThat(p.isAlive()).as("child server started").isTrue();
        return p;
    }

    private static String base(Path portFile) throws Exception {
        return "http://127.0.0.1:" + Files.readString(portFile).strip();
    }
}
