package io.fleetlog.bench.peer;

import io.fleetlog.bench.peer.StackResult.Crash;
import io.fleetlog.bench.peer.StackResult.DeadZone;
import io.fleetlog.bench.peer.StackResult.Throughput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The comparison as one Markdown table: a row per figure, a column per stack, and the ratio
 * fleetlog / peer where both stacks have a number (the row says whether higher or lower is better).
 */
final class ComparisonTable {

    private ComparisonTable() {}

    static String markdown(Plan plan, List<StackResult> results) {
        List<String> header = new ArrayList<>(List.of("Measurement"));
        results.forEach(r -> header.add(r.stack()));
        boolean ratio = results.size() == 2;
        if (ratio) {
            header.add(results.get(0).stack() + " / " + results.get(1).stack());
        }
        StringBuilder b = new StringBuilder();
        row(b, header);
        List<String> rule = new ArrayList<>();
        header.forEach(h -> rule.add("---"));
        row(b, rule);
        Table t = new Table(b, results, ratio);
        Throughput any = results.get(0).throughput();
        t.number(
                "1. Durable throughput, samples/s (" + count(any == null ? 0 : any.samples()) + " samples, "
                        + plan.vehicles() + " cars, capture → stored + acked; higher is better)",
                r -> r.throughput() == null ? null : r.throughput().samplesPerSecond(),
                0);
        t.text(
                "   all stored and acked",
                r -> r.throughput() == null ? null : yesNo(r.throughput().complete()));
        String dz = minutes(plan.deadZone().toSeconds()) + " dead zone, " + plan.vehicles() + " cars";
        t.text(
                "2. " + dz + ": captured offline at max speed (s)",
                r -> dead(
                        r.deadZone(), d -> count(d.captured()) + " in " + fixed(d.offlineCaptureSeconds(), 1) + " s"));
        t.number(
                "   recovery: link restored → every sample stored + acked, s (lower is better)",
                r -> r.deadZone() == null ? null : r.deadZone().recoverySeconds(),
                1);
        t.number(
                "   drain rate after the restore, samples/s (higher is better)",
                r -> r.deadZone() == null ? null : r.deadZone().drainPerSecond(),
                0);
        t.text("   lost / duplicated / reordered", r -> dead(r.deadZone(), ComparisonTable::losses));
        t.number(
                "   offline capture into durable vehicle storage, samples/s (higher is better)",
                r -> r.deadZone() == null ? null : r.deadZone().offlinePerSecond(),
                0);
        t.number(
                "   vehicle storage on disk at the end of the dead zone, bytes per sample (lower is better)",
                r -> r.deadZone() == null
                        ? null
                        : r.deadZone().edgeStateBytes() / (double) r.deadZone().captured(),
                1);
        String cap = (plan.capacityDeadZone() == null
                        ? "no"
                        : minutes(plan.capacityDeadZone().toSeconds())) + " dead zone, " + plan.capacityVehicles()
                + (plan.capacityVehicles() == 1 ? " car" : " cars");
        t.text(
                "3. Offline capacity, " + cap + ": accepted / refused at capture",
                r -> dead(r.capacity(), d -> count(d.accepted()) + " / " + count(d.refused())));
        t.text("   lost / duplicated / reordered", r -> dead(r.capacity(), ComparisonTable::losses));
        t.text(
                "   longest dead zone survived without loss, per car",
                r -> dead(
                        r.capacity(),
                        d -> d.refused() == 0
                                ? "≥ " + minutes(Math.round(d.survivedSecondsPerVehicle()))
                                : minutes(Math.round(d.survivedSecondsPerVehicle()))));
        t.text(
                "   refusals",
                r -> dead(
                        r.capacity(),
                        d -> d.refusals().isEmpty() ? "none" : d.refusals().toString()));
        t.text(
                "   at a spool bound of " + count(PeerComparison.BOUND_SAMPLES) + " samples (drop-oldest), "
                        + count(PeerComparison.BOUND_SAMPLES * 3 / 2) + "-sample dead zone: accepted / dropped / lost",
                r -> r.bound() == null
                        ? "(see the capacity run)"
                        : dead(
                                r.bound(),
                                d -> count(d.captured() - d.refused()) + " / " + count(d.refused()) + " / "
                                        + count(d.lost())));
        if (plan.longDeadZone() != null) {
            String lz = minutes(plan.longDeadZone().toSeconds()) + " dead zone, " + plan.vehicles() + " cars";
            t.text(
                    "   long " + lz + ": captured offline / lost",
                    r -> r.longDeadZone() == null
                            ? "(not run: past its bound)"
                            : dead(
                                    r.longDeadZone(),
                                    d -> count(d.captured()) + " in " + fixed(d.offlineCaptureSeconds(), 1) + " s / "
                                            + count(d.lost())));
            t.text(
                    "   long dead zone: recovery s / drain samples/s / vehicle storage bytes per sample",
                    r -> r.longDeadZone() == null
                            ? null
                            : dead(
                                    r.longDeadZone(),
                                    d -> fixed(d.recoverySeconds(), 1) + " / "
                                            + fixed(d.drainPerSecond(), 0) + " / "
                                            + fixed(d.edgeStateBytes() / (double) d.captured(), 1)));
        }
        long day = 24L * 3600 * Workload.HZ * plan.vehicles();
        t.text(
                "   24 h dead zone, " + plan.vehicles() + " cars (" + count(day) + " samples), extrapolated from the"
                        + " longest measured dead zone: capture min / drain min / vehicle storage GB",
                r -> {
                    DeadZone d = r.longDeadZone() != null ? r.longDeadZone() : r.deadZone();
                    if (d == null) {
                        return null;
                    }
                    if (r.bound() == null) {
                        return "not survivable (bound " + minutes(Math.round(65_535.0 / Workload.HZ)) + " per car)";
                    }
                    return fixed(day / d.offlinePerSecond() / 60, 1) + " / " + fixed(day / d.drainPerSecond() / 60, 1)
                            + " / " + fixed(day * (d.edgeStateBytes() / (double) d.captured()) / 1e9, 2);
                });
        String crash = (plan.crashDeadZone() == null
                        ? "no"
                        : minutes(plan.crashDeadZone().toSeconds())) + " dead zone, " + plan.vehicles() + " cars";
        t.text(
                "4. SIGKILL in a " + crash + ": accepted before the kill / stored after restart",
                r -> r.crash() == null
                        ? null
                        : count(r.crash().accepted()) + " / " + count(r.crash().stored()));
        t.text("   lost / duplicated / reordered", r -> r.crash() == null ? null : losses(r.crash()));
        t.number(
                "5. Bytes on the wire per sample, vehicle → receiver (lower is better)",
                r -> r.throughput() == null ? null : r.throughput().bytesUpPerSample(),
                1);
        t.number(
                "   both directions (lower is better)",
                r -> r.throughput() == null ? null : r.throughput().bytesPerSample(),
                1);
        return b.toString();
    }

    private record Table(StringBuilder b, List<StackResult> results, boolean ratio) {
        void number(String label, Function<StackResult, Double> f, int decimals) {
            List<String> cells = new ArrayList<>(List.of(label));
            List<Double> values = new ArrayList<>();
            for (StackResult r : results) {
                Double v = f.apply(r);
                values.add(v);
                cells.add(v == null ? "n/a" : fixed(v, decimals));
            }
            if (ratio) {
                Double a = values.get(0);
                Double c = values.get(1);
                cells.add(a == null || c == null || c == 0 ? "" : fixed(a / c, a / c < 10 ? 2 : 0) + "×");
            }
            row(b, cells);
        }

        void text(String label, Function<StackResult, String> f) {
            List<String> cells = new ArrayList<>(List.of(label));
            results.forEach(r -> {
                String v = f.apply(r);
                cells.add(v == null ? "n/a" : v);
            });
            if (ratio) {
                cells.add("");
            }
            row(b, cells);
        }
    }

    private static String dead(DeadZone d, Function<DeadZone, String> f) {
        return d == null ? null : f.apply(d) + (d.complete() ? "" : " (stalled)");
    }

    private static String losses(DeadZone d) {
        return count(d.lost()) + " / " + count(d.duplicates()) + " / " + count(d.reordered());
    }

    private static String losses(Crash c) {
        return count(c.lost()) + " / " + count(c.duplicates()) + " / " + count(c.reordered());
    }

    private static void row(StringBuilder b, List<String> cells) {
        b.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "NO (stalled)";
    }

    static String minutes(long seconds) {
        if (seconds % 60 == 0 && seconds >= 60) {
            return seconds / 60 + " min";
        }
        return seconds >= 120 ? fixed(seconds / 60.0, 1) + " min" : seconds + " s";
    }
}
