package io.fleetlog.ft;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes Fleet Telemetry envelopes: the server's replies ({@link #ack}, {@link #error}) and, for
 * clients and tests, a stream record ({@link #stream}). The bytes are FlatBuffers as the reference
 * server writes them (every vector present, empty when there is nothing; zero scalars left out), laid
 * out front to back: root offset, vtable, table, then the vectors and the union table it points to.
 */
public final class FtWriter {

    /** Longest error text sent back, in UTF-8 bytes (longer texts are cut). */
    public static final int MAX_ERROR_BYTES = 1024;

    private FtWriter() {}

    /**
     * The ack of a record: an envelope of message_type {@value FtEnvelope#TYPE_ACK} echoing the record's
     * txid and topic. As in the reference server, the union value is an empty byte vector (an empty
     * {@code FlatbuffersStreamAck}) and messageId is empty.
     */
    public static byte[] ack(byte[] txid, byte[] topic) {
        Out o = new Out();
        int[] f = envelopeTable(o);
        int tx = o.vector(txid);
        int tp = o.vector(topic);
        int msg = o.vector(new byte[0]);
        int id = o.vector(new byte[0]);
        o.u8(f[2], FtEnvelope.TYPE_ACK);
        o.patch(f[0], tx);
        o.patch(f[1], tp);
        o.patch(f[3], msg);
        o.patch(f[4], id);
        return o.bytes();
    }

    /**
     * An error reply: a {@code FlatbuffersStream} envelope with the record's txid whose payload is the
     * error text (cut to {@link #MAX_ERROR_BYTES}); topic, senderId and the rest are empty, as the
     * reference server sends them.
     */
    public static byte[] error(byte[] txid, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        if (t.length > MAX_ERROR_BYTES) {
            t = Arrays.copyOf(t, MAX_ERROR_BYTES);
        }
        return stream(txid, new byte[0], new byte[0], new FtStream(0, null, t, null, null, 0));
    }

    /** A stream envelope (message_type {@value FtEnvelope#TYPE_STREAM}) carrying {@code s}. */
    public static byte[] stream(byte[] txid, byte[] topic, byte[] messageId, FtStream s) {
        Out o = new Out();
        int[] f = envelopeTable(o);
        // FlatbuffersStream: createdAt u32 (0), senderId (1), payload (2), deviceType (3), deviceId (4),
        // deliveredAtEpochMs u64 (5)
        int[] sf = o.table(new int[] {s.createdAt() == 0 ? 0 : 4, 4, 4, 4, 4, s.deliveredAtEpochMs() == 0 ? 0 : 8});
        int streamPos = sf[6];
        if (s.createdAt() != 0) {
            o.u32(sf[0], s.createdAt());
        }
        if (s.deliveredAtEpochMs() != 0) {
            o.u64(sf[5], s.deliveredAtEpochMs());
        }
        o.patch(sf[1], o.vector(s.senderId()));
        o.patch(sf[2], o.vector(s.payload()));
        o.patch(sf[3], o.vector(s.deviceType()));
        o.patch(sf[4], o.vector(s.deviceId()));
        o.patch(f[0], o.vector(txid));
        o.patch(f[1], o.vector(topic));
        o.u8(f[2], FtEnvelope.TYPE_STREAM);
        o.patch(f[3], streamPos);
        o.patch(f[4], o.vector(messageId));
        return o.bytes();
    }

    /** Root offset and the envelope table; returns the positions of its five fields. */
    private static int[] envelopeTable(Out o) {
        int root = o.reserve(4, 4);
        int[] f = o.table(new int[] {4, 4, 1, 4, 4});
        o.patch(root, f[5]);
        return f;
    }

    /** A growing little-endian buffer written front to back. */
    private static final class Out {
        private byte[] b = new byte[128];
        private int n;

        private void ensure(int k) {
            if (n + k > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + k));
            }
        }

        /** Pads to {@code align}, then reserves {@code k} zero bytes; returns their position. */
        int reserve(int k, int align) {
            ensure(k + align);
            while (n % align != 0) {
                n++;
            }
            int p = n;
            n += k;
            return p;
        }

        void u8(int at, int v) {
            b[at] = (byte) v;
        }

        void u16(int at, int v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
        }

        void u32(int at, long v) {
            for (int i = 0; i < 4; i++) {
                b[at + i] = (byte) (v >>> (8 * i));
            }
        }

        void u64(int at, long v) {
            for (int i = 0; i < 8; i++) {
                b[at + i] = (byte) (v >>> (8 * i));
            }
        }

        /** Stores at {@code at} the uoffset to {@code target} (which lies after it). */
        void patch(int at, int target) {
            u32(at, target - at);
        }

        /**
         * A vtable followed by its table with one field per slot of the given width (0 = absent).
         * Returns the field positions (-1 when absent) and, last, the table's position.
         */
        int[] table(int[] widths) {
            int slots = widths.length;
            int vt = reserve(4 + 2 * slots, 2);
            int start = reserve(4, 8);
            int[] pos = new int[slots + 1];
            for (int i = 0; i < slots; i++) {
                pos[i] = widths[i] == 0 ? -1 : reserve(widths[i], widths[i]);
            }
            int size = n - start;
            u16(vt, 4 + 2 * slots);
            u16(vt + 2, size);
            for (int i = 0; i < slots; i++) {
                u16(vt + 4 + 2 * i, pos[i] < 0 ? 0 : pos[i] - start);
            }
            u32(start, start - vt);
            pos[slots] = start;
            return pos;
        }

        /** A byte vector (length, bytes, a zero terminator as FlatBuffers byte strings have). */
        int vector(byte[] v) {
            int p = reserve(4 + v.length + 1, 4);
            u32(p, v.length);
            System.arraycopy(v, 0, b, p + 4, v.length);
            return p;
        }

        byte[] bytes() {
            return Arrays.copyOf(b, n);
        }
    }
}
