package io.fleetlog.codec.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.frame.Frame;
import io.fleetlog.wire.v2.Envelope;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the packed frame format with the golden batch of docs/codec.md: three frames of the demo
 * layout (the built-in catalogue's seven signals of today's eight fields), 54 bytes.
 */
class FrameWireFormatTest {
    static final String GOLDEN = "1a 34 08 2a 10 80 d0 95 ff bc 31 30 03 3a 27"
            + " 08 3f 9e 66 c4 13 80 7d c7 01 9c 85 e3 0b de fc 9f e8 02 d5 e1 bd 8f 09"
            + " 09 28 0a ac 1b f8 0a"
            + " 12 43 92 07 92 13 9c 13";

    static final long T = 1_700_000_000_000L;

    static FrameLayout demo() {
        return FrameLayout.ofNames(
                Catalogue.builtin(),
                List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation"));
    }

    static List<Frame> goldenFrames() {
        return List.of(
                Frame.builder(T)
                        .number(0, 65.43)
                        .number(1, 12.5)
                        .number(2, 80)
                        .number(3, 359)
                        .number(4, 12345.678)
                        .position(5, 37.7749295, -122.4194155)
                        .unavailable(6)
                        .build(),
                Frame.builder(T + 20)
                        .number(0, 65.5)
                        .number(1, 30)
                        .number(2, 80)
                        .number(3, 6)
                        .number(4, 12345.678)
                        .position(5, 37.7749295, -122.4194155)
                        .unavailable(6)
                        .build(),
                Frame.builder(T + 40)
                        .number(0, 70)
                        .number(1, 30)
                        .number(6, 12.3)
                        .build());
    }

    @Test
    void theGoldenBatchIsTheseBytes() throws Exception {
        FrameLayout l = demo();
        assertThat(l.ids()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        byte[] b = new FrameEncoder(l).encode(42, goldenFrames()).bytes();
        assertThat(HexFormat.ofDelimiter(" ").formatHex(b)).isEqualTo(GOLDEN);
        assertThat(Envelope.parseFrom(b).toByteArray()).as("canonical").isEqualTo(b);
    }

    @Test
    void theGoldenBatchDecodesValueByValue() throws WireException {
        DecodedFrames d =
                new FrameDecoder(demo()).decode(HexFormat.ofDelimiter(" ").parseHex(GOLDEN));
        assertThat(d.firstSeq()).isEqualTo(42);
        assertThat(d.lastSeq()).isEqualTo(44);
        Frame a = d.frames().get(0);
        assertThat(a.timeMs()).isEqualTo(T);
        assertThat(a.number(0)).isEqualTo(65.43);
        assertThat(a.number(3)).isEqualTo(359);
        assertThat(a.latitude(5)).isEqualTo(37.7749295);
        assertThat(a.longitude(5)).isEqualTo(-122.4194155);
        assertThat(a.unavailable(6)).as("not sent, no prediction: unavailable").isTrue();
        Frame b = d.frames().get(1);
        assertThat(b.timeMs()).isEqualTo(T + 20);
        assertThat(b.omitted(0)).isTrue();
        assertThat(b.number(0)).isEqualTo(65.43);
        assertThat(b.number(1)).isEqualTo(30);
        assertThat(b.number(3)).isEqualTo(6);
        assertThat(b.omitted(4)).isTrue();
        assertThat(b.omitted(5)).isTrue();
        assertThat(b.unavailable(6)).isTrue();
        Frame c = d.frames().get(2);
        assertThat(c.timeMs()).isEqualTo(T + 40);
        assertThat(c.size())
                .as("Soc, GpsHeading, Odometer, Location not captured: absent")
                .isEqualTo(3);
        assertThat(c.indexOf(2)).isEqualTo(-1);
        assertThat(c.number(c.indexOf(0))).isEqualTo(70);
        assertThat(c.number(c.indexOf(6))).isEqualTo(12.3);
    }
}
