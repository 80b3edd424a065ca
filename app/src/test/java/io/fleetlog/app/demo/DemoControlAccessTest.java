package io.fleetlog.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.auth.HttpSecurity;
import io.fleetlog.server.auth.Scope;
import io.fleetlog.server.auth.Users;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 10: the real demo's {@code POST /api/demo/stop} with a foreign Origin and {@code
 * text/plain} stopped the fleet (loopback was the only guard, and behind a proxy everyone is
 * loopback). Now it needs the control scope, the server's own Origin and, for browsers, the CSRF token.
 */
class DemoControlAccessTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    Demo.Options options() {
        return new Demo.Options(
                1, null, 1.0, "127.0.0.1", 0, "jdbc:sqlite:" + tmp.resolve("fleetlog.db"), tmp, 3, false, null);
    }

    static HttpResponse<String> post(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString("x"));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCrossOriginOrProxiedStopIsRefusedAndTheFleetKeepsRunning() throws Exception {
        try (Demo demo = Demo.start(options())) {
            String stop = demo.url() + "/api/demo/stop";
            assertThat(post(stop, "Content-Type", "text/plain", "Origin", "http://evil.example")
                            .statusCode())
                    .isEqualTo(403);
            assertThat(post(stop, "Content-Type", "text/plain").statusCode())
                    .as("no CSRF token")
                    .isEqualTo(403);
            assertThat(post(stop, "X-Forwarded-For", "203.0.113.7").statusCode())
                    .as("a client forwarded by a local proxy is not a loopback client")
                    .isEqualTo(401);
            assertThat(demo.running()).isTrue();
        }
    }

    @Test
    void withUsersOnlyTheControlScopeStopsTheFleet() throws Exception {
        Users users = Users.load(tmp.resolve("users"));
        String reader = users.addToken("reader", Set.of(Scope.READ), Set.of());
        String operator = users.addToken("operator", Set.of(Scope.CONTROL), Set.of());
        try (Demo demo = Demo.start(options(), HttpSecurity.defaults().withUsers(users))) {
            String stop = demo.url() + "/api/demo/stop";
            assertThat(post(stop).statusCode()).isEqualTo(401);
            assertThat(post(stop, "Authorization", "Bearer " + reader).statusCode())
                    .isEqualTo(403);
            assertThat(demo.running()).isTrue();
            var ok = post(stop, "Authorization", "Bearer " + operator);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"running\":false");
            assertThat(demo.running()).isFalse();
        }
    }
}
