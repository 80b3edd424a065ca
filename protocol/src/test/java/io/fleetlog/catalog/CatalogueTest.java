package io.fleetlog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Building, looking up and merging catalogues in code; the record constructors' checks. */
class CatalogueTest {

    private static final Signal SPEED = new Signal(
            "VehicleSpeed",
            List.of("speed", "Vehicle.Speed"),
            new FloatType("mph", 2, -500, 500, false),
            Policy.within(2));
    private static final Signal GEAR = new Signal(
            "Gear", new EnumType(List.of(new EnumType.Value("P", 2), new EnumType.Value("D", 5))), Policy.EXACT);

    @Test
    void looksUpByNameOrAliasIgnoringCase() {
        Catalogue c = Catalogue.of(List.of(SPEED, GEAR));
        assertThat(c.get("SPEED")).isSameAs(SPEED);
        assertThat(c.get(" vehicle.speed ")).isSameAs(SPEED);
        assertThat(c.id("gear")).isEqualTo(1);
        assertThat(c.find("nope")).isEmpty();
        assertThatThrownBy(() -> c.get("nope")).hasMessageStartingWith("unknown signal 'nope' (catalogue ");
        assertThatThrownBy(() -> c.signal(2)).hasMessageStartingWith("signal id 2 is outside 0..1");
    }

    @Test
    void repeatedNamesAndAliasesAreRejectedNamingBothSignals() {
        Signal other = new Signal("Speed", new BooleanType(), Policy.EXACT);
        assertThatThrownBy(() -> Catalogue.of(List.of(SPEED, other)))
                .hasMessage("duplicate signal name 'Speed' (already an alias of VehicleSpeed)");
        Signal gearAgain = new Signal("GEAR", new BooleanType(), Policy.EXACT);
        assertThatThrownBy(() -> Catalogue.of(List.of(GEAR, gearAgain)))
                .hasMessage("duplicate signal name 'GEAR' (already the name of Gear)");
    }

    @Test
    void mergeOverridesAtTheSameIdKeepsAliasesAndAppendsNewSignals() {
        Catalogue base = Catalogue.of(List.of(SPEED, GEAR));
        Signal faster =
                new Signal("vehiclespeed", List.of("v"), new FloatType("mph", 1, 0, 300, false), Policy.within(1));
        Signal locked = new Signal("Locked", new BooleanType(), Policy.EXACT);
        Catalogue merged = base.merge(Catalogue.of(List.of(locked, faster)));
        assertThat(merged.signals()).extracting(Signal::name).containsExactly("VehicleSpeed", "Gear", "Locked");
        assertThat(merged.get("VehicleSpeed").aliases()).containsExactly("speed", "v", "Vehicle.Speed");
        assertThat(merged.get("v").bound()).isEqualTo(1.0);
        assertThat(merged.hash()).isNotEqualTo(base.hash());
        assertThat(base.merge(Catalogue.of(List.of()))).isEqualTo(base);
    }

    @Test
    void mergeRefusesAnOverrideNamedByAnAlias() {
        Catalogue base = Catalogue.of(List.of(SPEED));
        Catalogue user = Catalogue.of(List.of(new Signal("speed", new BooleanType(), Policy.EXACT)));
        assertThatThrownBy(() -> base.merge(user))
                .hasMessage("'speed' is an alias of VehicleSpeed: override a signal by its name");
    }

    @Test
    void signalConstructorNamesTheSignalAndTheValue() {
        FloatType f = new FloatType("mph", 2, 0, 1, false);
        assertThatThrownBy(() -> new Signal("Gear", GEAR.type(), Policy.within(1)))
                .hasMessageStartingWith("Gear: bound 1 on an enum signal");
        assertThatThrownBy(() -> new Signal("S", f, Policy.EXACT))
                .hasMessageStartingWith("S: a float signal needs a bound");
        assertThatThrownBy(() -> new Signal("H", new FloatType("deg", 2, 0, 360, true), Policy.within(200)))
                .hasMessage("H: bound 200 must be below 180 deg (it is an angle on the circle)");
        assertThatThrownBy(() -> new Signal("S", List.of("s"), f, Policy.within(0)))
                .hasMessage("S: alias 's' repeats the name or another alias (ignoring case)");
        assertThatThrownBy(() -> new Signal("bad name", f, Policy.within(0)))
                .hasMessageStartingWith("signal name 'bad name'");
        assertThatThrownBy(() -> Policy.within(Double.NaN)).hasMessage("bound NaN must be a finite number >= 0");
        assertThatThrownBy(() -> new FloatType("mph", 2, Double.NaN, 1, false))
                .hasMessageStartingWith("range NaN..1 must be");
        assertThatThrownBy(() -> new EnumType(List.of(new EnumType.Value("A", 1), new EnumType.Value("B", 1))))
                .hasMessage("enum code 1 is used by both A and B");
        assertThatThrownBy(() -> new Position(91, 0)).hasMessage("latitude 91.0 must be a number in -90..90");
    }

    @Test
    void equalSignalsAreEqualHoweverTheirAliasesAndEnumValuesWereListed() {
        Signal a = new Signal(
                "G",
                List.of("b", "A"),
                new EnumType(List.of(new EnumType.Value("X", 2), new EnumType.Value("Y", 1))),
                Policy.EXACT);
        Signal b = new Signal(
                "G",
                List.of("A", "b"),
                new EnumType(List.of(new EnumType.Value("Y", 1), new EnumType.Value("X", 2))),
                Policy.EXACT);
        assertThat(a).isEqualTo(b);
        assertThat(Catalogue.of(List.of(a)).hash())
                .isEqualTo(Catalogue.of(List.of(b)).hash());
    }
}
