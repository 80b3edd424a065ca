package io.fleetlog.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code stats()} is read by other threads (a server's /status) while the connection's thread
 * codes batches: every snapshot must describe whole batches, never a batch half counted.
 */
class StatsVisibilityTest {
    static final int BATCH = 50;
    static final int BATCHES = 4_000;

    static List<Sample> batch(long first) {
        List<Sample> out = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long seq = first + i;
            out.add(new Sample(seq, 1_700_000_000_000L + 20 * seq, new double[] {
                seq % 70, seq % 40 - 20, 50, seq % 360, seq * 1e-3, 37, -122, 10
            }));
        }
        return out;
    }

    static void checkWhole(CompressionStats s) {
        assertThat(s.samples()).as("samples in whole batches: %s", s).isEqualTo(s.batches() * BATCH);
        long values = 0;
        for (Field f : Field.values()) {
            values += s.sent(f) + s.omitted(f) + s.unavailable(f);
        }
        assertThat(values).as("field counts match samples").isEqualTo(s.samples() * Field.COUNT);
        assertThat(s.bytes() > 0).isEqualTo(s.batches() > 0);
    }

    @Test
    void encoderStatsReadFromAnotherThreadDescribeWholeBatches() throws Exception {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        List<List<Sample>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            batches.add(batch((long) b * BATCH));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    checkWhole(encoder.stats());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (List<Sample> b : batches) {
            encoder.encode(b);
            if (failure.get() != null) {
                break;
            }
        }
        done.set(true);
        reader.join(10_000);
        assertThat(failure.get()).isNull();
        checkWhole(encoder.stats());
        assertThat(encoder.stats().batches()).isEqualTo(BATCHES);
    }

    @Test
    void decoderStatsReadFromAnotherThreadDescribeWholeBatches() throws Exception {
        BatchEncoder encoder = new BatchEncoder(CodecConfig.defaults());
        List<io.fleetlog.wire.v1.Batch> wire = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            wire.add(Wire.parse(encoder.encode(batch((long) b * BATCH)).bytes(), 1 << 20)
                    .getBatch());
        }
        BatchDecoder decoder = new BatchDecoder(BATCH);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    checkWhole(decoder.stats());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (io.fleetlog.wire.v1.Batch b : wire) {
            decoder.decode(b);
            if (failure.get() != null) {
                break;
            }
        }
        done.set(true);
        reader.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(decoder.stats()).usingRecursiveComparison().isEqualTo(encoder.stats());
    }
}
