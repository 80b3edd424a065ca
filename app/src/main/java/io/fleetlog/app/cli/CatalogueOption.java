package io.fleetlog.app.cli;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import io.fleetlog.catalog.CatalogueFormatException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --catalogue FILE}: the vehicle's signal catalogue, read over the built-in one. */
final class CatalogueOption {
    @Option(
            names = "--catalogue",
            paramLabel = "FILE",
            description = "Signal catalogue file read over the built-in one (docs/catalogue.md); the server must"
                    + " hold the same file (its --catalogue). Default: the built-in catalogue.")
    Path file;

    /**
     * The catalogue: the built-in one, or {@code file} read over it.
     *
     * @throws IllegalArgumentException naming every problem as {@code file:line: message}
     */
    Catalogue catalogue() {
        if (file == null) {
            return Catalogue.builtin();
        }
        try {
            return CatalogueFormat.readOver(Catalogue.builtin(), file);
        } catch (CatalogueFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the catalogue file: " + e.getMessage(), e);
        }
    }
}
