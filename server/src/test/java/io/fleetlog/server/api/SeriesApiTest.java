package io.fleetlog.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import io.fleetlog.server.testing.Samples;
import io.fleetlog.server.testing.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /series} on a real server over a real HTTP client: three hours of one car at 10 Hz with one
 * spike, charted from raw frames, the 10 s and the 1 min rollups; bounds and parameter errors.
 */
class SeriesApiTest {
    static final String VIN = Samples.VIN_A;
    static final ObjectMapper JSON = new ObjectMapper();
    static final long T0 = Samples.T0; // a whole minute
    static final long PERIOD = 100;
    static final int N = 3 * 36_000; // three hours at 10 Hz
    static final int SPIKE = 50_017; // one frame with speed 499
    static final int SPEED = Catalogue.builtin().id("VehicleSpeed");
    static final int GEAR = Catalogue.builtin().id("Gear");

    @TempDir
    static Path dir;

    static ServerFixture fx;
    static List<Sample> in = new ArrayList<>();

    @BeforeAll
    static void start() {
        SampleStore store = Stores.open(ServerFixture.config(dir).dbUrl());
        for (int i = 0; i < N; i++) {
            Frame.Builder b = Frame.builder(T0 + i * PERIOD);
            b.number(SPEED, i == SPIKE ? 499 : Math.round(4000 + 3000 * Math.sin(i / 900.0)) / 100.0);
            b.integer(GEAR, i < N / 2 ? 5 : 2);
            in.add(new Sample(i, b.build()));
        }
        for (int i = 0; i < N; i += 20_000) {
            store.append(VIN, in.subList(i, Math.min(N, i + 20_000)));
        }
        fx = ServerFixture.start(ServerFixture.config(dir), store);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static JsonNode series(String query) throws Exception {
        HttpResponse<String> r = fx.get("/api/vehicles/" + VIN + "/series?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Frames of the test stream with {@code from <= t < to}. */
    static List<Sample> between(long from, long to) {
        return in.stream()
                .filter(s -> s.captureTimeMs() >= from && s.captureTimeMs() < to)
                .toList();
    }

    static double speed(Sample s) {
        return s.frame().number(s.frame().indexOf(SPEED));
    }

    @Test
    void threeHoursAtAHundredPointsComeFromTheMinuteRollupsWithTheSpikeKept() throws Exception {
        JsonNode s = series("signals=VehicleSpeed&from=" + T0 + "&to=" + (T0 + N * PERIOD) + "&points=100")
                .get("series")
                .get(0);
        assertThat(s.get("source").asText()).isEqualTo("1m");
        assertThat(s.get("bucketMs").asLong()).isEqualTo(120_000); // 108 s rounded up to whole minutes
        JsonNode pts = s.get("points");
        assertThat(pts.size()).isLessThanOrEqualTo(100).isEqualTo(90);
        long count = 0;
        double max = 0;
        for (JsonNode p : pts) {
            assertThat(p.get(1).asDouble()).isLessThanOrEqualTo(p.get(3).asDouble());
            assertThat(p.get(3).asDouble()).isLessThanOrEqualTo(p.get(2).asDouble());
            count += p.get(5).asLong();
            max = Math.max(max, p.get(2).asDouble());
        }
        assertThat(count).as("every frame counted once").isEqualTo(N);
        assertThat(max).as("the one-frame spike survives").isEqualTo(499);
    }

    @Test
    void anHourAtTwoHundredPointsComesFromTheTenSecondRollupsAndEqualsTheRawFrames() throws Exception {
        long from = T0 + 3_600_000;
        long to = from + 3_600_000;
        JsonNode s = series("signals=speed,Gear&from=" + from + "&to=" + to + "&points=200");
        JsonNode speed = s.get("series").get(0);
        assertThat(speed.get("signal").asText()).isEqualTo("VehicleSpeed");
        assertThat(speed.get("source").asText()).isEqualTo("10s");
        assertThat(speed.get("bucketMs").asLong()).isEqualTo(20_000);
        JsonNode pts = speed.get("points");
        assertThat(pts.size()).isEqualTo(180);
        for (JsonNode p : pts) {
            List<Sample> raw = between(p.get(0).asLong(), p.get(0).asLong() + 20_000);
            assertThat(p.get(5).asLong()).isEqualTo(raw.size());
            assertThat(p.get(1).asDouble())
                    .isEqualTo(
                            raw.stream().mapToDouble(SeriesApiTest::speed).min().orElseThrow());
            assertThat(p.get(2).asDouble())
                    .isEqualTo(
                            raw.stream().mapToDouble(SeriesApiTest::speed).max().orElseThrow());
            assertThat(p.get(4).asDouble()).isEqualTo(speed(raw.get(raw.size() - 1)));
        }
        JsonNode gear = s.get("series").get(1);
        assertThat(gear.get("type").asText()).isEqualTo("enum");
        assertThat(gear.get("points").get(0).get(4).asInt()).isEqualTo(5);
        assertThat(gear.get("points").get(179).get(4).asInt())
                .as("D until half time, then P")
                .isEqualTo(2);
    }

    @Test
    void aMinuteAtFiftyPointsComesFromRawFrames() throws Exception {
        long from = T0 + SPIKE * PERIOD - 30_000 + 7; // not on a bucket boundary
        long to = from + 60_000;
        JsonNode speed = series("signals=VehicleSpeed&from=" + from + "&to=" + to + "&points=50")
                .get("series")
                .get(0);
        assertThat(speed.get("source").asText()).isEqualTo("raw");
        assertThat(speed.get("bucketMs").asLong()).isEqualTo(1200);
        JsonNode pts = speed.get("points");
        assertThat(pts.size()).isEqualTo(50);
        long count = 0;
        double max = 0;
        for (JsonNode p : pts) {
            List<Sample> raw = between(p.get(0).asLong(), p.get(0).asLong() + 1200);
            assertThat(p.get(5).asLong()).isEqualTo(raw.size());
            assertThat(p.get(3).asDouble())
                    .isCloseTo(
                            raw.stream()
                                    .mapToDouble(SeriesApiTest::speed)
                                    .average()
                                    .orElseThrow(),
                            org.assertj.core.api.Assertions.within(1e-9));
            count += p.get(5).asLong();
            max = Math.max(max, p.get(2).asDouble());
        }
        assertThat(count).isEqualTo(between(from, to).size());
        assertThat(max).isEqualTo(499);
    }

    @Test
    void aRangeWithNothingStoredHasNoPoints() throws Exception {
        JsonNode s = series("signals=VehicleSpeed&from=" + (T0 - 86_400_000) + "&to=" + T0 + "&points=10");
        assertThat(s.get("series").get(0).get("points").size()).isZero();
    }

    @Test
    void badParametersAnswer400NamingThem() throws Exception {
        String range = "&from=" + T0 + "&to=" + (T0 + 60_000);
        assertBad("from=" + T0 + "&to=" + (T0 + 1000), "'signals' is required");
        assertBad("signals=Nope" + range, "unknown signal 'Nope'");
        assertBad("signals=Version" + range, "Version is a string");
        assertBad("signals=Location" + range, "Location is a location");
        assertBad("signals=speed,VehicleSpeed" + range, "named twice");
        assertBad("signals=speed&to=" + T0, "'from' and 'to' are required");
        assertBad("signals=speed&from=" + T0 + "&to=" + T0, "'from' (" + T0 + ") must be before 'to'");
        assertBad("signals=speed&from=yesterday&to=" + T0, "parameter 'from': 'yesterday'");
        assertBad("signals=speed" + range + "&points=0", "'points': 0 is not in 1..10000");
        assertBad("signals=speed" + range + "&points=10001", "'points': 10001 is not in 1..10000");
        assertBad("signals=speed" + range + "&points=-3", "'points': -3 is negative");
        assertBad("signals=speed" + range + "&points=many", "'points': 'many' is not a whole number");
        assertBad("signals=speed&from=0&to=" + Long.MAX_VALUE, "at most 100 years");
        assertThat(fx.get("/api/vehicles/" + Samples.VIN_B + "/series?signals=speed" + range)
                        .statusCode())
                .isEqualTo(404);
    }

    static void assertBad(String query, String message) throws Exception {
        HttpResponse<String> r = fx.get("/api/vehicles/" + VIN + "/series?" + query);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).as(query).contains(message);
    }
}
