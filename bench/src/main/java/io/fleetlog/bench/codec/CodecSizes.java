package io.fleetlog.bench.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetlog.codec.BatchDecoder;
import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.CompressionStats;
import io.fleetlog.codec.EncodedBatch;
import io.fleetlog.codec.FullSamples;
import io.fleetlog.codec.Wire;
import io.fleetlog.codec.WireException;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bytes per sample of the synthetic drives ({@link DriveStreams}) in four encodings: the fleetlog
 * codec with the default thresholds, the codec with every field lossless, every sample as a
 * length-delimited {@code fleetlog.v1.FullSample} protobuf message (VIN, seq, capture time, every
 * field as a double), and every sample as one line of JSON (the same keys as the REST API plus the
 * VIN, values rounded to the wire resolution so JSON is not charged for noise digits). It also
 * decodes the codec's batches and reports the largest reconstruction error per field, which must
 * be within {@link CodecConfig#bound}.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.codec.CodecSizes [seconds]}
 * (default 600 s of capture time per stream, batches of 50 samples).
 */
public final class CodecSizes {
    static final String VIN = "5YJ3E1EA2KF317000";

    /** One stream's sizes, in bytes per sample, and the largest reconstruction error per field. */
    public record Row(
            String stream,
            int samples,
            double codec,
            double codecLossless,
            double fullProtobuf,
            double json,
            double omittedShare,
            double[] maxError) {

        public double savingVsProtobuf() {
            return 100 * (1 - codec / fullProtobuf);
        }

        public double savingVsJson() {
            return 100 * (1 - codec / json);
        }
    }

    private CodecSizes() {}

    public static void main(String[] args) throws WireException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        List<Row> rows = new ArrayList<>();
        for (DriveStreams d : DriveStreams.values()) {
            rows.add(measure(d.name().toLowerCase(Locale.ROOT), d.samples(seconds * 1000 / DriveStreams.PERIOD_MS, 1)));
        }
        System.out.print(table(rows));
    }

    /** Measures one stream in batches of {@link CodecBench#BATCH}. */
    public static Row measure(String name, List<Sample> samples) throws WireException {
        CodecConfig config = CodecConfig.defaults();
        double[] maxError = new double[Field.COUNT];
        CompressionStats stats = codec(samples, config, maxError);
        CompressionStats lossless = codec(samples, CodecConfig.lossless(), new double[Field.COUNT]);
        long protobuf = 0;
        long json = 0;
        ObjectMapper mapper = new ObjectMapper();
        for (Sample s : samples) {
            protobuf += fullSampleBytes(s);
            json += jsonLine(mapper, s).getBytes(StandardCharsets.UTF_8).length;
        }
        int n = samples.size();
        return new Row(
                name,
                n,
                stats.bytesPerSample(),
                lossless.bytesPerSample(),
                (double) protobuf / n,
                (double) json / n,
                stats.omittedShare(),
                maxError);
    }

    /** Encodes and decodes the stream as one connection; records the largest error per field. */
    private static CompressionStats codec(List<Sample> samples, CodecConfig config, double[] maxError)
            throws WireException {
        BatchEncoder encoder = new BatchEncoder(config);
        BatchDecoder decoder = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        for (List<Sample> batch : CodecBench.batches(samples, CodecBench.BATCH)) {
            EncodedBatch e = encoder.encode(batch);
            List<Sample> out = decoder.decode(Wire.parse(e.bytes(), Wire.DEFAULT_MAX_MESSAGE_BYTES)
                            .getBatch())
                    .samples();
            for (int i = 0; i < batch.size(); i++) {
                for (Field f : Field.values()) {
                    double err = f.distance(batch.get(i).get(f), out.get(i).get(f));
                    maxError[f.ordinal()] = Math.max(maxError[f.ordinal()], err);
                    if (!(err <= config.bound(f) + 1e-9)) {
                        throw new IllegalStateException("seq " + batch.get(i).seq() + ": " + f.key() + " error " + err
                                + " exceeds the bound " + config.bound(f));
                    }
                }
            }
        }
        return encoder.stats();
    }

    static int fullSampleBytes(Sample s) {
        return FullSamples.delimitedSize(VIN, s);
    }

    /** One JSON object and its newline; unavailable values are null, as in the REST API. */
    static String jsonLine(ObjectMapper mapper, Sample s) {
        ObjectNode o =
                mapper.createObjectNode().put("vin", VIN).put("seq", s.seq()).put("t", s.captureTimeMs());
        for (Field f : Field.values()) {
            if (s.available(f)) {
                o.put(f.key(), f.quantise(s.get(f)));
            } else {
                o.putNull(f.key());
            }
        }
        return o.toString() + "\n";
    }

    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("bytes per sample (codec: default thresholds, batches of ")
                .append(CodecBench.BATCH)
                .append("; saving = codec vs protobuf / JSON):\n");
        b.append(String.format(
                Locale.ROOT,
                "%-8s %8s %8s %9s %9s %8s %12s %12s %8s%n",
                "stream",
                "samples",
                "codec",
                "lossless",
                "protobuf",
                "JSON",
                "vs protobuf",
                "vs JSON",
                "omitted"));
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-8s %8d %8.2f %9.2f %9.2f %8.2f %11.1f%% %11.1f%% %7.1f%%%n",
                    r.stream(),
                    r.samples(),
                    r.codec(),
                    r.codecLossless(),
                    r.fullProtobuf(),
                    r.json(),
                    r.savingVsProtobuf(),
                    r.savingVsJson(),
                    100 * r.omittedShare()));
        }
        b.append("largest reconstruction error per field (default thresholds):\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "  %-8s", r.stream()));
            for (Field f : Field.values()) {
                b.append(String.format(Locale.ROOT, " %s=%.3g %s", f.key(), r.maxError()[f.ordinal()], f.unit()));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
