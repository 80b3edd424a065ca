package io.fleetlog.chunk;

import java.util.Arrays;

/**
 * A growing byte buffer with the chunk's primitives: varints, zigzag, fixed-width big-endian longs,
 * bit-packed blocks, series and runs (see docs/chunks.md for each). Not thread-safe.
 */
final class ChunkOut {
    /** Values per bit-packed block; each block starts with one width byte. */
    static final int BLOCK = 64;

    private byte[] buf;
    private int len;

    ChunkOut(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    int size() {
        return len;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    void byte1(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void int4(int v) {
        ensure(4);
        for (int s = 24; s >= 0; s -= 8) {
            buf[len++] = (byte) (v >>> s);
        }
    }

    void long8(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buf[len++] = (byte) (v >>> s);
        }
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void zigzag(long v) {
        varint(zig(v));
    }

    static long zig(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** Bits needed for unsigned {@code v} (0 for 0). */
    static int width(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /** {@code v[from..from+n)} as unsigned values in blocks of {@link #BLOCK}: a width byte, then LSB-first bits. */
    void packed(long[] v, int from, int n) {
        for (int b = 0; b < n; b += BLOCK) {
            int end = Math.min(n, b + BLOCK);
            long or = 0;
            for (int i = b; i < end; i++) {
                or |= v[from + i];
            }
            int w = width(or);
            byte1(w);
            ensure(((end - b) * w + 7) / 8);
            int cur = 0;
            int bit = 0;
            for (int i = b; i < end; i++) {
                long x = v[from + i];
                int left = w;
                while (left > 0) {
                    int take = Math.min(8 - bit, left);
                    cur |= (int) (x & ((1L << take) - 1)) << bit;
                    x >>>= take;
                    left -= take;
                    bit += take;
                    if (bit == 8) {
                        buf[len++] = (byte) cur;
                        cur = 0;
                        bit = 0;
                    }
                }
            }
            if (bit > 0) {
                buf[len++] = (byte) cur;
            }
        }
    }

    /** The bytes {@link #packed} would write. */
    static long packedSize(long[] v, int from, int n) {
        long size = 0;
        for (int b = 0; b < n; b += BLOCK) {
            int end = Math.min(n, b + BLOCK);
            long or = 0;
            for (int i = b; i < end; i++) {
                or |= v[from + i];
            }
            size += 1 + ((long) (end - b) * width(or) + 7) / 8;
        }
        return size;
    }

    /**
     * {@code n} signed values as a series: the first as a zigzag varint, then a mode byte and the rest
     * bit-packed as zigzag deltas (mode 0) or, after the first delta as a zigzag varint, zigzag deltas of
     * deltas (mode 1), whichever is smaller. Arithmetic wraps (two's complement), so any longs round-trip.
     */
    void series(long[] v, int n) {
        if (n == 0) {
            return;
        }
        zigzag(v[0]);
        if (n == 1) {
            return;
        }
        long[] d1 = new long[n];
        long[] d2 = new long[n];
        for (int i = 1; i < n; i++) {
            d1[i] = zig(v[i] - v[i - 1]);
            d2[i] = i < 2 ? 0 : zig((v[i] - v[i - 1]) - (v[i - 1] - v[i - 2]));
        }
        long deltaSize = packedSize(d1, 1, n - 1);
        long dodSize = n < 3 ? Long.MAX_VALUE : varintSize(d1[1]) + packedSize(d2, 2, n - 2);
        if (deltaSize <= dodSize) {
            byte1(0);
            packed(d1, 1, n - 1);
        } else {
            byte1(1);
            varint(d1[1]);
            packed(d2, 2, n - 2);
        }
    }

    static int varintSize(long v) {
        return v == 0 ? 1 : (width(v) + 6) / 7;
    }

    /** {@code n} small symbols as runs: a varint run count, the run symbols packed, then the run lengths − 1 packed. */
    void runs(int[] sym, int n) {
        if (n == 0) {
            return;
        }
        long[] values = new long[n];
        long[] lengths = new long[n];
        int r = 0;
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || sym[i] != sym[start]) {
                values[r] = sym[start];
                lengths[r] = i - start - 1;
                r++;
                start = i;
            }
        }
        varint(r);
        packed(values, 0, r);
        packed(lengths, 0, r);
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, len);
    }
}
