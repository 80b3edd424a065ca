package io.fleetlog.edge.spool;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM of {@link SpoolCrashTest}: appends to a spool as fast as it can and prints
 * {@code committed N} after every group commit it observes, until it is killed.
 */
public final class SpoolCrashChild {
    private SpoolCrashChild() {}

    public static void main(String[] args) throws Exception {
        SpoolConfig c = SpoolConfig.defaults().withGroupCommit(Duration.ofMillis(10), 2000);
        Spool s = Spools.open(Path.of(args[0]), c);
        System.out.println("opened " + s.nextSeq());
        System.out.flush();
        long printed = s.lastCommittedSeq();
        while (true) {
            long first = s.nextSeq();
            s.append(TestSamples.range(first, 100));
            long committed = s.lastCommittedSeq();
            if (committed != printed) {
                System.out.println("committed " + committed);
                System.out.flush();
                printed = committed;
            }
        }
    }
}
