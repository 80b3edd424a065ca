package io.fleetlog.edge.can;

import io.fleetlog.edge.uplink.Backoff;
import io.fleetlog.logs.Problems;
import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CanFrames;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SLCAN (Lawicel) serial CAN adapter — CANable, USBtin and the like — read as a file, without
 * native code: {@code slcan:/dev/ttyACM0@500000}.
 *
 * <p>Opening: when the device is a terminal, {@code stty -F DEV raw -echo} (the line discipline would
 * otherwise turn {@code \r} into {@code \n} and echo the commands back; the serial line speed is left
 * as it is — USB adapters ignore it), then the commands close {@code C\r}, bit rate {@code Sn\r}
 * ({@link #BITRATE_CODES}) and open {@code O\r}. Reading: one {@link SlcanLine} per {@code \r} (or
 * {@code \n}); an empty line is a command's OK, a bell ({@code \a}) a command's error reply (counted
 * in {@link #errorReplies()}), {@code z}/{@code Z} transmit acknowledgements and {@code V}/{@code
 * N}/{@code F} status replies are read over; anything else is a malformed line, skipped and recorded
 * in {@link #problems()} with its line number (the first few logged). A line longer than {@link
 * #MAX_LINE} is malformed.
 *
 * <p>A device that fails or ends (the adapter unplugged) is a disconnect, not an end: counted in
 * {@link #disconnects()}, logged, and reopened with {@link Backoff#defaults()} until it is back
 * ({@link #next()} blocks meanwhile; the spool and uplink keep running). A regular file is a
 * recording: its end is the end of input. Not thread-safe (one reading thread); the counters may be
 * read from any thread. Interrupting the reader ends a backoff wait with {@link InterruptedIOException};
 * {@link #close()} from another thread returns at once, and a read blocked on a silent device ends
 * when data or an error arrives (the reader then sees the port closed and returns {@code null}).
 */
public final class SlcanPort implements CanFrames {
    private static final Logger log = LoggerFactory.getLogger(SlcanPort.class);

    /** Longest SLCAN line (an extended frame with 8 bytes and a timestamp is 26 characters). */
    public static final int MAX_LINE = 64;

    /** Bit rate (bit/s) → the digit of its {@code S} command. */
    public static final Map<Integer, Character> BITRATE_CODES = Map.of(
            10_000, '0', 20_000, '1', 50_000, '2', 100_000, '3', 125_000, '4', 250_000, '5', 500_000, '6', 800_000, '7',
            1_000_000, '8');

    /** Waits between reopen attempts (injectable so tests need not wait). */
    @FunctionalInterface
    public interface Waiter {
        void waitMillis(long ms) throws InterruptedException;
    }

    private final Path device;
    private final int bitrate;
    private final String iface;
    private final InstantSource wall;
    private final Backoff backoff;
    private final Waiter waiter;
    private final SplittableRandom random = new SplittableRandom(7);
    private final Problems problems;
    private final StringBuilder line = new StringBuilder(MAX_LINE);
    private final AtomicLong errorReplies = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong reopens = new AtomicLong();
    private volatile InputStream in;
    private boolean recording;
    private boolean tooLong;
    private volatile boolean ended;
    private long lineNo;

    private SlcanPort(Path device, int bitrate, InstantSource wall, Backoff backoff, Waiter waiter) {
        this.device = device;
        this.bitrate = bitrate;
        this.iface = device.getFileName().toString();
        this.wall = wall;
        this.backoff = backoff;
        this.waiter = waiter;
        this.problems = new Problems("slcan:" + device);
    }

    /**
     * Parses {@code DEV@BITRATE} (the part after {@code slcan:}) and opens the device now, so a wrong
     * path fails before anything starts.
     */
    public static SlcanPort open(String spec, InstantSource wall, Waiter waiter) throws IOException {
        int at = spec.lastIndexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException(
                    "--can slcan:" + spec + ": expected slcan:DEVICE@BITRATE, e.g. slcan:/dev/ttyACM0@500000");
        }
        int bitrate;
        try {
            bitrate = Integer.parseInt(spec.substring(at + 1));
        } catch (NumberFormatException e) {
            bitrate = -1;
        }
        if (!BITRATE_CODES.containsKey(bitrate)) {
            throw new IllegalArgumentException("--can slcan:" + spec + ": bit rate '" + spec.substring(at + 1)
                    + "' is not one of " + new java.util.TreeSet<>(BITRATE_CODES.keySet()));
        }
        SlcanPort p = new SlcanPort(Path.of(spec.substring(0, at)), bitrate, wall, Backoff.defaults(), waiter);
        p.connect();
        return p;
    }

    /** Waits with {@link TimeUnit#sleep} (the CLI). */
    public static Waiter sleeping() {
        return ms -> TimeUnit.MILLISECONDS.sleep(ms);
    }

    private void connect() throws IOException {
        recording = Files.isRegularFile(device);
        if (!Files.exists(device)) {
            throw new java.nio.file.NoSuchFileException(device.toString(), null, "no such SLCAN device");
        }
        if (!recording) {
            rawMode(device);
            try (OutputStream out = Files.newOutputStream(device, StandardOpenOption.WRITE)) {
                out.write(("C\rS" + BITRATE_CODES.get(bitrate) + "\rO\r").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        // java.io, not a FileChannel: closing a channel waits for a read blocked on a silent terminal to
        // return (forever, from a virtual thread); a FileInputStream closes at once and the read ends in an error
        in = new BufferedInputStream(new FileInputStream(device.toFile()), 1 << 14);
        line.setLength(0);
        tooLong = false;
        log.info("slcan_opened device={} bitrate={} recording={}", device, bitrate, recording);
    }

    /** {@code stty -F DEV raw -echo} when {@code stty} exists and the device is a terminal; else nothing. */
    private static void rawMode(Path device) throws IOException {
        try {
            Process p = new ProcessBuilder("stty", "-F", device.toString(), "raw", "-echo")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            } else if (p.exitValue() != 0) {
                log.info("slcan_not_a_tty device={} stty=\"{}\"", device, SlcanLine.printable(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while setting " + device + " to raw mode");
        } catch (IOException e) {
            log.info("slcan_no_stty device={} error={}", device, e.getMessage()); // no stty: use the device as it is
        }
    }

    @Override
    public CanFrame next() throws IOException {
        while (!ended) {
            int b;
            try {
                b = in == null ? -2 : in.read();
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (ended) {
                    return null; // closed by another thread while this one was reading
                }
                disconnected(e.getMessage());
                continue;
            }
            if (b == -2 || (b == -1 && !recording)) {
                if (b == -1) {
                    disconnected("end of input");
                }
                reopen();
            } else if (b == -1) {
                ended = true;
            } else if (b == '\r' || b == '\n') {
                CanFrame f = endOfLine();
                if (f != null) {
                    return f;
                }
            } else if (b == 7) {
                errorReplies.incrementAndGet();
                log.warn("slcan_error_reply device={} line={}", device, lineNo + 1);
            } else if (line.length() < MAX_LINE) {
                line.append((char) b);
            } else {
                tooLong = true;
            }
        }
        return null;
    }

    private CanFrame endOfLine() {
        if (line.isEmpty() && !tooLong) {
            return null; // a command's OK
        }
        lineNo++;
        String s = line.toString();
        line.setLength(0);
        if (tooLong) {
            tooLong = false;
            problems.add(lineNo, "line is longer than " + MAX_LINE + " characters: '" + SlcanLine.printable(s) + "'");
            return null;
        }
        if (SlcanLine.isFrame(s)) {
            try {
                return SlcanLine.parse(s, wall.millis() * 1000, iface);
            } catch (IllegalArgumentException e) {
                problems.add(lineNo, e.getMessage());
                return null;
            }
        }
        char c = s.charAt(0);
        if (c != 'z' && c != 'Z' && c != 'V' && c != 'v' && c != 'N' && c != 'F') {
            problems.add(lineNo, "not an SLCAN frame or reply: '" + SlcanLine.printable(s) + "'");
        }
        return null;
    }

    private void disconnected(String why) {
        disconnects.incrementAndGet();
        log.warn("slcan_disconnected device={} error=\"{}\" (reopening; spooled data keeps uplinking)", device, why);
        closeQuietly();
    }

    private void reopen() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                waiter.waitMillis(backoff.delayMillis(Math.min(attempt, 20), random));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to reopen " + device);
            }
            if (ended) {
                return; // closed meanwhile
            }
            try {
                connect();
                reopens.incrementAndGet();
                log.info("slcan_reopened device={} attempts={}", device, attempt + 1);
                return;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (attempt < 3 || attempt % 20 == 0) {
                    log.info("slcan_reopen_failed device={} attempt={} error={}", device, attempt + 1, e.getMessage());
                }
            }
        }
    }

    private void closeQuietly() {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            // the device is gone already; nothing left to release
        }
        in = null;
    }

    @Override
    public Problems problems() {
        return problems;
    }

    @Override
    public long line() {
        return lineNo;
    }

    /** Bell replies (the adapter refused a command). */
    public long errorReplies() {
        return errorReplies.get();
    }

    /** Times the device failed or ended and was reopened (or is being reopened). */
    public long disconnects() {
        return disconnects.get();
    }

    /** Successful reopens after a disconnect. */
    public long reopens() {
        return reopens.get();
    }

    /** {@code slcan:DEV@BITRATE}. */
    public String describe() {
        return String.format(Locale.ROOT, "slcan:%s@%d", device, bitrate);
    }

    @Override
    public void close() throws IOException {
        ended = true;
        closeQuietly();
    }
}
