package io.fleetlog.logs;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bad records a log reader skipped and keeps the first few messages.
 *
 * <p>Every message reads {@code file:line: what is wrong}. The first {@link #LOGGED} are logged at
 * WARN (event {@code log_bad_record}), the first {@link #KEPT} are kept for reports; the count is
 * exact. Nothing is ever skipped silently: a reader that skips a record calls {@link #add}. Not
 * thread-safe (one per reader).
 */
public final class Problems {
    /** Messages kept for {@link #first()}. */
    public static final int KEPT = 100;
    /** Messages logged at WARN; later ones are only counted. */
    public static final int LOGGED = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final String file;
    private final List<String> first = new ArrayList<>();
    private long count;

    /** @param file the file name used in every message */
    public Problems(String file) {
        this.file = file;
    }

    /** Records a skipped record at {@code line} (1-based) and returns the message. */
    public String add(long line, String problem) {
        String message = file + ":" + line + ": " + problem;
        count++;
        if (first.size() < KEPT) {
            first.add(message);
        }
        if (count <= LOGGED) {
            LOG.warn("log_bad_record {}", message);
        } else if (count == LOGGED + 1) {
            LOG.warn("log_bad_record {}: more bad records follow, only counted from here", file);
        }
        return message;
    }

    /** Number of records skipped. */
    public long count() {
        return count;
    }

    /** The first {@link #KEPT} messages, oldest first. */
    public List<String> first() {
        return List.copyOf(first);
    }

    public String file() {
        return file;
    }
}
