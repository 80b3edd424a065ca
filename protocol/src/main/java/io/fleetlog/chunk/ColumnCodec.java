package io.fleetlog.chunk;

import static io.fleetlog.chunk.FrameChunk.PREDICTED;
import static io.fleetlog.chunk.FrameChunk.QUANTISED;
import static io.fleetlog.chunk.FrameChunk.RAW;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One signal's column: presence runs over the chunk's rows, kind runs over its entries, then per kind
 * its values (see docs/chunks.md, "Columns"). Stateless.
 */
final class ColumnCodec {

    private ColumnCodec() {}

    static void write(ChunkOut out, Catalogue cat, FrameChunk.Column col, Sample[] frames, int n) {
        int p = col.size;
        int[] present = new int[n];
        int[] kinds = new int[p];
        int[] count = new int[Frame.Kind.values().length];
        for (int j = 0; j < p; j++) {
            present[col.rows[j]] = 1;
            Frame f = frames[col.rows[j]].frame();
            kinds[j] = FrameChunk.kindSymbol(f, col.entries[j]);
            count[FrameChunk.kindOf(kinds[j]).ordinal()]++;
        }
        out.runs(present, n);
        out.runs(kinds, p);
        Values v = new Values(count);
        FloatType ft = FrameChunk.floatType(cat, col.id);
        LocationType lt = FrameChunk.locationType(cat, col.id);
        Smoother num = new Smoother(ft != null && ft.circular() ? Smoother.Shape.ANGLE : Smoother.Shape.FLOAT);
        Smoother pos = new Smoother(Smoother.Shape.LOCATION);
        Map<String, Integer> dict = new HashMap<>();
        List<String> words = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            Frame f = frames[col.rows[j]].frame();
            int i = col.entries[j];
            boolean omitted = f.omitted(i);
            switch (f.kind(i)) {
                case NUMBER -> v.number(f.number(i), omitted, ft, num);
                case INTEGER -> v.ints[v.ni++] = f.integer(i);
                case POSITION -> v.position(f.latitude(i), f.longitude(i), omitted, lt, pos);
                case STRING -> {
                    String s = f.string(i);
                    Integer k = dict.get(s);
                    if (k == null) {
                        if (FrameChunk.utf8(s).length > FrameChunk.MAX_STRING_BYTES) {
                            throw new IllegalArgumentException("seq " + frames[col.rows[j]].seq() + ": signal " + col.id
                                    + " string is longer than " + FrameChunk.MAX_STRING_BYTES + " bytes");
                        }
                        k = words.size();
                        dict.put(s, k);
                        words.add(s);
                    }
                    v.strs[v.ns++] = k;
                }
                case UNAVAILABLE -> {
                    num.forget();
                    pos.forget();
                }
            }
        }
        v.write(out, words);
    }

    /** The values of one column by kind, in row order, as they are stored. */
    private static final class Values {
        final int[] numModes;
        final long[] numRaw;
        final long[] numUnits;
        int nn, nr, nq;
        int predicted; // numbers stored as the prediction
        final long[] ints;
        int ni;
        final int[] posModes;
        final long[] posRaw;
        final long[] latUnits;
        final long[] lonUnits;
        int np, npr, npq;
        final long[] strs;
        int ns;

        Values(int[] count) {
            int numbers = count[Frame.Kind.NUMBER.ordinal()];
            int positions = count[Frame.Kind.POSITION.ordinal()];
            numModes = new int[numbers];
            numRaw = new long[numbers];
            numUnits = new long[numbers];
            ints = new long[count[Frame.Kind.INTEGER.ordinal()]];
            posModes = new int[positions];
            posRaw = new long[positions * 2];
            latUnits = new long[positions];
            lonUnits = new long[positions];
            strs = new long[count[Frame.Kind.STRING.ordinal()]];
        }

        void number(double x, boolean omitted, FloatType ft, Smoother sm) {
            boolean predicted = sm.predicts(x);
            long u = ft == null ? 0 : units(ft, x);
            boolean quantised = ft != null && u != Long.MIN_VALUE;
            int mode = omitted && predicted ? PREDICTED : quantised ? QUANTISED : predicted ? PREDICTED : RAW;
            numModes[nn++] = mode;
            switch (mode) {
                case QUANTISED -> numUnits[nq++] = u;
                case RAW -> numRaw[nr++] = Double.doubleToRawLongBits(x);
                default -> {}
            }
            if (mode == RAW && omitted) {
                sm.p = x; // an omitted value is the prediction: resynchronise
            }
            sm.update(x, 0);
        }

        void position(double lat, double lon, boolean omitted, LocationType lt, Smoother sm) {
            boolean predicted = sm.predicts(lat, lon);
            long ulat = lt == null ? Long.MIN_VALUE : units(lt, lat);
            long ulon = lt == null ? Long.MIN_VALUE : units(lt, lon);
            boolean quantised = ulat != Long.MIN_VALUE && ulon != Long.MIN_VALUE;
            int mode = omitted && predicted ? PREDICTED : quantised ? QUANTISED : predicted ? PREDICTED : RAW;
            posModes[np++] = mode;
            switch (mode) {
                case QUANTISED -> {
                    latUnits[npq] = ulat;
                    lonUnits[npq++] = ulon;
                }
                case RAW -> {
                    posRaw[npr++] = Double.doubleToRawLongBits(lat);
                    posRaw[npr++] = Double.doubleToRawLongBits(lon);
                }
                default -> {}
            }
            if (mode == RAW && omitted) {
                sm.p = lat;
                sm.q = lon;
            }
            sm.update(lat, lon);
        }

        void write(ChunkOut out, List<String> words) {
            if (nn > 0) {
                out.runs(numModes, nn);
                for (int i = 0; i < nr; i++) {
                    out.long8(numRaw[i]);
                }
                out.series(numUnits, nq);
            }
            out.series(ints, ni);
            if (np > 0) {
                out.runs(posModes, np);
                for (int i = 0; i < npr; i++) {
                    out.long8(posRaw[i]);
                }
                out.series(latUnits, npq);
                out.series(lonUnits, npq);
            }
            if (ns > 0) {
                out.varint(words.size());
                for (String w : words) {
                    byte[] b = FrameChunk.utf8(w);
                    out.varint(b.length);
                    out.bytes(b);
                }
                out.packed(strs, 0, ns);
            }
        }
    }

    /** The wire units of {@code x} when they give back exactly {@code x}, else Long.MIN_VALUE. */
    static long units(FloatType ft, double x) {
        if (!ft.inRange(x)) {
            return Long.MIN_VALUE;
        }
        long u = ft.toUnits(x);
        return Double.doubleToRawLongBits(ft.fromUnits(u)) == Double.doubleToRawLongBits(x) ? u : Long.MIN_VALUE;
    }

    static long units(LocationType lt, double x) {
        if (!(x >= -180 && x <= 180)) {
            return Long.MIN_VALUE;
        }
        long u = lt.toUnits(x);
        return Double.doubleToRawLongBits(lt.fromUnits(u)) == Double.doubleToRawLongBits(x) ? u : Long.MIN_VALUE;
    }

    /**
     * Reads signal {@code id}'s column into the rows' builders; returns its entry count.
     *
     * @param budget entries the chunk may still hold
     */
    static int read(ChunkIn in, Catalogue cat, int id, Frame.Builder[] rows, long budget) throws ChunkFormatException {
        int n = rows.length;
        String name = "signal " + id;
        int[] present = in.presentRows(n, budget, name + " presence");
        int p = present.length;
        int[] kinds = in.runs(p, FrameChunk.maxKindSymbol(), name + " kinds");
        int[] count = new int[Frame.Kind.values().length];
        for (int k : kinds) {
            if ((k & 0x7f) >= count.length) {
                throw in.error(name + ": unknown entry kind " + (k & 0x7f));
            }
            count[k & 0x7f]++;
        }
        Stored s = Stored.read(in, name, count);
        FloatType ft = FrameChunk.floatType(cat, id);
        LocationType lt = FrameChunk.locationType(cat, id);
        Smoother num = new Smoother(ft != null && ft.circular() ? Smoother.Shape.ANGLE : Smoother.Shape.FLOAT);
        Smoother pos = new Smoother(Smoother.Shape.LOCATION);
        for (int j = 0; j < p; j++) {
            int row = present[j];
            int sym = kinds[j];
            boolean omitted = FrameChunk.omitted(sym);
            Frame.Builder b = rows[row];
            switch (FrameChunk.kindOf(sym)) {
                case NUMBER -> b.number(id, s.number(in, name, omitted, ft, num));
                case INTEGER -> b.integer(id, s.ints[s.ni++]);
                case POSITION -> {
                    double[] ll = s.position(in, name, omitted, lt, pos);
                    b.position(id, ll[0], ll[1]);
                }
                case STRING -> b.string(id, s.words[(int) s.strs[s.ns++]]);
                case UNAVAILABLE -> {
                    b.unavailable(id);
                    num.forget();
                    pos.forget();
                }
            }
            if (omitted) {
                b.omitted();
            }
        }
        return p;
    }

    /** The stored values of one column, read; consumed in row order. */
    private static final class Stored {
        int[] numModes;
        long[] numRaw;
        long[] numUnits;
        int nn, nr, nq;
        int predicted; // numbers stored as the prediction
        long[] ints;
        int ni;
        int[] posModes;
        long[] posRaw;
        long[] latUnits;
        long[] lonUnits;
        int np, npr, npq;
        String[] words;
        long[] strs;
        int ns;

        static Stored read(ChunkIn in, String name, int[] count) throws ChunkFormatException {
            Stored s = new Stored();
            int numbers = count[Frame.Kind.NUMBER.ordinal()];
            s.numModes = in.runs(numbers, RAW, name + " number modes");
            s.predicted = countOf(s.numModes, PREDICTED);
            s.numRaw = raw(in, name, s.numModes, 1);
            s.numUnits = in.series(countOf(s.numModes, QUANTISED), name + " numbers");
            s.ints = in.series(count[Frame.Kind.INTEGER.ordinal()], name + " integers");
            int positions = count[Frame.Kind.POSITION.ordinal()];
            s.posModes = in.runs(positions, RAW, name + " position modes");
            s.posRaw = raw(in, name, s.posModes, 2);
            int q = countOf(s.posModes, QUANTISED);
            s.latUnits = in.series(q, name + " latitudes");
            s.lonUnits = in.series(q, name + " longitudes");
            int strings = count[Frame.Kind.STRING.ordinal()];
            if (strings > 0) {
                int d = in.count(strings, name + " dictionary size");
                s.words = new String[d];
                for (int i = 0; i < d; i++) {
                    s.words[i] = in.utf8(FrameChunk.MAX_STRING_BYTES, name + " string " + i);
                }
                s.strs = in.packed(strings, name + " string indexes");
                for (long k : s.strs) {
                    if (Long.compareUnsigned(k, d) >= 0) {
                        throw in.error(name + ": string index " + Long.toUnsignedString(k) + " is past the " + d
                                + " strings of the dictionary");
                    }
                }
            }
            return s;
        }

        private static int countOf(int[] modes, int mode) {
            int c = 0;
            for (int m : modes) {
                c += m == mode ? 1 : 0;
            }
            return c;
        }

        private static long[] raw(ChunkIn in, String name, int[] modes, int per) throws ChunkFormatException {
            int k = countOf(modes, RAW) * per;
            if ((long) k * 8 > in.left()) {
                throw in.error(name + ": " + k + " raw values need " + 8L * k + " bytes, " + in.left() + " left");
            }
            long[] v = new long[k];
            for (int i = 0; i < k; i++) {
                v[i] = in.long8();
            }
            return v;
        }

        double number(ChunkIn in, String name, boolean omitted, FloatType ft, Smoother sm) throws ChunkFormatException {
            double x;
            int mode = numModes[nn++];
            switch (mode) {
                case QUANTISED -> {
                    if (ft == null) {
                        throw in.error(name + ": wire units stored for a signal that is not a float in the catalogue");
                    }
                    x = ft.fromUnits(numUnits[nq++]);
                }
                case PREDICTED -> {
                    if (!sm.known()) {
                        throw in.error(name + ": a predicted value without a prediction");
                    }
                    x = sm.p;
                }
                default -> x = Double.longBitsToDouble(numRaw[nr++]);
            }
            if (!Double.isFinite(x)) {
                throw in.error(name + ": " + x + " is not a value");
            }
            if (predicted > 0) { // the prediction is read only by a PREDICTED value: none, no smoothing
                if (mode == RAW && omitted) {
                    sm.p = x;
                }
                sm.update(x, 0);
            }
            return x;
        }

        double[] position(ChunkIn in, String name, boolean omitted, LocationType lt, Smoother sm)
                throws ChunkFormatException {
            double lat;
            double lon;
            int mode = posModes[np++];
            switch (mode) {
                case QUANTISED -> {
                    if (lt == null) {
                        throw in.error(
                                name + ": wire units stored for a signal that is not a location in the catalogue");
                    }
                    lat = lt.fromUnits(latUnits[npq]);
                    lon = lt.fromUnits(lonUnits[npq++]);
                }
                case PREDICTED -> {
                    if (!sm.known()) {
                        throw in.error(name + ": a predicted position without a prediction");
                    }
                    lat = sm.p;
                    lon = sm.q;
                }
                default -> {
                    lat = Double.longBitsToDouble(posRaw[npr++]);
                    lon = Double.longBitsToDouble(posRaw[npr++]);
                }
            }
            if (!Double.isFinite(lat) || !Double.isFinite(lon)) {
                throw in.error(name + ": position " + lat + ", " + lon + " is not a value");
            }
            if (mode == RAW && omitted) {
                sm.p = lat;
                sm.q = lon;
            }
            sm.update(lat, lon);
            return new double[] {lat, lon};
        }
    }
}
