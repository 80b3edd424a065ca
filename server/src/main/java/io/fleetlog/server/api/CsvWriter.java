package io.fleetlog.server.api;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.frame.Frame;
import io.fleetlog.server.api.SignalValues.Selection;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CSV of {@link SignalValues} written as UTF-8 bytes into one reused buffer and handed to an
 * output stream in blocks of {@link #BUFFER_BYTES}: the fast path of {@code GET …/samples?format=csv}.
 * Its bytes are exactly those of {@link SignalValues#csvHeader} and {@link SignalValues#csvLine}
 * (SignalValuesTest checks that on every kind of cell); it only avoids their per-frame work: the time
 * prefix is formatted once per second, a number with at most six decimals is written from a long
 * instead of a String, enum names are encoded once, and nothing is allocated per frame. Not
 * thread-safe: one writer per response. An {@link IOException} of the stream (the client went away)
 * is thrown from {@link #row} or {@link #flush}; what the buffer held then is lost with the response.
 */
public final class CsvWriter implements Flushable {
    /** Bytes buffered before a write to the stream. */
    static final int BUFFER_BYTES = 256 * 1024;

    private static final byte[] UNAVAILABLE = SignalValues.CSV_UNAVAILABLE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final int MAX_DECIMALS = 6;
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    private static final long[] LONG_POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private final OutputStream out;
    private final Selection sel;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    /** Column of each catalogue signal id, -1 when not selected. */
    private final int[] columnOf;
    /** Per column, the entry of the current frame, -1 when not captured. */
    private final int[] entryOf;

    private final byte[][] names;
    private final boolean[] bool;
    private final EnumType[] enums;
    private final Map<Long, byte[]>[] enumCells;
    private final StringBuilder scratch = new StringBuilder(64);
    private String vin = "";
    private byte[] vinBytes = new byte[0];
    private long second = Long.MIN_VALUE;
    private byte[] secondPrefix = new byte[0];

    @SuppressWarnings("unchecked")
    public CsvWriter(OutputStream out, Selection sel) {
        this.out = out;
        this.sel = sel;
        int columns = sel.size();
        columnOf = new int[sel.catalogue().size()];
        Arrays.fill(columnOf, -1);
        entryOf = new int[columns];
        names = new byte[columns][];
        bool = new boolean[columns];
        enums = new EnumType[columns];
        enumCells = new Map[columns];
        for (int k = 0; k < columns; k++) {
            columnOf[sel.ids()[k]] = k;
            names[k] = sel.signal(k).name().getBytes(StandardCharsets.UTF_8);
            bool[k] = sel.signal(k).type() instanceof BooleanType;
            if (sel.signal(k).type() instanceof EnumType e) {
                enums[k] = e;
                enumCells[k] = new HashMap<>();
            }
        }
    }

    /** The header line ({@link SignalValues#csvHeader}) with its newline. */
    public void header() throws IOException {
        put(SignalValues.csvHeader(sel).getBytes(StandardCharsets.UTF_8));
        put((byte) '\n');
    }

    /** One row, byte for byte {@link SignalValues#csvLine}. */
    public void row(String vin, long seq, Frame f) throws IOException {
        if (pos > BUFFER_BYTES - 4096) { // a row without strings fits in what is left
            flushBuffer();
        }
        Arrays.fill(entryOf, -1);
        for (int i = 0; i < f.size(); i++) {
            int id = f.id(i);
            if (id < columnOf.length && columnOf[id] >= 0) {
                entryOf[columnOf[id]] = i;
            }
        }
        put(vinBytes(vin));
        put((byte) ',');
        putLong(seq);
        put((byte) ',');
        putTime(f.timeMs());
        for (int k = 0; k < entryOf.length; k++) {
            put((byte) ',');
            if (entryOf[k] >= 0) {
                cell(k, f, entryOf[k]);
            }
        }
        put((byte) ',');
        boolean first = true;
        for (int k = 0; k < entryOf.length; k++) {
            if (entryOf[k] >= 0 && f.omitted(entryOf[k])) {
                if (!first) {
                    put((byte) ';');
                }
                put(names[k]);
                first = false;
            }
        }
        put((byte) '\n');
    }

    /** Writes what is buffered and flushes the stream. */
    @Override
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    private byte[] vinBytes(String v) {
        if (!v.equals(vin)) {
            vin = v;
            vinBytes = v.getBytes(StandardCharsets.UTF_8);
        }
        return vinBytes;
    }

    private void cell(int k, Frame f, int i) throws IOException {
        switch (f.kind(i)) {
            case UNAVAILABLE -> put(UNAVAILABLE);
            case NUMBER -> putNumber(f.number(i));
            case POSITION -> {
                putNumber(f.latitude(i));
                put((byte) ' ');
                putNumber(f.longitude(i));
            }
            case STRING -> {
                scratch.setLength(0);
                SignalValues.quoted(scratch, f.string(i));
                put(scratch.toString().getBytes(StandardCharsets.UTF_8));
            }
            case INTEGER -> {
                long v = f.integer(i);
                if (bool[k]) {
                    put(v != 0 ? TRUE : FALSE);
                } else if (enums[k] != null) {
                    put(enumCells[k].computeIfAbsent(v, code -> enumCell(enums[k], code)));
                } else {
                    putLong(v);
                }
            }
        }
    }

    private byte[] enumCell(EnumType e, long code) {
        StringBuilder b = new StringBuilder();
        SignalValues.quoted(b, SignalValues.enumName(e, code));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code uuuu-MM-ddTHH:mm:ss} formatted once per second, then {@code .SSSZ}. */
    private void putTime(long ms) throws IOException {
        long s = Math.floorDiv(ms, 1000);
        if (s != second) {
            String text = HttpApi.ISO_MILLIS.format(java.time.Instant.ofEpochMilli(s * 1000));
            secondPrefix = text.substring(0, text.length() - ".000Z".length()).getBytes(StandardCharsets.UTF_8);
            second = s;
        }
        put(secondPrefix);
        int milli = (int) Math.floorMod(ms, 1000);
        ensure(5);
        buf[pos++] = '.';
        buf[pos++] = (byte) ('0' + milli / 100);
        buf[pos++] = (byte) ('0' + milli / 10 % 10);
        buf[pos++] = (byte) ('0' + milli % 10);
        buf[pos++] = 'Z';
    }

    /**
     * {@link SignalValues#appendNumber}. A value of [1e-3, 1e7) that a decimal with at most six
     * fractional digits rounds to is written from that decimal: there is only one such decimal (its
     * neighbours at 1e-6 apart are far wider than the value's ulp, at most 2^-29), it is the shortest
     * that reads back, so it is the one {@code Double.toString} prints. Scaled by 10^s it is within
     * 0.002 of an integer, which {@code Math.round} finds; the division checks that it reads back
     * exactly (both operands are exact doubles, the quotient correctly rounded). Everything else goes
     * through {@link SignalValues#appendNumber} itself.
     */
    private void putNumber(double v) throws IOException {
        double a = Math.abs(v);
        if (v != 0 && a >= 1e-3 && a < 1e7) {
            for (int s = 0; s <= MAX_DECIMALS; s++) {
                long m = Math.round(a * POW10[s]);
                if (m / POW10[s] == a) {
                    if (v < 0) {
                        put((byte) '-');
                    }
                    putLong(m / LONG_POW10[s]);
                    put((byte) '.');
                    if (s == 0) {
                        put((byte) '0');
                    } else {
                        putFraction(m % LONG_POW10[s], s);
                    }
                    return;
                }
            }
        }
        scratch.setLength(0);
        SignalValues.appendNumber(scratch, v);
        for (int j = 0; j < scratch.length(); j++) {
            put((byte) scratch.charAt(j)); // digits, '.', '-', "E": ASCII
        }
    }

    /** {@code digits} decimal digits of {@code f}, with leading zeros. */
    private void putFraction(long f, int digits) throws IOException {
        ensure(digits);
        for (int j = digits - 1; j >= 0; j--) {
            buf[pos + j] = (byte) ('0' + f % 10);
            f /= 10;
        }
        pos += digits;
    }

    private void putLong(long v) throws IOException {
        if (v == Long.MIN_VALUE) {
            put(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        for (int j = digits - 1; j >= 0; j--) {
            buf[pos + j] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += digits;
    }

    private void put(byte b) throws IOException {
        ensure(1);
        buf[pos++] = b;
    }

    private void put(byte[] b) throws IOException {
        if (b.length > buf.length - pos) {
            flushBuffer();
            if (b.length > buf.length) {
                out.write(b);
                return;
            }
        }
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void ensure(int n) throws IOException {
        if (n > buf.length - pos) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }
}
