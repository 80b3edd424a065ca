package io.fleetlog.logs.candump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Fuzz and round-trip properties of the candump reader and writer. */
class CandumpPropertiesTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    static final String VALID = """
            (1487342025.615950) can0 187#E21408C800100300
            (1487342025.6) can1 18FEF1FE#0a0B.0c
            (1487342026) can1 123#R5
            (1487342027.000001) can0 1A2##3001122334455667788990011
            (1487342027.000003) can0 101#1122334455667788_C R
            """;

    /** Every non-blank line is a frame, an error frame, another interface's frame or a located problem. */
    static void everyLineIsAccountedFor(String text) {
        assertTimeoutPreemptively(BOUND, () -> {
            CandumpReader r = new CandumpReader(new StringReader(text), "fuzz.log", null);
            long frames = 0;
            while (r.next() != null) {
                frames++;
            }
            long nonBlank = new java.io.BufferedReader(new StringReader(text))
                    .lines()
                    .filter(l -> !l.isBlank())
                    .count();
            assertThat(frames + r.errorFrames() + r.problems().count()).isEqualTo(nonBlank);
            for (String p : r.problems().first()) {
                assertThat(p).matches("fuzz\\.log:\\d+: .+");
            }
        });
    }

    @Property(tries = 500)
    void truncatedLogsAreReadOrReportedLineByLine(@ForAll @IntRange(min = 0, max = 10_000) int cut) {
        everyLineIsAccountedFor(VALID.substring(0, cut % (VALID.length() + 1)));
    }

    @Property(tries = 1000)
    void mutatedLinesAreReadOrReported(
            @ForAll @IntRange(min = 0, max = 10_000) int at,
            @ForAll("logChars") String insert,
            @ForAll @IntRange(min = 0, max = 4) int delete) {
        int p = at % VALID.length();
        everyLineIsAccountedFor(VALID.substring(0, p) + insert + VALID.substring(Math.min(VALID.length(), p + delete)));
    }

    @Property(tries = 300)
    void randomTextIsReadOrReported(@ForAll("anyText") String text) {
        everyLineIsAccountedFor(text);
    }

    @AddLifecycleHook(io.fleetlog.logs.RealData.Skip.class)
    @io.fleetlog.logs.RealData.Needs(io.fleetlog.logs.RealData.FORD_CANDUMP)
    @Property(tries = 20)
    void theRealFordLogCutAnywhereIsReadOrReported(@ForAll @IntRange(min = 0, max = 1_897_500) int cut)
            throws IOException {
        String real =
                java.nio.file.Files.readString(io.fleetlog.logs.RealData.file(io.fleetlog.logs.RealData.FORD_CANDUMP));
        int c = Math.min(cut, real.length());
        // drop a random slice of 7 characters too, so a line in the middle is damaged
        int d = Math.max(0, c - 20_000);
        everyLineIsAccountedFor(real.substring(0, d) + real.substring(Math.min(c, d + 7), c));
    }

    @Provide
    Arbitrary<String> logChars() {
        return Arbitraries.strings()
                .withChars("()#.R_rF0123456789abcdefABCDEF \t\n\r")
                .ofMaxLength(5);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().all().ofMaxLength(300);
    }

    @Property(tries = 300)
    void writtenFramesReadBackUnchanged(@ForAll("frames") List<CanFrame> frames) throws IOException {
        StringWriter out = new StringWriter();
        try (CandumpWriter w = new CandumpWriter(out)) {
            for (CanFrame f : frames) {
                w.write(f);
            }
        }
        CandumpReader r = new CandumpReader(new StringReader(out.toString()), "rt.log", null);
        List<CanFrame> back = new ArrayList<>();
        for (CanFrame f; (f = r.next()) != null; ) {
            back.add(f);
        }
        assertThat(r.problems().count()).isZero();
        assertThat(back).isEqualTo(frames);
    }

    @Provide
    Arbitrary<List<CanFrame>> frames() {
        Arbitrary<Long> time = Arbitraries.longs().between(0, 4_000_000_000_000_000L);
        Arbitrary<Boolean> ext = Arbitraries.of(true, false);
        Arbitrary<CanFrame.Kind> kind = Arbitraries.of(CanFrame.Kind.class);
        Arbitrary<Long> idSeed = Arbitraries.longs().between(0, 0x1FFF_FFFFL);
        Arbitrary<Integer> fdLen = Arbitraries.of(0, 1, 5, 8, 12, 16, 20, 24, 32, 48, 64);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofSize(64);
        return Combinators.combine(time, ext, kind, idSeed, fdLen, payload, Arbitraries.of("can0", "vcan12", "slcan0"))
                .as((t, e, k, id, n, p, iface) -> {
                    long canId = e ? id : id & 0x7FF;
                    return switch (k) {
                        case DATA -> CanFrame.data(t, iface, canId, e, java.util.Arrays.copyOf(p, n % 9));
                        case REMOTE -> new CanFrame(t, iface, canId, e, k, 0, new byte[0], n % 9);
                        case FD -> new CanFrame(t, iface, canId, e, k, p[0] & 0x3, java.util.Arrays.copyOf(p, n), n);
                    };
                })
                .list()
                .ofMaxSize(20);
    }
}
