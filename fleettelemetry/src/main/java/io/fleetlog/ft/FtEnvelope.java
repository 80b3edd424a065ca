package io.fleetlog.ft;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A decoded Fleet Telemetry {@code FlatbuffersEnvelope}: slot 0 {@code txid: [ubyte]}, 1 {@code topic:
 * [ubyte]}, 2 {@code message_type: ubyte} (the union type), 3 {@code message} (the union value, a table
 * offset), 4 {@code messageId: [ubyte]}. For message_type {@value #TYPE_STREAM} the union value is read
 * as a {@link FtStream}; other types are kept by number only (the reference server acks types it does
 * not know so the car stops resending).
 *
 * <p>{@link #parse} checks every offset and length against the message before it reads: a malformed or
 * hostile buffer gives an {@link FtFormatException} naming the field and byte offset, never an index
 * exception. Absent vectors read as empty arrays.
 *
 * @param stream the stream table when {@code messageType == TYPE_STREAM}, else null
 */
public record FtEnvelope(byte[] txid, byte[] topic, int messageType, byte[] messageId, FtStream stream) {

    /** Union type of {@code FlatbuffersStream}. */
    public static final int TYPE_STREAM = 4;

    /** Union type of {@code FlatbuffersStreamAck}. */
    public static final int TYPE_ACK = 5;

    /** Largest message accepted, in bytes (the reference server's limit). */
    public static final int MAX_MESSAGE_BYTES = 1_000_000;

    /** Vehicle-data topic. */
    public static final String TOPIC_VEHICLE_DATA = "V";

    public FtEnvelope {
        txid = txid == null ? new byte[0] : txid;
        topic = topic == null ? new byte[0] : topic;
        messageId = messageId == null ? new byte[0] : messageId;
        if (messageType < 0 || messageType > 255) {
            throw new IllegalArgumentException("message_type " + messageType + " is not a ubyte");
        }
    }

    /** The txid as text (UTF-8). */
    public String txidText() {
        return new String(txid, StandardCharsets.UTF_8);
    }

    /**
     * The txid for logs and messages: printable ASCII in quotes, at most 64 bytes shown (a car's
     * bytes are never logged raw).
     */
    public String txidShown() {
        return printable(txid);
    }

    /**
     * A bounded key for remembering the txid: its text when at most 64 bytes, else {@code sha256:}
     * and its hash, so a long txid costs no more memory and two long ones never collide.
     */
    public String txidKey() {
        if (txid.length <= 64) {
            return txidText();
        }
        try {
            return "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(txid));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** The topic as text (UTF-8). */
    public String topicText() {
        return new String(topic, StandardCharsets.UTF_8);
    }

    /**
     * The stream table.
     *
     * @throws FtFormatException when the message is of another type
     */
    public FtStream requireStream() throws FtFormatException {
        if (messageType != TYPE_STREAM || stream == null) {
            throw new FtFormatException("FlatbuffersEnvelope.message_type is " + messageType
                    + ", not FlatbuffersStream (" + TYPE_STREAM + ") (txid " + printable(txid) + ")");
        }
        return stream;
    }

    /**
     * Reads an envelope.
     *
     * @throws FtFormatException for an empty or oversized message, an offset or length outside it, a
     *     missing union value, or a stream table that does not read
     */
    public static FtEnvelope parse(byte[] message) throws FtFormatException {
        if (message == null || message.length == 0) {
            throw new FtFormatException("FlatbuffersEnvelope: empty message");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new FtFormatException("FlatbuffersEnvelope: message of " + message.length
                    + " bytes is larger than the limit of " + MAX_MESSAGE_BYTES);
        }
        Reader r = new Reader(message);
        int root = r.offsetTarget(0, "FlatbuffersEnvelope root offset");
        Reader.Table env = r.table(root, "FlatbuffersEnvelope");
        byte[] txid = env.bytes(0, "txid");
        byte[] topic = env.bytes(1, "topic");
        int type = env.u8(2, "message_type");
        byte[] messageId = env.bytes(4, "messageId");
        int msgPos = env.offsetField(3, "message");
        if (msgPos < 0) {
            throw new FtFormatException(
                    "FlatbuffersEnvelope.message: absent (message_type " + type + ", txid " + printable(txid) + ")");
        }
        FtStream stream = null;
        if (type == TYPE_STREAM) {
            Reader.Table s = r.table(msgPos, "FlatbuffersStream");
            stream = new FtStream(
                    s.u32(0, "createdAt"),
                    s.bytes(1, "senderId"),
                    s.bytes(2, "payload"),
                    s.bytes(3, "deviceType"),
                    s.bytes(4, "deviceId"),
                    s.u64(5, "deliveredAtEpochMs"));
        }
        return new FtEnvelope(txid, topic, type, messageId, stream);
    }

    /** Bytes as text for a message: printable ASCII kept, others as \xNN, at most 64 bytes shown. */
    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(b.length, 64);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        sb.append('\'');
        if (b.length > n) {
            sb.append("… (").append(b.length).append(" bytes)");
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FtEnvelope e
                && messageType == e.messageType
                && Arrays.equals(txid, e.txid)
                && Arrays.equals(topic, e.topic)
                && Arrays.equals(messageId, e.messageId)
                && java.util.Objects.equals(stream, e.stream);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(txid) * 31 + messageType;
    }

    @Override
    public String toString() {
        return "FtEnvelope[txid=" + printable(txid) + ", topic=" + printable(topic) + ", messageType=" + messageType
                + ", messageId=" + printable(messageId) + ", stream=" + stream + "]";
    }

    /** Bounds-checked little-endian FlatBuffers reads. */
    static final class Reader {
        private final byte[] b;

        Reader(byte[] b) {
            this.b = b;
        }

        private void need(long pos, long len, String what) throws FtFormatException {
            if (pos < 0 || len < 0 || pos + len > b.length) {
                throw new FtFormatException(what + ": " + len + " bytes at byte " + pos + " reach beyond the "
                        + b.length + "-byte message");
            }
        }

        long u32(int pos, String what) throws FtFormatException {
            need(pos, 4, what);
            return (b[pos] & 0xFFL)
                    | (b[pos + 1] & 0xFFL) << 8
                    | (b[pos + 2] & 0xFFL) << 16
                    | (b[pos + 3] & 0xFFL) << 24;
        }

        int u16(int pos, String what) throws FtFormatException {
            need(pos, 2, what);
            return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
        }

        long u64(int pos, String what) throws FtFormatException {
            need(pos, 8, what);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | (b[pos + i] & 0xFFL);
            }
            return v;
        }

        /** The position a uoffset stored at {@code pos} points to (checked to lie inside the message). */
        int offsetTarget(int pos, String what) throws FtFormatException {
            long t = pos + u32(pos, what);
            if (t >= b.length) {
                throw new FtFormatException(what + ": offset at byte " + pos + " points to byte " + t + ", beyond the "
                        + b.length + "-byte message");
            }
            return (int) t;
        }

        Table table(int pos, String name) throws FtFormatException {
            long soffset = (int) u32(pos, name + " vtable offset");
            long vt = pos - soffset;
            if (vt < 0 || vt + 4 > b.length) {
                throw new FtFormatException(name + ": table at byte " + pos + " has its vtable at byte " + vt
                        + ", outside the " + b.length + "-byte message");
            }
            int vtSize = u16((int) vt, name + " vtable size");
            int tableSize = u16((int) vt + 2, name + " table size");
            if (vtSize < 4 || (vtSize & 1) != 0) {
                throw new FtFormatException(
                        name + ": vtable at byte " + vt + " has size " + vtSize + " (must be even and at least 4)");
            }
            need(vt, vtSize, name + " vtable");
            if (tableSize < 4) {
                throw new FtFormatException(
                        name + ": table at byte " + pos + " has inline size " + tableSize + " (at least 4)");
            }
            need(pos, tableSize, name + " table");
            return new Table(name, pos, (int) vt, vtSize, tableSize);
        }

        final class Table {
            private final String name;
            private final int pos;
            private final int vt;
            private final int vtSize;
            private final int tableSize;

            Table(String name, int pos, int vt, int vtSize, int tableSize) {
                this.name = name;
                this.pos = pos;
                this.vt = vt;
                this.vtSize = vtSize;
                this.tableSize = tableSize;
            }

            /** Absolute position of a field of {@code width} bytes, or -1 when absent. */
            private int field(int slot, int width, String field) throws FtFormatException {
                int entry = 4 + 2 * slot;
                if (entry + 2 > vtSize) {
                    return -1;
                }
                int off = u16(vt + entry, name + "." + field + " vtable entry");
                if (off == 0) {
                    return -1;
                }
                if (off < 4 || off + width > tableSize) {
                    throw new FtFormatException(name + "." + field + ": field offset " + off + " of the table at byte "
                            + pos + " is outside its " + tableSize + " inline bytes");
                }
                return pos + off;
            }

            int u8(int slot, String field) throws FtFormatException {
                int p = field(slot, 1, field);
                return p < 0 ? 0 : b[p] & 0xFF;
            }

            long u32(int slot, String field) throws FtFormatException {
                int p = field(slot, 4, field);
                return p < 0 ? 0 : Reader.this.u32(p, name + "." + field);
            }

            long u64(int slot, String field) throws FtFormatException {
                int p = field(slot, 8, field);
                return p < 0 ? 0 : Reader.this.u64(p, name + "." + field);
            }

            /** Target of an offset field, or -1 when absent. */
            int offsetField(int slot, String field) throws FtFormatException {
                int p = field(slot, 4, field);
                return p < 0 ? -1 : offsetTarget(p, name + "." + field);
            }

            byte[] bytes(int slot, String field) throws FtFormatException {
                int v = offsetField(slot, field);
                if (v < 0) {
                    return new byte[0];
                }
                long len = Reader.this.u32(v, name + "." + field + " vector length");
                if (v + 4 + len > b.length) {
                    throw new FtFormatException(name + "." + field + ": vector at byte " + v + " claims " + len
                            + " bytes, beyond the " + b.length + "-byte message");
                }
                return Arrays.copyOfRange(b, v + 4, v + 4 + (int) len);
            }
        }
    }
}
