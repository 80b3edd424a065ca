package io.fleetlog.app.cli;

import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A source restarted after a crash: skips what the vehicle's spool already committed (capture time at
 * or before the spool's newest committed sample), so a deterministic source (the simulator, a log
 * file) continues where the vehicle stopped instead of capturing the same moments twice. Samples that
 * were in the group-commit window when the process died are captured again.
 */
final class ResumingSource implements Source {
    private final Source in;
    private final long afterMs;
    private long skipped;

    private ResumingSource(Source in, long afterMs) {
        this.in = in;
        this.afterMs = afterMs;
    }

    /** Wraps {@code in} when {@code spoolFile} already holds samples. */
    static Source resume(Source in, Path spoolFile) {
        long after = resumePoint(spoolFile);
        return after < 0 ? in : new ResumingSource(in, after);
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
        while ((s = in.next()) != null && s.captureTimeMs() <= afterMs) {
            skipped++;
        }
        return s;
    }

    @Override
    public String describe() {
        return in.describe() + " (resumed after " + afterMs + ", skipped " + skipped + ")";
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
