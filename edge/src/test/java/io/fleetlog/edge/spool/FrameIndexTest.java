package io.fleetlog.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.RandomFrames;
import io.fleetlog.frame.Frame;
import io.fleetlog.frame.FrameRecords;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class FrameIndexTest {
    @Property(tries = 200)
    void everySliceDecodesToThoseFramesAndTheTimesAreTheFrames(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(512);
        List<Frame> frames = RandomFrames.frames(Catalogue.builtin(), r, 1_764_180_000_000L, n);
        byte[] data = FrameRecords.encodeAll(frames);
        FrameIndex ix = FrameIndex.of(data, 512);
        assertThat(ix.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(ix.time(i)).isEqualTo(frames.get(i).timeMs());
        }
        int from = r.nextInt(n);
        int to = from + 1 + r.nextInt(n - from);
        assertThat(FrameRecords.decodeAll(ix.slice(from, to))).isEqualTo(frames.subList(from, to));
        assertThat(FrameRecords.decodeAll(ix.slice(0, n))).isEqualTo(frames);
    }

    @Property(tries = 200)
    void truncatedOrExtendedDataIsRefused(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] data = FrameRecords.encodeAll(RandomFrames.frames(Catalogue.builtin(), r, 1_764_180_000_000L, 20));
        byte[] bad = r.nextBoolean()
                ? Arrays.copyOf(data, r.nextInt(data.length))
                : Arrays.copyOf(data, data.length + 1 + r.nextInt(3));
        assertThatThrownBy(() -> FrameIndex.of(bad, 512))
                .isInstanceOf(FrameRecords.FrameFormatException.class)
                .hasMessageStartingWith("frame record, byte ");
    }
}
