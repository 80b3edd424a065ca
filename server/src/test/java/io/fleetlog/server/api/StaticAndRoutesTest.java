package io.fleetlog.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files, client-side route fallback, the app's extra routes, and the hard size limit. */
class StaticAndRoutesTest {
    @TempDir
    Path dir;

    @Test
    void dashboardIsServedWithIndexFallbackButApiPathsStayJson404() throws Exception {
        ServerConfig cfg = ServerFixture.config(dir);
        try (ServerFixture fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()))) {
            var root = fx.get("/");
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.body()).contains("fleetlog test dashboard");
            var route = fx.get("/vehicles/" + Samples.VIN_A);
            assertThat(route.statusCode()).isEqualTo(200);
            assertThat(route.body()).contains("fleetlog test dashboard");
            var api = fx.get("/api/nothing");
            assertThat(api.statusCode()).isEqualTo(404);
            assertThat(api.body()).contains("\"error\"");
            assertThat(fx.get("/api/demo").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void extraRoutesFromTheAppAreServed() throws Exception {
        ServerConfig cfg = ServerFixture.config(dir)
                .withDemo(true)
                .withRoutes(c -> c.routes.get("/api/demo", ctx -> ctx.json(java.util.Map.of("running", true))));
        try (ServerFixture fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()))) {
            var r = fx.get("/api/demo");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"running\":true");
        }
    }

    @Test
    void aMessageFarBeyondTheLimitIsCutOffByTheTransport() throws Exception {
        ServerConfig cfg = ServerFixture.config(dir).withLimits(new ServerConfig.Limits(4096, 1000, 10, 256));
        try (ServerFixture fx = ServerFixture.start(cfg, Stores.open(cfg.dbUrl()))) {
            EdgeClient c = EdgeClient.hello(fx.base, Samples.VIN_A, ServerFixture.TOKEN_A);
            assertThat(c.next(10_000).hasWelcome()).isTrue();
            c.sendRaw(new byte[20_000]);
            assertThat(c.closeCode(10_000)).isEqualTo(1009);
            // the server is unharmed
            EdgeClient d = EdgeClient.hello(fx.base, Samples.VIN_A, ServerFixture.TOKEN_A);
            assertThat(d.next(10_000).hasWelcome()).isTrue();
            d.close();
        }
    }
}
