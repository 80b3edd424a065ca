package io.fleetlog.app.cli;

import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A source restarted after a crash, in one of two ways.
 *
 * <ul>
 *   <li>{@link #skipFirst}: skips exactly the first {@code n} samples — the ones the spool committed
 *       from this same input (the spool's {@code source_id} is a content hash of it, see {@link
 *       io.fleetlog.edge.spool.Spool#resumeSource}). Used by {@code replay}: only what is provably the
 *       same log is skipped, and a different log is captured in full.
 *   <li>{@link #resume}: skips what has a capture time at or before the spool's newest committed
 *       sample. Used by {@code edge} for the simulator, whose drive is a function of seed and start.
 * </ul>
 *
 * Samples that were in the group-commit window when the process died are captured again.
 */
final class ResumingSource implements Source {
    private final Source in;
    private final long afterMs;
    private long toSkip;
    private long skipped;
    private long read;

    private ResumingSource(Source in, long afterMs, long toSkip) {
        this.in = in;
        this.afterMs = afterMs;
        this.toSkip = toSkip;
    }

    /** Wraps {@code in} when {@code spoolFile} already holds samples. */
    static Source resume(Source in, Path spoolFile) {
        long after = resumePoint(spoolFile);
        return after < 0 ? in : new ResumingSource(in, after, 0);
    }

    /** Skips the first {@code n} samples of {@code in} (the ones a spool already committed). */
    static ResumingSource skipFirst(Source in, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("samples to skip " + n + " must be at least 0");
        }
        return new ResumingSource(in, Long.MIN_VALUE, n);
    }

    /** Samples skipped so far. */
    long skipped() {
        return skipped;
    }

    /** Samples read from the input so far, skipped ones included. */
    long read() {
        return read;
    }

    /** Capture time of the spool's newest committed sample, -1 for a new or never-used spool. */
    static long resumePoint(Path spoolFile) {
        if (!Files.isRegularFile(spoolFile)) {
            return -1;
        }
        SpoolStats s = Spools.inspect(spoolFile);
        return s.newestTimeMs();
    }

    @Override
    public Sample next() throws IOException {
        Sample s;
        while ((s = in.next()) != null) {
            read++;
            if (toSkip > 0) {
                toSkip--;
            } else if (s.captureTimeMs() > afterMs) {
                return s;
            }
            skipped++;
        }
        return null;
    }

    @Override
    public String describe() {
        return in.describe() + " (resumed, skipped " + skipped + ")";
    }

    @Override
    public long problems() {
        return in.problems();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
