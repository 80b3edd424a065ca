package io.fleetlog.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueArbitraries;
import io.fleetlog.codec.v2.ReconstructedStreams;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FrameChunkTest {

    private static final Catalogue BUILTIN = Catalogue.builtin();

    record Stream(Catalogue catalogue, List<Sample> samples, long seed) {
        @Override
        public String toString() {
            return "Stream[seed=" + seed + ", " + catalogue.size() + " signals, " + samples.size() + " frames]";
        }
    }

    @Provide
    Arbitrary<Stream> reconstructed() {
        return Arbitraries.oneOf(CatalogueArbitraries.catalogues(12), Arbitraries.just(BUILTIN))
                .flatMap(c -> Arbitraries.longs().map(seed -> {
                    try {
                        return new Stream(c, ReconstructedStreams.generate(c, seed, 400), seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void framesTheServerReconstructedReadBackExactly(@ForAll("reconstructed") Stream s) throws Exception {
        byte[] chunk = FrameChunk.encode(s.catalogue(), s.samples());
        assertSameSamples(FrameChunk.decode(s.catalogue(), chunk), s.samples());
        assertThat(FrameChunk.frameCount(chunk)).isEqualTo(s.samples().size());
    }

    @Property(tries = 300)
    void anySparseFramesReadBackExactly(@ForAll long seed, @ForAll @IntRange(max = 300) int count) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<Sample> samples = wild(r, count, BUILTIN.size() + 20);
        assertSameSamples(FrameChunk.decode(BUILTIN, FrameChunk.encode(BUILTIN, samples)), samples);
    }

    @Test
    void anEmptyChunkReadsBackEmpty() throws Exception {
        byte[] chunk = FrameChunk.encode(BUILTIN, List.of());
        assertThat(chunk).hasSize(FrameChunk.HEADER_BYTES + 1); // the signal count
        assertThat(FrameChunk.decode(BUILTIN, chunk)).isEmpty();
    }

    @Test
    void extremeValuesReadBackExactly() throws Exception {
        int speed = BUILTIN.id("VehicleSpeed");
        int heading = BUILTIN.id("GpsHeading");
        int loc = BUILTIN.id("Location");
        int gear = BUILTIN.id("Gear");
        double[] numbers = {
            0.0,
            Double.MIN_VALUE,
            -Double.MAX_VALUE,
            Double.MAX_VALUE,
            500,
            -500,
            500.01,
            0.1 + 0.2,
            359.999,
            360.0,
            -0.01,
            1e-300,
            123.456789
        };
        List<Sample> in = new ArrayList<>();
        long[] seqs = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, Long.MAX_VALUE};
        long[] times = {Long.MAX_VALUE, Long.MIN_VALUE, 0, 1, -1};
        for (int i = 0; i < numbers.length; i++) {
            Frame.Builder b = Frame.builder(times[i % times.length]);
            b.number(speed, numbers[i]).number(heading, numbers[numbers.length - 1 - i]);
            b.position(loc, i % 2 == 0 ? 90 : -180, i % 3 == 0 ? 180.00000001 : Double.MIN_VALUE);
            b.integer(gear, i % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE).omitted();
            b.string(70_000 + i, i % 2 == 0 ? "" : "\ud83d\ude97\u0000é");
            b.unavailable(Integer.MAX_VALUE - i).omitted();
            in.add(new Sample(seqs[i % seqs.length], b.build()));
        }
        assertSameSamples(FrameChunk.decode(BUILTIN, FrameChunk.encode(BUILTIN, in)), in);
    }

    @Property(tries = 300)
    void damagedChunksAreRefused(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] good = FrameChunk.encode(BUILTIN, wild(r, 1 + r.nextInt(60), BUILTIN.size() + 5));
        byte[] bad = damage(good, r);
        if (Arrays.equals(bad, good)) {
            return;
        }
        assertThatThrownBy(() -> FrameChunk.decode(BUILTIN, bad)).isInstanceOf(ChunkFormatException.class);
    }

    @Property(tries = 1_000)
    void hostileBodiesWithAValidChecksumAreRefusedOrReadWithoutHarm(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] good = FrameChunk.encode(BUILTIN, wild(r, 1 + r.nextInt(40), BUILTIN.size() + 5));
        byte[] bad = damage(good, r);
        if (r.nextBoolean()) { // a lying frame count
            writeInt(bad, 37, r.nextBoolean() ? r.nextInt() : r.nextInt(FrameChunk.MAX_FRAMES + 1));
        }
        writeInt(bad, 41, bad.length - FrameChunk.HEADER_BYTES);
        reseal(bad);
        try {
            List<Sample> out = FrameChunk.decode(BUILTIN, bad);
            // a forged body may decode, but then it is a consistent chunk of the frames it says
            assertSameSamples(FrameChunk.decode(BUILTIN, FrameChunk.encode(BUILTIN, out)), out);
        } catch (ChunkFormatException expected) {
            assertThat(expected).hasMessageStartingWith("chunk, byte ");
        }
    }

    @Test
    void hugeCountsAreRefusedBeforeAllocating() {
        byte[] chunk = FrameChunk.encode(BUILTIN, List.of());
        byte[] lying = Arrays.copyOf(chunk, chunk.length + 3);
        writeInt(lying, 37, FrameChunk.MAX_FRAMES); // 131,072 frames in 4 bytes of body
        lying[FrameChunk.HEADER_BYTES] = 0; // first seq
        lying[FrameChunk.HEADER_BYTES + 1] = 0; // series mode
        lying[FrameChunk.HEADER_BYTES + 2] = 0; // first packed block's width
        lying[FrameChunk.HEADER_BYTES + 3] = 0;
        writeInt(lying, 41, lying.length - FrameChunk.HEADER_BYTES);
        reseal(lying);
        assertThatThrownBy(() -> FrameChunk.decode(BUILTIN, lying))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessageContaining("cannot fit");

        writeInt(lying, 37, FrameChunk.MAX_FRAMES + 1);
        reseal(lying);
        assertThatThrownBy(() -> FrameChunk.decode(BUILTIN, lying))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessageContaining("frame count 131073 is above 131072");
    }

    @Test
    void aChunkIsReadOnlyOverItsOwnCatalogueAndVersion() throws Exception {
        List<Sample> in = List.of(new Sample(7, 1_000, new double[] {1, 2, 3, 4, 5, 6, 7, 8}));
        byte[] chunk = FrameChunk.encode(BUILTIN, in);
        Catalogue other = Catalogue.of(BUILTIN.signals().subList(0, 7));
        assertThatThrownBy(() -> FrameChunk.decode(other, chunk))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessageContaining("written over catalogue " + BUILTIN.shortId() + ", not " + other.shortId());

        byte[] v2 = chunk.clone();
        v2[4] = 2;
        assertThatThrownBy(() -> FrameChunk.decode(BUILTIN, v2))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessage("chunk, byte 4: format version 2 (this code reads version 1)");

        byte[] flipped = chunk.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> FrameChunk.decode(BUILTIN, flipped))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessageContaining("CRC-32C mismatch");

        assertThatThrownBy(() -> FrameChunk.decode(BUILTIN, Arrays.copyOf(chunk, chunk.length - 1)))
                .isInstanceOf(ChunkFormatException.class)
                .hasMessageContaining("body length");
        assertThat(FrameChunk.decode(BUILTIN, chunk)).isEqualTo(in);
    }

    @Test
    void tooManyFramesAreRefusedByTheEncoder() {
        List<Sample> many = java.util.Collections.nCopies(
                FrameChunk.MAX_FRAMES + 1, new Sample(1, Frame.builder(0).build()));
        assertThatThrownBy(() -> FrameChunk.encode(BUILTIN, many))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chunk holds at most 131072 frames, got 131073");
    }

    @Test
    void limitsAreRefusedByTheEncoderWithTheNumbers() {
        Frame.Builder wide = Frame.builder(0, FrameChunk.MAX_SIGNALS + 1);
        for (int id = 0; id <= FrameChunk.MAX_SIGNALS; id++) {
            wide.unavailable(id * 3);
        }
        assertThatThrownBy(() -> FrameChunk.encode(BUILTIN, List.of(new Sample(1, wide.build()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chunk holds at most 65535 signals, 1 frames hold 65536");
        Frame longString = Frame.builder(0)
                .string(3, "x".repeat(FrameChunk.MAX_STRING_BYTES + 1))
                .build();
        assertThatThrownBy(() -> FrameChunk.encode(BUILTIN, List.of(new Sample(9, longString))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seq 9: signal 3 string is longer than 65535 bytes");
    }

    @Test
    void aStringOfTheLongestLengthReadsBack() throws Exception {
        String s = "\u00e9".repeat(FrameChunk.MAX_STRING_BYTES / 2) + "x";
        List<Sample> in = List.of(new Sample(9, Frame.builder(0).string(3, s).build()));
        assertThat(FrameChunk.decode(BUILTIN, FrameChunk.encode(BUILTIN, in))).isEqualTo(in);
    }

    /** Equal lists, and per frame the omitted marks and value bits (Frame.equals compares them too). */
    static void assertSameSamples(List<Sample> actual, List<Sample> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Sample a = actual.get(i);
            Sample e = expected.get(i);
            assertThat(a.seq()).as("seq of frame %d", i).isEqualTo(e.seq());
            assertThat(a.frame()).as("frame %d", i).isEqualTo(e.frame());
            assertThat(a.frame().toString())
                    .as("frame %d", i)
                    .isEqualTo(e.frame().toString());
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Random sparse frames: every kind at any id, values that fit a catalogue and values that do not. */
    static List<Sample> wild(SplittableRandom r, int count, int maxId) {
        List<Sample> out = new ArrayList<>(count);
        long seq = r.nextLong();
        long t = r.nextLong() >> 20;
        for (int k = 0; k < count; k++) {
            seq += r.nextInt(10) == 0 ? r.nextLong() : 1;
            t += r.nextInt(3) == 0 ? -r.nextInt(1000) : r.nextInt(10) == 0 ? r.nextLong() : 20;
            Frame.Builder b = Frame.builder(t);
            for (int id = 0; id <= maxId; id++) {
                if (r.nextInt(3) == 0) {
                    continue;
                }
                int kind = r.nextInt(6);
                switch (kind) {
                    case 0 -> b.number(id, r.nextBoolean() ? Math.round(r.nextDouble() * 1e5) / 100.0 : r.nextDouble());
                    case 1 -> b.integer(id, r.nextBoolean() ? r.nextLong() : r.nextInt(7));
                    case 2 -> b.position(id, r.nextDouble(-90, 90), r.nextBoolean() ? 8.5 : r.nextDouble(-180, 180));
                    case 3 -> b.string(id, r.nextBoolean() ? "D" : "v" + r.nextInt(5) + "\u00e9\ud83d\ude97");
                    case 4 -> b.unavailable(id);
                    default -> b.number(id, Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL));
                }
                if (r.nextInt(4) == 0) {
                    b.omitted();
                }
            }
            out.add(new Sample(seq, b.build()));
        }
        return out;
    }

    static byte[] damage(byte[] good, SplittableRandom r) {
        byte[] b = good.clone();
        return switch (r.nextInt(6)) {
            case 0 -> {
                int i = r.nextInt(b.length);
                b[i] ^= (byte) (1 << r.nextInt(8));
                yield b;
            }
            case 1 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                yield b;
            }
            case 2 -> Arrays.copyOf(b, r.nextInt(b.length));
            case 3 -> Arrays.copyOf(b, b.length + 1 + r.nextInt(10));
            case 4 -> {
                int from = FrameChunk.HEADER_BYTES + r.nextInt(b.length - FrameChunk.HEADER_BYTES);
                byte[] cut = new byte[b.length - (from < b.length ? 1 : 0)];
                System.arraycopy(b, 0, cut, 0, from);
                System.arraycopy(b, from + 1, cut, from, b.length - from - 1);
                yield cut;
            }
            default -> {
                int at = FrameChunk.HEADER_BYTES + r.nextInt(b.length - FrameChunk.HEADER_BYTES + 1);
                byte[] grown = new byte[b.length + 1];
                System.arraycopy(b, 0, grown, 0, at);
                grown[at] = (byte) r.nextInt(256);
                System.arraycopy(b, at, grown, at + 1, b.length - at);
                yield grown;
            }
        };
    }

    /** Rewrites the CRC of a chunk whose header is complete (a forged, self-consistent chunk). */
    static void reseal(byte[] b) {
        if (b.length < FrameChunk.HEADER_BYTES) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 45);
        crc.update(b, FrameChunk.HEADER_BYTES, b.length - FrameChunk.HEADER_BYTES);
        writeInt(b, 45, (int) crc.getValue());
    }

    static void writeInt(byte[] b, int at, int v) {
        if (b.length < at + 4) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
    }
}
