package io.fleetlog.logs.candump;

import io.fleetlog.logs.Problems;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a SocketCAN {@code candump -l} log: one frame per line,
 * {@code (seconds[.fraction]) iface ID#DATA}.
 *
 * <p>Accepted: standard (3 hex digits) and extended (8 hex digits) IDs; upper- or lower-case hex;
 * any number of fraction digits in the timestamp (kept to the microsecond, further digits dropped);
 * data bytes optionally separated by {@code .}; classic frames with 0–8 bytes and an optional
 * {@code _<dlc>} suffix; remote frames {@code ID#R} / {@code ID#R<dlc>}; CAN FD frames
 * {@code ID##<flags><data>} with a valid FD length (0–8, 12, 16, 20, 24, 32, 48, 64 bytes); an
 * optional trailing direction flag {@code R}/{@code T}. Blank lines are read over.
 *
 * <p>Any other line is skipped and recorded in {@link #problems()} as {@code file:line: reason};
 * error frames (extended ID with the error flag 0x20000000) are skipped and counted in {@link
 * #errorFrames()}; frames of other interfaces than the one chosen are counted in {@link
 * #otherInterface()}. Reading never throws for bad content, only for I/O failures. Not thread-safe.
 */
public final class CandumpReader implements CanFrames {
    private static final int MAX_LINE = 1024;

    private final BufferedReader in;
    private final String iface;
    private final Problems problems;
    private final Set<String> interfaces = new TreeSet<>();
    private long lineNo;
    private long frames;
    private long errorFrames;
    private long otherInterface;

    /**
     * @param in the log text
     * @param name file name used in problem messages
     * @param iface the interface to read, or {@code null} for all
     */
    public CandumpReader(Reader in, String name, String iface) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        this.iface = iface;
        this.problems = new Problems(name);
    }

    /** Opens a log file; {@code iface} {@code null} reads every interface. */
    public static CandumpReader open(Path file, String iface) throws IOException {
        return new CandumpReader(
                Files.newBufferedReader(file, StandardCharsets.ISO_8859_1),
                file.getFileName().toString(),
                iface);
    }

    /** The next frame (of the chosen interface), or {@code null} at the end of the log. */
    @Override
    public CanFrame next() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            CanFrame f;
            try {
                f = parse(line);
            } catch (BadLine e) {
                problems.add(lineNo, e.getMessage());
                continue;
            }
            if (f == null) {
                errorFrames++;
                continue;
            }
            interfaces.add(f.iface());
            if (iface != null && !iface.equals(f.iface())) {
                otherInterface++;
                continue;
            }
            frames++;
            return f;
        }
        return null;
    }

    /** Bad lines skipped so far. */
    @Override
    public Problems problems() {
        return problems;
    }

    /** 1-based number of the last line read. */
    @Override
    public long line() {
        return lineNo;
    }

    /** Frames returned so far. */
    public long frames() {
        return frames;
    }

    /** Error frames (ID flag 0x20000000) read over. */
    public long errorFrames() {
        return errorFrames;
    }

    /** Frames of other interfaces read over because one interface was chosen. */
    public long otherInterface() {
        return otherInterface;
    }

    /** Interfaces seen so far (all of them, also those not chosen). */
    public Set<String> interfaces() {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(interfaces));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The last interface name, reused while lines repeat it (most logs have one or two). */
    private String lastIface = "";

    private String iface(String line, int from, int to) {
        if (to - from != lastIface.length() || !line.regionMatches(from, lastIface, 0, to - from)) {
            lastIface = line.substring(from, to);
        }
        return lastIface;
    }

    /** One log line → a frame, {@code null} for an error frame. */
    CanFrame parse(String line) throws BadLine {
        if (line.length() > MAX_LINE) {
            throw new BadLine("line is " + line.length() + " characters long, a candump line is at most " + MAX_LINE);
        }
        if (line.charAt(0) != '(') {
            throw new BadLine("expected '(timestamp) interface ID#DATA', got '" + abbreviate(line) + "'");
        }
        int close = line.indexOf(')');
        if (close < 0) {
            throw new BadLine("timestamp has no closing ')'");
        }
        long micros = timestamp(line, 1, close);
        int p = skipSpaces(line, close + 1);
        int ifaceEnd = tokenEnd(line, p);
        if (ifaceEnd == p) {
            throw new BadLine("missing interface name after the timestamp");
        }
        String ifaceName = iface(line, p, ifaceEnd);
        p = skipSpaces(line, ifaceEnd);
        int frameEnd = tokenEnd(line, p);
        if (frameEnd == p) {
            throw new BadLine("missing frame (ID#DATA) after interface " + ifaceName);
        }
        int rest = skipSpaces(line, frameEnd);
        if (rest < line.length()) {
            String extra = line.substring(rest).strip();
            if (!extra.equals("R") && !extra.equals("T")) {
                throw new BadLine("unexpected text after the frame: '" + abbreviate(extra) + "'");
            }
        }
        return frame(line, p, frameEnd, micros, ifaceName);
    }

    private static CanFrame frame(String s, int from, int to, long micros, String ifaceName) throws BadLine {
        int hash = s.indexOf('#', from);
        if (hash < 0 || hash >= to) {
            throw new BadLine("frame '" + abbreviate(s.substring(from, to)) + "' has no '#'");
        }
        int idDigits = hash - from;
        if (idDigits != 3 && idDigits != 8) {
            throw new BadLine("CAN ID '" + abbreviate(s.substring(from, hash))
                    + "' must have 3 (standard) or 8 (extended) hex digits");
        }
        long id = hex(s, from, hash, "CAN ID");
        boolean extended = idDigits == 8;
        if (extended && (id & 0x2000_0000L) != 0) {
            return null; // error frame (CAN_ERR_FLAG): bus state, not data
        }
        if (id > (extended ? 0x1FFF_FFFFL : 0x7FFL)) {
            throw new BadLine("CAN ID " + s.substring(from, hash) + " is out of range");
        }
        int p = hash + 1;
        if (p < to && s.charAt(p) == '#') {
            return fd(s, p + 1, to, micros, ifaceName, id, extended);
        }
        if (p < to && (s.charAt(p) == 'R' || s.charAt(p) == 'r')) {
            int dlc = 0;
            if (p + 1 < to) {
                if (p + 2 != to || s.charAt(p + 1) < '0' || s.charAt(p + 1) > '8') {
                    throw new BadLine("remote frame length '" + s.substring(p + 1, to) + "' is not 0-8");
                }
                dlc = s.charAt(p + 1) - '0';
            }
            return new CanFrame(micros, ifaceName, id, extended, CanFrame.Kind.REMOTE, 0, new byte[0], dlc);
        }
        int end = to;
        int underscore = s.indexOf('_', p);
        if (underscore >= 0 && underscore < to) {
            if (underscore != to - 2 || digit(s.charAt(to - 1)) < 9) {
                throw new BadLine("length code '" + s.substring(underscore, to) + "' must be _9 to _F");
            }
            end = underscore;
        }
        byte[] data = bytes(s, p, end, 8);
        if (end != to && data.length != 8) {
            throw new BadLine("a length code _X needs 8 data bytes, got " + data.length);
        }
        return new CanFrame(micros, ifaceName, id, extended, CanFrame.Kind.DATA, 0, data, data.length);
    }

    private static CanFrame fd(String s, int p, int to, long micros, String ifaceName, long id, boolean ext)
            throws BadLine {
        if (p >= to) {
            throw new BadLine("CAN FD frame has no flags digit after '##'");
        }
        int flags = digit(s.charAt(p));
        if (flags < 0) {
            throw new BadLine("CAN FD flags '" + s.charAt(p) + "' is not a hex digit");
        }
        byte[] data = bytes(s, p + 1, to, 64);
        int n = data.length;
        if (n > 8 && n != 12 && n != 16 && n != 20 && n != 24 && n != 32 && n != 48 && n != 64) {
            throw new BadLine("CAN FD frame has " + n + " bytes; valid lengths are 0-8, 12, 16, 20, 24, 32, 48, 64");
        }
        return new CanFrame(micros, ifaceName, id, ext, CanFrame.Kind.FD, flags, data, n);
    }

    private static byte[] bytes(String s, int from, int to, int max) throws BadLine {
        byte[] buf = new byte[max];
        int n = 0;
        int p = from;
        while (p < to) {
            if (s.charAt(p) == '.') {
                p++;
                continue;
            }
            if (p + 1 >= to) {
                throw new BadLine("data '" + abbreviate(s.substring(from, to)) + "' has an odd number of hex digits");
            }
            int hi = digit(s.charAt(p));
            int lo = digit(s.charAt(p + 1));
            if (hi < 0 || lo < 0) {
                throw new BadLine("data '" + abbreviate(s.substring(from, to)) + "' is not hex");
            }
            if (n == max) {
                throw new BadLine("data has more than " + max + " bytes");
            }
            buf[n++] = (byte) (hi << 4 | lo);
            p += 2;
        }
        return n == max ? buf : java.util.Arrays.copyOf(buf, n);
    }

    private static long timestamp(String s, int from, int to) throws BadLine {
        int dot = s.indexOf('.', from);
        int secEnd = dot >= 0 && dot < to ? dot : to;
        if (secEnd == from || secEnd - from > 12) {
            throw new BadLine("timestamp '" + abbreviate(s.substring(from, to)) + "' is not seconds[.fraction]");
        }
        long sec = 0;
        for (int i = from; i < secEnd; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadLine("timestamp '" + abbreviate(s.substring(from, to)) + "' is not seconds[.fraction]");
            }
            sec = sec * 10 + (c - '0');
        }
        long micros = 0;
        int digits = 0;
        for (int i = secEnd + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadLine("timestamp '" + abbreviate(s.substring(from, to)) + "' is not seconds[.fraction]");
            }
            if (digits < 6) {
                micros = micros * 10 + (c - '0');
                digits++;
            }
        }
        if (secEnd < to && secEnd + 1 == to) {
            throw new BadLine("timestamp '" + s.substring(from, to) + "' has no digits after the '.'");
        }
        for (; digits < 6; digits++) {
            micros *= 10;
        }
        return sec * 1_000_000 + micros;
    }

    private static long hex(String s, int from, int to, String what) throws BadLine {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = digit(s.charAt(i));
            if (d < 0) {
                throw new BadLine(what + " '" + abbreviate(s.substring(from, to)) + "' is not hex");
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static int skipSpaces(String s, int p) {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static int tokenEnd(String s, int p) {
        while (p < s.length() && s.charAt(p) != ' ' && s.charAt(p) != '\t') {
            p++;
        }
        return p;
    }

    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7E ? '?' : c);
        }
        return s.length() > 60 ? b + "..." : b.toString();
    }

    /** A line that is not a frame; cheap (no stack trace) because bad logs can have many. */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }
}
