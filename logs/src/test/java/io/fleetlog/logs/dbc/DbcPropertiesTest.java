package io.fleetlog.logs.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Property tests: bit layout against an independent oracle, encode/decode round trips, fuzzed DBC text. */
class DbcPropertiesTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    static DbcSignal signal(int start, int length, ByteOrder order, boolean signed, double factor, double offset) {
        return new DbcSignal(
                "s",
                start,
                length,
                order,
                signed,
                factor,
                offset,
                0,
                0,
                "",
                List.of(),
                Multiplex.NONE,
                -1,
                DbcSignal.ValueType.INTEGER,
                Map.of());
    }

    /** The raw bits by whole-frame integer arithmetic (an oracle independent of the bit walk). */
    static long oracle(byte[] frame8, int start, int length, ByteOrder order) {
        long le = 0;
        long be = 0;
        for (int i = 0; i < 8; i++) {
            le |= (frame8[i] & 0xFFL) << (8 * i);
            be = be << 8 | (frame8[i] & 0xFFL);
        }
        long mask = length == 64 ? -1L : (1L << length) - 1;
        if (order == ByteOrder.INTEL) {
            return (le >>> start) & mask;
        }
        int msbLinear = (start / 8) * 8 + (7 - start % 8);
        return (be >>> (64 - msbLinear - length)) & mask;
    }

    @Property(tries = 500)
    void bitLayoutMatchesWholeFrameArithmetic(
            @ForAll @IntRange(min = 0, max = 63) int start,
            @ForAll @IntRange(min = 1, max = 64) int length,
            @ForAll boolean motorola,
            @ForAll byte[] bytes) {
        ByteOrder order = motorola ? ByteOrder.MOTOROLA : ByteOrder.INTEL;
        int msbLinear = (start / 8) * 8 + (7 - start % 8);
        Assume.that(motorola ? msbLinear + length <= 64 : start + length <= 64);
        byte[] frame = java.util.Arrays.copyOf(bytes, 8);
        DbcSignal s = signal(start, length, order, false, 1, 0);
        assertThat(s.minBytes()).isLessThanOrEqualTo(8);
        assertThat(s.raw(frame)).isEqualTo(oracle(frame, start, length, order));
    }

    @Property(tries = 1000)
    void insertThenReadGivesTheRawValueAndLeavesOtherBitsAlone(
            @ForAll @IntRange(min = 0, max = 511) int start,
            @ForAll @IntRange(min = 1, max = 64) int length,
            @ForAll boolean motorola,
            @ForAll boolean signed,
            @ForAll long anyRaw,
            @ForAll byte[] background) {
        DbcSignal s;
        try {
            s = signal(start, length, motorola ? ByteOrder.MOTOROLA : ByteOrder.INTEL, signed, 1, 0);
        } catch (IllegalArgumentException e) {
            Assume.that(false); // runs past 64 bytes: rejected, as it should be
            return;
        }
        long raw = length == 64 ? anyRaw : anyRaw & ((1L << length) - 1);
        if (signed && length < 64) {
            raw = (raw << (64 - length)) >> (64 - length);
        }
        byte[] data = java.util.Arrays.copyOf(background, 64);
        byte[] before = data.clone();
        s.insert(data, raw);
        assertThat(s.raw(data)).isEqualTo(raw);
        s.insert(data, s.raw(before));
        assertThat(data).isEqualTo(before);
    }

    @Property(tries = 500)
    void physicalValuesRoundTripWithinHalfAStep(
            @ForAll @IntRange(min = 0, max = 63) int start,
            @ForAll @IntRange(min = 1, max = 32) int length,
            @ForAll boolean motorola,
            @ForAll boolean signed,
            @ForAll("factors") double factor,
            @ForAll @IntRange(min = -1000, max = 1000) int offset,
            @ForAll @IntRange(min = 0, max = 1_000_000) int position) {
        DbcSignal s;
        try {
            s = signal(start, length, motorola ? ByteOrder.MOTOROLA : ByteOrder.INTEL, signed, factor, offset);
        } catch (IllegalArgumentException e) {
            Assume.that(false);
            return;
        }
        Assume.that(s.minBytes() <= 8);
        long raw = (long) (s.rawMin() + (s.rawMax() - s.rawMin()) * (position / 1_000_000.0));
        double physical = s.physical(raw) + factor * 0.4; // off the grid by less than half a step
        byte[] data = new byte[8];
        s.encode(data, physical);
        assertThat(s.decode(data, 8))
                .isCloseTo(s.physical(raw), org.assertj.core.api.Assertions.within(Math.abs(factor) * 1e-6));
    }

    @Provide
    Arbitrary<Double> factors() {
        return Arbitraries.of(1.0, 0.5, 0.1, -0.1, 0.01, 0.08, 1e-6, 0.0078125, 2.5, -0.05);
    }

    @Property(tries = 300)
    void messagesRoundTripThroughDbcText(
            @ForAll @IntRange(min = 0, max = 55) int start,
            @ForAll @IntRange(min = 1, max = 8) int length,
            @ForAll boolean motorola,
            @ForAll boolean signed,
            @ForAll @IntRange(min = 0, max = 255) int value)
            throws Exception {
        String text = "BO_ 256 M: 8 ECU\n SG_ S : " + start + "|" + length + "@" + (motorola ? 0 : 1)
                + (signed ? "-" : "+") + " (0.5,-3) [0|0] \"kph\" X\n";
        Dbc dbc = Dbc.parse(new StringReader(text), "p.dbc");
        DbcSignal s = dbc.message("M").orElseThrow().signal("S").orElseThrow();
        long raw = (long) (s.rawMin() + value % (long) (s.rawMax() - s.rawMin() + 1));
        double physical = s.physical(raw); // exact: a multiple of 0.5
        byte[] data = dbc.encode("M", Map.of("S", physical));
        assertThat(dbc.decode(256, false, data, 8)).containsExactly(Map.entry("S", physical));
    }

    // ---- fuzzing: random and truncated DBC text yields a located DbcException or a database ----

    static final String VALID = """
            VERSION "1"
            NS_ :
            \tCM_
            BS_:
            BU_: A B
            BO_ 306 Batt: 8 A
             SG_ Volt : 0|16@1+ (0.01,0) [0|655.35] "V"  B
             SG_ Curr : 16|16@1- (-0.1,0) [-3276.7|3276.7] "A"  B,A
            BO_ 2566844926 Ext: 8 A
             SG_ Index M : 0|2@1+ (1,0) [0|3] "" B
             SG_ X m0 : 8|8@0+ (1,0) [0|255] "" B
            CM_ SG_ 306 Volt "a; multi
            line";
            BA_DEF_ BO_ "GenMsgCycleTime" INT 0 10000;
            BA_ "GenMsgCycleTime" BO_ 306 10;
            VAL_ 306 Volt 0 "zero" 65535 "SNA" ;
            SIG_VALTYPE_ 306 Volt : 0;
            """;

    static void parsesOrFailsWithLocation(String text) {
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                Dbc dbc = Dbc.parse(new StringReader(text), "fuzz.dbc");
                for (DbcMessage m : dbc.messages()) {
                    m.decode(new byte[64], 64);
                    m.decode(new byte[3], 3);
                }
            } catch (DbcException e) {
                assertThat(e.getMessage()).matches("(?s)fuzz\\.dbc:\\d+: .+");
                assertThat(e.line()).isBetween(1, (int) text.lines().count() + 1);
            }
        });
    }

    @Property(tries = 300)
    void truncatedDbcFailsWithALocationOrParses(@ForAll @IntRange(min = 0, max = 10_000) int cut) {
        parsesOrFailsWithLocation(VALID.substring(0, cut % (VALID.length() + 1)));
    }

    @Property(tries = 500)
    void mutatedDbcFailsWithALocationOrParses(
            @ForAll @IntRange(min = 0, max = 10_000) int at,
            @ForAll("dbcChars") String insert,
            @ForAll @IntRange(min = 0, max = 5) int delete) {
        int p = at % VALID.length();
        String text = VALID.substring(0, p) + insert + VALID.substring(Math.min(VALID.length(), p + delete));
        parsesOrFailsWithLocation(text);
    }

    @Property(tries = 300)
    void randomTextFailsWithALocationOrParses(@ForAll("dbcText") String text) {
        parsesOrFailsWithLocation(text);
    }

    @AddLifecycleHook(io.fleetlog.logs.RealData.Skip.class)
    @io.fleetlog.logs.RealData.Needs(io.fleetlog.logs.RealData.MODEL3_DBC)
    @Property(tries = 25)
    void theRealModel3DbcTruncatedAnywhereFailsWithALocationOrParses(@ForAll @IntRange(min = 0, max = 383_838) int cut)
            throws Exception {
        String real = java.nio.file.Files.readString(
                io.fleetlog.logs.RealData.file(io.fleetlog.logs.RealData.MODEL3_DBC),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        parsesOrFailsWithLocation(real.substring(0, Math.min(cut, real.length())));
    }

    @Provide
    Arbitrary<String> dbcChars() {
        return Arbitraries.strings()
                .withChars("\"\n\r;:|@()[]+-,. 0123456789MmxSG_BOVAL_CM\t\\")
                .ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> dbcText() {
        Arbitrary<String> keyword = Arbitraries.of(
                "BO_ ",
                " SG_ ",
                "CM_ ",
                "VAL_ ",
                "BA_ ",
                "NS_ :",
                "\t",
                "\"",
                ";",
                "\n",
                "\r\n",
                "SIG_VALTYPE_ ",
                "BU_:",
                "VERSION ");
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(12);
        Arbitrary<String> numbers =
                Arbitraries.strings().withChars("0123456789|@+-(),[] .eE").ofMaxLength(12);
        return Combinators.combine(keyword, noise, numbers)
                .as((k, n, d) -> k + n + d)
                .list()
                .ofMaxSize(30)
                .map(parts -> String.join("", parts));
    }
}
