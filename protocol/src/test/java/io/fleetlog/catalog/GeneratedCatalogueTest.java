package io.fleetlog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Round trips and hash stability over generated catalogues of every type. */
class GeneratedCatalogueTest {

    @Property(tries = 300)
    void canonicalTextRoundTripsToAnEqualCatalogue(@ForAll("catalogues") Catalogue c) throws Exception {
        Catalogue again = CatalogueFormat.parse(c.toText(), "canonical");
        assertThat(again).isEqualTo(c);
        assertThat(again.hash()).isEqualTo(c.hash());
        assertThat(again.toText()).isEqualTo(c.toText());
    }

    @Property(tries = 300)
    void aScrambledButEquivalentFileHasTheSameHash(@ForAll("catalogues") Catalogue c, @ForAll long seed)
            throws Exception {
        String messy = CatalogueArbitraries.scramble(c, seed);
        Catalogue again = CatalogueFormat.parse(messy, "messy");
        assertThat(again.hash())
                .as("file:\n%s\ncanonical:\n%s", messy, c.toText())
                .isEqualTo(c.hash());
        assertThat(again).isEqualTo(c);
    }

    @Property(tries = 100)
    void mergingACatalogueIntoItselfChangesNothing(@ForAll("catalogues") Catalogue c) {
        assertThat(c.merge(c)).isEqualTo(c);
        assertThat(Catalogue.builtin().merge(Catalogue.of(java.util.List.of())).hash())
                .isEqualTo(Catalogue.builtin().hash());
    }

    @Provide
    Arbitrary<Catalogue> catalogues() {
        return CatalogueArbitraries.catalogues(12);
    }
}
