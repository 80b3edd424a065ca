package io.fleetlog.edge.can;

/**
 * What a live CAN input did so far ({@link LiveCan#stats()}).
 *
 * @param frames frames read (of the chosen interface)
 * @param malformed input lines skipped as malformed (each logged with its line number, the first few)
 * @param silences times the bus went silent for the silence period
 * @param silentNow whether it is silent now
 * @param errorReplies SLCAN bell replies (the adapter refused a command); 0 for candump input
 * @param disconnects SLCAN device failures or ends, each followed by reopening; 0 for candump input
 * @param clockStepsForward wall-clock steps forward (followed)
 * @param clockStepsBackward wall-clock steps backward (not followed: capture time kept running)
 * @param clockOffsetMs capture time minus the input's wall-clock time now, ms
 * @param ended whether the input ended (standard input closed)
 */
public record LiveCanStats(
        long frames,
        long malformed,
        long silences,
        boolean silentNow,
        long errorReplies,
        long disconnects,
        long clockStepsForward,
        long clockStepsBackward,
        long clockOffsetMs,
        boolean ended) {

    /** One line for the edge's status output. */
    public String line() {
        return String.format(
                java.util.Locale.ROOT,
                "%,d frames, %,d malformed lines, %d silences%s, %d adapter error replies, %d disconnects,"
                        + " clock steps %d forward / %d backward (offset %d ms)",
                frames,
                malformed,
                silences,
                silentNow ? " (silent now)" : "",
                errorReplies,
                disconnects,
                clockStepsForward,
                clockStepsBackward,
                clockOffsetMs);
    }
}
