package io.fleetlog.logs.candump;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames in the {@code candump -l} log format, one per line:
 * {@code (seconds.micros) iface ID#DATA}, IDs as 3 (standard) or 8 (extended) upper-case hex digits,
 * remote frames as {@code ID#R} (or {@code ID#R<dlc>}), CAN FD frames as {@code ID##<flags><data>}.
 * What it writes {@link CandumpReader} reads back unchanged. Not thread-safe; buffered, so call
 * {@link #close} (or {@link #flush}).
 */
public final class CandumpWriter implements Closeable {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Writer out;
    private final StringBuilder line = new StringBuilder(64);
    private long frames;

    public CandumpWriter(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
    }

    public static CandumpWriter create(Path file) throws IOException {
        return new CandumpWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII));
    }

    public void write(CanFrame f) throws IOException {
        line.setLength(0);
        long sec = Math.floorDiv(f.timeMicros(), 1_000_000);
        long micros = Math.floorMod(f.timeMicros(), 1_000_000);
        line.append('(').append(sec).append('.');
        String m = Long.toString(micros);
        line.append("000000", 0, 6 - m.length())
                .append(m)
                .append(") ")
                .append(f.iface())
                .append(' ');
        appendFrame(line, f);
        line.append('\n');
        out.append(line);
        frames++;
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static String frameText(CanFrame f) {
        StringBuilder b = new StringBuilder();
        appendFrame(b, f);
        return b.toString();
    }

    private static void appendFrame(StringBuilder b, CanFrame f) {
        int digits = f.extended() ? 8 : 3;
        for (int i = digits - 1; i >= 0; i--) {
            b.append(HEX[(int) (f.id() >>> (4 * i)) & 0xF]);
        }
        b.append('#');
        switch (f.kind()) {
            case REMOTE -> {
                b.append('R');
                if (f.dlc() > 0) {
                    b.append(HEX[f.dlc() & 0xF]);
                }
            }
            case FD -> b.append('#').append(HEX[f.fdFlags() & 0xF]);
            case DATA -> {}
        }
        for (byte x : f.data()) {
            b.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
        }
    }
}
