package io.fleetlog.server.api;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives and charges over HTTP: the real server (subclasses: SQLite, PostgreSQL), a real edge client
 * uploading two drives, a real HTTP client reading them back as JSON and CSV, paged.
 */
abstract class SessionsApiContract {
    static final String VIN = Samples.VIN_A;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final long T0 = Samples.T0;

    ServerFixture fx;
    long secondStart;

    abstract ServerFixture start() throws Exception;

    @BeforeEach
    void ingest() throws Exception {
        fx = start();
        List<Sample> in = SessionsApiTestData.twoDrives();
        secondStart = T0 + 660_000;
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            for (int i = 0; i < in.size(); i += 100) {
                c.sendBatch(in.subList(i, Math.min(in.size(), i + 100)));
            }
            assertThat(c.awaitAck(in.size() - 1, 10_000)).isEqualTo(in.size() - 1);
        }
        fx.server.deriver().flush(); // the debounce is the background thread's; the test takes the step
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.base + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void drivesAreListedPagedAndShownOneByOne() throws Exception {
        HttpResponse<String> r = get("/api/vehicles/" + VIN + "/drives", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode all = JSON.readTree(r.body());
        assertThat(all.get("drives")).hasSize(2);
        assertThat(all.get("nextCursor").isNull()).isTrue();
        JsonNode first = all.get("drives").get(0);
        assertThat(first.get("id").asLong()).isEqualTo(T0);
        assertThat(first.get("start").asText())
                .isEqualTo(HttpApi.ISO_MILLIS.format(java.time.Instant.ofEpochMilli(T0)));
        assertThat(first.get("distanceMi").asDouble()).isCloseTo(30 * 299 / 3600.0, within(0.002));
        assertThat(first.get("energyKwh").asDouble()).isCloseTo(12 * 299 / 3600.0, within(0.05));
        assertThat(first.get("maxSpeedMph").asDouble()).isCloseTo(30, within(2.0));
        assertThat(first.get("elevationGainM").asDouble()).isZero();
        assertThat(all.get("drives").get(1).get("id").asLong()).isEqualTo(secondStart);

        JsonNode page1 = JSON.readTree(
                get("/api/vehicles/" + VIN + "/drives?limit=1", null).body());
        assertThat(page1.get("drives")).hasSize(1);
        String cursor = page1.get("nextCursor").asText();
        JsonNode page2 = JSON.readTree(get("/api/vehicles/" + VIN + "/drives?limit=1&cursor=" + cursor, null)
                .body());
        assertThat(page2.get("drives").get(0)).isEqualTo(all.get("drives").get(1));
        JsonNode page3 = JSON.readTree(get(
                        "/api/vehicles/" + VIN + "/drives?limit=1&cursor="
                                + page2.get("nextCursor").asText(),
                        null)
                .body());
        assertThat(page3.get("drives")).isEmpty();
        assertThat(page3.get("nextCursor").isNull()).isTrue();

        // from/to select by time (ISO or epoch ms)
        JsonNode later = JSON.readTree(get("/api/vehicles/" + VIN + "/drives?from=" + (T0 + 400_000), null)
                .body());
        assertThat(later.get("drives")).hasSize(1);

        HttpResponse<String> one = get("/api/vehicles/" + VIN + "/drives/" + secondStart, null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body())).isEqualTo(all.get("drives").get(1));
        assertThat(get("/api/vehicles/" + VIN + "/drives/" + (secondStart + 1), null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/api/vehicles/" + VIN + "/drives/abc", null).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/vehicles/" + VIN + "/drives?limit=0", null).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/vehicles/" + Samples.VIN_B + "/drives", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void framesCapturedBeforeTheVehicleFirstConnectedLieInAnOfflineSpan() throws Exception {
        // the test's frames were captured in 2025, the link opened now: all of them arrived late
        long to = T0 + 1_380_000;
        HttpResponse<String> r = get("/api/vehicles/" + VIN + "/offline?from=" + T0 + "&to=" + to, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode spans = JSON.readTree(r.body()).get("offline");
        assertThat(spans).hasSize(1);
        assertThat(spans.get(0).get(0).asLong()).isEqualTo(T0);
        assertThat(spans.get(0).get(1).asLong()).isEqualTo(to - 1);
        JsonNode drive = JSON.readTree(
                        get("/api/vehicles/" + VIN + "/drives", null).body())
                .get("drives")
                .get(0);
        assertThat(drive.get("backfillFraction").asDouble()).isEqualTo(1.0);
        // since the link opened (server time, now) the vehicle was online for a while
        long now = System.currentTimeMillis();
        JsonNode recent = JSON.readTree(
                        get("/api/vehicles/" + VIN + "/offline?from=" + (now - 600_000) + "&to=" + now, null)
                                .body())
                .get("offline");
        assertThat(recent.size()).isBetween(1, 2);
        assertThat(recent.get(0).get(1).asLong()).isLessThan(now - 1);
        assertThat(get("/api/vehicles/" + VIN + "/offline?to=" + T0, null).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/vehicles/" + VIN + "/offline?from=" + T0 + "&to=" + T0, null)
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/vehicles/NOSUCHVIN0000000/offline?from=" + T0, null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void drivesExportAsCsvByParameterOrAcceptHeader() throws Exception {
        HttpResponse<String> byParam = get("/api/vehicles/" + VIN + "/drives?format=csv", null);
        HttpResponse<String> byHeader = get("/api/vehicles/" + VIN + "/drives", "text/csv");
        for (HttpResponse<String> r : List.of(byParam, byHeader)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            String[] lines = r.body().split("\n");
            assertThat(lines).hasSize(3);
            assertThat(lines[0]).isEqualTo(String.join(",", SessionsApi.DRIVE_KEYS));
            assertThat(lines[1]).startsWith(T0 + "," + VIN + ",");
        }
        assertThat(byHeader.body()).isEqualTo(byParam.body());
        assertThat(get("/api/vehicles/" + VIN + "/drives?format=xml", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aVehicleWithoutChargesHasAnEmptyList() throws Exception {
        HttpResponse<String> r = get("/api/vehicles/" + VIN + "/charges", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("charges")).isEmpty();
        assertThat(get("/api/vehicles/" + VIN + "/charges/" + T0, null).statusCode())
                .isEqualTo(404);
        String csv = get("/api/vehicles/" + VIN + "/charges?format=csv", null).body();
        assertThat(csv).isEqualTo(String.join(",", SessionsApi.CHARGE_KEYS) + "\n");
    }
}
