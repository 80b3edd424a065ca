package io.fleetlog.server.history;

/**
 * How many stored samples of an enum or boolean signal held {@code state} (the enum code; 0/1 for a
 * boolean) in one bucket. The time spent in a state is about {@code count} × the signal's sample
 * period: counts, unlike durations, stay exact under out-of-order and backfilled arrival.
 */
public record StateCount(int signalId, long startMs, long state, long count) {}
