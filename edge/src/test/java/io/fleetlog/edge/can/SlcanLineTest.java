package io.fleetlog.edge.can;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.logs.candump.CanFrame;
import org.junit.jupiter.api.Test;

class SlcanLineTest {
    @Test
    void decodesTheFourFrameKindsWithAndWithoutTimestamps() {
        CanFrame t = SlcanLine.parse("t12340011223F", 7, "s");
        assertThat(t.id()).isEqualTo(0x123);
        assertThat(t.extended()).isFalse();
        assertThat(t.hex()).isEqualTo("0011223F");
        assertThat(t.timeMicros()).isEqualTo(7);
        assertThat(SlcanLine.parse("t1230EA5F", 0, "s").data())
                .as("timestamp after 0 bytes")
                .isEmpty();
        CanFrame ext = SlcanLine.parse("T1fffffff8aabbccddeeff0011", 0, "s");
        assertThat(ext.id()).isEqualTo(0x1FFF_FFFFL);
        assertThat(ext.extended()).isTrue();
        assertThat(ext.hex()).isEqualTo("AABBCCDDEEFF0011");
        CanFrame r = SlcanLine.parse("r7FF5", 0, "s");
        assertThat(r.kind()).isEqualTo(CanFrame.Kind.REMOTE);
        assertThat(r.dlc()).isEqualTo(5);
        CanFrame rx = SlcanLine.parse("R0000000131234", 0, "s");
        assertThat(rx.kind()).isEqualTo(CanFrame.Kind.REMOTE);
        assertThat(rx.extended()).isTrue();
        assertThat(rx.dlc()).isEqualTo(3);
    }

    @Test
    void refusesWhatIsNotAFrameNamingIt() {
        assertThatThrownBy(() -> SlcanLine.parse("t12", 0, "s")).hasMessageContaining("too short");
        assertThatThrownBy(() -> SlcanLine.parse("t1239", 0, "s")).hasMessageContaining("length '9'");
        assertThatThrownBy(() -> SlcanLine.parse("t8001AA", 0, "s")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> SlcanLine.parse("T200000001AA", 0, "s")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> SlcanLine.parse("t1232AA", 0, "s")).hasMessageContaining("expected 4");
        assertThatThrownBy(() -> SlcanLine.parse("t1231GG", 0, "s")).hasMessageContaining("not hex");
        assertThatThrownBy(() -> SlcanLine.parse("t1231AAFFFF", 0, "s")).hasMessageContaining("59999");
        assertThatThrownBy(() -> SlcanLine.parse("tXYZ8", 0, "s")).hasMessageContaining("CAN ID 'XYZ'");
    }
}
