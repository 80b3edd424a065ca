package io.fleetlog.codec.v2;

import java.util.Arrays;

/** A growable byte array with protobuf's varint and zigzag encodings; the encoder's scratch. */
final class ByteSink {
    byte[] buf = new byte[256];
    int len;

    void reset() {
        len = 0;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void writeVarint(long v) {
        if (buf.length - len < 10) {
            ensure(varintSize(v));
        }
        if ((v & ~0x7FL) == 0) {
            buf[len++] = (byte) v;
            return;
        }
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void writeZigzag(long v) {
        writeVarint((v << 1) ^ (v >> 63));
    }

    void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int zigzagSize(long v) {
        return varintSize((v << 1) ^ (v >> 63));
    }
}
