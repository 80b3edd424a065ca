package io.fleetlog.server.ingest;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.SampleStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a resend with what is stored (issue 12 item 3), for one connection. A frame the server
 * acknowledged must be stored at the same seq with the same capture time and the same captured
 * signals; each value of an exact signal (integer, enum, boolean, string) equal, each float and
 * location within {@link #tolerance} of the stored one, unavailable where the stored one is
 * unavailable. Omitted marks are not compared (a reconnect restarts the predictors, so a resend may
 * send what the original omitted). Reads only the resent seq range ({@link SampleStore#stored}); in
 * normal operation nothing is resent, so nothing is read. Not thread-safe (one connection's handler);
 * throws what the store throws.
 */
final class ResendCheck {
    private final SampleStore store;
    private final String vin;
    private final Catalogue catalogue;

    /** @param catalogue the connection's catalogue (it extends the one the stored frames were written with) */
    ResendCheck(SampleStore store, String vin, Catalogue catalogue) {
        this.store = store;
        this.vin = vin;
        this.catalogue = catalogue;
    }

    /**
     * How far a resend's reconstruction of a bounded signal may differ from the stored one: each is
     * within the signal's effective bound of the captured value, so twice that (a small epsilon for
     * floating-point rounding); 0 for an exact signal.
     */
    static double tolerance(Signal s) {
        return s.exact() ? 0 : 2 * s.effectiveBound() * (1 + 1e-9) + 1e-9;
    }

    /**
     * Compares the part of {@code d} at or below {@code storedUpTo} (the stored seq at Welcome) with
     * the store. Returns what differs first, with the numbers, or null when the resend agrees.
     */
    String compare(DecodedFrames d, long storedUpTo) {
        List<Frame> in = d.frames();
        int n = (int) (Math.min(d.lastSeq(), storedUpTo) - d.firstSeq() + 1);
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            minT = Math.min(minT, in.get(i).timeMs());
            maxT = Math.max(maxT, in.get(i).timeMs());
        }
        Map<Long, Frame> stored = new HashMap<>();
        for (Sample s : store.stored(vin, d.firstSeq(), d.firstSeq() + n - 1, minT, maxT)) {
            stored.put(s.seq(), s.frame());
        }
        for (int i = 0; i < n; i++) {
            long seq = d.firstSeq() + i;
            Frame x = in.get(i);
            Frame s = stored.get(seq);
            if (s == null || s.timeMs() != x.timeMs()) {
                return "seq " + seq + " captured at " + x.timeMs() + " ms: the server holds no frame of"
                        + " that seq at that time (another capture time, a recorded gap, or purged) though it stored"
                        + " up to " + storedUpTo;
            }
            String differs = differs(seq, x, s);
            if (differs != null) {
                return differs;
            }
        }
        return null;
    }

    private String differs(long seq, Frame x, Frame s) {
        for (int i = 0; i < x.size(); i++) {
            if (s.indexOf(x.id(i)) < 0) {
                return "seq " + seq + ": " + name(x.id(i)) + " is captured in the resend but not in the stored frame";
            }
        }
        for (int i = 0; i < s.size(); i++) {
            if (x.indexOf(s.id(i)) < 0) {
                return "seq " + seq + ": " + name(s.id(i)) + " is captured in the stored frame but not in the resend";
            }
        }
        for (int i = 0; i < x.size(); i++) { // same ids in the same (ascending) order now
            String d = differs(catalogue.signal(x.id(i)), x, i, s);
            if (d != null) {
                return "seq " + seq + ": " + d;
            }
        }
        return null;
    }

    /** Entry {@code i} of both frames (same id), or null when they agree. */
    private static String differs(Signal sig, Frame x, int i, Frame s) {
        Frame.Kind kx = x.kind(i);
        Frame.Kind ks = s.kind(i);
        String name = sig.name();
        if (kx != ks) {
            return name + " is " + value(x, i) + " but the stored value is " + value(s, i);
        }
        double tol = tolerance(sig);
        boolean same = switch (kx) {
            case NUMBER ->
                sig.type() instanceof io.fleetlog.catalog.FloatType
                        ? sig.distance(x.number(i), s.number(i)) <= tol
                        : Double.compare(x.number(i), s.number(i)) == 0;
            case INTEGER -> x.integer(i) == s.integer(i);
            case POSITION -> LocationType.distanceMetres(x.position(i), s.position(i)) <= tol;
            case STRING -> x.string(i).equals(s.string(i));
            case UNAVAILABLE -> true;
        };
        if (same) {
            return null;
        }
        return name + " " + value(x, i) + " differs from the stored " + value(s, i)
                + (tol > 0 ? " by more than " + Math.round(tol * 1e6) / 1e6 : "");
    }

    private static String value(Frame f, int i) {
        return switch (f.kind(i)) {
            case NUMBER -> Double.toString(f.number(i));
            case INTEGER -> Long.toString(f.integer(i));
            case POSITION -> "(" + f.latitude(i) + ", " + f.longitude(i) + ")";
            case STRING -> "'" + LogSafe.of(f.string(i)) + "'";
            case UNAVAILABLE -> "unavailable";
        };
    }

    private String name(int id) {
        return id < catalogue.size() ? catalogue.signal(id).name() : "signal " + id;
    }
}
