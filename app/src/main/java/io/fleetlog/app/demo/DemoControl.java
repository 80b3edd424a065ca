package io.fleetlog.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The demo control API of docs/api.md: {@code GET /api/demo}, {@code POST /api/demo/start},
 * {@code POST /api/demo/stop}, {@code POST /api/demo/vehicles/{vin}/deadzone}. It exists only in
 * demo mode. It can stop a fleet, so the server's HTTP guard lets a POST through only with the
 * {@code control} scope (or the open loopback mode), this server's Origin and the session's CSRF
 * token (docs/security.md); "loopback client" alone is no guard, since behind a reverse proxy
 * every client is one (issue 12, item 10).
 */
final class DemoControl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoControl() {}

    static void routes(JavalinConfig cfg, Supplier<Demo> demo) {
        cfg.routes.get("/api/demo", ctx -> guarded(ctx, demo, d -> {}));
        cfg.routes.post("/api/demo/start", ctx -> guarded(ctx, demo, Demo::startFleet));
        cfg.routes.post("/api/demo/stop", ctx -> guarded(ctx, demo, Demo::stopFleet));
        cfg.routes.post(
                "/api/demo/vehicles/{vin}/deadzone",
                ctx -> guarded(ctx, demo, d -> {
                    JsonNode body = parse(ctx);
                    if (!body.has("on") || !body.get("on").isBoolean()) {
                        throw new IllegalArgumentException("body must be {\"on\": true} or {\"on\": false}");
                    }
                    d.deadZone(ctx.pathParam("vin"), body.get("on").asBoolean());
                }));
    }

    private interface Action {
        void apply(Demo demo) throws IOException;
    }

    private static void guarded(Context ctx, Supplier<Demo> demo, Action action) throws IOException {
        Demo d = demo.get();
        if (d == null) {
            error(ctx, 503, "the demo is starting");
            return;
        }
        try {
            action.apply(d);
        } catch (IllegalArgumentException e) {
            error(ctx, e.getMessage().startsWith("no demo vehicle") ? 404 : 400, e.getMessage());
            return;
        } catch (IllegalStateException e) {
            error(ctx, 409, e.getMessage());
            return;
        }
        ctx.contentType("application/json").result(JSON.writeValueAsString(state(d)));
    }

    static Map<String, Object> state(Demo d) {
        List<Map<String, Object>> cars = new ArrayList<>();
        for (DemoVehicle v : d.vehicles()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vin", v.vin);
            m.put("name", v.name);
            m.put("deadZone", v.agent != null && v.agent.inDeadZone());
            cars.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", d.running());
        m.put("vehicles", cars);
        return m;
    }

    private static JsonNode parse(Context ctx) {
        String body = ctx.body();
        if (body.length() > 1024) {
            throw new IllegalArgumentException("body of " + body.length() + " bytes is too large");
        }
        try {
            return JSON.readTree(body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
        }
    }

    private static void error(Context ctx, int status, String message) throws IOException {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(Map.of("error", message)));
    }
}
