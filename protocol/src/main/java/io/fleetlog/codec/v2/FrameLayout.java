package io.fleetlog.codec.v2;

import io.fleetlog.catalog.Catalogue;
import java.util.Arrays;
import java.util.List;

/**
 * The signals one connection's frames may carry: a catalogue and a strictly ascending list of its
 * signal ids (a signal's place in the list is its <i>slot</i>). The Hello names both; the bitmaps of
 * every frame on the wire are over the slots, so a layout of 8 signals costs one byte per bitmap.
 * Immutable and thread-safe; share one instance between connections with the same layout.
 */
public final class FrameLayout {
    private final Catalogue catalogue;
    private final int[] ids;
    private final int[] slotById;

    private FrameLayout(Catalogue catalogue, int[] ids) {
        this.catalogue = catalogue;
        this.ids = ids;
        this.slotById = new int[ids.length == 0 ? 0 : ids[ids.length - 1] + 1];
        Arrays.fill(slotById, -1);
        for (int s = 0; s < ids.length; s++) {
            slotById[ids[s]] = s;
        }
    }

    /** Every signal of the catalogue, in id order (what an empty layout in a Hello means). */
    public static FrameLayout all(Catalogue catalogue) {
        int[] ids = new int[catalogue.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return new FrameLayout(catalogue, ids);
    }

    /**
     * The signals with these ids.
     *
     * @throws IllegalArgumentException if the ids are not strictly ascending or not in the catalogue
     */
    public static FrameLayout of(Catalogue catalogue, int... ids) {
        int[] copy = ids.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] < 0 || copy[i] >= catalogue.size()) {
                throw new IllegalArgumentException("layout entry " + i + ": signal id " + copy[i] + " is outside 0.."
                        + (catalogue.size() - 1) + " (catalogue " + catalogue.shortId() + ")");
            }
            if (i > 0 && copy[i] <= copy[i - 1]) {
                throw new IllegalArgumentException("layout entry " + i + ": signal id " + copy[i] + " does not follow "
                        + copy[i - 1] + " (a layout lists ids strictly ascending)");
            }
        }
        return new FrameLayout(catalogue, copy);
    }

    /** The signals with these names or aliases (any order; duplicates are refused). */
    public static FrameLayout ofNames(Catalogue catalogue, List<String> names) {
        int[] ids = names.stream().mapToInt(catalogue::id).sorted().toArray();
        return of(catalogue, ids);
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    /** Number of slots. */
    public int size() {
        return ids.length;
    }

    /** The catalogue id of the signal in {@code slot}. */
    public int id(int slot) {
        return ids[slot];
    }

    /** The slot of signal {@code id}, or -1 when the layout does not carry it. */
    public int slot(int id) {
        return id >= 0 && id < slotById.length ? slotById[id] : -1;
    }

    /** The ids, ascending (a copy). */
    public int[] ids() {
        return ids.clone();
    }

    /** Whether this layout is every signal of its catalogue (sent as an empty list in a Hello). */
    public boolean isAll() {
        return ids.length == catalogue.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameLayout l && l.catalogue.equals(catalogue) && Arrays.equals(l.ids, ids);
    }

    @Override
    public int hashCode() {
        return catalogue.hashCode() * 31 + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "FrameLayout[" + catalogue.shortId() + ", " + ids.length + " of " + catalogue.size() + " signals]";
    }
}
