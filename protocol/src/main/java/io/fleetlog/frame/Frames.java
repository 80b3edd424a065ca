package io.fleetlog.frame;

/** Operations over several frames. */
public final class Frames {

    private Frames() {}

    /**
     * The newest known value of every signal: {@code newer}'s entries, plus {@code older}'s for the
     * signals {@code newer} did not capture; the capture time is {@code newer}'s. Omitted marks are
     * kept. {@code older} may be null.
     */
    public static Frame overlay(Frame older, Frame newer) {
        if (older == null || older.isEmpty()) {
            return newer;
        }
        Frame.Builder b = Frame.builder(newer.timeMs(), older.size() + newer.size());
        int i = 0;
        int j = 0;
        while (i < older.size() || j < newer.size()) {
            boolean takeNewer = j < newer.size() && (i >= older.size() || newer.id(j) <= older.id(i));
            if (takeNewer) {
                if (i < older.size() && older.id(i) == newer.id(j)) {
                    i++; // replaced
                }
                copy(b, newer, j++);
            } else {
                copy(b, older, i++);
            }
        }
        return b.build();
    }

    /**
     * The newest value of every signal over {@code frames} (in capture order), at the last frame's time:
     * what {@link #overlay} gives folded over the list, built once. Null for an empty list.
     */
    public static Frame latest(java.util.List<Frame> frames) {
        if (frames.isEmpty()) {
            return null;
        }
        Frame last = frames.get(frames.size() - 1);
        if (frames.size() == 1) {
            return last;
        }
        java.util.BitSet seen = new java.util.BitSet();
        Frame.Builder b = Frame.builder(last.timeMs(), last.size());
        for (int k = frames.size() - 1; k >= 0; k--) {
            Frame f = frames.get(k);
            for (int i = 0; i < f.size(); i++) {
                if (!seen.get(f.id(i))) {
                    seen.set(f.id(i));
                    copy(b, f, i);
                }
            }
        }
        return b.build();
    }

    /** The same entries (omitted marks included) at capture time {@code timeMs}. */
    public static Frame retimed(Frame f, long timeMs) {
        Frame.Builder b = Frame.builder(timeMs, f.size());
        for (int i = 0; i < f.size(); i++) {
            copy(b, f, i);
        }
        return b.build();
    }

    /** Adds entry {@code i} of {@code f} to {@code b}, omitted mark included. */
    public static void copy(Frame.Builder b, Frame f, int i) {
        int id = f.id(i);
        switch (f.kind(i)) {
            case NUMBER -> b.number(id, f.number(i));
            case INTEGER -> b.integer(id, f.integer(i));
            case POSITION -> b.position(id, f.latitude(i), f.longitude(i));
            case STRING -> b.string(id, f.string(i));
            case UNAVAILABLE -> b.unavailable(id);
        }
        if (f.omitted(i)) {
            b.omitted();
        }
    }
}
