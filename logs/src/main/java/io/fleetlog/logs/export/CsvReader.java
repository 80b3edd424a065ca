package io.fleetlog.logs.export;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from comma-separated text: quoted fields with {@code ""} escapes and embedded
 * line breaks, LF/CRLF/CR line ends, a UTF-8 byte-order mark, no trailing newline. Blank lines are
 * read over. A record longer than {@link #MAX_RECORD} characters, or a quote still open at the end
 * of the file, is a {@link BadRecord} (the reader stays usable). Not thread-safe.
 */
final class CsvReader implements Closeable {
    static final int MAX_RECORD = 1 << 20;

    /**
     * What {@link #utf8} decodes a malformed byte sequence to: a Unicode noncharacter, never found in
     * real text, so the reader can stop at the exact line instead of at the decoder's read-ahead.
     */
    static final char MALFORMED = '\uFDD0';

    /** A UTF-8 reader of {@code in} that marks malformed bytes with {@link #MALFORMED}. */
    static Reader utf8(java.io.InputStream in) {
        return new BufferedReader(
                new java.io.InputStreamReader(
                        in,
                        java.nio.charset.StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                                .replaceWith(String.valueOf(MALFORMED))),
                1 << 16);
    }

    private final BufferedReader in;
    private final StringBuilder field = new StringBuilder();
    private long line = 1;
    private long recordLine;
    private int peeked = -2;
    private boolean first = true;

    CsvReader(Reader in) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    }

    /** The line being read now (1-based). */
    long line() {
        return line;
    }

    /** Line on which the last record returned (or rejected) started. */
    long recordLine() {
        return recordLine;
    }

    /** The next record's fields, or {@code null} at the end. */
    List<String> next() throws IOException, BadRecord {
        while (true) {
            int c = read();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    c = read();
                }
            }
            if (c == -1) {
                return null;
            }
            if (c == '\n' || c == '\r') {
                newline(c);
                continue;
            }
            recordLine = line;
            unread(c);
            return record();
        }
    }

    private List<String> record() throws IOException, BadRecord {
        List<String> fields = new ArrayList<>();
        field.setLength(0);
        boolean quoted = false;
        boolean wasQuoted = false;
        int length = 0;
        while (true) {
            int c = read();
            if (++length > MAX_RECORD) {
                skipLine();
                throw new BadRecord("record is longer than " + MAX_RECORD + " characters (an unclosed quote?)");
            }
            if (quoted) {
                if (c == -1) {
                    throw new BadRecord("a quoted field is not closed before the end of the file");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        unread(d);
                    }
                } else {
                    if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++;
                    }
                    field.append((char) c);
                }
                continue;
            }
            if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == -1 || c == '\n' || c == '\r') {
                fields.add(field.toString());
                if (c != -1) {
                    newline(c);
                }
                return fields;
            } else {
                field.append((char) c);
            }
        }
    }

    private void newline(int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private void skipLine() throws IOException {
        for (int c = read(); c != -1; c = read()) {
            if (c == '\n' || c == '\r') {
                newline(c);
                return;
            }
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return checked(in.read());
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = checked(in.read());
        }
        return peeked;
    }

    private static int checked(int c) throws java.nio.charset.MalformedInputException {
        if (c == MALFORMED) {
            throw new java.nio.charset.MalformedInputException(1);
        }
        return c;
    }

    private void unread(int c) {
        peeked = c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A record that cannot be split into fields. */
    static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message, null, false, false);
        }
    }
}
