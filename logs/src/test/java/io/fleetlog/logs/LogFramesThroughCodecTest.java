package io.fleetlog.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.Signal;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.codec.v2.EncodedFrames;
import io.fleetlog.codec.v2.FrameDecoder;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.export.TessieCsvSource;
import io.fleetlog.logs.mapping.BoundMapping;
import io.fleetlog.logs.mapping.CanSource;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.logs.mapping.Model3RoundTripTest;
import io.fleetlog.logs.mapping.SignalMapping;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the readers produce is what the v2 codec carries: the frames of a Model 3 candump (through the
 * real DBC) and of the real Tessie export encode over the built-in catalogue and decode with every
 * captured value within its signal's bound (exact types exact), nothing added, nothing lost.
 */
class LogFramesThroughCodecTest {
    static final Catalogue CAT = Catalogue.builtin();

    static List<Frame> frames(Source s) throws Exception {
        List<Frame> out = new ArrayList<>();
        for (Sample x; (x = s.next()) != null; ) {
            out.add(x.frame());
        }
        return out;
    }

    static void codecKeepsEveryValue(List<Frame> captured) throws Exception {
        FrameLayout layout = FrameLayout.all(CAT);
        FrameEncoder enc = new FrameEncoder(layout);
        FrameDecoder dec = new FrameDecoder(layout);
        List<Frame> decoded = new ArrayList<>();
        for (int from = 0; from < captured.size(); from += 500) {
            List<Frame> batch = captured.subList(from, Math.min(captured.size(), from + 500));
            EncodedFrames e = enc.encode(from, batch);
            DecodedFrames d = dec.decode(e.bytes());
            decoded.addAll(d.frames());
        }
        assertThat(decoded).hasSameSizeAs(captured);
        for (int k = 0; k < captured.size(); k++) {
            Frame c = captured.get(k);
            Frame d = decoded.get(k);
            assertThat(d.timeMs()).isEqualTo(c.timeMs());
            assertThat(d.size()).as("frame %d", k).isEqualTo(c.size());
            for (int i = 0; i < c.size(); i++) {
                Signal s = CAT.signal(c.id(i));
                assertThat(d.id(i)).isEqualTo(c.id(i));
                assertThat(d.kind(i)).as(s.name()).isEqualTo(c.kind(i));
                switch (c.kind(i)) {
                    case NUMBER ->
                        assertThat(s.withinBound(c.number(i), d.number(i)))
                                .as("%s %s vs %s", s.name(), c.number(i), d.number(i))
                                .isTrue();
                    case INTEGER -> assertThat(d.integer(i)).as(s.name()).isEqualTo(c.integer(i));
                    case POSITION ->
                        assertThat(s.withinBound(c.position(i), d.position(i))).isTrue();
                    case STRING -> assertThat(d.string(i)).isEqualTo(c.string(i));
                    case UNAVAILABLE -> {}
                }
            }
        }
    }

    @Test
    void aSimulatedModel3CandumpThroughTheRealDbcCrossesTheCodecWithinBounds() throws Exception {
        Dbc dbc = Dbc.parse(RealData.file(RealData.MODEL3_DBC));
        BoundMapping mapping = SignalMapping.model3().bind(dbc);
        StringWriter log = new StringWriter();
        try (CandumpWriter w = new CandumpWriter(log)) {
            new Model3CanEncoder(mapping, "can0").writeLog(Model3RoundTripTest.of(Model3RoundTripTest.fullDrive(3)), w);
        }
        List<Frame> frames;
        try (CanSource src = new CanSource(
                new CandumpReader(new StringReader(log.toString()), "sim.log", null),
                mapping,
                CanSource.Options.DEFAULT,
                "sim")) {
            frames = frames(src);
        }
        assertThat(frames.stream().mapToInt(Frame::size).max().orElseThrow()).isGreaterThanOrEqualTo(29);
        codecKeepsEveryValue(frames);
    }

    @Test
    void theRealTessieDriveCrossesTheCodecWithinBounds() throws Exception {
        try (Source src = TessieCsvSource.open(RealData.file(RealData.TESSIE_CSV), null)) {
            codecKeepsEveryValue(frames(src));
        }
    }
}
