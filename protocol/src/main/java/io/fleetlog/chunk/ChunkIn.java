package io.fleetlog.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ChunkOut} wrote, checking every count against the bytes left before allocating:
 * a packed block of up to {@link ChunkOut#BLOCK} values takes at least its width byte, so {@code n}
 * values need at least {@code n / BLOCK} bytes. Every error names the byte offset. Not thread-safe.
 */
final class ChunkIn {
    private final byte[] buf;
    private final int end;
    private int pos;

    ChunkIn(byte[] buf, int from, int end) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
    }

    int pos() {
        return pos;
    }

    int left() {
        return end - pos;
    }

    ChunkFormatException error(String what) {
        return new ChunkFormatException("chunk, byte " + pos + ": " + what);
    }

    int byte1() throws ChunkFormatException {
        if (pos >= end) {
            throw error("truncated");
        }
        return buf[pos++] & 0xff;
    }

    long long8() throws ChunkFormatException {
        if (left() < 8) {
            throw error("truncated");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    long varint() throws ChunkFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = byte1();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw error("varint longer than 10 bytes");
    }

    /** A varint that must be in 0..max; {@code what} names it in the error. */
    int count(long max, String what) throws ChunkFormatException {
        long v = varint();
        if (v < 0 || v > max) {
            throw error(what + " " + Long.toUnsignedString(v) + " is above " + max);
        }
        return (int) v;
    }

    long zigzag() throws ChunkFormatException {
        return unzig(varint());
    }

    static long unzig(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** {@code n} unsigned values written by {@link ChunkOut#packed}. */
    long[] packed(int n, String what) throws ChunkFormatException {
        if (n < 0 || (n + ChunkOut.BLOCK - 1) / ChunkOut.BLOCK > left()) {
            throw error(what + ": " + n + " values cannot fit in the " + left() + " bytes left");
        }
        long[] v = new long[n];
        for (int b = 0; b < n; b += ChunkOut.BLOCK) {
            int stop = Math.min(n, b + ChunkOut.BLOCK);
            int w = byte1();
            if (w > 64) {
                throw error(what + ": bit width " + w + " is above 64");
            }
            int bytes = ((stop - b) * w + 7) / 8;
            if (bytes > left()) {
                throw error(what + ": a block of " + bytes + " bytes runs past the end");
            }
            int bit = 0;
            for (int i = b; i < stop; i++) {
                long x = 0;
                int got = 0;
                while (got < w) {
                    int take = Math.min(8 - bit, w - got);
                    long part = ((buf[pos] & 0xff) >>> bit) & ((1 << take) - 1);
                    x |= part << got;
                    got += take;
                    bit += take;
                    if (bit == 8) {
                        pos++;
                        bit = 0;
                    }
                }
                v[i] = x;
            }
            if (bit > 0) {
                if ((buf[pos] & 0xff) >>> bit != 0) {
                    throw error(what + ": padding bits are not zero");
                }
                pos++;
            }
        }
        return v;
    }

    /** {@code n} signed values written by {@link ChunkOut#series}. */
    long[] series(int n, String what) throws ChunkFormatException {
        long[] v = new long[n];
        if (n == 0) {
            return v;
        }
        v[0] = zigzag();
        if (n == 1) {
            return v;
        }
        int mode = byte1();
        if (mode == 0) {
            long[] d = packed(n - 1, what);
            for (int i = 1; i < n; i++) {
                v[i] = v[i - 1] + unzig(d[i - 1]);
            }
        } else if (mode == 1 && n >= 3) {
            long delta = zigzag();
            v[1] = v[0] + delta;
            long[] d = packed(n - 2, what);
            for (int i = 2; i < n; i++) {
                delta += unzig(d[i - 2]);
                v[i] = v[i - 1] + delta;
            }
        } else {
            throw error(what + ": unknown series mode " + mode + " for " + n + " values");
        }
        return v;
    }

    /** {@code n} symbols written by {@link ChunkOut#runs}, each at most {@code maxSymbol}. */
    int[] runs(int n, int maxSymbol, String what) throws ChunkFormatException {
        int[] sym = new int[n];
        long[][] runs = runPairs(n, maxSymbol, what);
        int at = 0;
        for (int i = 0; i < runs[0].length; i++) {
            int len = (int) runs[1][i];
            Arrays.fill(sym, at, at + len, (int) runs[0][i]);
            at += len;
        }
        return sym;
    }

    /**
     * The rows whose presence symbol is 1, of {@code n} presence symbols written by {@link
     * ChunkOut#runs}: at least one, at most {@code budget} (checked before allocating them).
     */
    int[] presentRows(int n, long budget, String what) throws ChunkFormatException {
        long[][] runs = runPairs(n, 1, what);
        long p = 0;
        for (int i = 0; i < runs[0].length; i++) {
            p += runs[0][i] * runs[1][i];
        }
        if (p == 0) {
            throw error(what + ": a column without entries");
        }
        if (p > budget) {
            throw error(what + ": " + p + " entries, more than the " + budget + " the chunk may still hold");
        }
        int[] rows = new int[(int) p];
        int at = 0;
        int k = 0;
        for (int i = 0; i < runs[0].length; i++) {
            int len = (int) runs[1][i];
            if (runs[0][i] == 1) {
                for (int j = 0; j < len; j++) {
                    rows[k++] = at + j;
                }
            }
            at += len;
        }
        return rows;
    }

    /** The run symbols and lengths (not minus one) of {@code n} symbols, checked to add up to {@code n}. */
    private long[][] runPairs(int n, int maxSymbol, String what) throws ChunkFormatException {
        if (n == 0) {
            return new long[][] {new long[0], new long[0]};
        }
        int r = count(n, what + " run count");
        if (r == 0) {
            throw error(what + ": no runs for " + n + " values");
        }
        long[] values = packed(r, what + " run symbols");
        long[] lengths = packed(r, what + " run lengths");
        long at = 0;
        for (int i = 0; i < r; i++) {
            if (Long.compareUnsigned(values[i], maxSymbol) > 0) {
                throw error(what + ": symbol " + Long.toUnsignedString(values[i]) + " is above " + maxSymbol);
            }
            if (at == n || Long.compareUnsigned(lengths[i], n - at - 1) > 0) { // length − 1 is stored
                throw error(what + ": runs add up to more than " + n + " values");
            }
            lengths[i]++;
            at += lengths[i];
        }
        if (at != n) {
            throw error(what + ": runs add up to " + at + " values, not " + n);
        }
        return new long[][] {values, lengths};
    }

    /** A varint length and that many bytes of UTF-8, at most {@code maxBytes}. */
    String utf8(int maxBytes, String what) throws ChunkFormatException {
        int n = count(maxBytes, what + " length");
        if (n > left()) {
            throw error(what + " of " + n + " bytes runs past the end (" + left() + " left)");
        }
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, n))
                    .toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw error(what + " is not UTF-8");
        }
    }
}
