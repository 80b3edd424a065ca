package io.fleetlog.server.history;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The rollups' law, against a real store: any stream of frames written in any batching, in any order
 * of batches (backfill: older seqs after newer ones), with any batches sent again (resends), rolls up
 * to exactly what a one-pass in-memory model of the distinct frames says ({@link RollupModel}). Each
 * try writes a vehicle of its own, so one store serves every try.
 */
abstract class RollupPropertyContract {

    abstract SampleStore store();

    @Property(tries = 40)
    void anyBatchingWithResendsAndBackfillRollsUpAsTheModel(
            @ForAll @IntRange(min = 1, max = 900) int frames,
            @ForAll @IntRange(min = 1, max = 300) int maxBatch,
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 0, max = 6) int resends,
            @ForAll boolean shuffle) {
        Random rnd = new Random(seed);
        String vin = RollupModel.newVin();
        List<Sample> stream = new ArrayList<>();
        long t = RollupModel.T0 + rnd.nextInt(60_000);
        for (int seq = 0; seq < frames; seq++) {
            // mostly 50 Hz; now and then a jump of up to 3 minutes (buckets with nothing, and a new day's
            // partition for the streams that start near midnight); sometimes two frames at one time
            t += rnd.nextInt(40) == 0 ? rnd.nextInt(180_000) : rnd.nextInt(8) == 0 ? 0 : 20;
            stream.add(RollupModel.frame(seq, t, seed));
        }
        List<List<Sample>> batches = new ArrayList<>();
        for (int i = 0; i < frames; ) {
            int n = 1 + rnd.nextInt(maxBatch);
            batches.add(stream.subList(i, Math.min(frames, i + n)));
            i += n;
        }
        if (shuffle) {
            Collections.shuffle(batches, rnd); // backfill: an older span lands after a newer one
        }
        for (int r = 0; r < resends; r++) {
            List<Sample> b = batches.get(rnd.nextInt(batches.size()));
            int from = rnd.nextInt(b.size());
            batches.add(rnd.nextInt(batches.size() + 1), b.subList(from, b.size())); // a partial resend
        }
        TreeMap<Long, Sample> distinct = new TreeMap<>();
        for (List<Sample> b : batches) {
            store().append(vin, b);
            b.forEach(s -> distinct.put(s.seq(), s));
        }
        RollupModel.check(store(), vin, distinct.values());
    }
}
