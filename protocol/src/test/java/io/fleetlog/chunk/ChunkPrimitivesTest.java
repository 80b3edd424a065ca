package io.fleetlog.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunkPrimitivesTest {

    @Property(tries = 500)
    void seriesPackedAndRunsReadBackExactly(@ForAll long seed, @ForAll @IntRange(max = 300) int n) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        long[] v = new long[n];
        int[] sym = new int[n];
        int shape = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            v[i] = switch (shape) {
                case 0 -> r.nextLong(); // wrapping deltas
                case 1 -> i == 0 ? Long.MAX_VALUE : v[i - 1] + 1; // overflows past MAX_VALUE
                case 2 -> 1_000_000 + 3L * i + r.nextInt(3); // a smooth ramp
                default -> r.nextBoolean() ? Long.MIN_VALUE : 0;
            };
            sym[i] = r.nextInt(10) == 0 ? r.nextInt(256) : i / 7 % 2;
        }
        ChunkOut out = new ChunkOut(8);
        out.series(v, n);
        out.packed(v, 0, n);
        out.runs(sym, n);
        byte[] b = out.toArray();
        ChunkIn in = new ChunkIn(b, 0, b.length);
        assertThat(in.series(n, "s")).containsExactly(v);
        assertThat(in.packed(n, "p")).containsExactly(v);
        assertThat(in.runs(n, 255, "r")).containsExactly(sym);
        assertThat(in.left()).isZero();
        assertThat(ChunkOut.packedSize(v, 0, n)).isLessThanOrEqualTo(b.length);
    }

    @Test
    void aBlockOfZerosCostsOneByte() {
        ChunkOut out = new ChunkOut(8);
        out.packed(new long[64], 0, 64);
        assertThat(out.size()).isEqualTo(1);
    }

    @Test
    void aSmoothRampIsStoredAsDeltasOfDeltas() throws Exception {
        long[] v = new long[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1_760_000_000_000L + 20L * i;
        }
        ChunkOut out = new ChunkOut(8);
        out.series(v, v.length);
        assertThat(out.size())
                .as("first value, mode, first delta, 16 zero blocks")
                .isEqualTo(6 + 1 + 1 + 16);
        byte[] b = out.toArray();
        assertThat(new ChunkIn(b, 0, b.length).series(v.length, "t")).containsExactly(v);
    }

    @Test
    void hostileCountsAndWidthsAreRefused() {
        byte[] wide = {65, 0, 0};
        assertThatThrownBy(() -> new ChunkIn(wide, 0, 3).packed(1, "x"))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessage("chunk, byte 1: x: bit width 65 is above 64");
        assertThatThrownBy(() -> new ChunkIn(new byte[2], 0, 2).packed(1_000, "x"))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessage("chunk, byte 0: x: 1000 values cannot fit in the 2 bytes left");
        byte[] runs = {2, 0, 0}; // two runs; symbols and lengths − 1 all zero (width 0): 2 values, not 5
        assertThatThrownBy(() -> new ChunkIn(runs, 0, 3).runs(5, 1, "r"))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessage("chunk, byte 3: r: runs add up to 2 values, not 5");
        byte[] padding = {3, (byte) 0xff}; // one value of 3 bits, padding bits set
        assertThatThrownBy(() -> new ChunkIn(padding, 0, 2).packed(1, "x"))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessageContaining("padding bits are not zero");
    }
}
