package io.fleetlog.server.auth;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static io.fleetlog.server.testing.ServerFixture.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, items 6 and 10: who may read and control over HTTP, against a real server on port 0 with
 * real clients (java.net.http, raw sockets where a browser's headers must be forged). Each test names
 * the finding it covers; on the code before the fix every one of them fails (no credential was ever
 * asked, any Host and Origin were answered, no security header was sent).
 */
class HttpAccessTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String EVIL = "http://evil.example";

    @TempDir
    Path dir;

    ServerFixture fx;
    final AtomicInteger stops = new AtomicInteger();

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A server with the demo control route {@code POST /api/demo/stop} (counted) and these users. */
    ServerFixture start(Users users) {
        ServerConfig cfg = ServerFixture.config(dir)
                .withSecurity(HttpSecurity.defaults().withUsers(users))
                .withRoutes(c -> c.routes.post("/api/demo/stop", ctx -> {
                    stops.incrementAndGet();
                    ctx.json(Map.of("running", false));
                }));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));
        return fx;
    }

    Users users() {
        return Users.load(dir.resolve("users"));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(fx.base + path));
    }

    HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(fx.base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    void ingest(String vin, String token) throws Exception {
        try (EdgeClient c = EdgeClient.hello(fx.base, vin, token)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(0, 50, Samples.T0));
            assertThat(c.awaitAck(49, 10_000)).isEqualTo(49);
        }
    }

    /** A raw HTTP/1.1 request, so the Host header can be anything (java.net.http forbids setting it). */
    String raw(String request) throws Exception {
        URI u = URI.create(fx.base);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
        }
    }

    /** Logs in and returns the session cookie ({@code name=value}) and the CSRF token. */
    record Login(String cookie, String csrf, HttpResponse<String> response) {}

    Login login(String user, String password) throws Exception {
        var r = send(post("/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new Login(
                setCookie.substring(0, setCookie.indexOf(';')),
                JSON.readTree(r.body()).get("csrfToken").asText(),
                r);
    }

    // ---- credentials -----------------------------------------------------------------------------

    /** Item 6: once a user exists every read of vehicle data needs a credential (today: none asked). */
    @Test
    void anonymousReadsAreRefusedOnceAUserExists() throws Exception {
        Users u = users();
        u.addUser("alice", "correct horse".toCharArray(), Set.of(Scope.READ), Set.of());
        start(u);
        ingest(Samples.VIN_A, TOKEN_A);
        for (String path : List.of(
                "/api/vehicles",
                "/status",
                "/metrics",
                "/api/vehicles/" + Samples.VIN_A + "/samples?format=csv",
                "/api/vehicles/" + Samples.VIN_A + "/summary",
                "/api/vehicles/" + Samples.VIN_A + "/drives",
                "/api/vehicles/" + Samples.VIN_A + "/charges?format=csv",
                "/api/vehicles/" + Samples.VIN_A + "/drives/" + Samples.T0)) {
            var r = send(get(path));
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).contains("Bearer realm=\"fleetlog\"");
            assertThat(r.body()).as(path).doesNotContain(Samples.VIN_A);
        }
        assertThat(liveRefusal(fx.base, null, null)).isEqualTo(401);
        // the dashboard's own files stay public: the login page must load
        assertThat(send(get("/")).statusCode()).isEqualTo(200);
        var session = JSON.readTree(send(get("/api/session")).body());
        assertThat(session.get("authenticated").asBoolean()).isFalse();
        assertThat(session.get("loginRequired").asBoolean()).isTrue();
        // ... and a logged-in user reads
        Login l = login("alice", "correct horse");
        assertThat(send(get("/api/vehicles").header("Cookie", l.cookie())).body())
                .contains(Samples.VIN_A);
    }

    /** Item 6: the open loopback mode ends where a proxy forwards someone else. */
    @Test
    void withoutUsersLoopbackReadsAreOpenButNotThroughAForwardingProxy() throws Exception {
        start(Users.none());
        ingest(Samples.VIN_A, TOKEN_A);
        assertThat(send(get("/api/vehicles")).body()).contains(Samples.VIN_A);
        assertThat(send(get("/status")).statusCode()).isEqualTo(200);
        assertThat(send(get("/api/vehicles").header("X-Forwarded-For", "203.0.113.9"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get("/api/vehicles").header("Forwarded", "for=203.0.113.9"))
                        .statusCode())
                .isEqualTo(401);
        JsonNode status = JSON.readTree(send(get("/status")).body());
        assertThat(status.get("security").get("mode").asText()).isEqualTo("open-loopback");
    }

    @Test
    void aWrongTokenIsRefusedAndAReadTokenCannotControl() throws Exception {
        Users u = users();
        String reader = u.addToken("reader", Set.of(Scope.READ), Set.of());
        String operator = u.addToken("operator", Set.of(Scope.CONTROL), Set.of());
        start(u);
        assertThat(send(get("/api/vehicles").header("Authorization", "Bearer flt_nope"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get("/api/vehicles").header("Authorization", "Basic YTpi"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(get("/api/vehicles").header("Authorization", "Bearer " + reader))
                        .statusCode())
                .isEqualTo(200);
        var denied = send(post("/api/demo/stop", "").header("Authorization", "Bearer " + reader));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("control scope");
        assertThat(stops).hasValue(0);
        // control implies read; a Bearer request needs no CSRF token (browsers never send it on their own)
        assertThat(send(get("/status").header("Authorization", "Bearer " + operator))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(post("/api/demo/stop", "").header("Authorization", "Bearer " + operator))
                        .statusCode())
                .isEqualTo(200);
        assertThat(stops).hasValue(1);
    }

    /** Item 6: a token limited to one VIN sees only that vehicle, in the API, /status and /live. */
    @Test
    void aVehicleScopedTokenSeesOnlyItsVehicles() throws Exception {
        Users u = users();
        String a = u.addToken("only-a", Set.of(Scope.READ), Set.of(Samples.VIN_A));
        start(u);
        ingest(Samples.VIN_A, TOKEN_A);
        ingest(Samples.VIN_B, TOKEN_B);
        String auth = "Bearer " + a;
        JsonNode list = JSON.readTree(
                send(get("/api/vehicles").header("Authorization", auth)).body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("vin").asText()).isEqualTo(Samples.VIN_A);
        JsonNode status =
                JSON.readTree(send(get("/status").header("Authorization", auth)).body());
        assertThat(status.get("vehicles")).hasSize(1);
        assertThat(status.toString()).doesNotContain(Samples.VIN_B);
        assertThat(send(get("/api/vehicles/" + Samples.VIN_A + "/samples").header("Authorization", auth))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(get("/api/vehicles/" + Samples.VIN_A + "/drives").header("Authorization", auth))
                        .statusCode())
                .isEqualTo(200);
        for (String p :
                List.of("/samples", "/samples?format=csv", "/summary", "/drives", "/charges?format=csv", "/drives/1")) {
            var r = send(get("/api/vehicles/" + Samples.VIN_B + p).header("Authorization", auth));
            assertThat(r.statusCode()).as(p).isEqualTo(404); // as if unknown: no enumeration
            assertThat(r.body()).contains("unknown vehicle");
        }
        // /live: the snapshot and the events hold only VIN_A
        LiveClient live = LiveClient.open(fx.base, Map.of("Authorization", auth));
        JsonNode snap = live.next();
        assertThat(snap.get("type").asText()).isEqualTo("snapshot");
        assertThat(snap.get("vehicles")).hasSize(1);
        assertThat(snap.get("vehicles").get(0).get("vin").asText()).isEqualTo(Samples.VIN_A);
        fx.server.publishLog("info", "fleet-wide message");
        try (EdgeClient c = EdgeClient.hello(fx.base, Samples.VIN_B, TOKEN_B)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(50, 50, Samples.T0 + 1000));
            c.awaitAck(99, 10_000);
        }
        try (EdgeClient c = EdgeClient.hello(fx.base, Samples.VIN_A, TOKEN_A)) {
            c.next(10_000);
            c.sendBatch(Samples.drive(50, 50, Samples.T0 + 1000));
            c.awaitAck(99, 10_000);
        }
        JsonNode ev;
        boolean sawA = false;
        while ((ev = live.poll(1500)) != null) {
            assertThat(ev.toString()).doesNotContain(Samples.VIN_B).doesNotContain("fleet-wide message");
            sawA |= ev.toString().contains(Samples.VIN_A);
        }
        assertThat(sawA).as("events of the visible vehicle still flow").isTrue();
        live.ws.abort();
    }

    /** Revoking a token or removing a user (another process, the CLI) takes effect without a restart. */
    @Test
    void aRevokedTokenAndARemovedUserStopWorkingWithoutARestart() throws Exception {
        Users u = users();
        String token = u.addToken("ci", Set.of(Scope.READ), Set.of());
        u.addUser("alice", "correct horse".toCharArray(), Set.of(Scope.READ), Set.of());
        u.addUser("bob", "battery staple".toCharArray(), Set.of(Scope.READ), Set.of());
        start(u);
        Login alice = login("alice", "correct horse");
        Login bob = login("bob", "battery staple");
        assertThat(send(get("/status").header("Authorization", "Bearer " + token))
                        .statusCode())
                .isEqualTo(200);
        Users cli = Users.load(dir.resolve("users")); // as 'fleetlog api-token remove' / 'user remove' do
        cli.remove(Users.Kind.TOKEN, "ci");
        cli.remove(Users.Kind.USER, "alice");
        assertThat(ServerFixture.await(
                        () -> {
                            try {
                                return send(get("/status").header("Authorization", "Bearer " + token))
                                                .statusCode()
                                        == 401;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        5_000))
                .as("the revoked token is refused within seconds")
                .isTrue();
        assertThat(send(get("/status").header("Cookie", alice.cookie())).statusCode())
                .isEqualTo(401);
        assertThat(send(get("/status").header("Cookie", bob.cookie())).statusCode())
                .isEqualTo(200);
    }

    // ---- Host, Origin, CSRF ----------------------------------------------------------------------

    /** Item 6: DNS rebinding — a page of evil.example resolved to 127.0.0.1 sends Host: evil.example. */
    @Test
    void aForeignHostIsRefusedEvenOnLoopback() throws Exception {
        start(Users.none());
        int port = fx.server.port();
        assertThat(raw("GET /api/vehicles HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n"))
                .contains(" 403 ");
        assertThat(raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
                .contains(" 403 ");
        assertThat(raw("GET /status HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n"))
                .contains(" 200 ");
        assertThat(raw("GET /status HTTP/1.1\r\nHost: [::1]:" + port + "\r\nConnection: close\r\n\r\n"))
                .contains(" 200 ");
        assertThat(
                        raw(
                                "GET /live HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: Upgrade\r\n"
                                        + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"))
                .contains(" 403 ");
    }

    @Test
    void anAllowedHostCanBeAdded() throws Exception {
        ServerConfig cfg = ServerFixture.config(dir)
                .withSecurity(HttpSecurity.defaults().withAllowedHosts(List.of("fleet.example.com")));
        fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()));
        assertThat(raw("GET /status HTTP/1.1\r\nHost: fleet.example.com\r\nConnection: close\r\n\r\n"))
                .contains(" 200 ");
        assertThat(raw("GET /status HTTP/1.1\r\nHost: other.example.com\r\nConnection: close\r\n\r\n"))
                .contains(" 403 ");
    }

    /** Item 6: /live accepted any Origin, so any web page read the whole fleet live. */
    @Test
    void liveRefusesAForeignOrigin() throws Exception {
        start(Users.none());
        assertThat(liveRefusal(fx.base, EVIL, null)).isEqualTo(403);
        assertThat(liveRefusal(fx.base, "null", null)).isEqualTo(403);
        // its own dashboard's origin is fine
        String own = fx.base; // http://127.0.0.1:PORT, the Host the client sends
        LiveClient ok = LiveClient.open(fx.base, Map.of("Origin", own));
        assertThat(ok.next().get("type").asText()).isEqualTo("snapshot");
        ok.ws.abort();
    }

    /** Item 10: a foreign page's text/plain POST (a "simple" request, no preflight) stopped the demo. */
    @Test
    void aCrossOriginTextPlainDemoStopIsRefused() throws Exception {
        start(Users.none());
        var r = send(HttpRequest.newBuilder(URI.create(fx.base + "/api/demo/stop"))
                .header("Content-Type", "text/plain")
                .header("Origin", EVIL)
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("origin");
        var fetchMeta = send(HttpRequest.newBuilder(URI.create(fx.base + "/api/demo/stop"))
                .header("Content-Type", "text/plain")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(fetchMeta.statusCode()).isEqualTo(403);
        // no Origin at all (an old browser, a form): the CSRF token is still missing
        var noOrigin = send(HttpRequest.newBuilder(URI.create(fx.base + "/api/demo/stop"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(noOrigin.body()).contains("X-CSRF-Token");
        assertThat(stops).as("the demo was never stopped").hasValue(0);
        // the dashboard itself: same origin, token from GET /api/session (open mode)
        String csrf =
                JSON.readTree(send(get("/api/session")).body()).get("csrfToken").asText();
        var own = send(post("/api/demo/stop", "").header("Origin", fx.base).header("X-CSRF-Token", csrf));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(stops).hasValue(1);
    }

    /** Item 6: CSRF protection on state-changing requests of a logged-in dashboard. */
    @Test
    void aSessionPostNeedsItsCsrfToken() throws Exception {
        Users u = users();
        u.addUser("op", "operator-password".toCharArray(), Set.of(Scope.CONTROL), Set.of());
        start(u);
        Login l = login("op", "operator-password");
        assertThat(send(post("/api/demo/stop", "").header("Cookie", l.cookie())).statusCode())
                .isEqualTo(403);
        assertThat(send(post("/api/demo/stop", "").header("Cookie", l.cookie()).header("X-CSRF-Token", "guess"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(post("/api/demo/stop", "")
                                .header("Cookie", l.cookie())
                                .header("X-CSRF-Token", l.csrf())
                                .header("Origin", EVIL))
                        .statusCode())
                .isEqualTo(403);
        assertThat(stops).hasValue(0);
        assertThat(send(post("/api/demo/stop", "").header("Cookie", l.cookie()).header("X-CSRF-Token", l.csrf()))
                        .statusCode())
                .isEqualTo(200);
        assertThat(stops).hasValue(1);
    }

    @Test
    void aLoginFromAForeignOriginOrAsAFormIsRefused() throws Exception {
        Users u = users();
        u.addUser("alice", "correct horse".toCharArray(), Set.of(Scope.READ), Set.of());
        start(u);
        String body = "{\"user\":\"alice\",\"password\":\"correct horse\"}";
        assertThat(send(post("/api/login", body).header("Origin", EVIL)).statusCode())
                .isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(URI.create(fx.base + "/api/login"))
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(body)))
                        .statusCode())
                .isEqualTo(415);
    }

    // ---- headers, cookie, logout -----------------------------------------------------------------

    @Test
    void securityHeadersAreSentAndCorsStaysClosed() throws Exception {
        start(Users.none());
        for (String path : List.of("/", "/api/vehicles", "/status", "/api/nothing")) {
            var r = send(get(path).header("Origin", EVIL));
            var h = r.headers();
            assertThat(h.firstValue("Content-Security-Policy").orElse(""))
                    .as(path)
                    .contains("frame-ancestors 'none'")
                    .contains("default-src 'self'")
                    .contains("img-src 'self' data: blob: https://tile.openstreetmap.org;");
            assertThat(h.firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(h.firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(h.firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(h.firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
        assertThat(send(get("/api/vehicles")).headers().firstValue("Cache-Control"))
                .contains("no-store");
        var preflight = send(HttpRequest.newBuilder(URI.create(fx.base + "/api/demo/stop"))
                .header("Origin", EVIL)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
        assertThat(preflight.statusCode()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void theSessionCookieIsHttpOnlySecureAndStrictAndLogoutEndsIt() throws Exception {
        Users u = users();
        u.addUser("alice", "correct horse".toCharArray(), Set.of(Scope.READ), Set.of());
        start(u);
        Login l = login("alice", "correct horse");
        String setCookie = l.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("fleetlog_session=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Secure")
                .contains("Path=/");
        assertThat(JSON.readTree(l.response().body()).get("user").asText()).isEqualTo("alice");
        assertThat(send(get("/api/vehicles").header("Cookie", l.cookie())).statusCode())
                .isEqualTo(200);
        // logout needs the CSRF token too, then the cookie no longer works
        assertThat(send(post("/api/logout", "").header("Cookie", l.cookie())).statusCode())
                .isEqualTo(403);
        var out = send(post("/api/logout", "").header("Cookie", l.cookie()).header("X-CSRF-Token", l.csrf()));
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElse("")).contains("Max-Age=0");
        assertThat(send(get("/api/vehicles").header("Cookie", l.cookie())).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        Users u = users();
        u.addUser("alice", "correct horse".toCharArray(), Set.of(Scope.READ), Set.of());
        start(u);
        var wrong = send(post("/api/login", "{\"user\":\"alice\",\"password\":\"battery staple\"}"));
        var unknown = send(post("/api/login", "{\"user\":\"mallory\",\"password\":\"battery staple\"}"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    // ---- bind, /metrics --------------------------------------------------------------------------

    /** Item 6: --bind on a non-loopback address without TLS and users must not start silently. */
    @Test
    void aNonLoopbackBindNeedsTlsAndUsersOrInsecure() throws Exception {
        ServerConfig open = ServerFixture.config(dir).withBind("0.0.0.0");
        assertThatThrownBy(() -> FleetServer.start(open, Stores.open(open.dbUrl())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0.0.0.0")
                .hasMessageContaining("no TLS")
                .hasMessageContaining("no users")
                .hasMessageContaining("--insecure");
        Users u = users();
        String token = u.addToken("ops", Set.of(Scope.READ), Set.of());
        ServerConfig insecure =
                open.withSecurity(HttpSecurity.defaults().withUsers(u).withInsecure(true));
        fx = ServerFixture.start(insecure, Stores.open(insecure.dbUrl()));
        assertThat(fx.server.boundAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(fx.server.securityWarnings()).singleElement().asString().contains("no TLS");
        // not a loopback bind: even a loopback client needs a credential
        assertThat(send(get("/status")).statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(
                send(get("/status").header("Authorization", "Bearer " + token)).body());
        assertThat(status.get("security").get("insecure").asBoolean()).isTrue();
        assertThat(status.get("security").get("warnings").get(0).asText()).contains("--insecure");
        fx.close();
        fx = null;
        // TLS (a real identity from a throw-away CA) and users: starts without --insecure, without warnings
        io.fleetlog.server.testing.TestPki pki = io.fleetlog.server.testing.TestPki.create(dir, "bind");
        io.fleetlog.server.testing.TestPki.Issued id = pki.server("server");
        ServerConfig safe = open.withSecurity(HttpSecurity.defaults().withUsers(u))
                .withTls(io.fleetlog.server.tls.TlsConfig.of(id.cert(), id.key()));
        try (FleetServer s = FleetServer.start(safe, Stores.open(safe.dbUrl()))) {
            assertThat(s.securityWarnings()).isEmpty();
            assertThat(s.config().tlsEnabled()).isTrue();
        }
    }

    /** Item 6: /metrics carries no per-vehicle location (nor VINs) for a scraper to collect. */
    @Test
    void metricsCarryNoVinAndNoLocation() throws Exception {
        start(Users.none());
        ingest(Samples.VIN_A, TOKEN_A);
        String metrics = send(get("/metrics")).body();
        assertThat(metrics).contains("fleetlog_ingest_samples");
        assertThat(metrics)
                .doesNotContain(Samples.VIN_A)
                .doesNotContainIgnoringCase("latitude")
                .doesNotContainIgnoringCase("longitude");
    }

    // ---- /live client ------------------------------------------------------------------------------

    /** Opens /live with extra headers; returns the HTTP status of a refused upgrade, or 101. */
    static int liveRefusal(String base, String origin, String authorization) throws Exception {
        Map<String, String> h = new java.util.HashMap<>();
        if (origin != null) {
            h.put("Origin", origin);
        }
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        try {
            LiveClient c = LiveClient.open(base, h);
            c.ws.abort();
            return 101;
        } catch (ExecutionException | CompletionException e) {
            Throwable t = e.getCause();
            if (t instanceof java.net.http.WebSocketHandshakeException w) {
                return w.getResponse().statusCode();
            }
            throw e;
        }
    }

    static final class LiveClient implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static LiveClient open(String base, Map<String, String> headers) throws Exception {
            LiveClient c = new LiveClient();
            WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            headers.forEach(b::header);
            c.ws = b.buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/live"), c)
                    .get(10, TimeUnit.SECONDS);
            return c;
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = events.poll(10, TimeUnit.SECONDS);
            assertThat(n).as("a /live event within 10 s").isNotNull();
            return n;
        }

        JsonNode poll(long ms) throws InterruptedException {
            return events.poll(ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onOpen(WebSocket w) {
            w.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    events.add(JSON.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            return null;
        }
    }
}
