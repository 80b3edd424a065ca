package io.fleetlog.logs.candump;

import io.fleetlog.logs.Problems;
import java.io.Closeable;
import java.io.IOException;

/**
 * A pull stream of CAN frames: a candump log ({@link CandumpReader}), live candump lines on standard
 * input, or an SLCAN serial adapter.
 *
 * <p>Frames come in the order they were read. A reader skips what it cannot parse and records it in
 * {@link #problems()} as {@code name:line: reason}; {@link #next()} throws only for I/O failures it
 * cannot recover from. Not thread-safe: one reading thread.
 */
public interface CanFrames extends Closeable {

    /** The next frame, or {@code null} at the end of the input. */
    CanFrame next() throws IOException;

    /** Bad lines skipped so far. */
    Problems problems();

    /** 1-based number of the last line read (0 before the first). */
    long line();
}
