package io.fleetlog.server.api;

import static io.fleetlog.server.testing.ServerFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.VehicleEvent;
import io.fleetlog.server.testing.EdgeClient;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API of docs/api.md against a real server holding one vehicle's drive. */
class HttpApiTest {
    static final String VIN = Samples.VIN_A;
    static final ObjectMapper JSON = new ObjectMapper();
    static final int N = 3000; // 60 s at 50 Hz

    @TempDir
    static Path dir;

    static ServerFixture fx;
    static List<Sample> in;

    @BeforeAll
    static void startAndIngest() throws Exception {
        fx = ServerFixture.start(dir);
        in = new ArrayList<>(Samples.drive(0, N, Samples.T0));
        double[] v = in.get(5).values().clone();
        v[Field.SOC.ordinal()] = Double.NaN; // one unavailable value
        in.set(5, new Sample(5, in.get(5).captureTimeMs(), v));
        try (EdgeClient c = EdgeClient.hello(fx.base, VIN, TOKEN_A)) {
            c.next(10_000);
            for (int i = 0; i < N; i += 500) {
                c.sendBatch(in.subList(i, i + 500));
            }
            assertThat(c.awaitAck(N - 1, 10_000)).isEqualTo(N - 1);
        }
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void statusShowsVehiclesStoreIngestCompressionAndJvm() throws Exception {
        JsonNode s = JSON.readTree(fx.get("/status").body());
        assertThat(s.get("status").asText()).isEqualTo("ok");
        assertThat(s.get("uptimeSeconds").isNumber()).isTrue();
        JsonNode v = s.get("vehicles").get(0);
        assertThat(v.get("vin").asText()).isEqualTo(VIN);
        assertThat(v.get("model").asText()).isEqualTo("model3");
        assertThat(v.get("lastSeq").asLong()).isEqualTo(N - 1);
        assertThat(v.get("samplesStored").asLong()).isEqualTo(N);
        assertThat(v.get("lastCaptureMs").asLong()).isEqualTo(in.get(N - 1).captureTimeMs());
        assertThat(v.get("bytesPerSample").asDouble()).isBetween(0.5, 40.0);
        assertThat(v.get("fullProtobufBytesPerSample").asDouble())
                .isGreaterThan(v.get("bytesPerSample").asDouble());
        assertThat(v.get("latest").get("VehicleSpeed").isNumber()).isTrue();
        assertThat(v.get("latest").get("Location").get("lat").isNumber()).isTrue();
        assertThat(v.get("catalogue").asText())
                .isEqualTo(io.fleetlog.catalog.Catalogue.builtin().shortId());
        for (String k : List.of("link", "spoolDepth", "oldestBufferedMs", "bytesReceived", "gaps", "name")) {
            assertThat(v.has(k)).as(k).isTrue();
        }
        assertThat(s.get("store").get("kind").asText()).isEqualTo("sqlite");
        assertThat(s.get("store").get("retentionDays").isNull())
                .as("kept forever")
                .isTrue();
        assertThat(s.get("ingest").get("samples").asLong()).isEqualTo(N);
        assertThat(s.get("compression").get("frames").asLong()).isEqualTo(N);
        assertThat(s.get("compression")
                        .get("signals")
                        .get("VehicleSpeed")
                        .get("sent")
                        .asLong())
                .isPositive();
        assertThat(s.get("ingest").get("values").asLong())
                .as("7 signals a frame")
                .isEqualTo(7L * N);
        assertThat(s.get("jvm").get("heapUsedBytes").asLong()).isPositive();
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> r = fx.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(r.body())
                .contains("fleetlog_ingest_samples_total " + N + ".0")
                .contains("fleetlog_ingest_ack_latency_seconds")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void vehiclesListsVehicleStates() throws Exception {
        JsonNode a = JSON.readTree(fx.get("/api/vehicles").body());
        assertThat(a.isArray()).isTrue();
        assertThat(a.get(0).get("vin").asText()).isEqualTo(VIN);
        assertThat(a.get(0).get("samplesStored").asLong()).isEqualTo(N);
    }

    @Test
    void samplesAsJsonHaveEveryFieldNullsAndReconstructedKeys() throws Exception {
        long from = in.get(0).captureTimeMs();
        long to = in.get(10).captureTimeMs();
        HttpResponse<String> r = fx.get("/api/vehicles/" + VIN + "/samples?from=" + from + "&to=" + to);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode a = JSON.readTree(r.body());
        assertThat(a).hasSize(10);
        assertThat(a.get(0).get("seq").asLong()).isZero();
        assertThat(a.get(0).get("t").asLong()).isEqualTo(from);
        for (String name : List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation")) {
            assertThat(a.get(3).get("values").has(name)).as(name).isTrue();
        }
        assertThat(a.get(3).get("values").size()).as("only what was captured").isEqualTo(7);
        assertThat(a.get(3).get("values").get("Location").get("lon").asDouble())
                .isEqualTo(in.get(3).get(Field.LONGITUDE));
        assertThat(a.get(5).get("values").get("Soc").isNull()).isTrue();
        assertThat(a.get(0).get("reconstructed")).isEmpty(); // keyframe
        boolean anyReconstructed = false;
        for (JsonNode s : a) {
            anyReconstructed |= !s.get("reconstructed").isEmpty();
        }
        assertThat(anyReconstructed).isTrue();
    }

    @Test
    void samplesAcceptIsoTimesAndLimit() throws Exception {
        String from =
                java.time.Instant.ofEpochMilli(in.get(100).captureTimeMs()).toString();
        JsonNode a = JSON.readTree(fx.get("/api/vehicles/" + VIN + "/samples?from=" + from + "&limit=7")
                .body());
        assertThat(a).hasSize(7);
        assertThat(a.get(0).get("seq").asLong()).isEqualTo(100);
    }

    /** Issue 12 item 6: an export is bounded per request, and says so. */
    @Test
    void samplesAreBoundedPerRequestAndSayHowFar() throws Exception {
        HttpResponse<String> all = fx.get("/api/vehicles/" + VIN + "/samples?format=csv");
        assertThat(all.headers().firstValue("X-Fleetlog-Max-Samples"))
                .hasValue(Long.toString(HttpApi.MAX_SAMPLES_PER_REQUEST));
        HttpResponse<String> tooMany =
                fx.get("/api/vehicles/" + VIN + "/samples?limit=" + (HttpApi.MAX_SAMPLES_PER_REQUEST + 1));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("exceeds the maximum of " + HttpApi.MAX_SAMPLES_PER_REQUEST);
    }

    @Test
    void samplesAsCsvHaveTheDocumentedHeaderAndIsoMillis() throws Exception {
        HttpResponse<String> r = fx.get("/api/vehicles/" + VIN + "/samples?format=csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
        String[] lines = r.body().split("\n");
        io.fleetlog.catalog.Catalogue cat = io.fleetlog.catalog.Catalogue.builtin();
        assertThat(lines[0])
                .startsWith("vin,seq,capture_time,VehicleSpeed,Power,Soc,GpsHeading,Odometer,Location,Elevation,Gear,")
                .endsWith(",reconstructed");
        assertThat(lines).hasSize(N + 1);
        String[] first = lines[1].split(",", -1);
        assertThat(first).hasSize(3 + cat.size() + 1);
        assertThat(first[0]).isEqualTo(VIN);
        assertThat(first[1]).isEqualTo("0");
        assertThat(first[2]).isEqualTo("2025-11-26T18:00:00.000Z");
        assertThat(Double.parseDouble(first[3])).isEqualTo(in.get(0).get(Field.SPEED));
        assertThat(first[8])
                .as("one column, latitude and longitude")
                .isEqualTo(in.get(0).get(Field.LATITUDE) + " " + in.get(0).get(Field.LONGITUDE));
        assertThat(first[10]).as("Gear: not captured").isEmpty();
        String[] sixth = lines[6].split(",", -1);
        assertThat(sixth[5]).as("unavailable soc").isEqualTo("NA");
        assertThat(lines[2].split(",", -1)[2]).isEqualTo("2025-11-26T18:00:00.020Z");
        assertThat(Arrays.stream(lines)
                        .skip(1)
                        .allMatch(l -> !String.join(",", Arrays.copyOfRange(l.split(",", -1), 3, 11))
                                .contains("E")))
                .as("no exponent notation")
                .isTrue();
    }

    @Test
    void largeSampleResponsesAreStreamedInChunks() throws Exception {
        HttpResponse<String> r = fx.get("/api/vehicles/" + VIN + "/samples?format=csv");
        assertThat(r.headers().firstValue("content-length")).isEmpty();
        assertThat(r.headers().firstValue("transfer-encoding").orElse("")).isEqualTo("chunked");
    }

    @Test
    void unknownVinIs404AndBadParametersAre400() throws Exception {
        HttpResponse<String> nf = fx.get("/api/vehicles/" + Samples.VIN_B + "/samples");
        assertThat(nf.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(nf.body()).get("error").asText()).contains(Samples.VIN_B);
        HttpResponse<String> bad = fx.get("/api/vehicles/" + VIN + "/samples?from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("from");
        HttpResponse<String> fmt = fx.get("/api/vehicles/" + VIN + "/samples?format=xml");
        assertThat(fmt.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(fmt.body()).get("error").asText()).contains("format");
        assertThat(fx.get("/api/demo").statusCode()).isEqualTo(404);
    }

    @Test
    void summaryComputesDistanceEnergyEfficiencyAndLinkTime() throws Exception {
        JsonNode s = JSON.readTree(fx.get("/api/vehicles/" + VIN + "/summary").body());
        assertThat(s.get("vin").asText()).isEqualTo(VIN);
        assertThat(s.get("samples").asLong()).isEqualTo(N);
        // expected from the captured values (odometer is lossless, power within its threshold)
        double distance = in.get(N - 1).get(Field.ODOMETER) - in.get(0).get(Field.ODOMETER);
        double energy = 0;
        for (int i = 1; i < N; i++) {
            energy += (in.get(i).get(Field.POWER) + in.get(i - 1).get(Field.POWER)) / 2 * 20 / 3_600_000.0;
        }
        assertThat(s.get("distanceMi").asDouble()).isCloseTo(distance, org.assertj.core.data.Offset.offset(0.002));
        // power reconstruction error is at most 5 kW over 60 s: 0.083 kWh
        assertThat(s.get("energyKwh").asDouble()).isCloseTo(energy, org.assertj.core.data.Offset.offset(0.09));
        assertThat(s.get("whPerMi").asDouble())
                .isCloseTo(
                        s.get("energyKwh").asDouble()
                                * 1000
                                / s.get("distanceMi").asDouble(),
                        org.assertj.core.data.Offset.offset(1.0));
        assertThat(s.get("onlineSeconds").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(s.has("offlineSeconds")).isTrue();
    }

    @Test
    void onlineTimeComesFromLinkEvents() {
        List<VehicleEvent> ev = List.of(
                VehicleEvent.link(VIN, 1_000, true),
                VehicleEvent.link(VIN, 4_000, false),
                VehicleEvent.gap(VIN, 5_000, 1, 2, ""),
                VehicleEvent.link(VIN, 6_000, true),
                VehicleEvent.link(VIN, 9_000, false));
        assertThat(Summary.onlineMs(ev, 0, 10_000)).isEqualTo(6_000);
        assertThat(Summary.onlineMs(ev, 2_000, 7_000)).isEqualTo(3_000);
        assertThat(Summary.onlineMs(List.of(VehicleEvent.link(VIN, 1_000, true)), 0, 5_000))
                .isEqualTo(4_000);
    }

    @Test
    void signalsSelectColumnsInTheirOrderAndUnknownNamesAre400() throws Exception {
        HttpResponse<String> r =
                fx.get("/api/vehicles/" + VIN + "/samples?format=csv&limit=3&signals=soc,Vehicle.Speed");
        assertThat(r.statusCode()).isEqualTo(200);
        String[] lines = r.body().split("\n");
        assertThat(lines[0]).isEqualTo("vin,seq,capture_time,Soc,VehicleSpeed,reconstructed");
        assertThat(lines).hasSize(4);
        assertThat(Double.parseDouble(lines[1].split(",", -1)[4]))
                .isEqualTo(in.get(0).get(Field.SPEED));
        JsonNode a = JSON.readTree(
                fx.get("/api/vehicles/" + VIN + "/samples?limit=2&signals=Soc").body());
        assertThat(a.get(1).get("values").size()).isEqualTo(1);
        assertThat(a.get(1).get("values").get("Soc").asDouble())
                .isEqualTo(in.get(1).get(Field.SOC));
        HttpResponse<String> bad = fx.get("/api/vehicles/" + VIN + "/samples?signals=Soc,NoSuchThing");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText())
                .startsWith("unknown signal 'NoSuchThing' (the vehicle's catalogue ");
        HttpResponse<String> none = fx.get("/api/vehicles/" + VIN + "/samples?signals=Gear");
        assertThat(JSON.readTree(none.body())).as("no frame captured the gear").isEmpty();
    }

    @Test
    void theVehiclesCatalogueIsListedWithTypesUnitsAndEnumValues() throws Exception {
        JsonNode c = JSON.readTree(fx.get("/api/vehicles/" + VIN + "/signals").body());
        assertThat(c.get("hash").asText())
                .isEqualTo(io.fleetlog.catalog.Catalogue.builtin().hash());
        JsonNode speed = c.get("signals").get(0);
        assertThat(speed.get("name").asText()).isEqualTo("VehicleSpeed");
        assertThat(speed.get("unit").asText()).isEqualTo("mph");
        assertThat(speed.get("bound").asDouble()).isEqualTo(2.0);
        JsonNode gear = null;
        for (JsonNode s : c.get("signals")) {
            if (s.get("name").asText().equals("Gear")) {
                gear = s;
            }
        }
        assertThat(gear.get("type").asText()).isEqualTo("enum");
        List<String> names = new java.util.ArrayList<>();
        gear.get("values").forEach(v -> names.add(v.get("name").asText()));
        assertThat(names).contains("P", "R", "N", "D");
        assertThat(fx.get("/api/vehicles/NOSUCHVIN0000000/signals").statusCode())
                .isEqualTo(404);
    }
}
