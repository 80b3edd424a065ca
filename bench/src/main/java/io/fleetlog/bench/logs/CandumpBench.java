package io.fleetlog.bench.logs;

import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.logs.candump.CandumpWriter;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.mapping.BoundMapping;
import io.fleetlog.logs.mapping.CanSource;
import io.fleetlog.logs.mapping.Model3CanEncoder;
import io.fleetlog.logs.mapping.SignalMapping;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CAN log decode throughput on one thread, in frames per second, from text already in memory (so
 * the disk is not measured):
 *
 * <ul>
 *   <li>{@code parse}: {@link CandumpReader} only, text lines → frames;
 *   <li>{@code parse+decode}: plus {@link Dbc#decode} of every frame (a map of signal values per
 *       known frame), with the Ford fixture DBC (0x415 speed) or the full Model 3 DBC;
 *   <li>{@code parse+decode+assemble}: {@link CanSource} making 50 Hz samples through a mapping.
 * </ul>
 *
 * <p>Wall-clock frames/s and frames per CPU-second of the measuring thread are both reported: on a
 * shared, loaded machine the second is the steadier figure.
 *
 * <p>Logs: the real Ford Fusion capture (41,250 frames, 75 IDs, one mapped) and a synthetic Model 3
 * drive written by {@link Model3CanEncoder} (10 minutes at 50 Hz, every frame mapped). Each figure is
 * the median of {@code rounds} timed rounds (each whole passes over the log for at least 1 s) after
 * 2 s of warm-up, so the JIT has compiled the hot paths.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.logs.CandumpBench
 * [data-dir] [rounds]} (data-dir default: system property {@code fleetlog.realData}, else
 * {@code ../shared/data/real}; rounds default 5).
 */
public final class CandumpBench {
    static final String FORD = "ford_fusion_2017-02-17_acc_30_to_80kmh.candump";
    static final String MODEL3_DBC = "tesla_model3_Model3CAN.dbc";
    static final String FORD_DBC =
            "BO_ 1045 BrakeSysFeatures: 8 XXX\n" + " SG_ Veh_V_ActlBrk : 7|16@0+ (0.01,0) [0|655.35] \"kph\" XXX\n";

    /** One measured row. */
    public record Row(
            String log, String stage, long frames, long samples, double framesPerSecond, double framesPerCpuSecond) {}

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private CandumpBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("fleetlog.realData", "../shared/data/real"));
        Timing timing = args.length > 1
                ? new Timing(Timing.DEFAULT.warmUpSeconds(), Integer.parseInt(args[1]), Timing.DEFAULT.roundSeconds())
                : Timing.DEFAULT;
        System.out.printf(
                Locale.ROOT,
                "%-20s %-28s %7s %7s %12s %12s%n",
                "log",
                "stage",
                "frames",
                "samples",
                "frames/s",
                "frames/CPU-s");
        for (Row r : run(dir, timing)) {
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %-28s %7d %7d %,12.0f %,12.0f%n",
                    r.log(),
                    r.stage(),
                    r.frames(),
                    r.samples(),
                    r.framesPerSecond(),
                    r.framesPerCpuSecond());
        }
    }

    /** Measures every stage on both logs. */
    public static List<Row> run(Path dataDir, Timing timing) throws IOException {
        List<Row> rows = new ArrayList<>();
        String ford = Files.readString(dataDir.resolve(FORD), StandardCharsets.ISO_8859_1);
        Dbc fordDbc = Dbc.parse(new StringReader(FORD_DBC), "ford.dbc");
        Dbc model3Dbc = Dbc.parse(dataDir.resolve(MODEL3_DBC));
        BoundMapping fordMapping = SignalMapping.parse(
                        new StringReader("speed = BrakeSysFeatures.Veh_V_ActlBrk\n"), "ford.mapping")
                .bind(fordDbc);
        rows.add(measure("ford (real)", "parse", timing, () -> parse(ford)));
        rows.add(measure("ford (real)", "parse+decode (0x415 DBC)", timing, () -> decode(ford, fordDbc)));
        rows.add(measure("ford (real)", "parse+decode+assemble 50 Hz", timing, () -> assemble(ford, fordMapping)));
        String model3 = model3Log(30_000);
        BoundMapping model3Mapping = SignalMapping.model3().bind(model3Dbc);
        rows.add(measure("model3 (synthetic)", "parse", timing, () -> parse(model3)));
        rows.add(measure("model3 (synthetic)", "parse+decode (full DBC)", timing, () -> decode(model3, model3Dbc)));
        rows.add(measure(
                "model3 (synthetic)", "parse+decode+assemble 50 Hz", timing, () -> assemble(model3, model3Mapping)));
        return rows;
    }

    private interface Pass {
        long[] run() throws IOException; // {frames, samples}
    }

    private static Row measure(String log, String stage, Timing timing, Pass pass) throws IOException {
        long[] counts = pass.run();
        long warmUpEnd = System.nanoTime() + (long) (timing.warmUpSeconds() * 1e9);
        while (System.nanoTime() < warmUpEnd) {
            pass.run();
        }
        double[] rates = new double[timing.rounds()];
        double[] cpuRates = new double[timing.rounds()];
        for (int i = 0; i < rates.length; i++) {
            long frames = 0;
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + (long) (timing.roundSeconds() * 1e9);
            long t;
            do {
                frames += pass.run()[0];
                t = System.nanoTime();
            } while (t < end);
            rates[i] = frames / ((t - t0) / 1e9);
            cpuRates[i] = frames / ((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
        }
        Arrays.sort(rates);
        Arrays.sort(cpuRates);
        return new Row(log, stage, counts[0], counts[1], rates[rates.length / 2], cpuRates[rates.length / 2]);
    }

    /**
     * How long to measure: warm-up, then {@code rounds} rounds of whole passes lasting at least
     * {@code roundSeconds} each; the median round is reported.
     */
    public record Timing(double warmUpSeconds, int rounds, double roundSeconds) {
        public static final Timing DEFAULT = new Timing(2, 5, 1);

        public Timing {
            if (rounds < 1 || warmUpSeconds < 0 || roundSeconds < 0) {
                throw new IllegalArgumentException(
                        "timing " + warmUpSeconds + " s, " + rounds + " x " + roundSeconds + " s");
            }
        }
    }

    static long[] parse(String log) throws IOException {
        CandumpReader r = new CandumpReader(new StringReader(log), "bench", null);
        long n = 0;
        long bytes = 0;
        for (CanFrame f; (f = r.next()) != null; n++) {
            bytes += f.data().length;
        }
        return new long[] {n, bytes < 0 ? -1 : 0};
    }

    static long[] decode(String log, Dbc dbc) throws IOException {
        CandumpReader r = new CandumpReader(new StringReader(log), "bench", null);
        long n = 0;
        long values = 0;
        for (CanFrame f; (f = r.next()) != null; n++) {
            Map<String, Double> v = dbc.decode(f.id(), f.extended(), f.data(), f.data().length);
            values += v.size();
        }
        return new long[] {n, values < 0 ? -1 : 0};
    }

    static long[] assemble(String log, BoundMapping mapping) throws IOException {
        CandumpReader r = new CandumpReader(new StringReader(log), "bench", null);
        CanSource src = new CanSource(r, mapping, CanSource.Options.DEFAULT, "bench");
        long samples = 0;
        while (src.next() != null) {
            samples++;
        }
        return new long[] {r.frames(), samples};
    }

    /** A synthetic Model 3 drive of {@code samples} 50 Hz samples as a candump log. */
    static String model3Log(int samples) throws IOException {
        StringWriter out = new StringWriter();
        Source drive = new Source() {
            int i;

            @Override
            public Sample next() {
                if (i >= samples) {
                    return null;
                }
                double t = i / 50.0;
                double speed = 40 + 30 * Math.sin(t / 60);
                Sample s = new Sample(-1, 1_700_000_000_000L + 20L * i, new double[] {
                    speed,
                    0.3 * speed + 5 * Math.cos(t / 7),
                    80 - t / 600,
                    (t * 3) % 360,
                    10_000 + t * speed / 3600,
                    37.5 + t * 1e-5,
                    -122.1 + t * 1e-5,
                    100 + 10 * Math.sin(t / 30)
                });
                i++;
                return s;
            }

            @Override
            public String describe() {
                return "bench drive";
            }
        };
        try (CandumpWriter w = new CandumpWriter(out)) {
            new Model3CanEncoder("can0").writeLog(drive, w);
        }
        return out.toString();
    }
}
