package io.fleetlog.logs.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the CSV readers and the resampler. */
class ExportPropertiesTest {
    static final String HEADER = "\"Timestamp (PDT)\",\"Speed (mph)\",\"Power (kW)\",\"Battery Level (%)\","
            + "\"Odometer (mi)\",\"Latitude\",\"Longitude\",\"Elevation (m)\"\n";
    static final String ROWS = """
            "2024-03-10 13:34:28",63,30,34,4573.53,38.627872,-120.20625,2268
            "2024-03-10 13:34:41",57,-43,34,4573.74,38.628258,-120.21001,2266
            "2024-03-10 13:40:55",57,6,32,4579.56,38.570797,-120.26415,2090
            "2024-03-10 13:41:18",54,-4,32,4579.81,38.56747,-120.26476,2088
            """;

    @Property(tries = 500)
    void damagedRowsNeverEscapeAsExceptions(
            @ForAll @IntRange(min = 0, max = 10_000) int at,
            @ForAll("csvChars") String insert,
            @ForAll @IntRange(min = 0, max = 6) int delete) {
        int p = at % ROWS.length();
        String body = ROWS.substring(0, p) + insert + ROWS.substring(Math.min(ROWS.length(), p + delete));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            CsvSource src =
                    new CsvSource(new StringReader(HEADER + body), "fuzz.csv", TessieCsvSource.mapping(null), null);
            long last = Long.MIN_VALUE;
            for (Sample s; (s = src.next()) != null; ) {
                s.validate();
                assertThat(s.captureTimeMs()).isGreaterThan(last);
                last = s.captureTimeMs();
            }
            for (String m : src.problemLog().first()) {
                assertThat(m).matches("(?s)fuzz\\.csv:\\d+: .+");
            }
            assertThat(src.samples() + src.emptyRows()).isLessThanOrEqualTo(src.rows());
        });
    }

    @Provide
    Arbitrary<String> csvChars() {
        return Arbitraries.strings().withChars("\",\n\r -.:0123456789eENa").ofMaxLength(6);
    }

    @Property(tries = 200)
    void resamplingKeepsEveryRowAndNeverFillsLongGaps(
            @ForAll("gaps") List<Integer> gapsMs, @ForAll @IntRange(min = 100, max = 5_000) int maxGapMs)
            throws Exception {
        List<Sample> in = new ArrayList<>();
        long t = 1_000_003;
        for (int i = 0; i <= gapsMs.size(); i++) {
            in.add(new Sample(-1, t, new double[] {i, -i, 50, (i * 97) % 360, i, 1, 2, 3}));
            if (i < gapsMs.size()) {
                t += gapsMs.get(i);
            }
        }
        Resampler r = new Resampler(ExportSourcesTestSupport.of(in), 50, Duration.ofMillis(maxGapMs));
        List<Sample> out = new ArrayList<>();
        for (Sample s; (s = r.next()) != null; ) {
            out.add(s);
        }
        Set<Sample> originals = new HashSet<>(in);
        assertThat(out).containsAll(in);
        int k = 0;
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).captureTimeMs()).isGreaterThan(out.get(i - 1).captureTimeMs());
        }
        for (Sample s : out) {
            if (originals.contains(s)) {
                k++;
                continue;
            }
            assertThat(s.captureTimeMs() % 20).isZero();
            Sample before = in.get(k - 1);
            Sample after = in.get(k);
            assertThat(after.captureTimeMs() - before.captureTimeMs()).isLessThanOrEqualTo(maxGapMs);
            assertThat(Field.HEADING.distance(s.get(Field.HEADING), before.get(Field.HEADING)))
                    .isLessThanOrEqualTo(
                            Field.HEADING.distance(after.get(Field.HEADING), before.get(Field.HEADING)) + 1e-9);
        }
    }

    @Provide
    Arbitrary<List<Integer>> gaps() {
        return Arbitraries.integers().between(1, 8_000).list().ofMaxSize(20);
    }
}
