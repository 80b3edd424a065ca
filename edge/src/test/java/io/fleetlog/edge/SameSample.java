package io.fleetlog.edge;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.Signal;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;

/**
 * The test servers' version of the real server's resend check: a resend of a stored seq is the same
 * frame when its capture time and captured signals are equal, exact values equal, and every float or
 * location within twice its signal's effective bound (both are reconstructions of one captured value,
 * each within the bound) plus a wire step.
 */
public final class SameSample {
    private static final Catalogue CATALOGUE = Catalogue.builtin();

    private SameSample() {}

    public static boolean same(Sample stored, Sample resent) {
        return same(CATALOGUE, stored.frame(), resent.frame());
    }

    public static boolean same(Catalogue cat, Frame a, Frame b) {
        if (a.timeMs() != b.timeMs() || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.id(i) != b.id(i) || a.kind(i) != b.kind(i)) {
                return false;
            }
            Signal s = cat.signal(a.id(i));
            boolean ok = switch (a.kind(i)) {
                case NUMBER -> s.distance(a.number(i), b.number(i)) <= 2 * s.effectiveBound() + 1e-9;
                case POSITION -> s.distance(a.position(i), b.position(i)) <= 2 * s.effectiveBound() + 1e-6;
                case INTEGER -> a.integer(i) == b.integer(i);
                case STRING -> a.string(i).equals(b.string(i));
                case UNAVAILABLE -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code reconstructed} is not {@code captured} under the catalogue's law (every captured
     * signal present with its kind, floats and locations within their effective bound, the rest
     * equal), or null when it is.
     */
    public static String lawBroken(Catalogue cat, Frame captured, Frame reconstructed) {
        if (captured.timeMs() != reconstructed.timeMs()) {
            return "time " + captured.timeMs() + " became " + reconstructed.timeMs();
        }
        if (captured.size() != reconstructed.size()) {
            return captured.size() + " captured signals became " + reconstructed.size();
        }
        for (int i = 0; i < captured.size(); i++) {
            Signal s = cat.signal(captured.id(i));
            if (captured.id(i) != reconstructed.id(i) || captured.kind(i) != reconstructed.kind(i)) {
                return s.name() + ": entry " + i + " differs in id or kind";
            }
            boolean ok = switch (captured.kind(i)) {
                case NUMBER -> s.withinBound(captured.number(i), reconstructed.number(i));
                case POSITION -> s.withinBound(captured.position(i), reconstructed.position(i));
                case INTEGER -> captured.integer(i) == reconstructed.integer(i);
                case STRING -> captured.string(i).equals(reconstructed.string(i));
                case UNAVAILABLE -> true;
            };
            if (!ok) {
                return s.name() + ": " + captured + " became " + reconstructed;
            }
        }
        return null;
    }
}
