package io.fleetlog.server.trips;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Samples;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A command printing what one re-derivation costs while a car drives: one drive of {@code minutes} at
 * 50 Hz (speed, power, SoC, odometer, location, elevation in every frame, as {@link Trip} makes them)
 * stored in a store ({@code jdbc:sqlite:…} or {@code jdbc:postgresql:…}), then the
 * newest second marked dirty and re-derived five times (the window widens to the whole open drive, as
 * it does after every batch of a driving car). Prints the frames scanned and the median time. Not a
 * test: docs/drives.md gives the command.
 */
public final class DeriveCost {
    private DeriveCost() {}

    public static void main(String[] args) {
        String url = args[0];
        int minutes = Integer.parseInt(args[1]);
        long t0 = Samples.T0;
        Trip trip = new Trip(t0, 20, true).drive(minutes * 60_000L, 40, 15, 10); // one drive still going
        try (SampleStore store = Stores.open(url)) {
            List<Sample> batch = new ArrayList<>();
            long seq = 0;
            long last = t0;
            for (Sample s : trip.samples) {
                batch.add(s.withSeq(seq++));
                last = s.captureTimeMs();
                if (batch.size() == 500) {
                    store.append(Samples.VIN_A, batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                store.append(Samples.VIN_A, batch);
            }
            Deriver d = new Deriver(store, store.sessions().orElseThrow(), InstantSource.system(), Duration.ZERO, 75);
            long[] ms = new long[5];
            for (int i = 0; i < ms.length; i++) {
                long start = System.nanoTime();
                d.rederive(Samples.VIN_A, last - 1000, last);
                ms[i] = (System.nanoTime() - start) / 1_000_000;
            }
            Arrays.sort(ms);
            var drives = store.sessions()
                    .orElseThrow()
                    .drives(Samples.VIN_A, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1000);
            System.out.printf("| store | minutes | frames | drives | charges | re-derivation median (min … max) |%n");
            System.out.printf(
                    "| %s | %d | %d | %d | %d | %d ms (%d … %d) |%n",
                    url.split(":")[1],
                    minutes,
                    seq,
                    drives.size(),
                    store.sessions()
                            .orElseThrow()
                            .charges(Samples.VIN_A, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1000)
                            .size(),
                    ms[2],
                    ms[0],
                    ms[4]);
        }
    }
}
