package io.fleetlog.server.ingest;

/**
 * Renders a remote-supplied string for a log line or a reason: control characters (line breaks
 * included, so no forged log line), quotes, backslashes and Unicode line separators are escaped as
 * {@code \n}, {@code \u2028} and the like, and anything past {@link #MAX_CHARS} characters is cut
 * and counted ({@code …(+2999983 chars)}). The result is at most about {@code MAX_CHARS * 6 + 20}
 * characters, whatever the input. Null is {@code null}. Stateless and thread-safe.
 */
final class LogSafe {
    /** Characters kept of a remote value; a valid VIN, model or name is shorter. */
    static final int MAX_CHARS = 64;

    private LogSafe() {}

    static String of(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX_CHARS);
        StringBuilder b = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (s.length() > MAX_CHARS) {
            b.append("…(+").append(s.length() - MAX_CHARS).append(" chars)");
        }
        return b.toString();
    }
}
