package io.fleetlog.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP access control for everything but the vehicles' {@code /ingest} (which authenticates in its
 * Hello): the checks of docs/security.md, in this order, before any handler runs (steps 1–3 are
 * {@link BrowserBoundary}'s), plus the endpoints that hand out the credentials it checks.
 *
 * <ol>
 *   <li><b>Host allowlist</b> (DNS rebinding): the {@code Host} header must name an allowed host —
 *       loopback names and the bind address by default, plus {@code --allowed-host}; else 403.
 *   <li><b>Security headers</b> on every answer: CSP with {@code frame-ancestors 'none'}, {@code
 *       X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY}, {@code Referrer-Policy:
 *       no-referrer}, {@code Cross-Origin-Resource-Policy: same-origin}; {@code Cache-Control:
 *       no-store} on data. No CORS header is ever sent (CORS is closed).
 *   <li><b>Origin</b> on {@code /live} and on every request other than GET/HEAD: a present {@code
 *       Origin} must be this server's own ({@code scheme://Host}); {@code Origin: null} and {@code
 *       Sec-Fetch-Site: cross-site} are refused (403).
 *   <li><b>Credential</b>: {@code Authorization: Bearer TOKEN} (an API token), else the session
 *       cookie of a dashboard login, else — only in the open loopback mode (no users, loopback bind,
 *       loopback client, no forwarding header) — the anonymous {@link Principal#loopback()}.
 *   <li><b>Scope</b>: data paths ({@code /api/*}, {@code /status}, {@code /metrics}, {@code /live})
 *       need {@code read} (401 without a credential, 403 without the scope); other methods need
 *       {@code control}. A vehicle-restricted principal gets 404 for other vehicles' paths (as for
 *       an unknown VIN) and 403 for fleet-wide control and other fleet-wide /api paths.
 *   <li><b>CSRF</b>: a state-changing request authenticated by cookie or by the open mode must carry
 *       {@code X-CSRF-Token} equal to the session's token (from login or {@code GET /api/session});
 *       Bearer requests are exempt (browsers never attach them on their own).
 * </ol>
 *
 * <p>Endpoints: {@code POST /api/login} (JSON {@code {"user","password"}}; sets the cookie {@code
 * fleetlog_session} with {@code HttpOnly; SameSite=Strict; Path=/} and {@code Secure} unless the
 * server runs {@code --insecure} over plain HTTP), {@code GET /api/session}, {@code POST /api/logout}.
 * Handlers find the principal in the request attribute {@link Principal#ATTRIBUTE}; /live finds a
 * VIN filter in {@link #LIVE_VISIBLE}. Thread-safe.
 */
public final class HttpGuard {
    private static final Logger log = LoggerFactory.getLogger(HttpGuard.class);

    public static final String COOKIE = "fleetlog_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * WebSocket upgrade attribute for /live: a {@code Predicate<String>} telling which VINs the
     * client may see ({@code null} VIN: fleet-wide events such as logs).
     */
    public static final String LIVE_VISIBLE = "fleetlog.liveVisible";

    static final Duration SESSION_IDLE = Duration.ofHours(12);
    static final Duration SESSION_MAX_AGE = Duration.ofDays(7);
    static final int SESSION_CAPACITY = 10_000;
    static final int LOGIN_BODY_MAX_BYTES = 4096;
    private static final Pattern VEHICLE_PATH = Pattern.compile("^/api/(?:demo/)?vehicles/([^/]+)(?:/.*)?$");
    private static final String SELF = "/api/session";

    private final HttpSecurity security;
    private final boolean loopbackBind;
    private final BrowserBoundary boundary;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final ObjectMapper json;
    private final InstantSource clock;
    /** CSRF token of the anonymous open-mode client (one per server run). */
    private final String openCsrf = Sessions.randomToken();

    public HttpGuard(HttpSecurity security, String bind, InstantSource clock, ObjectMapper json) {
        this.security = security;
        this.loopbackBind = BrowserBoundary.isLoopback(bind);
        this.json = json;
        this.clock = clock;
        this.sessions = new Sessions(clock, SESSION_IDLE, SESSION_MAX_AGE, SESSION_CAPACITY);
        this.throttle = new LoginThrottle(clock, 10, Duration.ofMinutes(15), 10_000);
        this.boundary = new BrowserBoundary(bind, security.allowedHosts());
    }

    /** Whether reads are open to loopback clients (no users configured and a loopback bind). */
    public boolean openMode() {
        return loopbackBind && security.users().isEmpty();
    }

    /**
     * Refuses a configuration that would expose vehicle data: a non-loopback bind without TLS or
     * without users, unless {@code --insecure}.
     *
     * @throws IllegalStateException saying what is missing and which flag to give
     */
    public void checkExposure(String bind) {
        List<String> missing = exposureGaps();
        if (!loopbackBind && !missing.isEmpty() && !security.insecure()) {
            throw new IllegalStateException("bind " + bind + " is not a loopback address and the server has "
                    + String.join(" and ", missing)
                    + ": configure them, bind 127.0.0.1 behind a reverse proxy, or give --insecure to run anyway");
        }
    }

    /** What a non-loopback bind lacks: "no TLS (--tls-cert/--tls-key)", "no users (--users)". */
    private List<String> exposureGaps() {
        List<String> missing = new ArrayList<>();
        if (!security.tlsEnabled()) {
            missing.add("no TLS (--tls-cert/--tls-key)");
        }
        if (security.users().isEmpty()) {
            missing.add("no users (--users FILE; see 'fleetlog user add')");
        }
        return missing;
    }

    /** Warnings to print at start and show on /status (empty when nothing is exposed). */
    public List<String> warnings() {
        if (loopbackBind || !security.insecure()) {
            return List.of();
        }
        List<String> gaps = exposureGaps();
        List<String> out = new ArrayList<>();
        for (String g : gaps) {
            out.add("--insecure: listening on a non-loopback address with " + g);
        }
        return out;
    }

    /** The /status section {@code security}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", openMode() ? "open-loopback" : "credentials");
        m.put("tls", security.tlsEnabled());
        m.put("insecure", security.insecure());
        m.put("users", security.users().userNames().size());
        m.put("apiTokens", security.users().tokenNames().size());
        m.put("sessions", sessions.size());
        m.put("warnings", warnings());
        return m;
    }

    public void routes(JavalinConfig cfg) {
        cfg.routes.before(this::before);
        cfg.routes.wsBeforeUpgrade("/live", this::liveUpgrade);
        cfg.routes.post("/api/login", this::login);
        cfg.routes.post("/api/logout", this::logout);
        cfg.routes.get(SELF, this::session);
    }

    // ---- the checks ------------------------------------------------------------------------------

    /**
     * Picks up a changed users file; sessions of users removed or changed (scopes, vehicles) end.
     */
    private void refreshUsers() {
        Users users = security.users();
        if (users.refresh(clock.millis())) {
            sessions.retain(p -> users.user(p.name()).map(p::equals).orElse(false));
        }
    }

    void before(Context ctx) throws IOException {
        String path = ctx.path();
        if (path.equals("/ingest") || path.equals("/live")) {
            return; // /ingest: vehicles authenticate in Hello; /live: checked in liveUpgrade
        }
        refreshUsers();
        try {
            String host = boundary.checkHost(ctx);
            boundary.headers(ctx, host, data(path));
            check(ctx, path, ctx.method().name());
        } catch (Refused r) {
            refuse(ctx, r);
        }
    }

    void liveUpgrade(Context ctx) {
        refreshUsers();
        try {
            boundary.checkHost(ctx);
            boundary.checkOrigin(ctx, true);
            Principal p = authenticate(ctx);
            requireRead(p);
            ctx.attribute(Principal.ATTRIBUTE, p);
            java.util.function.Predicate<String> visible = vin -> vin == null ? p.allVehicles() : p.sees(vin);
            ctx.attribute(LIVE_VISIBLE, visible);
        } catch (Refused r) {
            log.info("http_refused path=/live status={} reason=\"{}\" remote={}", r.status, r.getMessage(), ctx.ip());
            throw new HttpResponseException(r.status, r.getMessage(), Map.of());
        }
    }

    private void check(Context ctx, String path, String method) throws Refused {
        boolean safe = method.equals("GET") || method.equals("HEAD");
        if (!safe) {
            boundary.checkOrigin(ctx, false);
        }
        if (path.equals("/api/login") || path.equals(SELF)) {
            return; // their handlers authenticate
        }
        if (path.equals("/api/logout")) {
            return; // its handler checks the session's CSRF token
        }
        if (safe && !data(path)) {
            return; // the dashboard's own files: no vehicle data
        }
        Principal p = authenticate(ctx);
        if (safe) {
            requireRead(p);
        } else {
            requireControl(p);
        }
        checkVehicle(p, path, safe);
        if (!safe && p.kind() != Principal.Kind.TOKEN) {
            checkCsrf(ctx, p);
        }
        ctx.attribute(Principal.ATTRIBUTE, p);
    }

    /** Paths that carry vehicle data or control: everything under /api, /status, /metrics. */
    static boolean data(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/status") || path.equals("/metrics");
    }

    /** The caller's principal, or null when it has no credential (and the open mode does not apply). */
    private Principal authenticate(Context ctx) throws Refused {
        String auth = ctx.header("Authorization");
        if (auth != null) {
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new Refused(401, "Authorization must be 'Bearer TOKEN'");
            }
            Optional<Principal> p = security.users().bearer(auth.substring(7).strip());
            if (p.isEmpty()) {
                throw new Refused(401, "unknown or revoked API token");
            }
            return p.get();
        }
        Optional<Sessions.Session> s = sessions.find(ctx.cookie(COOKIE));
        if (s.isPresent()) {
            ctx.attribute(SESSION_ATTRIBUTE, s.get());
            return s.get().principal();
        }
        return openClient(ctx) ? Principal.loopback() : null;
    }

    private static final String SESSION_ATTRIBUTE = "fleetlog.session";

    /** The open loopback mode applies: no users, loopback bind, loopback peer, no forwarding proxy. */
    private boolean openClient(Context ctx) {
        if (!openMode()) {
            return false;
        }
        if (ctx.header("Forwarded") != null
                || ctx.header("X-Forwarded-For") != null
                || ctx.header("X-Real-IP") != null) {
            return false; // a proxy on this machine forwards someone else: not a loopback client
        }
        return BrowserBoundary.isLoopback(ctx.req().getRemoteAddr());
    }

    private static void requireRead(Principal p) throws Refused {
        if (p == null) {
            throw new Refused(401, "authentication required: log in, or send 'Authorization: Bearer TOKEN'");
        }
        if (!p.has(Scope.READ)) {
            throw new Refused(403, "'" + p.name() + "' lacks the read scope");
        }
    }

    private static void requireControl(Principal p) throws Refused {
        if (p == null) {
            throw new Refused(401, "authentication required: log in, or send 'Authorization: Bearer TOKEN'");
        }
        if (!p.has(Scope.CONTROL)) {
            throw new Refused(403, "'" + p.name() + "' lacks the control scope");
        }
    }

    /**
     * A vehicle-restricted principal: another vehicle's path answers 404 like an unknown VIN (no
     * enumeration); fleet-wide /api paths other than the vehicle list and the session answer 403.
     */
    private static void checkVehicle(Principal p, String path, boolean safe) throws Refused {
        if (p.allVehicles()) {
            return;
        }
        Matcher m = VEHICLE_PATH.matcher(path);
        if (m.matches()) {
            String vin = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.sees(vin)) {
                throw new Refused(404, "unknown vehicle '" + BrowserBoundary.shorten(vin) + "'");
            }
            return;
        }
        boolean filtered = safe && (path.equals("/api/vehicles") || path.equals("/status") || path.equals("/metrics"));
        if (!filtered) {
            throw new Refused(403, "'" + p.name() + "' is limited to some vehicles; " + path + " is fleet-wide");
        }
    }

    private void checkCsrf(Context ctx, Principal p) throws Refused {
        String presented = ctx.header(CSRF_HEADER);
        Sessions.Session s = ctx.attribute(SESSION_ATTRIBUTE);
        String expected = s != null ? s.csrfToken() : p.kind() == Principal.Kind.LOOPBACK ? openCsrf : null;
        if (expected == null || !Sessions.equal(expected, presented)) {
            throw new Refused(
                    403,
                    (presented == null ? "missing " : "wrong ") + CSRF_HEADER
                            + " header: take the token from GET /api/session (or use an API token)");
        }
    }

    private void refuse(Context ctx, Refused r) throws IOException {
        log.info(
                "http_refused method={} path=\"{}\" status={} reason=\"{}\" remote={}",
                ctx.method().name(),
                BrowserBoundary.shorten(ctx.path()),
                r.status,
                r.getMessage(),
                ctx.ip());
        if (r.status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"fleetlog\"");
        }
        ctx.attribute("fleetlog.errorWritten", true);
        ctx.status(r.status)
                .contentType("application/json")
                .result(json.writeValueAsBytes(Map.of("error", r.getMessage())));
        ctx.skipRemainingHandlers();
    }

    // ---- login, session, logout ------------------------------------------------------------------

    void login(Context ctx) throws IOException {
        String ip = ctx.req().getRemoteAddr();
        long wait = throttle.waitMs(ip);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString((wait + 999) / 1000));
            writeError(
                    ctx, 429, "too many failed logins from this address: try again in " + (wait + 999) / 1000 + " s");
            return;
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) {
            writeError(ctx, 415, "login needs Content-Type: application/json");
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > LOGIN_BODY_MAX_BYTES) {
            writeError(ctx, 413, "login body of " + body.length + " bytes exceeds " + LOGIN_BODY_MAX_BYTES);
            return;
        }
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (IOException e) {
            writeError(ctx, 400, "login body is not JSON");
            return;
        }
        if (n == null || !n.path("user").isTextual() || !n.path("password").isTextual()) {
            writeError(ctx, 400, "login body must be {\"user\": \"…\", \"password\": \"…\"}");
            return;
        }
        String user = n.get("user").asText();
        char[] password = n.get("password").asText().toCharArray();
        Optional<Principal> p = security.users().login(user, password);
        java.util.Arrays.fill(password, '\0');
        if (p.isEmpty()) {
            throttle.failed(ip);
            log.info(
                    "login_failed user=\"{}\" remote={}",
                    BrowserBoundary.shorten(user),
                    ip); // same answer for unknown user
            writeError(ctx, 401, "wrong user name or password");
            return;
        }
        throttle.succeeded(ip);
        sessions.logout(ctx.cookie(COOKIE)); // no session fixation: a login always starts a new session
        Sessions.Session s = sessions.create(p.get());
        ctx.header("Set-Cookie", cookie(ctx, s.id(), sessions.maxAgeSeconds()));
        log.info("login user={} remote={}", user, ip);
        writeJson(ctx, 200, sessionJson(s.principal(), s.csrfToken(), false));
    }

    void session(Context ctx) throws IOException {
        Principal p;
        try {
            p = authenticate(ctx);
        } catch (Refused r) {
            refuse(ctx, r);
            return;
        }
        Sessions.Session s = ctx.attribute(SESSION_ATTRIBUTE);
        String csrf = s != null ? s.csrfToken() : p != null && p.kind() == Principal.Kind.LOOPBACK ? openCsrf : null;
        writeJson(ctx, 200, sessionJson(p, csrf, p == null));
    }

    void logout(Context ctx) throws IOException {
        Optional<Sessions.Session> s = sessions.find(ctx.cookie(COOKIE));
        if (s.isPresent()) {
            if (!s.get().csrfMatches(ctx.header(CSRF_HEADER))) {
                writeError(ctx, 403, "missing or wrong " + CSRF_HEADER + " header");
                return;
            }
            sessions.logout(s.get().id());
            log.info("logout user={}", s.get().principal().name());
        }
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    private Map<String, Object> sessionJson(Principal p, String csrf, boolean loginRequired) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("authenticated", p != null);
        m.put("loginRequired", loginRequired);
        m.put("user", p == null ? null : p.name());
        m.put("kind", p == null ? null : p.kind().name().toLowerCase(Locale.ROOT));
        m.put(
                "scopes",
                p == null
                        ? List.of()
                        : p.scopes().stream().sorted().map(Scope::key).toList());
        m.put("vins", p == null ? null : p.vinsOrNull());
        m.put("csrfToken", csrf);
        return m;
    }

    /**
     * The session cookie: {@code HttpOnly; SameSite=Strict; Path=/}, and {@code Secure} unless this
     * is plain HTTP under {@code --insecure} (browsers accept Secure cookies from http://localhost).
     */
    private String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean secure = ctx.req().isSecure() || security.tlsEnabled() || !security.insecure();
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private void writeJson(Context ctx, int status, Object body) throws IOException {
        ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
    }

    private void writeError(Context ctx, int status, String message) throws IOException {
        ctx.attribute("fleetlog.errorWritten", true);
        writeJson(ctx, status, Map.of("error", message));
    }
}
