package io.fleetlog.server.ft;

import static io.fleetlog.server.testing.ServerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.ft.FtEnvelope;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.TestPki;
import io.fleetlog.tls.ClientTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed with SIGKILL while a car streams records without waiting for acks; restarted
 * on the same database, the car resends every record it has no ack for (as a car does); the store
 * ends with every record exactly once, in capture-time order.
 */
class FtCrashTest {
    static final String VIN = Samples.VIN_A;
    static final int N = 400;
    static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void killedMidStreamLosesNothingAckedAndResendsAreStoredOnce() throws Exception {
        TestPki pki = TestPki.create(dir, "ft");
        TestPki.Issued server = pki.server("server");
        TestPki.Issued car = pki.client("car", VIN);
        ClientTls tls = new ClientTls(pki.ca(), car.cert(), car.key());
        String db = "jdbc:sqlite:" + dir.resolve("crash.db");
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            records.add(FtListenerTest.vRecord("tx" + i, T0 + i * 1000L, i + 0.5));
        }
        Set<String> acked = ConcurrentHashMap.newKeySet();

        Process first = spawn(db, dir.resolve("port1"), server, pki);
        try {
            FtListenerTest.Car c = connect(dir.resolve("port1"), tls);
            Thread reader = Thread.ofVirtual().start(() -> readAcks(c, acked));
            int sent = 0;
            while (sent < N && acked.size() < N / 4) {
                while (sent - acked.size() > 50) {
                    Thread.sleep(1); // a bounded window of unacked records in flight
                }
                c.ws.sendBinary(ByteBuffer.wrap(records.get(sent)), true).get(20, TimeUnit.SECONDS);
                sent++;
            }
            assertThat(sent).as("the kill happens mid-stream").isLessThan(N);
            first.destroyForcibly(); // SIGKILL
            first.waitFor();
            reader.interrupt();
            c.close();
        } finally {
            first.destroyForcibly();
        }
        int ackedBefore = acked.size();
        assertThat(ackedBefore).isGreaterThanOrEqualTo(N / 4);

        Process second = spawn(db, dir.resolve("port2"), server, pki);
        try {
            FtListenerTest.Car c = connect(dir.resolve("port2"), tls);
            for (int i = 0; i < N; i++) {
                if (acked.contains("tx" + i)) {
                    continue; // the car deleted what was acked
                }
                FtEnvelope reply = c.send(records.get(i));
                assertThat(reply.messageType()).as("ack of tx%d", i).isEqualTo(FtEnvelope.TYPE_ACK);
                assertThat(reply.txidText()).isEqualTo("tx" + i);
                acked.add(reply.txidText());
            }
            c.close();
        } finally {
            second.destroyForcibly();
            second.waitFor();
        }
        assertThat(acked).hasSize(N);

        int speed = Catalogue.builtin().id("VehicleSpeed");
        try (SampleStore store = Stores.open(db)) {
            List<Sample> out = new ArrayList<>();
            store.scan(VIN, Long.MIN_VALUE, Long.MAX_VALUE, out::add);
            assertThat(out).hasSize(N);
            for (int i = 0; i < N; i++) {
                assertThat(out.get(i).seq()).isEqualTo(i);
                assertThat(out.get(i).frame().timeMs()).as("record %d", i).isEqualTo(T0 + i * 1000L);
                assertThat(out.get(i).frame().number(out.get(i).frame().indexOf(speed)))
                        .isEqualTo(i + 0.5);
            }
        }
    }

    private static void readAcks(FtListenerTest.Car c, Set<String> acked) {
        try {
            while (true) {
                byte[] r = c.replies.poll(30, TimeUnit.SECONDS);
                if (r == null) {
                    return;
                }
                FtEnvelope e = FtEnvelope.parse(r);
                if (e.messageType() == FtEnvelope.TYPE_ACK) {
                    acked.add(e.txidText());
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static FtListenerTest.Car connect(Path portFile, ClientTls tls) throws Exception {
        FtListenerTest.Car c = new FtListenerTest.Car();
        HttpClient http = HttpClient.newBuilder().sslContext(tls.sslContext()).build();
        c.ws = http.newWebSocketBuilder()
                .buildAsync(
                        URI.create(
                                "wss://127.0.0.1:" + Files.readString(portFile).strip() + "/"),
                        c)
                .get(20, TimeUnit.SECONDS);
        return c;
    }

    private static Process spawn(String db, Path portFile, TestPki.Issued server, TestPki pki) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                FtCrashServerMain.class.getName(),
                db,
                portFile.toString(),
                server.cert().toString(),
                server.key().toString(),
                pki.ca().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(
                portFile.resolveSibling(portFile.getFileName() + ".log").toFile());
        Process p = pb.start();
        assertThat(await(() -> Files.exists(portFile) || !p.isAlive(), 30_000)).isTrue();
        assertThat(p.isAlive()).as("child server started").isTrue();
        return p;
    }
}
