package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --catalogue FILE} on the server (repeatable) and on an edge or a replay (one file). */
class CatalogueOptionTest {
    @TempDir
    Path dir;

    @Test
    void theServerHoldsTheBuiltInCatalogueAndEveryFileReadOverIt() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "");
        Path extra = dir.resolve("fleet.catalogue");
        Files.writeString(extra, "CoolantTemp float unit=C resolution=0.1 range=-40..150 bound=0.5\n");
        ServerConfig c = new ServerCommandAccess()
                .parse("--tokens", tokens.toString(), "--catalogue", extra.toString(), "--port", "0");
        Catalogue read = CatalogueOptionTest.edgeCatalogue(extra);
        assertThat(read.size()).isEqualTo(Catalogue.builtin().size() + 1);
        assertThat(c.catalogues().find(read.hash())).contains(read);
        assertThat(c.catalogues().find(Catalogue.builtin().hash())).isPresent();
    }

    @Test
    void aBadFileIsRefusedWithItsLineBeforeAnythingStarts() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "");
        Path bad = dir.resolve("bad.catalogue");
        Files.writeString(bad, "# ok\nBroken float unit=C resolution=0.3 range=0..1\n");
        assertThatThrownBy(() ->
                        new ServerCommandAccess().parse("--tokens", tokens.toString(), "--catalogue", bad.toString()))
                .hasMessageContaining(bad + ":2:");
        assertThatThrownBy(() -> edgeCatalogue(bad)).hasMessageContaining(bad + ":2:");
        assertThatThrownBy(() -> edgeCatalogue(dir.resolve("missing.catalogue")))
                .hasMessageContaining("cannot read the catalogue file");
    }

    static Catalogue edgeCatalogue(Path file) {
        CatalogueOption o = new CatalogueOption();
        new CommandLine(o).parseArgs("--catalogue", file.toString());
        return o.catalogue();
    }
}
