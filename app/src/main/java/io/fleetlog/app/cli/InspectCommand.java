package io.fleetlog.app.cli;

import io.fleetlog.edge.spool.SetAside;
import io.fleetlog.edge.spool.SpoolStats;
import io.fleetlog.edge.spool.Spools;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetlog inspect SPOOL}: what a vehicle's spool holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show what a spool file holds.")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPOOL", description = "A spool file (SPOOL_DIR/VIN.spool).")
    Path spool;

    private static final int MAX_LISTED = 20;

    @Override
    public Integer call() {
        SpoolStats s = Spools.inspect(spool);
        System.out.printf("spool          %s%n", spool);
        System.out.printf("depth          %,d samples buffered (not yet acknowledged)%n", s.depth());
        System.out.printf("oldest         seq %s, captured %s%n", seq(s.oldestSeq()), time(s.oldestTimeMs()));
        System.out.printf("newest         seq %s, captured %s%n", seq(s.newestSeq()), time(s.newestTimeMs()));
        System.out.printf("next seq       %d%n", s.nextSeq());
        System.out.printf("dropped        %,d (drop-oldest policy, ever)%n", s.dropped());
        System.out.printf("rejected       %,d (set aside: server Reject or invalid on the edge, ever)%n", s.rejected());
        System.out.printf("quarantined    %,d (set aside: spool chunk failed its checksum, ever)%n", s.quarantined());
        System.out.printf(
                "seq conflicts  %,d (server held seqs this spool never sent; %,d samples renumbered after them)%n",
                s.seqConflicts(), s.renumbered());
        System.out.printf("sent through   %s (every seq ever sent is at most this)%n", seq(s.sentThrough()));
        List<SetAside> aside = Spools.setAside(spool, MAX_LISTED);
        for (SetAside a : aside) {
            System.out.printf("  set aside    %s%n", a);
        }
        if (aside.size() == MAX_LISTED) {
            System.out.printf("  (first %d runs listed)%n", MAX_LISTED);
        }
        return 0;
    }

    private static String seq(long seq) {
        return seq < 0 ? "-" : Long.toString(seq);
    }

    private static String time(long ms) {
        return ms < 0 ? "-" : Instant.ofEpochMilli(ms).toString();
    }
}
