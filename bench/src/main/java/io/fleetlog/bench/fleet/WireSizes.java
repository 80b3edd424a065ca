package io.fleetlog.bench.fleet;

import com.github.luben.zstd.Zstd;
import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.FullSamples;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.wire.v1.FullSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark 3: what one drive costs on the wire in five encodings, in bytes per sample.
 *
 * <ul>
 *   <li><b>fleetlog</b>: {@link BatchEncoder} with {@link CodecConfig#defaults()}, one connection
 *       (keyframe first, then every 30 s of capture time), batches of {@link #BATCH} samples (the
 *       uplink's live batch size); the bytes of the Envelope messages (WebSocket framing excluded);
 *   <li><b>full protobuf</b>: every sample as a length-delimited {@code fleetlog.v1.FullSample} (VIN,
 *       seq, capture time, every available field as a double) — what a naive logger sends;
 *   <li><b>JSON</b>: one compact object per sample and a newline (VIN, seq, t and the eight fields,
 *       values printed at the wire resolution so JSON is not charged for noise digits);
 *   <li><b>gzip JSON</b>: the whole JSON stream through {@link GZIPOutputStream} (default level);
 *   <li><b>zstd protobuf</b>: the whole full-protobuf stream compressed with zstd level
 *       {@link #ZSTD_LEVEL} — whole-stream compression sees the entire drive at once, which a live
 *       logger sending small batches cannot, so it flatters both compressed baselines.
 * </ul>
 */
final class WireSizes {
    static final int BATCH = 50;
    static final int ZSTD_LEVEL = 3;

    /** Total bytes of one drive per encoding. */
    record Result(
            String drive,
            long samples,
            double captureSeconds,
            long fleetlog,
            long fullProtobuf,
            long json,
            long gzipJson,
            long zstdProtobuf) {

        double perSample(long bytes) {
            return samples == 0 ? 0 : (double) bytes / samples;
        }

        /** How much smaller fleetlog is than full protobuf, in percent. */
        double savingVsProtobuf() {
            return fullProtobuf == 0 ? 0 : 100.0 * (1 - (double) fleetlog / fullProtobuf);
        }
    }

    private WireSizes() {}

    static Result measure(String drive, String vin, List<Sample> samples) {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        long fleetlog = 0;
        for (int i = 0; i < samples.size(); i += BATCH) {
            fleetlog += encoder.encode(samples.subList(i, Math.min(samples.size(), i + BATCH)))
                    .bytes()
                    .length;
        }
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        StringBuilder line = new StringBuilder(256);
        try {
            for (Sample s : samples) {
                fullSample(vin, s).writeDelimitedTo(protobuf);
                json.write(jsonLine(vin, s, line).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        byte[] pb = protobuf.toByteArray();
        byte[] js = json.toByteArray();
        double seconds = samples.size() < 2
                ? 0
                : (samples.getLast().captureTimeMs() - samples.getFirst().captureTimeMs()) / 1000.0;
        return new Result(
                drive,
                samples.size(),
                seconds,
                fleetlog,
                pb.length,
                js.length,
                gzip(js).length,
                Zstd.compress(pb, ZSTD_LEVEL).length);
    }

    static FullSample fullSample(String vin, Sample s) {
        return FullSamples.of(vin, s);
    }

    /** One JSON object and a newline; unavailable values are null, as in the REST API. */
    static String jsonLine(String vin, Sample s, StringBuilder b) {
        b.setLength(0);
        b.append("{\"vin\":\"").append(vin).append("\",\"seq\":").append(s.seq());
        b.append(",\"t\":").append(s.captureTimeMs());
        for (Field f : Field.values()) {
            b.append(",\"").append(f.key()).append("\":");
            if (s.available(f)) {
                int decimals = (int) Math.round(Math.log10(f.scale()));
                b.append(BigDecimal.valueOf(f.toUnits(s.get(f)))
                        .movePointLeft(decimals)
                        .stripTrailingZeros()
                        .toPlainString());
            } else {
                b.append("null");
            }
        }
        return b.append("}\n").toString();
    }

    private static byte[] gzip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return out.toByteArray();
    }
}
