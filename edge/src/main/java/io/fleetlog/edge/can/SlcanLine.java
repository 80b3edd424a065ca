package io.fleetlog.edge.can;

import io.fleetlog.logs.candump.CanFrame;

/**
 * Decodes one SLCAN (Lawicel) line, without its {@code \r}, into a CAN frame.
 *
 * <table>
 *   <caption>SLCAN frame lines (hex digits, upper or lower case)</caption>
 *   <tr><th>line</th><th>frame</th></tr>
 *   <tr><td>{@code tIIILDD…[TTTT]}</td><td>standard data frame: 3-digit ID, length 0–8, 2·L data digits</td></tr>
 *   <tr><td>{@code TIIIIIIIILDD…[TTTT]}</td><td>extended data frame: 8-digit ID</td></tr>
 *   <tr><td>{@code rIIIL[TTTT]}</td><td>standard remote frame</td></tr>
 *   <tr><td>{@code RIIIIIIIIL[TTTT]}</td><td>extended remote frame</td></tr>
 * </table>
 *
 * The optional {@code TTTT} is the adapter's timestamp (ms, 0–59999, sent after {@code Z1}); it is
 * checked but not used: capture times come from the edge's clock ({@link CaptureClock}). Stateless.
 */
final class SlcanLine {
    private SlcanLine() {}

    /** Is this line a frame (starts with t, T, r or R)? */
    static boolean isFrame(String line) {
        if (line.isEmpty()) {
            return false;
        }
        char c = line.charAt(0);
        return c == 't' || c == 'T' || c == 'r' || c == 'R';
    }

    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    static CanFrame parse(String line, long timeMicros, String iface) {
        char kind = line.charAt(0);
        boolean extended = kind == 'T' || kind == 'R';
        boolean remote = kind == 'r' || kind == 'R';
        int idDigits = extended ? 8 : 3;
        if (line.length() < 2 + idDigits) {
            throw new IllegalArgumentException("frame '" + printable(line) + "' is too short");
        }
        long id = hex(line, 1, 1 + idDigits, "CAN ID");
        if (id > (extended ? 0x1FFF_FFFFL : 0x7FFL)) {
            throw new IllegalArgumentException("CAN ID " + line.substring(1, 1 + idDigits) + " is out of range");
        }
        char l = line.charAt(1 + idDigits);
        if (l < '0' || l > '8') {
            throw new IllegalArgumentException("length '" + l + "' is not 0-8");
        }
        int dlc = l - '0';
        int dataStart = 2 + idDigits;
        int dataDigits = remote ? 0 : 2 * dlc;
        int rest = line.length() - dataStart - dataDigits;
        if (rest != 0 && rest != 4) {
            throw new IllegalArgumentException("frame '" + printable(line) + "' has " + (line.length() - dataStart)
                    + " digits after the length " + dlc + "; expected " + dataDigits + " (or " + (dataDigits + 4)
                    + " with a timestamp)");
        }
        if (rest == 4 && hex(line, line.length() - 4, line.length(), "timestamp") > 59_999) {
            throw new IllegalArgumentException("timestamp " + line.substring(line.length() - 4) + " is over 59999 ms");
        }
        byte[] data = new byte[dataDigits / 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) hex(line, dataStart + 2 * i, dataStart + 2 * i + 2, "data");
        }
        return remote
                ? new CanFrame(timeMicros, iface, id, extended, CanFrame.Kind.REMOTE, 0, new byte[0], dlc)
                : CanFrame.data(timeMicros, iface, id, extended, data);
    }

    private static long hex(String s, int from, int to, String what) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException(what + " '" + printable(s.substring(from, to)) + "' is not hex");
            }
            v = v << 4 | d;
        }
        return v;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7E ? '?' : c);
        }
        return s.length() > 40 ? b + "..." : b.toString();
    }
}
