package io.fleetlog.logs.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.frame.Frame;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.export.ColumnMapping;
import io.fleetlog.logs.export.CsvSource;
import io.fleetlog.sample.Sample;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of the value-table → enum mapping and of sparse CSV capture, over generated inputs. */
class MappingPropertiesTest {
    static final Catalogue CAT = Catalogue.builtin();
    static final EnumType GEAR = (EnumType) CAT.get("Gear").type();
    static final int GEAR_ID = CAT.id("Gear");

    static String squash(String s) {
        return s.replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** Value names: a gear name in random case/underscores, or junk; all with one prefix or none. */
    @Provide
    Arbitrary<List<String>> tables() {
        Arbitrary<String> gear = Arbitraries.of("P", "R", "N", "D", "Unknown", "un_KNOWN", "p", "d");
        Arbitrary<String> junk =
                Arbitraries.strings().withChars("QWXYZ").ofMinLength(1).ofMaxLength(4);
        Arbitrary<String> name =
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, gear), net.jqwik.api.Tuple.of(1, junk));
        Arbitrary<String> prefix = Arbitraries.of("", "DI_GEAR_", "gear_", "X_");
        return prefix.flatMap(p -> name.map(n -> p + n).list().ofSize(8));
    }

    @Property(tries = 300)
    void aRawValueBecomesTheEnumValueItsTableNamesOrAProblemNeverAnotherValue(@ForAll("tables") List<String> names)
            throws Exception {
        StringBuilder dbc = new StringBuilder("BO_ 280 Drive: 1 ECU\n SG_ G : 0|3@1+ (1,0) [0|7] \"\" X\nVAL_ 280 G");
        for (int raw = 0; raw < names.size(); raw++) {
            dbc.append(' ').append(raw).append(" \"").append(names.get(raw)).append('"');
        }
        dbc.append(" ;\n");
        BoundMapping b;
        try {
            b = SignalMapping.parse("Gear = G\n", "p.mapping")
                    .bind(Dbc.parse(new StringReader(dbc.toString()), "p.dbc"));
        } catch (MappingException e) {
            // refused only when no name matches at all
            assertThat(e).hasMessageContaining("no value of G's table");
            for (String n : names) {
                for (EnumType.Value v : GEAR.values()) {
                    assertThat(squash(n)).isNotEqualTo(squash(v.name()));
                }
            }
            return;
        }
        double[] slots = b.newSlots();
        boolean[] arrived = b.newArrived();
        for (int raw = 0; raw < names.size(); raw++) {
            List<String> problems = new ArrayList<>();
            b.apply(280, false, new byte[] {(byte) raw}, 1, slots, arrived);
            Frame.Builder fb = Frame.builder(0);
            b.capture(slots, arrived, fb, problems::add);
            Frame f = fb.build();
            int i = f.indexOf(GEAR_ID);
            assertThat(i).isZero();
            String name = names.get(raw);
            if (f.unavailable(i)) {
                assertThat(problems).singleElement().asString().contains("raw value " + raw + " ('" + name + "')");
            } else {
                String got = GEAR.byCode((int) f.integer(i)).orElseThrow().name();
                assertThat(squash(name)).as("raw %d '%s' → %s", raw, name, got).endsWith(squash(got));
                assertThat(problems).isEmpty();
            }
        }
    }

    @Provide
    Arbitrary<List<List<String>>> sparseRows() {
        Arbitrary<String> cell = Arbitraries.of("", "", "1", "2.5", "unavailable", "abc");
        return cell.list().ofSize(3).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 300)
    void aCsvRowCapturesExactlyItsNonEmptyCells(@ForAll("sparseRows") List<List<String>> rows) throws Exception {
        ColumnMapping m = ColumnMapping.parse(
                "time = t\ntime.format = epoch-s\nSoc = a\nPackVoltage = b\nChargerPhases = c\n", "m");
        StringBuilder csv = new StringBuilder("t,a,b,c\n");
        for (int r = 0; r < rows.size(); r++) {
            csv.append(100 + r)
                    .append(',')
                    .append(String.join(",", rows.get(r)))
                    .append('\n');
        }
        String[] signals = {"Soc", "PackVoltage", "ChargerPhases"};
        try (CsvSource src = new CsvSource(new StringReader(csv.toString()), "p.csv", m, null)) {
            int r = 0;
            for (Sample s; (s = src.next()) != null; ) {
                while (rows.get(r).stream().allMatch(String::isEmpty)) {
                    r++; // an all-empty row is read over
                }
                Set<Integer> expected = new HashSet<>();
                for (int c = 0; c < 3; c++) {
                    if (!rows.get(r).get(c).isEmpty()) {
                        expected.add(CAT.id(signals[c]));
                    }
                }
                Set<Integer> got = new HashSet<>();
                for (int i = 0; i < s.frame().size(); i++) {
                    got.add(s.frame().id(i));
                    String cell = rows.get(r)
                            .get(List.of(signals)
                                    .indexOf(CAT.signal(s.frame().id(i)).name()));
                    boolean value = !cell.equals("unavailable")
                            && !cell.equals("abc")
                            && !(cell.equals("2.5") && s.frame().id(i) == CAT.id("ChargerPhases"));
                    assertThat(s.frame().unavailable(i)).as("cell '%s'", cell).isEqualTo(!value);
                }
                assertThat(got).isEqualTo(expected);
                assertThat(s.captureTimeMs()).isEqualTo((100L + r) * 1000);
                r++;
            }
        }
    }
}
