package io.fleetlog.server.store;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import io.fleetlog.catalog.CatalogueFormatException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Catalogues read back from a store's {@code catalogues(hash, text)} table, parsed once per hash and
 * checked against it (a text that does not hash to its key is refused, never used). Thread-safe.
 */
final class StoredCatalogues {
    private final Map<String, Catalogue> parsed = new ConcurrentHashMap<>();

    StoredCatalogues() {
        Catalogue b = Catalogue.builtin();
        parsed.put(b.hash(), b);
    }

    /** The catalogue of {@code hash}; {@code text} is read only when it is not parsed yet. */
    Catalogue get(String hash, TextSource text) {
        Catalogue c = parsed.get(hash);
        if (c != null) {
            return c;
        }
        String t = text.text(hash);
        if (t == null) {
            throw new StoreException("catalogue " + abbreviate(hash) + " is referenced but not stored");
        }
        try {
            c = CatalogueFormat.parse(t, "stored catalogue " + abbreviate(hash));
        } catch (CatalogueFormatException e) {
            throw new StoreException("stored catalogue " + abbreviate(hash) + " does not parse: " + e.getMessage(), e);
        }
        if (!c.hash().equals(hash)) {
            throw new StoreException("stored catalogue " + abbreviate(hash) + " hashes to " + c.shortId());
        }
        parsed.put(hash, c);
        return c;
    }

    /** Remembers a catalogue being written (no need to parse it back). */
    void put(Catalogue c) {
        parsed.putIfAbsent(c.hash(), c);
    }

    private static String abbreviate(String hash) {
        return hash.length() > 16 ? hash.substring(0, 16) : hash;
    }

    /** Reads the stored text of a hash (null when absent). */
    interface TextSource {
        String text(String hash);
    }
}
