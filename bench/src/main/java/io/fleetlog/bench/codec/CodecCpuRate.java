package io.fleetlog.bench.codec;

import io.fleetlog.codec.BatchDecoder;
import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.DecodedBatch;
import io.fleetlog.codec.Wire;
import io.fleetlog.codec.WireException;
import io.fleetlog.sample.Sample;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * A cross-check of {@link CodecBench} that holds up on a shared, overloaded machine: the same
 * connection-long loops on one thread, timed by the CPU time of the whole JVM process (so garbage
 * collection and any compilation count too) as well as by the wall clock. Samples per CPU-second is
 * the throughput of one core that is not shared; samples per wall-second is what JMH reports, and
 * it drops when other processes take the CPU.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.codec.CodecCpuRate [seconds]}
 * (default 5 s of measurement per operation and stream, after as much warm-up).
 */
public final class CodecCpuRate {
    private CodecCpuRate() {}

    /** Samples per CPU-second and per wall-second of one operation on one stream. */
    public record Rate(String stream, String operation, double perCpuSecond, double perWallSecond) {}

    public static void main(String[] args) throws WireException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        System.out.printf(
                Locale.ROOT, "%-8s %-12s %16s %16s%n", "stream", "operation", "samples/cpu-s", "samples/wall-s");
        for (DriveStreams d : DriveStreams.values()) {
            for (Rate r : measure(d, seconds)) {
                System.out.printf(
                        Locale.ROOT,
                        "%-8s %-12s %,16.0f %,16.0f%n",
                        r.stream(),
                        r.operation(),
                        r.perCpuSecond(),
                        r.perWallSecond());
            }
        }
    }

    public static List<Rate> measure(DriveStreams d, double seconds) throws WireException {
        List<Sample> samples = d.samples(CodecBench.SAMPLES, 1);
        List<List<Sample>> batches = CodecBench.batches(samples, CodecBench.BATCH);
        BatchEncoder e = new BatchEncoder(CodecConfig.defaults());
        byte[][] messages = new byte[batches.size()][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = e.encode(batches.get(i)).bytes();
        }
        String name = d.name().toLowerCase(Locale.ROOT);
        return List.of(
                rate(name, "encode", seconds, () -> encode(batches)),
                rate(name, "decode", seconds, () -> decode(messages, false)),
                rate(name, "decodeBytes", seconds, () -> decode(messages, true)));
    }

    interface Connection {
        long run() throws WireException;
    }

    private static long encode(List<List<Sample>> batches) {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        long sink = 0;
        for (List<Sample> b : batches) {
            sink += encoder.encode(b).bytes().length;
        }
        return sink;
    }

    private static long decode(byte[][] messages, boolean direct) throws WireException {
        BatchDecoder decoder = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        long sink = 0;
        for (byte[] m : messages) {
            DecodedBatch b = direct
                    ? decoder.decode(m)
                    : decoder.decode(
                            Wire.parse(m, Wire.DEFAULT_MAX_MESSAGE_BYTES).getBatch());
            sink += b.samples().size();
        }
        return sink;
    }

    private static Rate rate(String stream, String op, double seconds, Connection c) throws WireException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long sink = 0;
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
            sink += c.run(); // warm-up
        }
        long connections = 0;
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        long end = wall0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            sink += c.run();
            connections++;
        }
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        if (sink == 42) {
            System.out.print(""); // keeps the work observable
        }
        double n = (double) connections * CodecBench.SAMPLES;
        return new Rate(stream, op, n / cpu, n / wall);
    }
}
