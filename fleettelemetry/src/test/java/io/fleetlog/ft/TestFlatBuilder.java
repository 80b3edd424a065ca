package io.fleetlog.ft;

import java.util.Arrays;

/**
 * The tests' own FlatBuffers encoder, written from the format (not from the code under test): it builds
 * back to front as the FlatBuffers libraries do (children first, at the end of the buffer; a table's
 * vtable just below it; the root offset at byte 0), where {@link FtWriter} writes front to back.
 */
public final class TestFlatBuilder {
    private byte[] buf = new byte[64];
    private int head = buf.length;
    private int[] fields;
    private int tableStart;

    /** Bytes written so far, i.e. the offset of the last written object counted from the end. */
    public int offset() {
        return buf.length - head;
    }

    private void grow(int need) {
        while (head < need) {
            int old = buf.length;
            byte[] n = new byte[old * 2];
            System.arraycopy(buf, head, n, head + old, old - head);
            head += old;
            buf = n;
        }
    }

    private void pad(int k) {
        grow(k);
        head -= k;
    }

    /** Pads so that after {@code additional} more bytes, a value of {@code size} is aligned. */
    private void prep(int size, int additional) {
        int align = (-(offset() + additional)) & (size - 1);
        pad(align);
    }

    private void put8(int v) {
        grow(1);
        buf[--head] = (byte) v;
    }

    private void put16(int v) {
        grow(2);
        head -= 2;
        buf[head] = (byte) v;
        buf[head + 1] = (byte) (v >> 8);
    }

    private void put32(long v) {
        grow(4);
        head -= 4;
        for (int i = 0; i < 4; i++) {
            buf[head + i] = (byte) (v >> (8 * i));
        }
    }

    private void put64(long v) {
        grow(8);
        head -= 8;
        for (int i = 0; i < 8; i++) {
            buf[head + i] = (byte) (v >> (8 * i));
        }
    }

    /** A [ubyte] vector with the trailing zero byte strings get; returns its reference. */
    public int bytes(byte[] v) {
        prep(4, v.length + 1);
        put8(0);
        grow(v.length);
        head -= v.length;
        System.arraycopy(v, 0, buf, head, v.length);
        put32(v.length);
        return offset();
    }

    public void startTable(int slots) {
        fields = new int[slots];
        tableStart = offset();
    }

    public void addU8(int slot, int v) {
        prep(1, 0);
        put8(v);
        fields[slot] = offset();
    }

    public void addU32(int slot, long v) {
        prep(4, 0);
        put32(v);
        fields[slot] = offset();
    }

    public void addU64(int slot, long v) {
        prep(8, 0);
        put64(v);
        fields[slot] = offset();
    }

    public void addRef(int slot, int ref) {
        prep(4, 0);
        put32(offset() + 4 - ref);
        fields[slot] = offset();
    }

    /** Ends the table: its soffset, then its vtable below it; returns the table's reference. */
    public int endTable() {
        prep(4, 0);
        put32(0);
        int obj = offset();
        for (int i = fields.length - 1; i >= 0; i--) {
            put16(fields[i] == 0 ? 0 : obj - fields[i]);
        }
        put16(obj - tableStart);
        put16(4 + 2 * fields.length);
        int vt = offset();
        // soffset: vtable position = table position - soffset
        int tablePos = buf.length - obj;
        long soffset = vt - obj;
        for (int i = 0; i < 4; i++) {
            buf[tablePos + i] = (byte) (soffset >> (8 * i));
        }
        return obj;
    }

    public byte[] finish(int root) {
        prep(8, 4);
        put32(offset() + 4 - root);
        return Arrays.copyOfRange(buf, head, buf.length);
    }

    /** A whole stream envelope built the way the reference server's Go code orders it. */
    public static byte[] streamEnvelope(
            byte[] txid,
            byte[] topic,
            byte[] messageId,
            long createdAt,
            byte[] senderId,
            byte[] payload,
            byte[] deviceType,
            byte[] deviceId,
            long deliveredAt) {
        TestFlatBuilder b = new TestFlatBuilder();
        int sender = b.bytes(senderId);
        int pay = b.bytes(payload);
        int dt = b.bytes(deviceType);
        int di = b.bytes(deviceId);
        b.startTable(6);
        b.addRef(1, sender);
        b.addU32(0, createdAt);
        b.addRef(2, pay);
        b.addRef(3, dt);
        b.addRef(4, di);
        b.addU64(5, deliveredAt);
        int stream = b.endTable();
        int tx = b.bytes(txid);
        int tp = b.bytes(topic);
        int id = b.bytes(messageId);
        b.startTable(5);
        b.addRef(0, tx);
        b.addRef(1, tp);
        b.addU8(2, 4);
        b.addRef(3, stream);
        b.addRef(4, id);
        return b.finish(b.endTable());
    }
}
