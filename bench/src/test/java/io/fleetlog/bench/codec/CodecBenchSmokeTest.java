package io.fleetlog.bench.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Seconds-long smoke runs of the codec benchmark and the size table. */
class CodecBenchSmokeTest {

    @Test
    void drivesAreDeterministicAndLookLikeTheirNames() {
        List<Sample> highway = DriveStreams.HIGHWAY.samples(3_000, 1);
        List<Sample> city = DriveStreams.CITY.samples(3_000, 1);
        assertThat(highway).isEqualTo(DriveStreams.HIGHWAY.samples(3_000, 1));
        assertThat(highway.get(1).captureTimeMs() - highway.get(0).captureTimeMs())
                .isEqualTo(DriveStreams.PERIOD_MS);
        for (Sample s : highway) {
            s.validate();
            assertThat(s.get(Field.SPEED)).isBetween(63.0, 77.0);
        }
        assertThat(city.stream().filter(s -> s.get(Field.SPEED) == 0).count())
                .as("city stops")
                .isPositive();
        assertThat(city.stream().mapToDouble(s -> s.get(Field.POWER)).min().orElseThrow())
                .as("regen")
                .isLessThan(-10);
        assertThat(city.stream().mapToDouble(s -> s.get(Field.SPEED)).max().orElseThrow())
                .isBetween(15.0, 36.0);
    }

    @Test
    void codecIsSmallerThanFullProtobufAndJson() throws Exception {
        for (DriveStreams d : DriveStreams.values()) {
            CodecSizes.Row row = CodecSizes.measure(d.name(), d.samples(2_500, 1));
            assertThat(row.codec()).as(d + " codec vs lossless").isLessThan(row.codecLossless());
            assertThat(row.codecLossless()).as(d + " lossless vs protobuf").isLessThan(row.fullProtobuf());
            assertThat(row.fullProtobuf()).as(d + " protobuf vs JSON").isLessThan(row.json());
            assertThat(row.savingVsProtobuf()).isGreaterThan(50);
            for (Field f : Field.values()) {
                assertThat(row.maxError()[f.ordinal()])
                        .as(f.key())
                        .isLessThanOrEqualTo(
                                io.fleetlog.codec.CodecConfig.defaults().bound(f) + 1e-9);
            }
            assertThat(CodecSizes.table(List.of(row))).contains(d.name()).contains("vs protobuf");
        }
    }

    @Test
    void cpuRateCrossCheckMeasuresEveryOperation() throws Exception {
        List<CodecCpuRate.Rate> rates = CodecCpuRate.measure(DriveStreams.CITY, 0.2);
        assertThat(rates).extracting(CodecCpuRate.Rate::operation).containsExactly("encode", "decode", "decodeBytes");
        for (CodecCpuRate.Rate r : rates) {
            assertThat(r.perCpuSecond()).as(r.operation()).isGreaterThan(10_000);
            assertThat(r.perWallSecond()).as(r.operation()).isGreaterThan(10_000);
        }
    }

    @Test
    void jmhBenchmarkRunsAndReportsThroughput() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(CodecBench.class.getName() + "\\.")
                        .param("stream", "HIGHWAY")
                        .forks(0)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .measurementTime(TimeValue.seconds(1))
                        .threads(1)
                        .shouldFailOnError(true)
                        .build())
                .run();
        assertThat(results).hasSize(3);
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore())
                    .as(r.getParams().getBenchmark())
                    .isGreaterThan(10_000);
        }
    }
}
