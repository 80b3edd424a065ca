package io.fleetlog.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, ordered set of signals: what a vehicle's frames can carry.
 *
 * <p><b>Guarantees.</b> Every name and alias finds exactly one signal, ignoring case (a repeated name
 * or alias is rejected when the catalogue is built). A signal's wire id is its index in the order
 * (0, 1, 2, … dense), so two catalogues with the same {@link #hash()} give every signal the same id.
 * The hash is the SHA-256 of the {@linkplain #toText() canonical text}: it changes when a name, an
 * alias, a type, a unit, a resolution, a range, a bound or the order of the signals changes, and not
 * with the formatting, comments or alias order of the file it was read from. Thread-safe (immutable).
 *
 * <p><b>Not guaranteed:</b> that two catalogues with different hashes cannot decode each other's frames
 * (an added alias changes the hash); the Hello compares hashes and refuses on any difference.
 */
public final class Catalogue {

    /** Most signals a catalogue may hold (wire ids are 0 … 65534). */
    public static final int MAX_SIGNALS = 65_535;

    /** Classpath resource of the built-in catalogue. */
    public static final String BUILTIN_RESOURCE = "/io/fleetlog/catalog/builtin.catalog";

    private static volatile Catalogue builtin;

    private final List<Signal> signals;
    private final Map<String, Integer> ids;
    private final String text;
    private final String hash;

    private Catalogue(List<Signal> signals, Map<String, Integer> ids) {
        this.signals = List.copyOf(signals);
        this.ids = Map.copyOf(ids);
        this.text = CatalogueFormat.write(this.signals);
        this.hash = sha256(text);
    }

    /**
     * A catalogue of these signals, in this order.
     *
     * @throws IllegalArgumentException on a repeated name or alias (ignoring case), naming both signals
     */
    public static Catalogue of(List<Signal> signals) {
        Builder b = new Builder();
        for (Signal s : signals) {
            b.add(s);
        }
        return b.build();
    }

    /** The built-in catalogue (Tesla Fleet Telemetry names, VSS aliases), read once from the classpath. */
    public static Catalogue builtin() {
        Catalogue c = builtin;
        if (c == null) {
            try (InputStream in = Catalogue.class.getResourceAsStream(BUILTIN_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("built-in catalogue " + BUILTIN_RESOURCE + " is missing");
                }
                c = CatalogueFormat.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "builtin.catalog");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the built-in catalogue " + BUILTIN_RESOURCE, e);
            } catch (CatalogueFormatException e) {
                throw new IllegalStateException("the built-in catalogue is invalid:\n" + e.getMessage(), e);
            }
            builtin = c;
        }
        return c;
    }

    /** The signals in wire-id order. */
    public List<Signal> signals() {
        return signals;
    }

    public int size() {
        return signals.size();
    }

    /** The signal with this name or alias, ignoring case. */
    public Optional<Signal> find(String nameOrAlias) {
        Integer id = nameOrAlias == null ? null : ids.get(Names.key(nameOrAlias.trim()));
        return id == null ? Optional.empty() : Optional.of(signals.get(id));
    }

    /**
     * The signal with this name or alias, ignoring case.
     *
     * @throws IllegalArgumentException naming the unknown signal
     */
    public Signal get(String nameOrAlias) {
        return signal(id(nameOrAlias));
    }

    /**
     * The wire id of the signal with this name or alias.
     *
     * @throws IllegalArgumentException naming the unknown signal
     */
    public int id(String nameOrAlias) {
        Integer id = nameOrAlias == null ? null : ids.get(Names.key(nameOrAlias.trim()));
        if (id == null) {
            throw new IllegalArgumentException(
                    "unknown signal '" + nameOrAlias + "' (catalogue " + shortId() + " has " + size() + " signals)");
        }
        return id;
    }

    /**
     * The signal with this wire id.
     *
     * @throws IllegalArgumentException if the id is not 0 … size − 1
     */
    public Signal signal(int id) {
        if (id < 0 || id >= signals.size()) {
            throw new IllegalArgumentException(
                    "signal id " + id + " is outside 0.." + (signals.size() - 1) + " (catalogue " + shortId() + ")");
        }
        return signals.get(id);
    }

    /** SHA-256 of the canonical text, 64 lower-case hex digits. */
    public String hash() {
        return hash;
    }

    /** The first 16 hex digits of {@link #hash()}: the catalogue's name in a Hello and in logs. */
    public String shortId() {
        return hash.substring(0, 16);
    }

    /**
     * The canonical text: a valid catalogue file, one signal per line in order, attributes in a fixed
     * order, aliases and enum values sorted, numbers in their shortest plain spelling (see
     * docs/catalogue.md). Parsing it gives an equal catalogue.
     */
    public String toText() {
        return text;
    }

    /**
     * This catalogue extended and overridden by {@code overrides}: a signal whose name is already here
     * takes the new type and policy at the same wire id, keeps its spelling and gains the new aliases;
     * a new name is appended, in the overrides' order.
     *
     * @throws IllegalArgumentException if an override is named by another signal's alias, or one of
     *     its aliases is already another signal's name or alias
     */
    public Catalogue merge(Catalogue overrides) {
        Builder b = new Builder(this);
        for (Signal s : overrides.signals) {
            b.override(s);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Catalogue c && c.hash.equals(hash) && c.signals.equals(signals);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "Catalogue[" + shortId() + ", " + size() + " signals]";
    }

    private static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Collects signals, checking names and aliases as each arrives (so a parser can name the line). */
    static final class Builder {
        private final List<Signal> signals = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();

        Builder() {}

        Builder(Catalogue base) {
            signals.addAll(base.signals);
            ids.putAll(base.ids);
        }

        /** Adds a new signal; a name or alias already present is an error. */
        void add(Signal s) {
            Integer existing = ids.get(Names.key(s.name()));
            if (existing != null) {
                throw new IllegalArgumentException(
                        "duplicate signal name '" + s.name() + "' (already " + describe(existing, s.name()) + ")");
            }
            checkAliasesFree(s, -1);
            append(s);
        }

        /** Replaces the signal of the same name (keeping its id, spelling and aliases) or appends. */
        void override(Signal s) {
            Integer existing = ids.get(Names.key(s.name()));
            if (existing == null) {
                checkAliasesFree(s, -1);
                append(s);
                return;
            }
            Signal old = signals.get(existing);
            if (!old.name().equalsIgnoreCase(s.name())) {
                throw new IllegalArgumentException(
                        "'" + s.name() + "' is an alias of " + old.name() + ": override a signal by its name");
            }
            checkAliasesFree(s, existing);
            List<String> aliases = new ArrayList<>(old.aliases());
            for (String a : s.aliases()) {
                if (!ids.containsKey(Names.key(a))) {
                    aliases.add(a);
                    ids.put(Names.key(a), existing);
                }
            }
            signals.set(existing, new Signal(old.name(), aliases, s.type(), s.policy()));
        }

        private void append(Signal s) {
            if (signals.size() >= MAX_SIGNALS) {
                throw new IllegalArgumentException(
                        "signal " + s.name() + " would be number " + (signals.size() + 1) + ", above " + MAX_SIGNALS);
            }
            int id = signals.size();
            signals.add(s);
            ids.put(Names.key(s.name()), id);
            for (String a : s.aliases()) {
                ids.put(Names.key(a), id);
            }
        }

        /** Every alias of {@code s} must be unused, or (when overriding) already belong to {@code self}. */
        private void checkAliasesFree(Signal s, int self) {
            for (String a : s.aliases()) {
                Integer owner = ids.get(Names.key(a));
                if (owner != null && owner != self) {
                    throw new IllegalArgumentException(
                            s.name() + ": alias '" + a + "' is already " + describe(owner, a));
                }
            }
        }

        private String describe(int id, String key) {
            Signal s = signals.get(id);
            return (s.name().equalsIgnoreCase(key) ? "the name of " : "an alias of ") + s.name();
        }

        Catalogue build() {
            return new Catalogue(signals, ids);
        }
    }
}
