package io.fleetlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.server.store.Charge;
import io.fleetlog.server.store.Drive;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.SessionStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives and charges (docs/api.md): {@code GET /api/vehicles/{vin}/drives}, {@code /charges} (JSON or
 * CSV, {@code from}/{@code to}, paged by {@code limit} and {@code cursor}) and {@code /drives/{id}},
 * {@code /charges/{id}}, where the id is the session's start (epoch ms). Access is the other vehicle
 * endpoints' ({@link io.fleetlog.server.auth.HttpGuard} first; another's VIN answers 404). One row shape
 * per session type serves JSON and CSV.
 */
final class SessionsApi {
    /** Sessions a page has when the request gives no {@code limit}. */
    static final int DEFAULT_LIMIT = 100;

    private final SampleStore store;
    private final ObjectMapper json;
    private final Function<Context, String> knownVin;

    SessionsApi(SampleStore store, ObjectMapper json, Function<Context, String> knownVin) {
        this.store = store;
        this.json = json;
        this.knownVin = knownVin;
    }

    void routes(JavalinConfig cfg) {
        cfg.routes.get("/api/vehicles/{vin}/drives", ctx -> list(ctx, true));
        cfg.routes.get("/api/vehicles/{vin}/charges", ctx -> list(ctx, false));
        cfg.routes.get("/api/vehicles/{vin}/drives/{id}", ctx -> one(ctx, true));
        cfg.routes.get("/api/vehicles/{vin}/charges/{id}", ctx -> one(ctx, false));
    }

    private SessionStore sessions() {
        return store.sessions().orElseThrow(() -> new HttpApi.NotFound("this store keeps no drives or charges"));
    }

    private void list(Context ctx, boolean drives) throws IOException {
        String vin = knownVin.apply(ctx);
        long from = HttpApi.time(ctx, "from", Long.MIN_VALUE);
        long to = HttpApi.time(ctx, "to", Long.MAX_VALUE);
        long limit = HttpApi.longParam(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > SessionStore.MAX_PAGE) {
            throw new HttpApi.BadRequest("parameter 'limit': " + limit + " is not within 1.." + SessionStore.MAX_PAGE);
        }
        long after = cursor(ctx);
        boolean csv = csv(ctx);
        List<Map<String, Object>> rows = new ArrayList<>();
        long last;
        if (drives) {
            List<Drive> page = sessions().drives(vin, from, to, after, (int) limit);
            page.forEach(d -> rows.add(row(d)));
            last = page.isEmpty() ? 0 : page.get(page.size() - 1).startMs();
        } else {
            List<Charge> page = sessions().charges(vin, from, to, after, (int) limit);
            page.forEach(c -> rows.add(row(c)));
            last = page.isEmpty() ? 0 : page.get(page.size() - 1).startMs();
        }
        String next = rows.size() == limit ? Long.toString(last) : null; // a full page: there may be more
        if (next != null) {
            ctx.header("X-Fleetlog-Next-Cursor", next);
        }
        if (csv) {
            writeCsv(ctx, vin + (drives ? "-drives" : "-charges"), drives ? DRIVE_KEYS : CHARGE_KEYS, rows);
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(drives ? "drives" : "charges", rows);
            body.put("nextCursor", next);
            ctx.status(200).contentType("application/json").result(json.writeValueAsBytes(body));
        }
    }

    private void one(Context ctx, boolean drive) throws IOException {
        String vin = knownVin.apply(ctx);
        String id = ctx.pathParam("id");
        long start;
        try {
            start = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new HttpApi.BadRequest(
                    "id '" + id + "' is not a whole number (a session's id is its start, epoch ms)");
        }
        Map<String, Object> row = drive
                ? sessions().drive(vin, start).map(SessionsApi::row).orElse(null)
                : sessions().charge(vin, start).map(SessionsApi::row).orElse(null);
        if (row == null) {
            throw new HttpApi.NotFound("vehicle '" + vin + "' has no " + (drive ? "drive" : "charge") + " " + id);
        }
        if (csv(ctx)) {
            writeCsv(ctx, vin + (drive ? "-drive-" : "-charge-") + id, drive ? DRIVE_KEYS : CHARGE_KEYS, List.of(row));
        } else {
            ctx.status(200).contentType("application/json").result(json.writeValueAsBytes(row));
        }
    }

    private static long cursor(Context ctx) {
        String c = ctx.queryParam("cursor");
        if (c == null || c.isBlank()) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(c.strip());
        } catch (NumberFormatException e) {
            throw new HttpApi.BadRequest("parameter 'cursor': '" + c + "' is not a cursor this API gave out");
        }
    }

    private static boolean csv(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw new HttpApi.BadRequest("format '" + format + "' is not json or csv");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).startsWith("text/csv");
    }

    static final List<String> DRIVE_KEYS = List.of(
            "id",
            "vin",
            "start",
            "end",
            "startMs",
            "endMs",
            "startLat",
            "startLon",
            "endLat",
            "endLon",
            "distanceMi",
            "distanceKm",
            "durationS",
            "energyKwh",
            "energySource",
            "whPerMi",
            "whPerKm",
            "maxSpeedMph",
            "meanSpeedMph",
            "elevationGainM",
            "elevationLossM",
            "startSoc",
            "endSoc",
            "startOdometerMi",
            "endOdometerMi",
            "backfillFraction");

    static final List<String> CHARGE_KEYS = List.of(
            "id",
            "vin",
            "start",
            "end",
            "startMs",
            "endMs",
            "lat",
            "lon",
            "durationS",
            "energyAddedKwh",
            "socFrom",
            "socTo",
            "peakPowerKw",
            "meanPowerKw",
            "kind",
            "cost",
            "currency",
            "backfillFraction");

    /** A drive as the API shows it (keys {@link #DRIVE_KEYS}); unknown numbers are null. */
    static Map<String, Object> row(Drive d) {
        Object[] v = {
            d.startMs(),
            d.vin(),
            iso(d.startMs()),
            iso(d.endMs()),
            d.startMs(),
            d.endMs(),
            n(d.startLat()),
            n(d.startLon()),
            n(d.endLat()),
            n(d.endLon()),
            n(d.distanceMi()),
            n(d.distanceKm()),
            n(d.durationS()),
            n(d.energyKwh()),
            d.energySource(),
            n(d.whPerMi()),
            n(d.whPerKm()),
            n(d.maxSpeedMph()),
            n(d.meanSpeedMph()),
            n(d.elevationGainM()),
            n(d.elevationLossM()),
            n(d.startSoc()),
            n(d.endSoc()),
            n(d.startOdometerMi()),
            n(d.endOdometerMi()),
            n(d.backfillFraction())
        };
        return zip(DRIVE_KEYS, v);
    }

    /** A charge as the API shows it (keys {@link #CHARGE_KEYS}). */
    static Map<String, Object> row(Charge c) {
        Object[] v = {
            c.startMs(),
            c.vin(),
            iso(c.startMs()),
            iso(c.endMs()),
            c.startMs(),
            c.endMs(),
            n(c.lat()),
            n(c.lon()),
            n(c.durationS()),
            n(c.energyAddedKwh()),
            n(c.socFrom()),
            n(c.socTo()),
            n(c.peakPowerKw()),
            n(c.meanPowerKw()),
            c.kind(),
            n(c.cost()),
            c.currency(),
            n(c.backfillFraction())
        };
        return zip(CHARGE_KEYS, v);
    }

    private static Map<String, Object> zip(List<String> keys, Object[] values) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), values[i]);
        }
        return m;
    }

    private static String iso(long ms) {
        return HttpApi.ISO_MILLIS.format(java.time.Instant.ofEpochMilli(ms));
    }

    private static Double n(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void writeCsv(Context ctx, String name, List<String> keys, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder(256 * (rows.size() + 1));
        sb.append(String.join(",", keys)).append('\n');
        for (Map<String, Object> r : rows) {
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object v = r.get(keys.get(i));
                sb.append(v == null ? "" : csvField(v.toString()));
            }
            sb.append('\n');
        }
        ctx.status(200).contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
        ctx.result(sb.toString());
    }

    private static String csvField(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                ? '"' + s.replace("\"", "\"\"") + '"'
                : s;
    }
}
