package io.fleetlog.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CataloguesTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theDefaultHoldsTheBuiltInCatalogueOnly() {
        Catalogues c = Catalogues.builtinOnly();
        Catalogue b = Catalogue.builtin();
        assertThat(c.find(b.hash())).contains(b);
        assertThat(c.all()).containsExactly(b);
        assertThat(c.shortIds()).containsExactly(b.shortId());
        assertThat(c.find(b.shortId()))
                .as("a short id is not a hash: never guessed")
                .isEmpty();
    }

    @Test
    void userFilesAreReadOverTheBuiltInCatalogueAndFoundByFullHash() throws Exception {
        Path a = file("a.catalog", "CoolantTemp float unit=degC resolution=0.1 range=-40..150 bound=0.5\n");
        Path b = file("b.catalog", "DriveMode enum values=Chill:0,Standard:1,Sport:2\n");
        Catalogues c = Catalogues.load(List.of(a, b, a));
        assertThat(c.all()).hasSize(3);
        Catalogue ca = c.all().get(1);
        assertThat(ca.id("CoolantTemp")).isEqualTo(Catalogue.builtin().size());
        assertThat(ca.id("VehicleSpeed"))
                .as("built-in ids kept")
                .isEqualTo(Catalogue.builtin().id("VehicleSpeed"));
        assertThat(c.find(ca.hash())).contains(ca);
        assertThat(c.builtin()).isEqualTo(Catalogue.builtin());
    }

    @Test
    void badFilesFailWithFileAndLineForEveryProblem() throws Exception {
        Path good = file("good.catalog", "Occupants integer range=0..9\n");
        Path bad = file("bad.catalog", "# comment\nCoolantTemp float unit=degC resolution=0.1 range=-40..1OO\n");
        Path missing = dir.resolve("missing.catalog");
        assertThatThrownBy(() -> Catalogues.load(List.of(good, bad, missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad + ":2:")
                .hasMessageContaining(missing + ": cannot read");
    }

    @Test
    void aCatalogueMayOnlyGrow() throws Exception {
        Catalogue builtin = Catalogue.builtin();
        Catalogue grown = CatalogueFormat.parseOver(builtin, "Occupants integer range=0..9\n", "g");
        Catalogue tighter = CatalogueFormat.parseOver(
                grown, "VehicleSpeed float unit=mph resolution=0.01 range=-300..300 bound=1\n", "t");
        assertThat(Catalogues.growthProblem(builtin, grown)).isNull();
        assertThat(Catalogues.growthProblem(grown, tighter))
                .as("a bound/range override")
                .isNull();
        assertThat(Catalogues.growthProblem(grown, builtin))
                .contains("signal id " + builtin.size() + " (Occupants)")
                .contains("is missing");
        Catalogue otherName = CatalogueFormat.parseOver(builtin, "Passengers integer range=0..9\n", "o");
        assertThat(Catalogues.growthProblem(grown, otherName))
                .contains("signal id " + builtin.size() + " is Occupants")
                .contains("but Passengers");
        Catalogue otherKind = CatalogueFormat.parseOver(builtin, "Occupants string maxlength=4\n", "k");
        assertThat(Catalogues.growthProblem(grown, otherKind))
                .contains("is integer")
                .contains("but string");
    }
}
