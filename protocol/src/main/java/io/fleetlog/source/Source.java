package io.fleetlog.source;

import io.fleetlog.sample.Sample;
import java.io.IOException;

/**
 * Where a vehicle's samples come from: a drive simulator, a CSV export, a CAN log.
 *
 * <p>A pull iterator of captured samples in capture-time order. The seq of a returned sample is
 * meaningless (the edge spool assigns seqs); its capture time and values are what the vehicle
 * captured, NaN where a sensor value is unavailable, all within their field's range. Pacing (real
 * time, a speed-up, as fast as possible) is the caller's business: a source never sleeps. Bad input
 * that can be skipped is skipped, counted and reported through {@link #problems()}; input that
 * cannot be read at all throws {@link IOException} naming file and line. Not thread-safe.
 */
public interface Source extends AutoCloseable {

    /** The next captured sample, or {@code null} when the source is exhausted. */
    Sample next() throws IOException;

    /** A short human description (file name, simulator route and seed). */
    String describe();

    /** Number of input records skipped because they were malformed (0 for a simulator). */
    default long problems() {
        return 0;
    }

    /**
     * Whether samples arrive in real time as they are captured (a live CAN bus) rather than from a
     * recording. The edge neither paces a live source nor holds its samples back for a bigger spool
     * append: each is committed as soon as it arrives. Default false.
     */
    default boolean live() {
        return false;
    }

    @Override
    default void close() throws IOException {}
}
