package io.fleetlog.codec.v2;

import static io.fleetlog.codec.v2.TestCatalogue.ALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fleetlog.catalog.CatalogueArbitraries;
import io.fleetlog.codec.WireException;
import io.fleetlog.codec.WireException.Kind;
import io.fleetlog.frame.Frame;
import io.fleetlog.wire.v2.Ack;
import io.fleetlog.wire.v2.Batch;
import io.fleetlog.wire.v2.Envelope;
import io.fleetlog.wire.v2.GapReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Bad input never costs data (DESIGN invariant 5) and never disturbs the connection: every refusal is
 * a {@link WireException} of the right kind with a message naming what and where, and the decoder's
 * predictors, expected seq and stats are exactly as before it (a good batch after a bad one decodes as
 * if the bad one never came).
 */
class FrameDecoderRejectsBadInputTest {
    private static final long T0 = 1_700_000_000_000L;

    // ---- one test per refusal ----

    @Test
    void emptyOrForeignEnvelopesAreInvalid() {
        assertRefused(new byte[0], Kind.INVALID, "holds no known message");
        byte[] ack =
                Envelope.newBuilder().setAck(Ack.newBuilder().setSeq(3)).build().toByteArray();
        assertRefused(ack, Kind.INVALID, "expected a batch, got ACK");
    }

    @Test
    void garbageIsMalformed() {
        assertRefused(new byte[] {0x1a, 0x7f, 1, 2}, Kind.MALFORMED, "is not a fleetlog.v2 envelope");
    }

    @Test
    void tooManyBytesOrFramesAreTooLarge() throws WireException {
        byte[] good = speedBatch(0, 3);
        FrameDecoder small = new FrameDecoder(ALL, 2, 1 << 20);
        assertThatThrownBy(() -> small.decode(good))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("batch of 3 frames exceeds the limit of 2");
        FrameDecoder tiny = new FrameDecoder(ALL, 100, good.length - 1);
        assertThatThrownBy(() -> tiny.decode(good))
                .hasMessageContaining("message of " + good.length + " bytes exceeds the limit of " + (good.length - 1));
        assertThat(new FrameDecoder(ALL, 3, good.length).decode(good).frames()).hasSize(3);
    }

    @Test
    void anEmptyBatchIsInvalid() {
        assertRefused(edit(speedBatch(5, 1), b -> b.setCount(0)), Kind.INVALID, "batch at seq 5 has no frames");
    }

    @Test
    void framesThatEndEarlyAreMalformed() {
        assertRefused(edit(speedBatch(5, 2), b -> b.setCount(3)), Kind.MALFORMED, "frames end after 2 of 3 frames");
        byte[] blob = blob(speedBatch(5, 1));
        assertRefused(
                edit(speedBatch(5, 1), b -> b.setFrames(ByteString.copyFrom(blob, 0, blob.length - 1))),
                Kind.MALFORMED,
                "runs past the end");
    }

    @Test
    void bytesLeftOverAreInvalid() {
        assertRefused(edit(speedBatch(5, 3), b -> b.setCount(2)), Kind.INVALID, "left over after 2 frames");
    }

    @Test
    void unknownFlagsAndContradictoryFlagsAreInvalid() {
        assertRefused(frames(0x20 | FrameFormat.CAPTURED, 0x01, 2), Kind.INVALID, "frame flags 0x22 are not valid");
        assertRefused(
                frames(FrameFormat.SENT | FrameFormat.ALL_SENT | FrameFormat.CAPTURED, 0x01, 1, 2),
                Kind.INVALID,
                "not valid");
    }

    @Test
    void aTimeDeltaOnTheFirstFrameIsInvalid() {
        assertRefused(
                frames(FrameFormat.DT | FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 40, 0x01, 2),
                Kind.INVALID,
                "the first frame of a batch carries a time delta");
    }

    @Test
    void bitmapsNamingMissingSlotsAreInvalid() {
        FrameLayout three = FrameLayout.of(TestCatalogue.CATALOGUE, 0, 2, 3);
        FrameDecoder d = new FrameDecoder(three);
        byte[] msg = envelope(Batch.newBuilder()
                .setFirstSeq(1)
                .setFirstTimeMs(T0)
                .setCount(1)
                .setFrames(ByteString.copyFrom(new byte[] {FrameFormat.CAPTURED, 0x09})));
        assertThatThrownBy(() -> d.decode(msg))
                .hasMessageContaining("captured bitmap names slots beyond the layout's 3");
        byte[] sent = envelope(Batch.newBuilder()
                .setFirstSeq(1)
                .setFirstTimeMs(T0)
                .setCount(1)
                .setFrames(ByteString.copyFrom(new byte[] {FrameFormat.CAPTURED | FrameFormat.SENT, 0x01, 0x03, 2})));
        assertThatThrownBy(() -> d.decode(sent)).hasMessageContaining("sent bitmap has bits beyond its 1 signals");
    }

    @Test
    void batchesMustFollowOnTheConnection() throws WireException {
        FrameDecoder d = new FrameDecoder(ALL);
        d.decode(speedBatch(10, 5)); // 10..14
        assertRefusedBy(
                d, speedBatch(14, 1), Kind.SEQ_NOT_FOLLOWING, "batch first seq 14 does not follow 14 (overlap)");
        assertRefusedBy(d, speedBatch(16, 1), Kind.SEQ_NOT_FOLLOWING, "(undeclared gap)");
        byte[] small = edit(speedBatch(20, 1), b -> b.setGap(true).setDropped(3).setGapReason(GapReason.DROPPED));
        assertRefusedBy(d, small, Kind.SEQ_NOT_FOLLOWING, "a jump of 5 seqs, but only 3 declared dropped");
        byte[] enough =
                edit(speedBatch(20, 1), b -> b.setGap(true).setDropped(5).setGapReason(GapReason.CORRUPT));
        DecodedFrames ok = d.decode(enough);
        assertThat(ok.skippedBefore()).isEqualTo(5);
        assertThat(ok.gap()).isEqualTo(Gap.corrupt(5));
    }

    @Test
    void inconsistentGapDeclarationsAreInvalid() {
        assertRefused(edit(speedBatch(3, 1), b -> b.setDropped(2)), Kind.INVALID, "without the gap flag");
        assertRefused(
                edit(speedBatch(3, 1), b -> b.setGapReason(GapReason.CORRUPT)), Kind.INVALID, "without the gap flag");
        assertRefused(edit(speedBatch(3, 1), b -> b.setGap(true)), Kind.INVALID, "a gap needs dropped >= 1");
        assertRefused(edit(speedBatch(3, 1), b -> b.setGap(true).setDropped(1)), Kind.INVALID, "and a reason");
        assertRefused(
                edit(speedBatch(3, 1), b -> b.setGap(true).setDropped(1).setGapReasonValue(7)),
                Kind.INVALID,
                "gap_reason 7");
    }

    @Test
    void valuesOutsideTheirSignalAreRefusedNamingSeqAndSignal() {
        // Speed: +50001 units from base 0 = 500.01 mph
        assertRefused(
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x01, zigzag(50_001)),
                Kind.OUT_OF_RANGE,
                "seq 1: Speed 500.01 is outside its range -500.0..500.0");
        assertRefused(
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x04, 7),
                Kind.OUT_OF_RANGE,
                "seq 1: Gear code 7 is not one of its 5 enum codes");
        assertRefused(
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x08, 2),
                Kind.INVALID,
                "seq 1: Locked boolean 2 is not 0 or 1");
        assertRefused(
                frames(
                        FrameFormat.CAPTURED | FrameFormat.ALL_SENT,
                        0x10,
                        9,
                        'a',
                        'a',
                        'a',
                        'a',
                        'a',
                        'a',
                        'a',
                        'a',
                        'a'),
                Kind.OUT_OF_RANGE,
                "Version string of 9 bytes exceeds maxlength 8");
        assertRefused(
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x10, 2, 0xc3, 0x28),
                Kind.INVALID,
                "Version string of 2 bytes is not valid UTF-8");
        assertRefused(
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x20, zigzag(900_000_001), 0),
                Kind.OUT_OF_RANGE,
                "Loc latitude 90.0000001 is outside -90..90");
        assertRefused(
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x40, zigzag(1L << 53), 0),
                Kind.OUT_OF_RANGE,
                "Count 9007199254740992 is outside");
        assertRefused(
                frames(
                        FrameFormat.CAPTURED | FrameFormat.ALL_SENT,
                        0x01,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff,
                        0xff),
                Kind.MALFORMED,
                "varint is longer than 10 bytes");
    }

    @Test
    void unbelievableTimesAreOutOfRange() {
        assertRefused(
                edit(speedBatch(1, 1), b -> b.setFirstTimeMs(0)),
                Kind.OUT_OF_RANGE,
                "capture time 0 ms is not believable");
        byte[] far =
                frames(FrameFormat.CAPTURED | FrameFormat.ALL_SENT, 0x01, 2, FrameFormat.DT, zigzag(Long.MAX_VALUE));
        assertRefused(edit(far, b -> b.setCount(2)), Kind.OUT_OF_RANGE, "capture time overflows");
    }

    // ---- generated: damaged messages amid good ones ----

    @Provide
    Arbitrary<FrameStreams.Case> connections() {
        return CatalogueArbitraries.catalogues(8)
                .flatMap(c -> Arbitraries.longs().map(seed -> FrameStreams.generate(c, seed, 120)));
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void damagedMessagesAreRefusedWithoutDisturbingTheConnection(@ForAll("connections") FrameStreams.Case c)
            throws WireException {
        SplittableRandom r = new SplittableRandom(c.seed());
        FrameEncoder encoder = new FrameEncoder(c.layout(), c.keyframeInterval());
        FrameDecoder decoder = new FrameDecoder(c.layout());
        List<byte[]> good = new ArrayList<>();
        for (FrameStreams.Planned p : c.batches()) {
            byte[] message = encoder.encode(p.firstSeq(), p.frames(), p.gap()).bytes();
            for (int k = 0; k < 3; k++) {
                byte[] bad = damage(message, r);
                PredictorState before = decoder.predictorState();
                long next = decoder.nextSeq();
                FrameStats stats = decoder.stats();
                try {
                    decoder.decode(bad);
                    // the damage made another valid batch: start the connection again from the good ones
                    decoder = replay(c.layout(), good);
                } catch (WireException e) {
                    assertThat(e.getMessage()).isNotBlank();
                    assertThat(decoder.predictorState()).isEqualTo(before);
                    assertThat(decoder.nextSeq()).isEqualTo(next);
                    assertThat(decoder.stats().sent()).isEqualTo(stats.sent());
                    assertThat(decoder.stats().bytes()).isEqualTo(stats.bytes());
                }
            }
            decoder.decode(message);
            good.add(message);
            assertThat(decoder.predictorState()).isEqualTo(encoder.predictorState());
        }
    }

    private static FrameDecoder replay(FrameLayout layout, List<byte[]> good) throws WireException {
        FrameDecoder d = new FrameDecoder(layout);
        for (byte[] m : good) {
            d.decode(m);
        }
        return d;
    }

    private static byte[] damage(byte[] m, SplittableRandom r) {
        byte[] b = m.clone();
        switch (r.nextInt(8)) {
            case 0 -> {
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 1 -> {
                int i = r.nextInt(b.length);
                b[i] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            case 2 -> {
                for (int i = 0; i < 1 + r.nextInt(4); i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 3 -> {
                return edit(m, x -> x.setCount(x.getCount() + (r.nextBoolean() ? 1 : -1)));
            }
            case 4 -> {
                return edit(
                        m,
                        x -> x.setFrames(
                                x.getFrames().concat(ByteString.copyFrom(new byte[] {(byte) r.nextInt(256)}))));
            }
            case 5 -> {
                return edit(
                        m,
                        x -> x.setFrames(x.getFrames()
                                .substring(0, r.nextInt(x.getFrames().size()))));
            }
            case 6 -> {
                return edit(m, x -> x.setFirstSeq(x.getFirstSeq() + (r.nextBoolean() ? 1 : -1)));
            }
            default -> {
                byte[] blob = blob(m);
                blob[r.nextInt(blob.length)] ^= (byte) (1 << r.nextInt(8));
                return edit(m, x -> x.setFrames(ByteString.copyFrom(blob)));
            }
        }
    }

    // ---- helpers ----

    /** {@code n} frames of Speed = 65.43 mph every 20 ms from seq {@code first}, encoded by a fresh encoder. */
    static byte[] speedBatch(long first, int n) {
        FrameEncoder e = new FrameEncoder(ALL);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(Frame.builder(T0 + 20L * i)
                    .number(TestCatalogue.SPEED, 65.43 + 3 * i)
                    .build());
        }
        return e.encode(first, frames).bytes();
    }

    /** One batch at seq 1 whose frames blob is these bytes. */
    static byte[] frames(long... bytes) {
        byte[] b = new byte[bytes.length];
        int n = 0;
        for (long x : bytes) {
            if (x > 0xff || x < 0) { // a varint (unsigned)
                ByteSink s = new ByteSink();
                s.writeVarint(x);
                b = Arrays.copyOf(b, b.length + s.len - 1);
                System.arraycopy(s.buf, 0, b, n, s.len);
                n += s.len;
            } else {
                b[n++] = (byte) x;
            }
        }
        return envelope(Batch.newBuilder()
                .setFirstSeq(1)
                .setFirstTimeMs(T0)
                .setCount(1)
                .setFrames(ByteString.copyFrom(b, 0, n)));
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static byte[] envelope(Batch.Builder b) {
        return Envelope.newBuilder().setBatch(b).build().toByteArray();
    }

    static byte[] edit(byte[] message, UnaryOperator<Batch.Builder> change) {
        try {
            return envelope(change.apply(Envelope.parseFrom(message).getBatch().toBuilder()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] blob(byte[] message) {
        try {
            return Envelope.parseFrom(message).getBatch().getFrames().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertRefused(byte[] message, Kind kind, String text) {
        assertRefusedBy(new FrameDecoder(ALL), message, kind, text);
    }

    /** Refused with this kind and text; the decoder is as before, and still decodes what follows. */
    private static void assertRefusedBy(FrameDecoder d, byte[] message, Kind kind, String text) {
        PredictorState before = d.predictorState();
        long next = d.nextSeq();
        long bytes = d.stats().bytes();
        assertThatThrownBy(() -> d.decode(message))
                .isInstanceOfSatisfying(
                        WireException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(text);
        assertThat(d.predictorState()).isEqualTo(before);
        assertThat(d.nextSeq()).isEqualTo(next);
        assertThat(d.stats().bytes()).isEqualTo(bytes);
    }
}
