package io.fleetlog.server.ingest;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.catalog.Catalogues;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.FailingStore;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.RejectCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: ingest over signal catalogues. The real server on port 0 with user catalogue files, real
 * WebSocket clients speaking v2, the real SQLite store: an unknown catalogue is refused with its
 * reason, frames of user signals are stored exactly, and a vehicle's catalogue may only grow.
 */
class CatalogueIngestTest {
    static final String VIN = Samples.VIN_A;
    static final long WAIT = 10_000;
    static final String EXTRA = "Occupants integer range=0..9\nFirmware string maxlength=16\n"
            + "DriveMode enum values=Chill:0,Standard:1,Sport:2\n";
    static final String MORE = EXTRA + "CoolantTemp float unit=degC resolution=0.1 range=-40..150 bound=0.5\n";

    @TempDir
    Path dir;

    ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private void start(Path... catalogueFiles) {
        var cfg = ServerFixture.config(dir).withCatalogues(Catalogues.load(List.of(catalogueFiles)));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));
    }

    private static Catalogue over(String text) throws Exception {
        return CatalogueFormat.parseOver(Catalogue.builtin(), text, "test");
    }

    /** Frames of the legacy drive plus the user signals, sparse: Firmware once a second, DriveMode on change. */
    private static List<Sample> drive(Catalogue c, long firstSeq, int n) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : Samples.drive(firstSeq, n, Samples.T0 + firstSeq * Samples.PERIOD_MS)) {
            Frame legacy = s.frame();
            Frame.Builder b = Frame.builder(legacy.timeMs());
            for (int i = 0; i < legacy.size(); i++) {
                switch (legacy.kind(i)) {
                    case NUMBER -> b.number(legacy.id(i), legacy.number(i));
                    case POSITION -> b.position(legacy.id(i), legacy.latitude(i), legacy.longitude(i));
                    default -> b.unavailable(legacy.id(i));
                }
            }
            long seq = s.seq();
            b.integer(c.id("Occupants"), seq % 5 == 0 ? 2 : 1);
            if (seq % 50 == 0) {
                b.string(c.id("Firmware"), "2026.44." + seq / 50);
            }
            if (seq % 97 == 0) {
                b.integer(c.id("DriveMode"), (seq / 97) % 3);
            }
            out.add(new Sample(seq, b.build()));
        }
        return out;
    }

    private EdgeClient hello(FrameLayout layout) throws Exception {
        return EdgeClient.hello(fx.base, VIN, TOKEN_A, layout);
    }

    @Test
    void anUnknownCatalogueIsRefusedNamingItAndTheCataloguesTheServerHolds() throws Exception {
        start(file("extra.catalog", EXTRA));
        Catalogue unknown = over(MORE);
        EdgeClient c = hello(FrameLayout.all(unknown));
        Envelope r = c.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r).as("a Reject, not a Welcome").isNotNull();
        assertThat(r.getReject().getFatal()).isTrue();
        assertThat(r.getReject().getCode()).isEqualTo(RejectCode.UNKNOWN_CATALOGUE);
        assertThat(r.getReject().getReason())
                .contains("unknown catalogue " + unknown.shortId())
                .contains(Catalogue.builtin().shortId())
                .contains(over(EXTRA).shortId());
        assertThat(c.closeCode(WAIT)).isEqualTo(1008);
        assertThat(fx.server.ingestMetrics().rejects("UNKNOWN_CATALOGUE")).isEqualTo(1);
        assertThat(fx.server.store().vehicle(VIN)).as("nothing stored").isEmpty();
    }

    @Test
    void framesOfUserSignalsAreStoredExactlyAndTheCatalogueIsRecorded() throws Exception {
        start(file("extra.catalog", EXTRA));
        Catalogue cat = over(EXTRA);
        EdgeClient c = hello(FrameLayout.all(cat));
        Envelope w = c.next(Envelope.MsgCase.WELCOME, WAIT);
        assertThat(w.getWelcome().getCatalogueHash()).isEqualTo(cat.hash());
        assertThat(w.getWelcome().getMaxBatchFrames()).isPositive();
        List<Sample> in = drive(cat, 0, 400);
        c.sendBatch(in.subList(0, 200));
        c.sendBatch(in.subList(200, 400));
        assertThat(c.awaitAck(399, WAIT)).isEqualTo(399);
        List<Sample> out = new ArrayList<>();
        fx.server.store().scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).hasSize(400);
        for (int i = 0; i < 400; i++) {
            assertThat(Samples.differs(cat, in.get(i).frame(), out.get(i).frame()))
                    .as("seq %d", i)
                    .isNull();
        }
        assertThat(out.get(50).frame().string(out.get(50).frame().indexOf(cat.id("Firmware"))))
                .isEqualTo("2026.44.1");
        assertThat(out.get(51).frame().indexOf(cat.id("Firmware")))
                .as("not captured: absent")
                .isEqualTo(-1);
        assertThat(fx.server.store().catalogue(VIN)).isEqualTo(cat);
        c.close();
        // after a restart, without the user's file, the store still knows the vehicle's catalogue
        fx.close();
        fx = null;
        try (SampleStore s = Stores.open(ServerFixture.config(dir).dbUrl())) {
            assertThat(s.catalogue(VIN)).isEqualTo(cat);
            assertThat(s.catalogue(Samples.VIN_B)).isEqualTo(Catalogue.builtin());
        }
    }

    @Test
    void aVehiclesCatalogueMayOnlyGrow() throws Exception {
        Path extra = file("extra.catalog", EXTRA);
        Path more = file("more.catalog", MORE);
        Path other = file("other.catalog", "Passengers integer range=0..9\n");
        start(extra, more, other);
        Catalogue cat = over(EXTRA);
        EdgeClient c = hello(FrameLayout.all(cat));
        assertThat(c.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        c.sendBatch(drive(cat, 0, 100));
        assertThat(c.awaitAck(99, WAIT)).isEqualTo(99);
        c.close();

        // the built-in catalogue lacks the user signals the stored frames use
        EdgeClient shrunk = hello(EdgeClient.LAYOUT);
        Envelope r = shrunk.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r.getReject().getFatal()).isTrue();
        assertThat(r.getReject().getCode()).isEqualTo(RejectCode.INVALID);
        int first = Catalogue.builtin().size();
        assertThat(r.getReject().getReason()).contains("may only grow").contains("signal id " + first + " (Occupants)");
        assertThat(shrunk.closeCode(WAIT)).isEqualTo(1008);
        // another signal at the same id
        Catalogue renamed = over("Passengers integer range=0..9\n");
        EdgeClient clash = hello(FrameLayout.all(renamed));
        assertThat(clash.next(Envelope.MsgCase.REJECT, WAIT).getReject().getReason())
                .contains("signal id " + first + " is Occupants")
                .contains("but Passengers");
        assertThat(fx.server.store().catalogue(VIN)).isEqualTo(cat);

        // a catalogue that extends it is accepted, and the vehicle goes on where it was
        Catalogue grown = over(MORE);
        EdgeClient g = hello(FrameLayout.all(grown));
        assertThat(g.next(Envelope.MsgCase.WELCOME, WAIT).getWelcome().getLastStoredSeq())
                .isEqualTo(99);
        g.sendBatch(drive(grown, 100, 50));
        assertThat(g.awaitAck(149, WAIT)).isEqualTo(149);
        assertThat(fx.server.store().catalogue(VIN)).isEqualTo(grown);
        assertThat(fx.server.store().count(VIN)).isEqualTo(150);
    }

    /** Rebuilds a frame, replacing the Firmware string or dropping Occupants. */
    private static Frame altered(Catalogue c, Frame f, String firmware, boolean dropOccupants) {
        Frame.Builder b = Frame.builder(f.timeMs());
        for (int i = 0; i < f.size(); i++) {
            int id = f.id(i);
            if (dropOccupants && id == c.id("Occupants")) {
                continue;
            }
            switch (f.kind(i)) {
                case NUMBER -> b.number(id, f.number(i));
                case INTEGER -> b.integer(id, f.integer(i));
                case POSITION -> b.position(id, f.latitude(i), f.longitude(i));
                case STRING -> b.string(id, firmware != null && id == c.id("Firmware") ? firmware : f.string(i));
                case UNAVAILABLE -> b.unavailable(id);
            }
        }
        return b.build();
    }

    @Test
    void aResendWithAnotherExactValueOrOtherSignalsIsAConflict() throws Exception {
        start(file("extra.catalog", EXTRA));
        Catalogue cat = over(EXTRA);
        List<Sample> in = drive(cat, 0, 120);
        EdgeClient c = hello(FrameLayout.all(cat));
        assertThat(c.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        c.sendBatch(in);
        assertThat(c.awaitAck(119, WAIT)).isEqualTo(119);
        c.close();

        // the same frames resent by a fresh connection agree
        EdgeClient same = hello(FrameLayout.all(cat));
        assertThat(same.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        same.sendBatch(in.subList(90, 120));
        assertThat(same.awaitAck(119, WAIT)).isEqualTo(119);
        same.close();

        // a string differs: exact types are compared exactly
        List<Sample> otherString = new ArrayList<>(in.subList(90, 120));
        otherString.set(10, new Sample(100, altered(cat, in.get(100).frame(), "2026.44.9", false)));
        EdgeClient d = hello(FrameLayout.all(cat));
        assertThat(d.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        d.sendBatch(otherString);
        Envelope r = d.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r.getReject().getCode()).isEqualTo(RejectCode.CONFLICT);
        assertThat(r.getReject().getReason())
                .contains("seq 100: Firmware '2026.44.9' differs from the stored '2026.44.2'");

        // a signal the stored frame captured is missing from the resend
        List<Sample> fewer = new ArrayList<>(in.subList(90, 120));
        fewer.set(5, new Sample(95, altered(cat, in.get(95).frame(), null, true)));
        EdgeClient e = hello(FrameLayout.all(cat));
        assertThat(e.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        e.sendBatch(fewer);
        assertThat(e.next(Envelope.MsgCase.REJECT, WAIT).getReject().getReason())
                .contains("seq 95: Occupants is captured in the stored frame but not in the resend");
        assertThat(fx.server.ingestMetrics().count("conflicts")).isEqualTo(2);
        List<Sample> out = new ArrayList<>();
        fx.server.store().scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).hasSize(120);
        assertThat(Samples.differs(cat, in.get(100).frame(), out.get(100).frame()))
                .isNull();
    }

    /**
     * Two edges of one VIN with clashing catalogue files: the second Hello passes the first check (no
     * frames stored yet) while the first edge's batch is in flight, and is refused once it is the VIN's
     * only writer and the first edge's frames are committed — never two meanings of one signal id.
     */
    @Test
    void aClashingCatalogueIsCheckedAgainAfterTheOlderWriterFinished() throws Exception {
        Path extra = file("extra.catalog", EXTRA);
        Path other = file("other.catalog", "Passengers integer range=0..9\n");
        ServerConfig cfg = ServerFixture.config(dir).withCatalogues(Catalogues.load(List.of(extra, other)));
        FailingStore store = new FailingStore(Stores.open(cfg.dbUrl()));
        fx = ServerFixture.start(cfg, store);
        Catalogue cat = over(EXTRA);
        EdgeClient first = hello(FrameLayout.all(cat));
        assertThat(first.next(Envelope.MsgCase.WELCOME, WAIT)).isNotNull();
        CountDownLatch hold = new CountDownLatch(1);
        store.holdAppendStartingAt(0, hold);
        first.sendBatch(drive(cat, 0, 50));
        assertThat(ServerFixture.await(() -> store.held.get() == 1, WAIT)).isTrue();

        EdgeClient second = hello(FrameLayout.all(over("Passengers integer range=0..9\n")));
        Thread.sleep(200); // the second Hello is waiting for the first writer's batch
        hold.countDown();
        assertThat(first.awaitAck(49, WAIT))
                .as("the first edge's batch is acked")
                .isEqualTo(49);
        Envelope r = second.next(Envelope.MsgCase.REJECT, WAIT);
        assertThat(r).as("refused, not welcomed").isNotNull();
        assertThat(r.getReject().getReason())
                .contains("signal id " + Catalogue.builtin().size() + " is Occupants");
        assertThat(fx.server.store().catalogue(VIN)).isEqualTo(cat);
        assertThat(fx.server.store().count(VIN)).isEqualTo(50);
    }
}
