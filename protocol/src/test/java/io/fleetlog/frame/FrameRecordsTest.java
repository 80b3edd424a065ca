package io.fleetlog.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.frame.FrameRecords.FrameFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FrameRecordsTest {

    /** A random frame of every kind, omitted marks included, ids up to {@code maxId}. */
    static Frame randomFrame(Random r, long t, int maxId) {
        Frame.Builder b = Frame.builder(t);
        int id = r.nextInt(4) - 1;
        int n = r.nextInt(12);
        for (int i = 0; i < n && id < maxId; i++) {
            id += 1 + r.nextInt(r.nextInt(10) == 0 ? 5000 : 3);
            if (id > maxId) {
                break;
            }
            switch (r.nextInt(5)) {
                case 0 ->
                    b.number(id, r.nextBoolean() ? r.nextGaussian() * 1e6 : -0.0 + r.nextInt(3) * Double.MIN_VALUE);
                case 1 -> b.integer(id, r.nextBoolean() ? r.nextLong() : r.nextInt(7) - 3);
                case 2 -> b.position(id, r.nextDouble() * 180 - 90, r.nextDouble() * 360 - 180);
                case 3 -> b.string(id, r.nextBoolean() ? "" : "Gear \u00e9\u20ac\ud83d\ude97 " + r.nextInt());
                default -> b.unavailable(id);
            }
            if (r.nextInt(4) == 0) {
                b.omitted();
            }
        }
        return b.build();
    }

    @Property(tries = 300)
    void everyFrameAndSequenceReadsBackExactly(@ForAll long seed, @ForAll @IntRange(max = 40) int count)
            throws Exception {
        Random r = new Random(seed);
        List<Frame> frames = new ArrayList<>();
        long t = r.nextLong() >> 20;
        for (int i = 0; i < count; i++) {
            t += r.nextInt(3) == 0 ? -r.nextInt(1000) : r.nextInt(100_000); // time may go back
            frames.add(randomFrame(r, t, FrameRecords.MAX_ID));
        }
        assertThat(FrameRecords.decodeAll(FrameRecords.encodeAll(frames))).isEqualTo(frames);
        for (Frame f : frames) {
            Frame back = FrameRecords.decode(FrameRecords.encode(f));
            assertThat(back).isEqualTo(f);
            for (int i = 0; i < f.size(); i++) { // equals compares the kinds, the omitted bit and values
                assertThat(back.omitted(i)).isEqualTo(f.omitted(i));
            }
        }
    }

    @Property(tries = 300)
    void damagedBytesAreRefusedWithTheOffsetOrReadAsSomeValidFrame(@ForAll long seed) {
        Random r = new Random(seed);
        List<Frame> frames = List.of(randomFrame(r, 1_700_000_000_000L, 300), randomFrame(r, 1_700_000_000_100L, 300));
        byte[] good = FrameRecords.encodeAll(frames);
        byte[] bad = good.clone();
        switch (r.nextInt(3)) {
            case 0 -> bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> bad = Arrays.copyOf(bad, r.nextInt(bad.length)); // truncated
            default -> bad = Arrays.copyOf(bad, bad.length + 1 + r.nextInt(4)); // trailing bytes
        }
        try {
            List<Frame> read = FrameRecords.decodeAll(bad);
            assertThat(bad.length).isEqualTo(good.length); // only a flipped bit can still parse
            assertThat(read).hasSize(2);
        } catch (FrameFormatException e) {
            assertThat(e.getMessage()).startsWith("frame record, byte ");
        }
    }

    @Test
    void hostileCountsAndLengthsAreRefusedBeforeAnyAllocation() {
        byte[] hugeCount = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
        assertThatThrownBy(() -> FrameRecords.decodeAll(hugeCount))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("frame count");
        // one frame, time 0, 1 entry, id 0, STRING with a claimed length of 2^31
        byte[] hugeString = {0, 1, 0, 3, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertThatThrownBy(() -> FrameRecords.decode(hugeString))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("string of");
        byte[] nan = FrameRecords.encode(Frame.builder(0).number(0, 1).build());
        nan[4] = 0x7f; // 1.0 = 3f f0 00 …; 7f f0 00 … is +Infinity
        assertThatThrownBy(() -> FrameRecords.decode(nan)).hasMessageContaining("is not a value");
        byte[] badKind = FrameRecords.encode(Frame.builder(0).unavailable(3).build());
        badKind[3] = 9;
        assertThatThrownBy(() -> FrameRecords.decode(badKind)).hasMessageContaining("unknown entry kind 9");
        byte[] idPastMax = {0, 2, 0, 4, (byte) 0xff, (byte) 0xff, 0x03, 4};
        assertThatThrownBy(() -> FrameRecords.decode(idPastMax)).hasMessageContaining("signal id past");
    }

    @Test
    void aLegacySizedFrameTakesAboutWhatItsDoublesTake() {
        Frame f = Frame.builder(1_700_000_000_000L)
                .number(0, 65.4)
                .number(1, 12.5)
                .number(2, 80)
                .number(3, 270)
                .number(4, 12_345.678)
                .position(5, 37.39, -122.08)
                .number(6, 12)
                .build();
        // 6 × (1 id + 1 kind + 8) + (1 + 1 + 16) + time 6 + count 1
        assertThat(FrameRecords.encode(f)).hasSize(6 * 10 + 18 + 6 + 1);
    }
}
