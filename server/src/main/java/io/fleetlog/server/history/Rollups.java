package io.fleetlog.server.history;

import io.fleetlog.catalog.BooleanType;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.SignalType;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a set of newly stored samples adds to one rollup tier: per signal and bucket a {@link Bucket}
 * (count, sum, min, max, last) and, for enum and boolean signals, per-state {@link StateCount}s. The
 * tables add these by upsert arithmetic ({@link RollupTables}), so the order and batching in which
 * samples arrive do not change the result (up to floating-point rounding of the sum).
 *
 * <p>What rolls up, by the signal's type in the vehicle's catalogue: float and integer values as
 * numbers; enum codes and booleans (0/1) as numbers (min, max, last) and as state counts; strings and
 * locations are not rolled up (a chart of them needs the raw frames; {@code /samples} serves them).
 * An unavailable entry counts nowhere; an omitted (reconstructed) value counts as the value stored. A
 * signal id outside the catalogue rolls up as a number when it holds one. Pure function; thread-safe.
 */
public final class Rollups {
    private Rollups() {}

    /** One tier's additions. */
    public record Delta(List<Bucket> buckets, List<StateCount> states) {
        public boolean isEmpty() {
            return buckets.isEmpty() && states.isEmpty();
        }
    }

    /** What {@code fresh} (samples this append stored, no duplicates) adds to {@code step}'s tables. */
    public static Delta of(List<Sample> fresh, Catalogue catalogue, Step step) {
        Map<StateKey, Bucket> buckets = new HashMap<>();
        Map<StateKey, Long> states = new HashMap<>();
        for (Sample s : fresh) {
            Frame f = s.frame();
            long start = step.bucketOf(f.timeMs());
            for (int i = 0; i < f.size(); i++) {
                if (f.unavailable(i)) {
                    continue;
                }
                int id = f.id(i);
                Role role = roleOf(catalogue, id, f.kind(i));
                if (role == Role.NONE) {
                    continue;
                }
                double v = f.kind(i) == Frame.Kind.NUMBER ? f.number(i) : f.integer(i);
                Bucket b = Bucket.of(id, start, f.timeMs(), s.seq(), v);
                buckets.merge(new StateKey(id, start, 0), b, Bucket::merge);
                if (role == Role.STATES) {
                    states.merge(new StateKey(id, start, f.integer(i)), 1L, Long::sum);
                }
            }
        }
        List<StateCount> sc = new ArrayList<>(states.size());
        states.forEach((k, n) -> sc.add(new StateCount(k.id, k.start, k.state, n)));
        return new Delta(new ArrayList<>(buckets.values()), sc);
    }

    /** A bucket's key (state 0 for the numeric bucket) or a state count's. */
    private record StateKey(int id, long start, long state) {}

    enum Role {
        NONE,
        NUMBER,
        STATES
    }

    static Role roleOf(Catalogue catalogue, int id, Frame.Kind kind) {
        if (id >= catalogue.size()) {
            return kind == Frame.Kind.NUMBER || kind == Frame.Kind.INTEGER ? Role.NUMBER : Role.NONE;
        }
        SignalType t = catalogue.signal(id).type();
        return switch (t) {
            case FloatType ft -> kind == Frame.Kind.NUMBER ? Role.NUMBER : Role.NONE;
            case IntegerType it -> kind == Frame.Kind.INTEGER ? Role.NUMBER : Role.NONE;
            case EnumType et -> kind == Frame.Kind.INTEGER ? Role.STATES : Role.NONE;
            case BooleanType bt -> kind == Frame.Kind.INTEGER ? Role.STATES : Role.NONE;
            default -> Role.NONE;
        };
    }

    /** Whether signal {@code id} of {@code catalogue} has rollups (numbers, enums, booleans). */
    public static boolean rolledUp(Catalogue catalogue, int id) {
        SignalType t = catalogue.signal(id).type();
        return t instanceof FloatType || t instanceof IntegerType || t instanceof EnumType || t instanceof BooleanType;
    }

    /** Whether signal {@code id} of {@code catalogue} has state counts (enums, booleans). */
    public static boolean hasStates(Catalogue catalogue, int id) {
        SignalType t = catalogue.signal(id).type();
        return t instanceof EnumType || t instanceof BooleanType;
    }
}
