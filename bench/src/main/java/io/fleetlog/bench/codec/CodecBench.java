package io.fleetlog.bench.codec;

import io.fleetlog.codec.BatchDecoder;
import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.Wire;
import io.fleetlog.codec.WireException;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Codec throughput on one thread, in samples per second (one JMH operation = one sample): a whole
 * connection of {@link #SAMPLES} samples (10 minutes at 50 Hz, so 20 keyframes) in batches of
 * {@link #BATCH}, with the default thresholds. {@code encode} is {@link BatchEncoder#encode} into
 * Envelope bytes; {@code decode} is what the server does with each WebSocket message:
 * {@link Wire#parse} then {@link BatchDecoder#decode(io.fleetlog.wire.v1.Batch)}; {@code decodeBytes}
 * is {@link BatchDecoder#decode(byte[])}, which reads canonical batches without the generated
 * protobuf objects. Each invocation starts a new connection.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CodecBench -f 1 -wi 2 -i 3 -t 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CodecBench {
    /** Samples per invocation: 10 minutes at 50 Hz. */
    public static final int SAMPLES = 30_000;

    /** Samples per batch (one second at 50 Hz). */
    public static final int BATCH = 50;

    @Param({"HIGHWAY", "CITY"})
    public DriveStreams stream;

    private final CodecConfig config = CodecConfig.defaults();
    private List<List<Sample>> batches;
    private byte[][] messages;

    @Setup
    public void setUp() {
        batches = batches(stream.samples(SAMPLES, 1), BATCH);
        BatchEncoder encoder = new BatchEncoder(config);
        messages = new byte[batches.size()][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = encoder.encode(batches.get(i)).bytes();
        }
    }

    static List<List<Sample>> batches(List<Sample> samples, int size) {
        List<List<Sample>> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += size) {
            out.add(List.copyOf(samples.subList(i, Math.min(samples.size(), i + size))));
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void encode(Blackhole bh) {
        BatchEncoder encoder = new BatchEncoder(config);
        for (List<Sample> batch : batches) {
            bh.consume(encoder.encode(batch));
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decode(Blackhole bh) throws WireException {
        BatchDecoder decoder = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        for (byte[] message : messages) {
            bh.consume(decoder.decode(
                    Wire.parse(message, Wire.DEFAULT_MAX_MESSAGE_BYTES).getBatch()));
        }
    }

    /** The same messages through {@link BatchDecoder#decode(byte[])}, which skips the generated objects. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decodeBytes(Blackhole bh) throws WireException {
        BatchDecoder decoder = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        for (byte[] message : messages) {
            bh.consume(decoder.decode(message));
        }
    }

    /** The encoded messages of the connection (for tests). */
    byte[][] messages() {
        return messages;
    }
}
