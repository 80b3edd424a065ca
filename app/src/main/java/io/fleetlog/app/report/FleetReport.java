package io.fleetlog.app.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.spool.Spool;
import io.fleetlog.edge.spool.SpoolConfig;
import io.fleetlog.edge.spool.Spools;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The continuity report of a run: per vehicle and in total, samples (frames) captured, stored, missing,
 * duplicated, out of order; per signal the largest reconstruction error beside its bound (exact
 * signals: mismatches), lost and invented values; outages, peak spool depth, longest backlog drain;
 * wire bytes per sample beside the same frames as a naive protobuf and as JSON ({@link SampleSizes}).
 *
 * <p>Missing, duplicated, out of order and errors come from {@link Continuity}: the vehicle's
 * capture regenerated independently, compared with what the store holds — never from the
 * pipeline's own counters. The pipeline's counters are used only for what cannot be recomputed
 * (bytes on the wire, outages, spool depth).
 */
public final class FleetReport {
    private final Map<String, Object> json;
    private final List<Row> rows;
    private final boolean ok;

    /** One line of the table. */
    record Row(String vin, String name, Continuity c, Totals t) {}

    /** Counters summed over a vehicle's segments. */
    record Totals(
            long outages,
            double outageSeconds,
            long peakSpoolDepth,
            double longestDrainSeconds,
            long wireBytes,
            long protobufBytes,
            long jsonBytes,
            long reconnects,
            long rejects,
            long dropped) {}

    private FleetReport(Map<String, Object> json, List<Row> rows, boolean ok) {
        this.json = json;
        this.rows = rows;
        this.ok = ok;
    }

    /**
     * Compares every run with the store.
     *
     * @param spoolDir where the vehicles' spools are (samples still buffered there are late, not lost)
     * @param run facts about the run for the JSON (duration, speed, db, …)
     */
    public static FleetReport build(List<VehicleRun> runs, SampleStore store, Path spoolDir, Map<String, Object> run) {
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> vehicles = new ArrayList<>();
        boolean ok = true;
        for (VehicleRun r : runs) {
            Catalogue catalogue = store.catalogue(r.vin());
            SampleSizes captured = new SampleSizes(r.captured().get(), r.vin(), catalogue);
            List<Sample> stored = new ArrayList<>();
            store.scan(r.vin(), r.fromMs(), Long.MAX_VALUE, s -> {
                if (s.seq() >= r.firstSeq()) {
                    stored.add(s);
                }
            });
            List<Sample> buffered = buffered(spoolDir, r.vin());
            Continuity c = new Continuity(catalogue).compare(captured, stored, buffered.iterator());
            Totals t = totals(r, captured);
            rows.add(new Row(r.vin(), r.name(), c, t));
            vehicles.add(vehicleJson(r, c, t));
            ok &= c.perfect() && c.stillBuffered() == 0;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", run);
        json.put("ok", ok);
        json.put("vehicles", vehicles);
        json.put("total", totalJson(rows));
        return new FleetReport(json, rows, ok);
    }

    /** Whether nothing was missing, duplicated, out of order or beyond its bound, and nothing is left on the edge. */
    public boolean ok() {
        return ok;
    }

    public Map<String, Object> json() {
        return json;
    }

    /** Total of a counter over vehicles (for tests): captured, stored, missing, duplicated, out_of_order. */
    public long total(String key) {
        Object v = ((Map<?, ?>) json.get("total")).get(key);
        return ((Number) v).longValue();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static List<Sample> buffered(Path spoolDir, String vin) {
        Path file = Spools.fileFor(spoolDir, vin);
        List<Sample> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (Spool spool = Spools.open(file, SpoolConfig.defaults())) {
            long from = 0;
            List<Sample> page;
            while (!(page = spool.peek(from, 10_000)).isEmpty()) {
                out.addAll(page);
                from = page.get(page.size() - 1).seq() + 1;
            }
        }
        return out;
    }

    private static Totals totals(VehicleRun r, SampleSizes sizes) {
        long outages = 0, peak = 0, wire = 0, reconnects = 0, rejects = 0, dropped = 0;
        double outageSeconds = 0;
        for (AgentStats s : r.segments()) {
            outages += s.outages();
            outageSeconds += s.outageSeconds();
            peak = Math.max(peak, s.peakSpoolDepth());
            wire += s.wireBytesSent();
            reconnects += s.reconnects();
            rejects += s.rejects();
            dropped += s.dropped();
        }
        return new Totals(
                outages,
                outageSeconds,
                peak,
                r.longestDrainSeconds(),
                wire,
                sizes.protobufBytes(),
                sizes.jsonBytes(),
                reconnects,
                rejects,
                dropped);
    }

    private static Map<String, Object> vehicleJson(VehicleRun r, Continuity c, Totals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vin", r.vin());
        m.put("name", r.name());
        m.put("model", r.model());
        counts(
                m,
                c.captured(),
                c.stored(),
                c.missing(),
                c.duplicated(),
                c.outOfOrder(),
                c.unexpected(),
                c.stillBuffered());
        m.put("catalogue", c.catalogue().shortId());
        m.put("signals", signalsJson(c.signals()));
        traffic(m, t, c.captured());
        return m;
    }

    private static void counts(
            Map<String, Object> m,
            long captured,
            long stored,
            long missing,
            long duplicated,
            long outOfOrder,
            long unexpected,
            long stillBuffered) {
        m.put("captured", captured);
        m.put("stored", stored);
        m.put("missing", missing);
        m.put("duplicated", duplicated);
        m.put("out_of_order", outOfOrder);
        m.put("unexpected", unexpected);
        m.put("still_buffered_on_edge", stillBuffered);
    }

    private static void traffic(Map<String, Object> m, Totals t, long captured) {
        m.put("outages", t.outages());
        m.put("outage_seconds", round(t.outageSeconds()));
        m.put("peak_spool_depth", t.peakSpoolDepth());
        m.put("longest_drain_seconds", round(t.longestDrainSeconds()));
        m.put("wire_bytes", t.wireBytes());
        m.put("bytes_per_sample", perSample(t.wireBytes(), captured));
        m.put("full_protobuf_bytes_per_sample", perSample(t.protobufBytes(), captured));
        m.put("json_bytes_per_sample", perSample(t.jsonBytes(), captured));
        m.put(
                "saving_vs_protobuf_percent",
                captured == 0 || t.protobufBytes() == 0
                        ? 0
                        : round(100.0 * (1 - (double) t.wireBytes() / t.protobufBytes())));
        m.put("reconnects", t.reconnects());
        m.put("rejects", t.rejects());
        m.put("dropped_by_spool", t.dropped());
    }

    /** Per signal: compared values, max error beside the bound, over bound, lost, invented. */
    private static Map<String, Object> signalsJson(List<Continuity.SignalResult> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Continuity.SignalResult r : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", r.signal().type().keyword());
            e.put("compared", r.compared());
            e.put("max_error", round(r.maxError()));
            e.put("bound", r.bound());
            e.put("unit", unit(r.signal()));
            e.put("over_bound", r.overBound());
            e.put("lost", r.lost());
            e.put("invented", r.invented());
            m.put(r.signal().name(), e);
        }
        return m;
    }

    /** The unit errors of {@code s} are measured in (exact types: none). */
    static String unit(Signal s) {
        return switch (s.type()) {
            case FloatType f -> f.unit();
            case LocationType l -> "m";
            default -> "exact";
        };
    }

    /** Every vehicle's signal results merged by name (max of max errors, sums of counts). */
    private static List<Continuity.SignalResult> merged(List<Row> rows) {
        Map<String, Continuity.SignalResult> m = new LinkedHashMap<>();
        for (Row row : rows) {
            for (Continuity.SignalResult r : row.c().signals()) {
                m.merge(
                        r.signal().name(),
                        r,
                        (a, b) -> new Continuity.SignalResult(
                                a.signal(),
                                a.compared() + b.compared(),
                                Math.max(a.maxError(), b.maxError()),
                                Math.max(a.bound(), b.bound()),
                                a.overBound() + b.overBound(),
                                a.lost() + b.lost(),
                                a.invented() + b.invented()));
            }
        }
        return new ArrayList<>(m.values());
    }

    private static Map<String, Object> totalJson(List<Row> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        long captured = 0, stored = 0, missing = 0, dup = 0, ooo = 0, unexpected = 0, buffered = 0;
        long outages = 0, peak = 0, wire = 0, pb = 0, js = 0, reconnects = 0, rejects = 0, dropped = 0;
        double outageSeconds = 0, drain = 0;
        for (Row r : rows) {
            Continuity c = r.c();
            captured += c.captured();
            stored += c.stored();
            missing += c.missing();
            dup += c.duplicated();
            ooo += c.outOfOrder();
            unexpected += c.unexpected();
            buffered += c.stillBuffered();
            Totals t = r.t();
            outages += t.outages();
            outageSeconds += t.outageSeconds();
            peak = Math.max(peak, t.peakSpoolDepth());
            drain = Math.max(drain, t.longestDrainSeconds());
            wire += t.wireBytes();
            pb += t.protobufBytes();
            js += t.jsonBytes();
            reconnects += t.reconnects();
            rejects += t.rejects();
            dropped += t.dropped();
        }
        counts(m, captured, stored, missing, dup, ooo, unexpected, buffered);
        m.put("signals", signalsJson(merged(rows)));
        traffic(
                m,
                new Totals(outages, outageSeconds, peak, drain, wire, pb, js, reconnects, rejects, dropped),
                captured);
        return m;
    }

    private static double perSample(long bytes, long samples) {
        return samples == 0 ? 0 : round((double) bytes / samples);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }

    /** Prints the report as tables. */
    public void print(PrintStream out) {
        out.println();
        out.println("fleetlog continuity report");
        out.printf(
                "%-20s %-17s %9s %9s %7s %5s %5s %7s %6s %8s %9s %8s %8s %8s%n",
                "vehicle",
                "vin",
                "captured",
                "stored",
                "missing",
                "dup",
                "order",
                "outages",
                "out s",
                "peak",
                "drain s",
                "B/sample",
                "pb B/s",
                "json B/s");
        for (Row r : rows) {
            Continuity c = r.c();
            Totals t = r.t();
            out.printf(
                    "%-20s %-17s %9d %9d %7d %5d %5d %7d %6.0f %8d %9.2f %8.2f %8.2f %8.2f%n",
                    r.name(),
                    r.vin(),
                    c.captured(),
                    c.stored(),
                    c.missing() + c.stillBuffered(),
                    c.duplicated(),
                    c.outOfOrder() + c.unexpected(),
                    t.outages(),
                    t.outageSeconds(),
                    t.peakSpoolDepth(),
                    t.longestDrainSeconds(),
                    perSample(t.wireBytes(), c.captured()),
                    perSample(t.protobufBytes(), c.captured()),
                    perSample(t.jsonBytes(), c.captured()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> total = (Map<String, Object>) json.get("total");
        out.printf(
                "%-38s %9d %9d %7d %5d %5d %7d %6.0f %8d %9.2f %8.2f %8.2f %8.2f%n",
                "total",
                total.get("captured"),
                total.get("stored"),
                total(total, "missing") + total(total, "still_buffered_on_edge"),
                total.get("duplicated"),
                total(total, "out_of_order") + total(total, "unexpected"),
                total.get("outages"),
                total.get("outage_seconds"),
                total.get("peak_spool_depth"),
                total.get("longest_drain_seconds"),
                total.get("bytes_per_sample"),
                total.get("full_protobuf_bytes_per_sample"),
                total.get("json_bytes_per_sample"));
        out.println();
        List<Continuity.SignalResult> signals = merged(rows);
        out.printf(
                "%-24s %-8s %10s %12s %10s %6s %6s %8s  %s%n",
                "signal", "type", "values", "max error", "bound", "over", "lost", "invented", "unit");
        for (Continuity.SignalResult r : signals) {
            out.printf(
                    "%-24s %-8s %10d %12s %10s %6d %6d %8d  %s%n",
                    r.signal().name(),
                    r.signal().type().keyword(),
                    r.compared(),
                    round(r.maxError()),
                    r.signal().exact() ? "exact" : round(r.bound()),
                    r.overBound(),
                    r.lost(),
                    r.invented(),
                    unit(r.signal()));
        }
        out.printf("%d signals compared%n", signals.size());
        out.println();
        out.printf(
                "wire bytes %,d = %.2f B/sample, %.0f %% less than full protobuf and %.0f %% less than JSON%n",
                total(total, "wire_bytes"),
                total.get("bytes_per_sample"),
                total.get("saving_vs_protobuf_percent"),
                100
                        * (1
                                - ((Number) total.get("bytes_per_sample")).doubleValue()
                                        / Math.max(1e-9, ((Number) total.get("json_bytes_per_sample")).doubleValue())));
        out.println(
                ok
                        ? "RESULT: OK — every captured sample stored exactly once, in order, within its error bound"
                        : "RESULT: NOT OK — see missing / dup / order / over / lost / invented above");
    }

    private static long total(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }
}
