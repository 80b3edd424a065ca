package io.fleetlog.edge.spool;

import io.fleetlog.frame.Frame;
import io.fleetlog.frame.FrameRecords;
import java.util.Arrays;

/**
 * Where each frame of a chunk's {@link FrameRecords} sequence starts and its capture time, found by
 * walking the record structure without building frames (the layout in {@link FrameRecords}' class
 * comment: varint count, then per frame a zigzag time delta, a varint entry count and per entry a
 * varint id delta, a kind byte and the kind's value bytes). With it a read of a few frames decodes
 * only those, and the rewrite of a chunk's tail (an ack ending inside it) copies bytes instead of
 * decoding and encoding 512 frames. Every length is checked against the data; a structure that does
 * not add up throws {@link FrameRecords.FrameFormatException}.
 */
final class FrameIndex {
    private static final int KINDS = Frame.Kind.values().length;
    private static final int NUMBER = Frame.Kind.NUMBER.ordinal();
    private static final int INTEGER = Frame.Kind.INTEGER.ordinal();
    private static final int POSITION = Frame.Kind.POSITION.ordinal();
    private static final int STRING = Frame.Kind.STRING.ordinal();

    private final byte[] data;
    private final int[] timeStart; // offset of frame i's time delta; [n] = data.length
    private final int[] bodyStart; // offset of frame i's entry count
    private final long[] times;

    private FrameIndex(byte[] data, int n) {
        this.data = data;
        this.timeStart = new int[n + 1];
        this.bodyStart = new int[n];
        this.times = new long[n];
    }

    /**
     * Indexes a sequence of at most {@code maxFrames} frames.
     *
     * @throws FrameRecords.FrameFormatException when the bytes are not such a sequence
     */
    static FrameIndex of(byte[] data, int maxFrames) throws FrameRecords.FrameFormatException {
        Walker w = new Walker(data);
        long n = w.varint();
        if (n < 1 || n > maxFrames) {
            throw w.error("frame count " + n + " is not 1.." + maxFrames);
        }
        FrameIndex ix = new FrameIndex(data, (int) n);
        long t = 0;
        for (int i = 0; i < n; i++) {
            ix.timeStart[i] = w.pos;
            t += w.zigzag();
            ix.times[i] = t;
            ix.bodyStart[i] = w.pos;
            long entries = w.varint();
            if (entries < 0 || entries > FrameRecords.MAX_ENTRIES) {
                throw w.error("entry count " + entries);
            }
            for (long e = 0; e < entries; e++) {
                w.varint();
                int kind = w.byte1() & 0x7f;
                if (kind >= KINDS) {
                    throw w.error("unknown entry kind " + kind);
                }
                if (kind == NUMBER) {
                    w.skip(8);
                } else if (kind == INTEGER) {
                    w.varint();
                } else if (kind == POSITION) {
                    w.skip(16);
                } else if (kind == STRING) {
                    long len = w.varint();
                    if (len < 0 || len > FrameRecords.MAX_STRING_BYTES) {
                        throw w.error("string of " + len + " bytes");
                    }
                    w.skip((int) len);
                }
            }
        }
        if (w.pos != data.length) {
            throw w.error((data.length - w.pos) + " trailing bytes");
        }
        ix.timeStart[(int) n] = data.length;
        return ix;
    }

    int size() {
        return times.length;
    }

    long time(int i) {
        return times[i];
    }

    /** A self-contained {@link FrameRecords} sequence of frames {@code from} (inclusive) to {@code to}. */
    byte[] slice(int from, int to) {
        if (from == 0 && to == size()) {
            return data;
        }
        byte[] head = new byte[20];
        int h = putVarint(head, 0, to - from);
        long t = times[from];
        h = putVarint(head, h, (t << 1) ^ (t >> 63)); // the first frame's time, from 0
        int bodyLen = timeStart[to] - bodyStart[from];
        byte[] out = Arrays.copyOf(head, h + bodyLen);
        System.arraycopy(data, bodyStart[from], out, h, bodyLen);
        return out;
    }

    private static int putVarint(byte[] b, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            b[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    private static final class Walker {
        private final byte[] b;
        int pos;

        Walker(byte[] b) {
            this.b = b;
        }

        FrameRecords.FrameFormatException error(String what) {
            return new FrameRecords.FrameFormatException("frame record, byte " + pos + ": " + what);
        }

        int byte1() throws FrameRecords.FrameFormatException {
            if (pos >= b.length) {
                throw error("truncated");
            }
            return b[pos++] & 0xff;
        }

        long varint() throws FrameRecords.FrameFormatException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = byte1();
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw error("varint longer than 10 bytes");
        }

        long zigzag() throws FrameRecords.FrameFormatException {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        void skip(int n) throws FrameRecords.FrameFormatException {
            if (n > b.length - pos) {
                throw error("truncated");
            }
            pos += n;
        }
    }
}
