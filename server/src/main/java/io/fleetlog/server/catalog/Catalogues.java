package io.fleetlog.server.catalog;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import io.fleetlog.catalog.CatalogueFormatException;
import io.fleetlog.catalog.Signal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signal catalogues a server can decode frames over, looked up by full hash ({@link
 * Catalogue#hash()}): always the built-in catalogue, plus each user file read over it ({@link
 * CatalogueFormat#readOver}), so built-in signals keep their ids in every catalogue held here.
 *
 * <p>Immutable and thread-safe; built once at startup. A catalogue not held here is never guessed:
 * ingest refuses a Hello naming it. {@link #growthProblem} is the rule for a vehicle that changes
 * catalogue: its catalogue may only grow.
 */
public final class Catalogues {
    private final Map<String, Catalogue> byHash; // built-in first, then the files in the given order

    private Catalogues(Map<String, Catalogue> byHash) {
        this.byHash = byHash;
    }

    /** The built-in catalogue only (the server's default). */
    public static Catalogues builtinOnly() {
        return of(List.of());
    }

    /** The built-in catalogue plus {@code extra} (each should extend the built-in one); duplicates once. */
    public static Catalogues of(List<Catalogue> extra) {
        Map<String, Catalogue> m = new LinkedHashMap<>();
        Catalogue builtin = Catalogue.builtin();
        m.put(builtin.hash(), builtin);
        for (Catalogue c : extra) {
            m.putIfAbsent(c.hash(), c);
        }
        return new Catalogues(m);
    }

    /**
     * Reads each user catalogue file over the built-in catalogue (the CLI's repeatable {@code
     * --catalogue FILE}).
     *
     * @throws IllegalArgumentException naming every problem of every file as {@code file:line:
     *     message} (one per line), or the file that cannot be read; nothing is loaded then
     */
    public static Catalogues load(List<Path> files) {
        List<Catalogue> loaded = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                loaded.add(CatalogueFormat.readOver(Catalogue.builtin(), f));
            } catch (CatalogueFormatException e) {
                e.problems().forEach(p -> problems.add(p.toString()));
            } catch (IOException e) {
                problems.add(f + ": cannot read the catalogue file: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                problems.add(f + ": " + e.getMessage()); // a merge conflict with the built-in catalogue
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return of(loaded);
    }

    /** The catalogue with this full hash, if held. */
    public Optional<Catalogue> find(String hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    /** The built-in catalogue. */
    public Catalogue builtin() {
        return byHash.values().iterator().next();
    }

    /** Every catalogue held, the built-in one first. */
    public List<Catalogue> all() {
        return List.copyOf(byHash.values());
    }

    /** The short ids of the catalogues held (for messages: "this server holds …"). */
    public List<String> shortIds() {
        return byHash.values().stream().map(Catalogue::shortId).toList();
    }

    /**
     * Whether a vehicle whose stored frames use {@code stored} may continue under {@code offered}: every
     * signal id of {@code stored} must exist in {@code offered} with the same name and the same type
     * kind (a catalogue may add signals, aliases, or change a bound, range or resolution).
     *
     * @return null when it may; otherwise what differs first, naming the id
     */
    public static String growthProblem(Catalogue stored, Catalogue offered) {
        if (stored.hash().equals(offered.hash())) {
            return null;
        }
        for (int id = 0; id < stored.size(); id++) {
            Signal s = stored.signal(id);
            if (id >= offered.size()) {
                return "signal id " + id + " (" + s.name() + ") of the stored catalogue " + stored.shortId()
                        + " is missing from catalogue " + offered.shortId() + " (" + offered.size() + " signals)";
            }
            Signal o = offered.signal(id);
            if (!o.name().equals(s.name())) {
                return "signal id " + id + " is " + s.name() + " in the stored catalogue " + stored.shortId() + " but "
                        + o.name() + " in catalogue " + offered.shortId();
            }
            if (!o.type().keyword().equals(s.type().keyword())) {
                return "signal id " + id + " (" + s.name() + ") is " + s.type().keyword() + " in the stored catalogue "
                        + stored.shortId() + " but " + o.type().keyword() + " in catalogue " + offered.shortId();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Catalogues" + shortIds();
    }
}
