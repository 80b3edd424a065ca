package io.fleetlog.logs.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.logs.RealData;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanSourceTest {
    /** The verified Ford Fusion speed signal (PROVENANCE.md): 0x415 bytes 0–1 big-endian × 0.01 km/h. */
    static final String FORD_DBC = """
            VERSION ""
            BU_: XXX
            BO_ 1045 BrakeSysFeatures: 8 XXX
             SG_ Veh_V_ActlBrk : 7|16@0+ (0.01,0) [0|655.35] "kph" XXX
            """;

    static List<Sample> drain(CanSource s) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (Sample x; (x = s.next()) != null; ) {
            out.add(x);
        }
        return out;
    }

    static BoundMapping speedOnly(String dbc) throws IOException {
        return SignalMapping.parse("speed = BrakeSysFeatures.Veh_V_ActlBrk\n", "ford.mapping")
                .bind(Dbc.parse(new StringReader(dbc), "ford.dbc"));
    }

    @Test
    void fordFusionSpeedRisesFrom28To76KmhAt50Hz() throws IOException {
        CandumpReader frames = CandumpReader.open(RealData.file(RealData.FORD_CANDUMP), null);
        try (CanSource src = new CanSource(frames, speedOnly(FORD_DBC), CanSource.Options.DEFAULT, "ford")) {
            List<Sample> samples = drain(src);
            assertThat(src.problems()).isZero();
            // 20.893 s of log at 50 Hz; 0x415 comes every ~20 ms with jitter: a tick it misses has no sample
            assertThat(samples).hasSizeBetween(1000, 1046);
            for (int i = 1; i < samples.size(); i++) {
                assertThat(samples.get(i).captureTimeMs() - samples.get(i - 1).captureTimeMs())
                        .isIn(20L, 40L, 60L);
                assertThat(samples.get(i).frame().size()).isEqualTo(1); // only the speed was captured
            }
            assertThat(samples.get(0).captureTimeMs() % 20).isZero();
            assertThat(samples.get(0).captureTimeMs()).isBetween(1_487_342_025_616L, 1_487_342_025_700L);
            double firstKmh = samples.get(0).get(Field.SPEED) * Units.KM_PER_MILE;
            double lastKmh = samples.getLast().get(Field.SPEED) * Units.KM_PER_MILE;
            double maxKmh =
                    samples.stream().mapToDouble(s -> s.get(Field.SPEED)).max().orElseThrow() * Units.KM_PER_MILE;
            assertThat(firstKmh).isCloseTo(27.8, within(0.5));
            assertThat(lastKmh).isCloseTo(75.8, within(1.0));
            assertThat(maxKmh).isLessThan(77.0);
            assertThat(samples.get(0).get(Field.POWER)).isNaN();
        }
    }

    @Test
    void capturesASignalWhenItsMessageArrivesAndDoesNotBridgeGaps() throws IOException {
        String log = """
                (100.001000) can0 415#0100000000000000
                (100.030000) can0 123#00
                (100.065000) can0 415#0200000000000000
                (110.000500) can0 415#0300000000000000
                """;
        CandumpReader frames = new CandumpReader(new StringReader(log), "gap.log", null);
        List<Sample> s = drain(
                new CanSource(frames, speedOnly(FORD_DBC), new CanSource.Options(50, Duration.ofSeconds(1)), "gap"));
        assertThat(s)
                .extracting(Sample::captureTimeMs)
                .containsExactly(100_020L, 100_080L, 110_020L); // no tick without a mapped message
        assertThat(s)
                .extracting(x -> Math.round(x.get(Field.SPEED) * Units.KM_PER_MILE * 100))
                .containsExactly(256L, 512L, 768L);
    }

    @Test
    void extendedIdsCanFdAndRemoteFramesAndOneInterface() throws IOException {
        String dbc = """
                BO_ 2566844926 Ext: 8 ECU
                 SG_ Soc : 0|8@1+ (0.5,0) [0|100] "%" X
                BO_ 291 Fd: 16 ECU
                 SG_ Kmh : 96|16@1+ (0.01,0) [0|655.35] "km/h" X
                """;
        BoundMapping m = SignalMapping.parse("soc = Ext.Soc\nspeed = Fd.Kmh\n", "x.mapping")
                .bind(Dbc.parse(new StringReader(dbc), "x.dbc"));
        String log = """
                (5.000000) can0 18FEF1FE#A0
                (5.001000) can1 18FEF1FE#10
                (5.002000) can0 123##100000000000000000000000001020304
                (5.003000) can0 123#R
                (5.030000) can0 18FEF1FE#A2
                """;
        List<Sample> s = drain(new CanSource(
                new CandumpReader(new StringReader(log), "x.log", "can0"), m, CanSource.Options.DEFAULT, "x"));
        assertThat(s).extracting(Sample::captureTimeMs).containsExactly(5_000L, 5_020L, 5_040L);
        assertThat(s).extracting(x -> x.get(Field.SOC)).containsExactly(80.0, Double.NaN, 81.0);
        assertThat(s).extracting(x -> x.frame().size()).containsExactly(1, 1, 1);
        assertThat(s.get(0).get(Field.SPEED)).isNaN();
        assertThat(s.get(1).get(Field.SPEED) * Units.KM_PER_MILE).isCloseTo(0x0201 * 0.01, within(1e-9));
    }

    @Test
    void noSampleBeforeTheFirstMappedSignal() throws IOException {
        String log = "(1.000000) can0 123#00\n(1.050000) can0 123#00\n(1.061000) can0 415#0100000000000000\n";
        CandumpReader frames = new CandumpReader(new StringReader(log), "late.log", null);
        List<Sample> s = drain(new CanSource(frames, speedOnly(FORD_DBC), CanSource.Options.DEFAULT, "late"));
        assertThat(s).extracting(Sample::captureTimeMs).containsExactly(1_080L);
    }
}
