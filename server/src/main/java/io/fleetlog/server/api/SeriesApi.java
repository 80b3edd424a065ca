package io.fleetlog.server.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.server.api.HttpApi.BadRequest;
import io.fleetlog.server.api.SignalValues.Selection;
import io.fleetlog.server.history.RollupStore;
import io.fleetlog.server.history.Rollups;
import io.fleetlog.server.history.Series;
import io.fleetlog.server.history.Series.Accumulator;
import io.fleetlog.server.history.Series.Plan;
import io.fleetlog.server.history.Series.Source;
import io.fleetlog.server.store.SampleStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Function;

/**
 * {@code GET /api/vehicles/{vin}/series?signals=a,b&from=&to=&points=N}: per signal at most N points
 * for a chart of any range, each a bucket's {@code [t, min, max, mean, last, count]}, from raw frames
 * for short ranges or from the coarsest rollup that still gives N buckets ({@link Series#plan}). When
 * the planned source holds nothing for a signal in the range (retention removed it), the next coarser
 * one is tried. Parameters are validated with a 400 that names them; access is HttpGuard's, as for
 * every vehicle path (docs/api.md).
 */
final class SeriesApi {
    /** Most signals per request. */
    static final int MAX_SIGNALS = 16;
    /** Points when {@code points} is absent. */
    static final int DEFAULT_POINTS = 1000;

    private final SampleStore store;
    private final ObjectMapper json;
    private final Function<Context, String> knownVin;

    SeriesApi(SampleStore store, ObjectMapper json, Function<Context, String> knownVin) {
        this.store = store;
        this.json = json;
        this.knownVin = knownVin;
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/vehicles/{vin}/series", this::series);
    }

    void series(Context ctx) throws IOException {
        String vin = knownVin.apply(ctx);
        Selection sel = signals(ctx, vin);
        long from = HttpApi.time(ctx, "from", Long.MIN_VALUE);
        long to = HttpApi.time(ctx, "to", Long.MIN_VALUE);
        if (from == Long.MIN_VALUE || to == Long.MIN_VALUE) {
            throw new BadRequest("parameters 'from' and 'to' are required (epoch ms or ISO-8601)");
        }
        if (from >= to) {
            throw new BadRequest("parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (from < 0 || to - from > 100L * 366 * SampleStore.DAY_MS) {
            throw new BadRequest("range " + from + ".." + to + " must lie after 1970 and span at most 100 years");
        }
        long points = HttpApi.longParam(ctx, "points", DEFAULT_POINTS);
        if (points < 1 || points > Series.MAX_POINTS) {
            throw new BadRequest("parameter 'points': " + points + " is not in 1.." + Series.MAX_POINTS);
        }
        Plan plan = Series.plan(from, to, (int) points);
        Accumulator[] acc = read(vin, sel, plan, from, to, (int) points);
        write(ctx, vin, sel, from, to, (int) points, acc);
    }

    private Selection signals(Context ctx, String vin) {
        String csv = ctx.queryParam("signals");
        if (csv == null || csv.isBlank()) {
            throw new BadRequest("parameter 'signals' is required: names from GET /api/vehicles/{vin}/signals");
        }
        Selection sel;
        try {
            sel = Selection.parse(store.catalogue(vin), csv);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        if (sel.size() > MAX_SIGNALS) {
            throw new BadRequest("parameter 'signals': " + sel.size() + " signals exceed the limit of " + MAX_SIGNALS);
        }
        for (int k = 0; k < sel.size(); k++) {
            if (!Rollups.rolledUp(sel.catalogue(), sel.ids()[k])) {
                Signal s = sel.signal(k);
                throw new BadRequest(
                        "parameter 'signals': " + s.name() + " is a " + s.type().keyword()
                                + "; series chart numbers, enums and booleans (GET …/samples returns every signal)");
            }
        }
        return sel;
    }

    /** Per signal, the planned source's buckets; a signal it has nothing for tries the coarser ones. */
    private Accumulator[] read(String vin, Selection sel, Plan plan, long from, long to, int points) {
        Accumulator[] acc = new Accumulator[sel.size()];
        if (plan.source() == Source.RAW) {
            for (int k = 0; k < acc.length; k++) {
                acc[k] = new Accumulator(plan);
            }
            store.scan(vin, from, to, s -> {
                for (int k = 0; k < acc.length; k++) {
                    acc[k].add(s.seq(), s.frame(), sel.ids()[k]);
                }
            });
        }
        RollupStore rollups = store.rollups().orElse(null);
        if (plan.source() != Source.RAW && rollups != null) { // the planned tier: one query, merged in the database
            var all = rollups.merged(vin, plan.source().step(), sel.ids(), plan.startMs(), to, plan.widthMs());
            for (int k = 0; k < acc.length; k++) {
                acc[k] = new Accumulator(plan);
                for (var b : all.get(sel.ids()[k])) {
                    acc[k].add(b);
                }
            }
        }
        for (int k = 0; k < acc.length; k++) {
            Source next = plan.source().coarser(); // the planned source is read above
            while ((acc[k] == null || acc[k].isEmpty()) && next != null && rollups != null) {
                Plan p = Series.plan(next, from, to, points);
                acc[k] = new Accumulator(p);
                for (var b : rollups.buckets(vin, next.step(), sel.ids()[k], p.startMs(), to)) {
                    acc[k].add(b);
                }
                next = next.coarser();
            }
            if (acc[k] == null) { // a store without rollups: nothing but raw frames to chart
                acc[k] = new Accumulator(plan);
            }
        }
        return acc;
    }

    private void write(Context ctx, String vin, Selection sel, long from, long to, int points, Accumulator[] acc)
            throws IOException {
        ctx.status(200).contentType("application/json");
        try (JsonGenerator g = json.getFactory().createGenerator(ctx.outputStream(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("vin", vin);
            g.writeNumberField("from", from);
            g.writeNumberField("to", to);
            g.writeNumberField("points", points);
            g.writeArrayFieldStart("series");
            for (int k = 0; k < acc.length; k++) {
                Signal s = sel.signal(k);
                Plan p = acc[k].plan();
                g.writeStartObject();
                g.writeStringField("signal", s.name());
                g.writeStringField("type", s.type().keyword());
                if (s.type() instanceof FloatType f) {
                    g.writeStringField("unit", f.unit());
                }
                g.writeStringField("source", p.source().label());
                g.writeNumberField("bucketMs", p.widthMs());
                g.writeArrayFieldStart("points"); // [t, min, max, mean, last, count]
                for (Series.Point pt : acc[k].points()) {
                    g.writeStartArray();
                    g.writeNumber(pt.t());
                    g.writeNumber(pt.min());
                    g.writeNumber(pt.max());
                    g.writeNumber(pt.mean());
                    g.writeNumber(pt.last());
                    g.writeNumber(pt.count());
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
