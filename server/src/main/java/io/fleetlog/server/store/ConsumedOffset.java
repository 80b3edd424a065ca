package io.fleetlog.server.store;

import java.util.Objects;

/**
 * The position of a consumer group in one partition of a log, stored next to the rows it produced
 * ({@link SampleStore#applyConsumed}): {@code next} is the offset of the next record to read. {@code
 * expected} is what the writer believes is stored now ({@link #NONE} when nothing is): the store
 * moves the offset only from that value, so two writers of one partition (a consumer that lost it in a
 * rebalance and does not know yet) can never both commit the same records.
 */
public record ConsumedOffset(String group, String topic, int partition, long expected, long next) {
    /** No offset stored yet for the partition. */
    public static final long NONE = -1;

    public ConsumedOffset {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " is negative");
        }
        if (expected < NONE || next < 0 || (expected != NONE && next < expected)) {
            throw new IllegalArgumentException(
                    "offset of " + topic + "-" + partition + " cannot move from " + expected + " to " + next);
        }
    }
}
