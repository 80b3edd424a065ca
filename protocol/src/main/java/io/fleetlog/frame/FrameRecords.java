package io.fleetlog.frame;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A lossless, self-contained binary form of frames, for storage (the edge spool, the server stores):
 * every value exactly as held (a float's double bits, a string's UTF-8), the omitted marks kept, no
 * catalogue needed to read it back. Not the wire format (that is {@code io.fleetlog.codec.v2}, which
 * quantises and predicts).
 *
 * <p>Layout of one frame: zigzag varint capture time (delta from the previous frame of a sequence, or
 * from 0), varint entry count, then per entry a varint id delta (the first entry's id, then the
 * difference minus 1: ids strictly ascend), one kind byte (the {@link Frame.Kind} ordinal, bit 7 =
 * omitted) and the value: NUMBER 8 bytes (IEEE 754 big-endian), INTEGER zigzag varint, POSITION 16
 * bytes (latitude, longitude), STRING varint length + UTF-8, UNAVAILABLE nothing. A sequence is a varint
 * frame count followed by the frames.
 *
 * <p>Reading checks every length against what is left, refuses counts above {@link #MAX_ENTRIES}, ids
 * past {@link #MAX_ID}, unknown kinds, malformed UTF-8, non-finite numbers and trailing bytes, with a
 * {@link FrameFormatException} saying what and where; it never allocates more than the input can hold.
 */
public final class FrameRecords {

    /** Most entries one frame may hold (a catalogue's most signals). */
    public static final int MAX_ENTRIES = 65_535;
    /** Highest signal id. */
    public static final int MAX_ID = 65_534;
    /** Longest string value in bytes. */
    public static final int MAX_STRING_BYTES = 65_535;

    private static final Frame.Kind[] KINDS = Frame.Kind.values();

    private FrameRecords() {}

    /** One frame. */
    public static byte[] encode(Frame frame) {
        Out out = new Out(16 + frame.size() * 10);
        write(out, frame, 0);
        return out.toArray();
    }

    /** A sequence of frames (capture times delta-coded). */
    public static byte[] encodeAll(List<Frame> frames) {
        Out out = new Out(8 + frames.size() * 64);
        out.varint(frames.size());
        long prev = 0;
        for (Frame f : frames) {
            write(out, f, prev);
            prev = f.timeMs();
        }
        return out.toArray();
    }

    /** Reads what {@link #encode} wrote. */
    public static Frame decode(byte[] bytes) throws FrameFormatException {
        In in = new In(bytes);
        Frame f = read(in, 0);
        in.end();
        return f;
    }

    /** Reads what {@link #encodeAll} wrote. */
    public static List<Frame> decodeAll(byte[] bytes) throws FrameFormatException {
        In in = new In(bytes);
        long n = in.varint();
        // every frame takes at least two bytes: a count above that is a lie, not a reason to allocate
        if (n < 0 || n > (bytes.length - in.pos) / 2) {
            throw in.error("frame count " + n + " exceeds what " + bytes.length + " bytes can hold");
        }
        List<Frame> out = new ArrayList<>((int) n);
        long prev = 0;
        for (long i = 0; i < n; i++) {
            Frame f = read(in, prev);
            out.add(f);
            prev = f.timeMs();
        }
        in.end();
        return out;
    }

    private static void write(Out out, Frame f, long prevTime) {
        out.zigzag(f.timeMs() - prevTime);
        int n = f.size();
        out.varint(n);
        int prevId = -1;
        for (int i = 0; i < n; i++) {
            int id = f.id(i);
            out.varint(id - prevId - 1);
            prevId = id;
            Frame.Kind k = f.kind(i);
            out.byte1(k.ordinal() | (f.omitted(i) ? 0x80 : 0));
            switch (k) {
                case NUMBER -> out.long8(Double.doubleToRawLongBits(f.number(i)));
                case INTEGER -> out.zigzag(f.integer(i));
                case POSITION -> {
                    out.long8(Double.doubleToRawLongBits(f.latitude(i)));
                    out.long8(Double.doubleToRawLongBits(f.longitude(i)));
                }
                case STRING -> {
                    byte[] s = f.string(i).getBytes(StandardCharsets.UTF_8);
                    out.varint(s.length);
                    out.bytes(s);
                }
                case UNAVAILABLE -> {}
            }
        }
    }

    private static Frame read(In in, long prevTime) throws FrameFormatException {
        long t = prevTime + in.zigzag();
        long n = in.varint();
        if (n < 0 || n > MAX_ENTRIES || n > in.left()) {
            throw in.error("entry count " + n + " is above " + Math.min(MAX_ENTRIES, in.left()));
        }
        Frame.Builder b = Frame.builder(t, (int) n);
        long id = -1;
        for (int i = 0; i < n; i++) {
            long d = in.varint();
            if (d < 0 || d > MAX_ID || id + 1 + d > MAX_ID) {
                throw in.error("signal id past " + MAX_ID + " (after id " + id + ", delta " + d + ")");
            }
            id = id + 1 + d;
            int kb = in.byte1();
            int ko = kb & 0x7f;
            if (ko >= KINDS.length) {
                throw in.error("unknown entry kind " + ko);
            }
            int sid = (int) id;
            switch (KINDS[ko]) {
                case NUMBER -> {
                    double v = Double.longBitsToDouble(in.long8());
                    if (!Double.isFinite(v)) {
                        throw in.error("signal " + sid + ": " + v + " is not a value");
                    }
                    b.number(sid, v);
                }
                case INTEGER -> b.integer(sid, in.zigzag());
                case POSITION -> {
                    double lat = Double.longBitsToDouble(in.long8());
                    double lon = Double.longBitsToDouble(in.long8());
                    if (!Double.isFinite(lat) || !Double.isFinite(lon)) {
                        throw in.error("signal " + sid + ": position " + lat + ", " + lon + " is not a value");
                    }
                    b.position(sid, lat, lon);
                }
                case STRING -> b.string(sid, in.utf8());
                case UNAVAILABLE -> b.unavailable(sid);
            }
            if ((kb & 0x80) != 0) {
                b.omitted();
            }
        }
        return b.build();
    }

    /** Bytes that are not a frame record; the message names the offset. */
    public static final class FrameFormatException extends Exception {
        public FrameFormatException(String message) {
            super(message);
        }
    }

    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
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

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
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

        byte[] toArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int left() {
            return buf.length - pos;
        }

        FrameFormatException error(String what) {
            return new FrameFormatException("frame record, byte " + pos + ": " + what);
        }

        int byte1() throws FrameFormatException {
            if (pos >= buf.length) {
                throw error("truncated");
            }
            return buf[pos++] & 0xff;
        }

        long varint() throws FrameFormatException {
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

        long zigzag() throws FrameFormatException {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        long long8() throws FrameFormatException {
            if (left() < 8) {
                throw error("truncated");
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xff);
            }
            return v;
        }

        String utf8() throws FrameFormatException {
            long n = varint();
            if (n < 0 || n > MAX_STRING_BYTES || n > left()) {
                throw error("string of " + n + " bytes (at most " + Math.min(MAX_STRING_BYTES, left()) + " here)");
            }
            try {
                String s = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(buf, pos, (int) n))
                        .toString();
                pos += (int) n;
                return s;
            } catch (CharacterCodingException e) {
                throw error("string is not UTF-8");
            }
        }

        void end() throws FrameFormatException {
            if (pos != buf.length) {
                throw error((buf.length - pos) + " trailing bytes");
            }
        }
    }
}
