package io.fleetlog.edge.spool;

import java.time.Duration;
import java.util.Locale;

/**
 * Settings of one spool, validated on construction (the message names the field and the value).
 *
 * @param maxSamples the most samples the spool holds (committed plus waiting for the next group commit)
 * @param fullPolicy what {@link Spool#append} does when the spool is full
 * @param groupCommitInterval the longest a sample waits before it is committed (at most 10 s; default
 *     100 ms). It is the window of data at risk on power loss.
 * @param groupCommitSamples a group commit starts early once this many samples wait
 * @param synchronous SQLite's {@code synchronous} pragma; {@link Synchronous#FULL} (default) survives
 *     power loss, {@link Synchronous#NORMAL} in WAL mode survives a process crash but may lose the last
 *     commits on power loss, {@link Synchronous#OFF} is for benchmarks only
 */
public record SpoolConfig(
        long maxSamples,
        FullPolicy fullPolicy,
        Duration groupCommitInterval,
        int groupCommitSamples,
        Synchronous synchronous) {

    /** 24 hours of 50 Hz samples (about 0.5 GB on disk). */
    public static final long DEFAULT_MAX_SAMPLES = 50L * 3600 * 24;

    public static final Duration DEFAULT_GROUP_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_GROUP_COMMIT_SAMPLES = 4096;

    /** What a full spool does with a new sample. */
    public enum FullPolicy {
        /** {@code append} waits until acks free space: back-pressure on the source. Nothing is dropped. */
        BLOCK,
        /** The oldest samples are deleted at the next commit to make room, counted in {@code dropped}. */
        DROP_OLDEST;

        /** Parses {@code block} or {@code drop-oldest} (as written on command lines). */
        public static FullPolicy parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "block" -> BLOCK;
                case "drop-oldest" -> DROP_OLDEST;
                default -> throw new IllegalArgumentException("full policy '" + s + "' is not block or drop-oldest");
            };
        }
    }

    /** SQLite's {@code PRAGMA synchronous} levels. */
    public enum Synchronous {
        OFF,
        NORMAL,
        FULL,
        EXTRA;

        public static Synchronous parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("synchronous '" + s + "' is not off, normal, full or extra");
            }
        }
    }

    public SpoolConfig {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples " + maxSamples + " must be at least 1");
        }
        if (fullPolicy == null) {
            throw new IllegalArgumentException("fullPolicy must be block or drop-oldest, got null");
        }
        if (groupCommitInterval == null
                || groupCommitInterval.toMillis() < 1
                || groupCommitInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException(
                    "groupCommitInterval " + groupCommitInterval + " must be between 1 ms and 10 s");
        }
        if (groupCommitSamples < 1 || groupCommitSamples > 1_000_000) {
            throw new IllegalArgumentException(
                    "groupCommitSamples " + groupCommitSamples + " must be between 1 and 1000000");
        }
        if (synchronous == null) {
            throw new IllegalArgumentException("synchronous must be off, normal, full or extra, got null");
        }
    }

    /** 24 h of samples, block when full, 100 ms / 4096-sample group commits, synchronous FULL. */
    public static SpoolConfig defaults() {
        return new SpoolConfig(
                DEFAULT_MAX_SAMPLES,
                FullPolicy.BLOCK,
                DEFAULT_GROUP_COMMIT_INTERVAL,
                DEFAULT_GROUP_COMMIT_SAMPLES,
                Synchronous.FULL);
    }

    public SpoolConfig withMaxSamples(long max, FullPolicy policy) {
        return new SpoolConfig(max, policy, groupCommitInterval, groupCommitSamples, synchronous);
    }

    public SpoolConfig withGroupCommit(Duration interval, int samples) {
        return new SpoolConfig(maxSamples, fullPolicy, interval, samples, synchronous);
    }

    public SpoolConfig withSynchronous(Synchronous s) {
        return new SpoolConfig(maxSamples, fullPolicy, groupCommitInterval, groupCommitSamples, s);
    }

    /**
     * The most samples that may wait for a group commit before {@code append} waits for the disk: two
     * group commits' worth (one being written, one filling), at least 8192. (It was four and 16384 when
     * a sample was 8 doubles; a frame object of ten signals is about 3.5 times that, and a fleet at
     * max speed keeps this many per car in memory.)
     */
    int maxPending() {
        return (int) Math.max(1, Math.min(Math.max(2L * groupCommitSamples, 8_192), Integer.MAX_VALUE / 2));
    }
}
