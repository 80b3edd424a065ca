package io.fleetlog.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet benchmark in its {@code --quick} sizes: every row is there and every figure is sane. */
class FleetBenchSmokeTest {

    @Test
    void quickRunFillsEveryRowWithSaneFigures() throws Exception {
        FleetBench.Sizes sizes = FleetBench.Sizes.quick();
        FleetBench.Report r = FleetBench.run(sizes);

        long backlog = (long) sizes.vehicles() * sizes.deadZoneSeconds() * 50;
        assertThat(r.drain().samples()).isEqualTo(backlog);
        assertThat(r.drain().stored()).as("drain stored everything").isEqualTo(backlog);
        assertThat(r.drain().edgesAcked()).as("every edge got its acks").isTrue();
        assertThat(r.drain().storedSeconds()).isPositive().isLessThan(60);

        assertThat(r.latency().missing())
                .as("samples captured but never stored")
                .isZero();
        assertThat(r.latency().samples()).isGreaterThan(sizes.vehicles() * 50L);
        assertThat(r.latency().p50())
                .isPositive()
                .isLessThanOrEqualTo(r.latency().p99());
        assertThat(r.latency().p99()).isLessThanOrEqualTo(r.latency().max()).isLessThan(5_000);

        for (WireSizes.Result s : List.of(r.highway(), r.city())) {
            assertThat(s.samples()).as(s.drive()).isEqualTo(sizes.driveSeconds() * 50L);
            assertThat(s.fleetlog()).as(s.drive()).isPositive().isLessThan(s.fullProtobuf());
            assertThat(s.gzipJson()).as(s.drive()).isLessThan(s.json());
            assertThat(s.zstdProtobuf()).as(s.drive()).isLessThan(s.fullProtobuf());
        }
        r.tessie().ifPresent(t -> assertThat(t.samples()).isGreaterThan(100));

        assertThat(r.edge().exitCode()).isZero();
        assertThat(r.edge().samples()).isEqualTo((long) sizes.vehicles() * sizes.edgeSeconds() * 50);
        assertThat(r.edge().peakHeapBytes()).isPositive().isLessThanOrEqualTo(FleetBench.HEAP_GOAL_BYTES);
        assertThat(r.edge().maxHeapBytes()).isLessThanOrEqualTo(FleetBench.HEAP_GOAL_BYTES);
        assertThat(r.edge().cpuSeconds()).isPositive();

        String table = FleetBench.table(r);
        assertThat(table.lines().filter(l -> l.startsWith("| ")).count()).isEqualTo(7); // header + 6 rows
        assertThat(table).contains("| 1 |", "| 2 |", "| 3a |", "| 3b |", "| 3c |", "| 4 |");
        assertThat(FleetBench.document(r, table, FleetBench.COMMAND + " --quick", 1.0))
                .contains(FleetBench.COMMAND, "cores", "JDK", table);
    }

    @Test
    void simulatedDrivesAreHighwayAndCityAndDeterministic() {
        Drives.Simulated drives = Drives.simulated(Duration.ofMinutes(15), 600);
        List<Sample> highway = drives.highway();
        List<Sample> city = drives.city();
        assertThat(highway).hasSizeGreaterThan(3_000);
        assertThat(city).hasSizeGreaterThan(3_000);
        assertThat(Drives.simulated(Duration.ofMinutes(15), 30).highway()).isEqualTo(highway.subList(0, 1_500));
        assertThat(highway).allSatisfy(s -> assertThat(s.get(Field.SPEED)).isGreaterThanOrEqualTo(55.0));
        assertThat(city).allSatisfy(s -> assertThat(s.get(Field.SPEED)).isLessThanOrEqualTo(38.0));
        assertThat(city).anySatisfy(s -> assertThat(s.get(Field.SPEED)).isZero());
        assertThat(city.get(0).seq()).isZero();
    }

    @Test
    void percentileIsNearestRank() {
        long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(OnlineLatency.percentile(v, 0.5)).isEqualTo(5);
        assertThat(OnlineLatency.percentile(v, 0.99)).isEqualTo(10);
        assertThat(OnlineLatency.percentile(new long[0], 0.99)).isZero();
    }
}
