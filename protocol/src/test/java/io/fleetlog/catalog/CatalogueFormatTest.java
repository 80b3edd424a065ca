package io.fleetlog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalogue file format: every kind of mistake named with file:line, and text round trips. */
class CatalogueFormatTest {

    private static final String GOOD = """
            # a small catalogue
            Speed   float unit=mph resolution=0.01 range=-500..500 bound=2 aliases=speed_alias,Vehicle.Speed
            Heading float unit=deg resolution=0.01 range=-1000000..1000000 bound=5 circular
            Gear    enum  values=P:2,R:3   # codes need not start at 0
                          values=N:4,D:5
            Phases  integer range=0..3
            Locked  boolean
            Version string maxlength=64
            Where   location resolution=0.0000001 bound=0 aliases=latitude,longitude
            """;

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "unknown type",
                        "A float unit=x resolution=1 range=0..1\nB double\n",
                        2,
                        "unknown type 'double'"),
                Arguments.of("missing type", "A\n", 1, "A: missing type"),
                Arguments.of(
                        "bad number", "A float unit=x resolution=1 range=0..abc\n", 1, "bad number 'abc' for range"),
                Arguments.of("bad range", "A float unit=x resolution=1 range=5\n", 1, "range '5' must be min..max"),
                Arguments.of("range reversed", "A float unit=x resolution=1 range=5..1\n", 1, "A: range 5..1 must be"),
                Arguments.of(
                        "resolution not a power of ten",
                        "A float unit=x resolution=0.03 range=0..1\n",
                        1,
                        "resolution 0.03 is not a power of ten"),
                Arguments.of(
                        "missing resolution", "A float unit=x range=0..1\n", 1, "a float signal needs resolution=..."),
                Arguments.of(
                        "missing unit", "A float resolution=1 range=0..1\n", 1, "A: a float signal needs unit=..."),
                Arguments.of(
                        "negative bound", "A float unit=x resolution=1 range=0..1 bound=-1\n", 1, "bound -1 must be"),
                Arguments.of("bound on an enum", "\n\nG enum values=A:0 bound=1\n", 3, "bound on an enum signal"),
                Arguments.of("bound on a boolean", "B boolean bound=0\n", 1, "bound on a boolean signal"),
                Arguments.of("circular on an integer", "I integer range=0..1 circular\n", 1, "circular on an integer"),
                Arguments.of(
                        "circular not in degrees",
                        "H float unit=rad resolution=0.01 range=0..7 circular\n",
                        1,
                        "unit must be 'deg'"),
                Arguments.of(
                        "circular bound too big",
                        "H float unit=deg resolution=1 range=0..360 bound=180 circular\n",
                        1,
                        "must be below 180"),
                Arguments.of(
                        "enum repeated code",
                        "G enum values=A:0,B:1\n  values=C:1\n",
                        2,
                        "enum code 1 is repeated (B and C)"),
                Arguments.of("enum repeated name", "G enum values=A:0,a:1\n", 1, "enum value name a is repeated"),
                Arguments.of("enum value without code", "G enum values=A\n", 1, "enum value 'A' must be name:code"),
                Arguments.of("enum negative code", "G enum values=A:-1\n", 1, "enum code -1 of A is outside"),
                Arguments.of("enum bad value name", "G enum values=1A:0\n", 1, "enum value name '1A'"),
                Arguments.of("enum without values", "G enum\n", 1, "an enum signal needs values=..."),
                Arguments.of(
                        "duplicate name",
                        "A boolean\nB boolean\na boolean\n",
                        3,
                        "duplicate signal name 'a' (first used at line 1)"),
                Arguments.of(
                        "alias repeats a name",
                        "A boolean\nB boolean aliases=a\n",
                        2,
                        "alias 'a' is already used at line 1"),
                Arguments.of(
                        "alias repeats its own name", "A boolean aliases=A\n", 1, "repeats the name or another alias"),
                Arguments.of("bad alias", "A boolean aliases=x,\n", 1, "alias ''"),
                Arguments.of("bad name", "9lives boolean\n", 1, "signal name '9lives'"),
                Arguments.of("unknown attribute", "A boolean colour=red\n", 1, "unknown attribute 'colour'"),
                Arguments.of(
                        "duplicate attribute",
                        "A integer range=0..1\n  range=0..2\n",
                        2,
                        "duplicate attribute 'range' (first at line 1)"),
                Arguments.of("attribute without value", "A integer range\n", 1, "attribute 'range' needs a value"),
                Arguments.of(
                        "flag with value",
                        "H float unit=deg resolution=1 range=0..1 circular=yes\n",
                        1,
                        "'circular' is a flag"),
                Arguments.of("empty value", "A integer range=\n", 1, "attribute 'range' has an empty value"),
                Arguments.of(
                        "integer range not whole", "A integer range=0..1.5\n", 1, "range '1.5' is not a whole number"),
                Arguments.of("integer range too wide", "A integer range=0..9007199254740992\n", 1, "within ±"),
                Arguments.of("string length zero", "S string maxlength=0\n", 1, "maxlength 0 must be between 1"),
                Arguments.of(
                        "string length beyond int",
                        "S string maxlength=4294967297\n",
                        1,
                        "maxlength 4294967297 must be between 1"),
                Arguments.of(
                        "string length not a number",
                        "S string maxlength=long\n",
                        1,
                        "bad number 'long' for maxlength"),
                Arguments.of("location resolution too fine", "L location resolution=1e-10\n", 1, "location resolution"),
                Arguments.of("continuation first", "  range=0..1\nA boolean\n", 1, "no signal line comes before it"),
                Arguments.of(
                        "too many wire units",
                        "A float unit=x resolution=0.000000000001 range=0..1e9\n",
                        1,
                        "more than 2^53"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void everyMistakeIsReportedWithFileAndLine(String kind, String text, int line, String fragment) {
        assertThatThrownBy(() -> CatalogueFormat.parse(text, "user.catalog"))
                .isInstanceOf(CatalogueFormatException.class)
                .satisfies(e -> {
                    List<CatalogueFormatException.Problem> problems = ((CatalogueFormatException) e).problems();
                    assertThat(problems).as(kind).isNotEmpty();
                    assertThat(problems.get(0).toString()).as(kind).startsWith("user.catalog:" + line + ": ");
                    assertThat(problems.get(0).message()).as(kind).contains(fragment);
                });
    }

    @Test
    void everyMistakeOfAFileIsReportedNotJustTheFirst() {
        String text = "A float unit=x resolution=3 range=0..1\nB boolean\nC colour\nD integer range=1..0\n";
        assertThatThrownBy(() -> CatalogueFormat.parse(text, "f"))
                .isInstanceOf(CatalogueFormatException.class)
                .hasMessageContaining("f:1: A: resolution 3 is not a power of ten")
                .hasMessageContaining("f:3: C: unknown type 'colour'")
                .hasMessageContaining("f:4: D: range 1..0");
    }

    @Test
    void aRefusedSignalsContinuationLinesAreNotReportedAgain() {
        assertThatThrownBy(() -> CatalogueFormat.parse("A colour\n  aliases=x\n", "f"))
                .hasMessage("f:1: A: unknown type 'colour' (known: float, integer, boolean, enum, string, location)");
    }

    @Test
    void aByteOrderMarkIsIgnored() throws Exception {
        assertThat(CatalogueFormat.parse("\uFEFFA boolean\n", "f").get("a").name())
                .isEqualTo("A");
    }

    @Test
    void aGoodFileParsesWithEveryType() throws Exception {
        Catalogue c = CatalogueFormat.parse(GOOD, "good");
        assertThat(c.signals())
                .extracting(Signal::name)
                .containsExactly("Speed", "Heading", "Gear", "Phases", "Locked", "Version", "Where");
        assertThat(c.get("vehicle.speed").bound()).isEqualTo(2.0);
        assertThat(c.get("heading").type()).isEqualTo(new FloatType("deg", 2, -1e6, 1e6, true));
        assertThat(((EnumType) c.get("Gear").type()).values())
                .extracting(EnumType.Value::code)
                .containsExactly(2, 3, 4, 5);
        assertThat(c.get("Phases").type()).isEqualTo(new IntegerType("", 0, 3));
        assertThat(c.get("Version").type()).isEqualTo(new StringType(64));
        assertThat(c.get("LONGITUDE").type()).isEqualTo(new LocationType(7));
        assertThat(c.get("Locked").exact()).isTrue();
    }

    @Test
    void canonicalTextParsesBackToAnEqualCatalogueWithTheSameHash() throws Exception {
        Catalogue c = CatalogueFormat.parse(GOOD, "good");
        Catalogue again = CatalogueFormat.parse(c.toText(), "canonical");
        assertThat(again).isEqualTo(c);
        assertThat(again.hash()).isEqualTo(c.hash());
        assertThat(again.toText()).isEqualTo(c.toText());
    }

    @Test
    void hashIgnoresFormattingCommentsAndTheOrderOfAliasesAndEnumValues() throws Exception {
        String reformatted = """
                Speed float bound=2.000 range=-5e2..500.0 resolution=1e-2 unit=mph
                   aliases=Vehicle.Speed   # VSS
                   aliases=speed_alias
                # the heading
                Heading\tfloat circular unit=deg bound=5 resolution=0.010 range=-1000000..1E6
                Gear enum values=D:5,N:4,R:3,P:2
                Phases integer range=0..3\r
                Locked boolean
                Version string maxlength=64
                Where location bound=0.0 resolution=0.0000001 aliases=longitude,latitude
                """;
        assertThat(CatalogueFormat.parse(reformatted, "b").hash())
                .isEqualTo(CatalogueFormat.parse(GOOD, "a").hash());
    }

    @Test
    void hashChangesWithContentAndOrder() throws Exception {
        String base = CatalogueFormat.parse(GOOD, "a").hash();
        assertThat(CatalogueFormat.parse(GOOD.replace("bound=2", "bound=1"), "b")
                        .hash())
                .isNotEqualTo(base);
        assertThat(CatalogueFormat.parse(GOOD.replace("maxlength=64", "maxlength=65"), "b")
                        .hash())
                .isNotEqualTo(base);
        String swapped = GOOD.replace("Locked  boolean\n", "").replace("Phases", "Locked  boolean\nPhases");
        assertThat(CatalogueFormat.parse(swapped, "b").hash()).isNotEqualTo(base);
    }

    @Test
    void aUserFileOverridesByNameAndAppendsNewSignalsWithLineErrors() throws Exception {
        Catalogue base = CatalogueFormat.parse(GOOD, "base");
        Catalogue merged = CatalogueFormat.parseOver(
                base, "speed float unit=mph resolution=0.01 range=-500..500 bound=1 aliases=v\nNew boolean\n", "user");
        assertThat(merged.size()).isEqualTo(base.size() + 1);
        assertThat(merged.id("Speed")).isZero();
        assertThat(merged.get("v").name()).isEqualTo("Speed");
        assertThat(merged.get("vehicle.speed").bound()).isEqualTo(1.0);
        assertThat(merged.id("New")).isEqualTo(base.size());

        assertThatThrownBy(() -> CatalogueFormat.parseOver(base, "\nlatitude boolean\n", "user"))
                .hasMessage("user:2: 'latitude' is an alias of Where: override a signal by its name");
        assertThatThrownBy(() -> CatalogueFormat.parseOver(base, "X boolean aliases=gear\n", "user"))
                .hasMessage("user:1: X: alias 'gear' is already the name of Gear");
    }
}
