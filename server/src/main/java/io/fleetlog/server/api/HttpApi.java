package io.fleetlog.server.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.api.SignalValues.Selection;
import io.fleetlog.server.auth.Principal;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.ingest.IngestMetrics;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.VehicleEvent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The REST API of docs/api.md: /status, /metrics, /api/vehicles, samples (JSON or CSV, streamed from
 * the store straight to the socket, so a day of 50 Hz data never sits in memory) and summary.
 * Unknown VIN → 404, bad parameter → 400, each with {@code {"error": "…"}} naming it. Access is
 * checked before these handlers by {@link io.fleetlog.server.auth.HttpGuard}; they only narrow what a
 * vehicle-restricted {@link Principal} sees (the vehicle list, /status, another's VIN answers 404).
 */
public final class HttpApi {
    static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Request attribute set when an API handler already wrote a JSON error body. */
    public static final String ERROR_WRITTEN = "fleetlog.errorWritten";

    private final SampleStore store;
    private final Fleet fleet;
    private final IngestMetrics ingest;
    private final PrometheusMeterRegistry prometheus;
    private final ObjectMapper json;
    private final InstantSource clock;
    private final long startedMs;
    private final Supplier<Map<String, Object>> liveStats;
    private final java.time.Duration retention;
    private final Supplier<Map<String, Object>> security;

    /**
     * @param retention how long the server keeps samples (null: forever), shown in /status
     * @param security the /status section {@code security} (mode, TLS, --insecure warnings)
     */
    public HttpApi(
            SampleStore store,
            Fleet fleet,
            IngestMetrics ingest,
            PrometheusMeterRegistry prometheus,
            ObjectMapper json,
            InstantSource clock,
            Supplier<Map<String, Object>> liveStats,
            java.time.Duration retention,
            Supplier<Map<String, Object>> security) {
        this.store = store;
        this.fleet = fleet;
        this.ingest = ingest;
        this.prometheus = prometheus;
        this.json = json;
        this.clock = clock;
        this.startedMs = clock.millis();
        this.liveStats = liveStats;
        this.retention = retention;
        this.security = security;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.get("/status", this::status);
        cfg.routes.get("/metrics", this::metrics);
        cfg.routes.get("/api/vehicles", this::vehicles);
        cfg.routes.get("/api/vehicles/{vin}/samples", this::samples);
        cfg.routes.get("/api/vehicles/{vin}/signals", this::signals);
        cfg.routes.get("/api/vehicles/{vin}/summary", this::summary);
        cfg.routes.get("/api/vehicles/{vin}/events", this::events);
        cfg.routes.get("/api/vehicles/{vin}/offline", this::offline);
        new SessionsApi(store, json, this::knownVin).routes(cfg);
        new SeriesApi(store, json, this::knownVin).routes(cfg);
        cfg.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        cfg.routes.exception(NotFound.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
    }

    void status(Context ctx) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("uptimeSeconds", (clock.millis() - startedMs) / 1000);
        m.put("vehicles", visibleStates(ctx));
        m.put("security", security.get());
        Map<String, Object> st = new LinkedHashMap<>(store.describe());
        st.put("retentionDays", retention == null ? null : retention.toDays()); // null: kept forever
        m.put("store", st);
        m.put("ingest", ingest.describe());
        m.put("compression", fleet.compression());
        m.put("live", liveStats.get());
        m.put("jvm", jvm());
        writeJson(ctx, 200, m);
    }

    static Map<String, Object> jvm() {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        m.put("heapMaxBytes", rt.maxMemory());
        m.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        m.put("processors", rt.availableProcessors());
        m.put("systemLoadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("javaVersion", System.getProperty("java.version"));
        return m;
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(prometheus.scrape());
    }

    void vehicles(Context ctx) throws IOException {
        writeJson(ctx, 200, visibleStates(ctx));
    }

    /** The fleet's VehicleStates the caller may see (a vehicle-restricted principal sees its own). */
    private List<Map<String, Object>> visibleStates(Context ctx) {
        Principal p = ctx.attribute(Principal.ATTRIBUTE);
        if (p == null || p.allVehicles()) {
            return fleet.states();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String vin : fleet.vins()) {
            if (p.sees(vin)) {
                out.add(fleet.state(vin));
            }
        }
        return out;
    }

    /**
     * Samples one request returns at most (about 5.5 h of one car at 50 Hz, some 130 MB of CSV): an
     * export never sits in memory, but an unbounded range would hold a store connection and a
     * client for as long as it likes. Larger ranges are paged with {@code from}.
     */
    public static final long MAX_SAMPLES_PER_REQUEST = 1_000_000;

    void samples(Context ctx) throws IOException {
        String vin = knownVin(ctx);
        long from = time(ctx, "from", Long.MIN_VALUE);
        long to = time(ctx, "to", Long.MAX_VALUE);
        long limit = longParam(ctx, "limit", MAX_SAMPLES_PER_REQUEST);
        if (limit > MAX_SAMPLES_PER_REQUEST) {
            throw new BadRequest("limit " + limit + " exceeds the maximum of " + MAX_SAMPLES_PER_REQUEST
                    + " samples per request; page with from= the last sample's t");
        }
        Selection sel;
        try {
            sel = Selection.parse(store.catalogue(vin), ctx.queryParam("signals"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        ctx.header("X-Fleetlog-Max-Samples", Long.toString(MAX_SAMPLES_PER_REQUEST));
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> streamJson(ctx, vin, sel, from, to, limit);
            case "csv" -> streamCsv(ctx, vin, sel, from, to, limit);
            default -> throw new BadRequest("format '" + format + "' is not json or csv");
        }
    }

    void signals(Context ctx) throws IOException {
        writeJson(ctx, 200, SignalValues.describe(store.catalogue(knownVin(ctx))));
    }

    /** Ends a scan once a request's limit of selected frames is written. */
    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super(null, null, false, false);
        }
    }

    /**
     * Streams the frames of {@code vin} in range that captured a selected signal, at most {@code limit}
     * of them, to {@code sink}.
     */
    public static void scanSelected(
            SampleStore store, String vin, Selection sel, long from, long to, long limit, Consumer<Sample> sink) {
        boolean all = sel.size() == sel.catalogue().size();
        long[] n = {0};
        try {
            store.scan(vin, from, to, all ? limit : Long.MAX_VALUE, s -> {
                if (all || sel.touches(s.frame())) {
                    if (n[0]++ >= limit) {
                        throw new Enough();
                    }
                    sink.accept(s);
                }
            });
        } catch (Enough e) {
            // the limit is reached
        }
    }

    private void streamJson(Context ctx, String vin, Selection sel, long from, long to, long limit) throws IOException {
        ctx.status(200).contentType("application/json");
        try (JsonGenerator g = json.getFactory().createGenerator(ctx.outputStream(), JsonEncoding.UTF8)) {
            g.writeStartArray();
            scanSelected(store, vin, sel, from, to, limit, s -> writeSample(g, sel, s));
            g.writeEndArray();
        }
    }

    /** One sample as the JSON API shows it (docs/api.md). */
    public static void writeSample(JsonGenerator g, Selection sel, Sample s) {
        try {
            SignalValues.writeJson(g, sel, s.seq(), s.frame());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the client went away; ends the scan
        }
    }

    private void streamCsv(Context ctx, String vin, Selection sel, long from, long to, long limit) throws IOException {
        ctx.status(200).contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + vin + ".csv\"");
        try (java.io.OutputStream os = ctx.outputStream()) {
            CsvWriter w = new CsvWriter(os, sel);
            w.header();
            scanSelected(store, vin, sel, from, to, limit, s -> {
                try {
                    w.row(vin, s.seq(), s.frame());
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // the client went away; ends the scan
                }
            });
            w.flush();
        }
    }

    void summary(Context ctx) throws IOException {
        String vin = knownVin(ctx);
        long from = time(ctx, "from", Long.MIN_VALUE);
        long to = time(ctx, "to", Long.MAX_VALUE);
        Summary s = new Summary();
        store.scan(vin, from, to, s::accept);
        long now = clock.millis();
        writeJson(ctx, 200, s.result(vin, from, to, store.events(vin, Long.MIN_VALUE, to), now));
    }

    /** Most events one request returns; {@code limit} asks for fewer. */
    static final int MAX_EVENTS = 10_000;

    /**
     * The vehicle's stored events with {@code from <= t < to}, oldest first, optionally of some kinds
     * ({@code kind=ALERT,ERROR}), at most {@code limit} ({@value #MAX_EVENTS}); {@code truncated} says
     * whether more matched.
     */
    void events(Context ctx) throws IOException {
        String vin = knownVin(ctx);
        long from = time(ctx, "from", Long.MIN_VALUE);
        long to = time(ctx, "to", Long.MAX_VALUE);
        java.util.Set<VehicleEvent.Kind> kinds = java.util.EnumSet.allOf(VehicleEvent.Kind.class);
        String k = ctx.queryParam("kind");
        if (k != null && !k.isBlank()) {
            kinds = java.util.EnumSet.noneOf(VehicleEvent.Kind.class);
            for (String one : k.split(",", 64)) {
                try {
                    kinds.add(VehicleEvent.Kind.valueOf(one.strip().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("kind '" + shown(one) + "' is not one of "
                            + java.util.Arrays.toString(VehicleEvent.Kind.values()));
                }
            }
        }
        int limit = MAX_EVENTS;
        String l = ctx.queryParam("limit");
        if (l != null && !l.isBlank()) {
            try {
                limit = Integer.parseInt(l.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_EVENTS) {
                throw new BadRequest("limit '" + shown(l) + "' is not a number in 1.." + MAX_EVENTS);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        boolean truncated = false;
        for (VehicleEvent e : store.events(vin, from, to)) {
            if (!kinds.contains(e.kind())) {
                continue;
            }
            if (out.size() == limit) {
                truncated = true;
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", e.tMs());
            m.put("time", java.time.Instant.ofEpochMilli(e.tMs()).toString());
            m.put("kind", e.kind().name());
            if (e.fromSeq() >= 0) {
                m.put("fromSeq", e.fromSeq());
                m.put("toSeq", e.toSeq());
            }
            m.put("detail", e.detail());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vin", vin);
        body.put("events", out);
        body.put("truncated", truncated);
        writeJson(ctx, 200, body);
    }

    /** A query value echoed in an error: at most 32 characters, control characters escaped. */
    static String shown(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length() && b.length() < 32; i++) {
            char c = v.charAt(i);
            b.append(Character.isISOControl(c) ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : c);
        }
        return v.length() > 32 ? b + "…" : b.toString();
    }

    /** The vehicle's link-down spans in a window (the dashboard marks frames captured in them backfilled). */
    void offline(Context ctx) throws IOException {
        String vin = knownVin(ctx);
        long from = time(ctx, "from", Long.MIN_VALUE);
        long to = time(ctx, "to", clock.millis());
        if (from == Long.MIN_VALUE) {
            throw new BadRequest("parameter 'from' is required");
        }
        if (from >= to) {
            throw new BadRequest("parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vin", vin);
        m.put("from", from);
        m.put("to", to);
        m.put("offline", OfflineSpans.of(store.events(vin, Long.MIN_VALUE, to), from, to));
        writeJson(ctx, 200, m);
    }

    private String knownVin(Context ctx) {
        String vin = ctx.pathParam("vin");
        Principal p = ctx.attribute(Principal.ATTRIBUTE);
        if (!fleet.knows(vin) || (p != null && !p.sees(vin))) { // another's vehicle looks unknown
            throw new NotFound("unknown vehicle '" + vin + "'");
        }
        return vin;
    }

    /** A time parameter: epoch milliseconds or ISO-8601 (with offset or Z). */
    static long time(Context ctx, String name, long absent) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            try {
                return OffsetDateTime.parse(v.strip()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new BadRequest(
                        "parameter '" + name + "': '" + v + "' is neither epoch milliseconds nor ISO-8601");
            }
        }
    }

    static long longParam(Context ctx, String name, long absent) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            long l = Long.parseLong(v.strip());
            if (l < 0) {
                throw new BadRequest("parameter '" + name + "': " + l + " is negative");
            }
            return l;
        } catch (NumberFormatException e) {
            throw new BadRequest("parameter '" + name + "': '" + v + "' is not a whole number");
        }
    }

    private void writeJson(Context ctx, int status, Object body) throws IOException {
        ctx.status(status).contentType("application/json");
        ctx.result(json.writeValueAsBytes(body));
    }

    private void error(Context ctx, int status, String message) {
        ctx.attribute(ERROR_WRITTEN, true);
        try {
            writeJson(ctx, status, Map.of("error", message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 400 with a message naming the parameter. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** 404 with a message naming what is unknown. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }
}
