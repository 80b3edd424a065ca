package io.fleetlog.bench.codec;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.Position;
import io.fleetlog.catalog.Signal;
import io.fleetlog.codec.BatchDecoder;
import io.fleetlog.codec.BatchEncoder;
import io.fleetlog.codec.CodecConfig;
import io.fleetlog.codec.Wire;
import io.fleetlog.codec.WireException;
import io.fleetlog.codec.v2.DecodedFrames;
import io.fleetlog.codec.v2.FrameDecoder;
import io.fleetlog.codec.v2.FrameEncoder;
import io.fleetlog.codec.v2.FrameLayout;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The v1 codec beside the v2 frame codec on the same demo drives ({@link DriveStreams}, 50 Hz, seed 1):
 * bytes per sample (v2: per frame of the 7 built-in signals that carry today's 8 fields — Location is
 * one signal), each stream one connection in batches of 50, default bounds; every v2 value is decoded
 * and checked against its signal's bound. Then throughput in signal values per CPU-second of this
 * thread (v1: 8 field values per sample; v2: 7 signal values per frame), encode and decode, after an
 * equal warm-up; and the same for a 40-signal frame (the 7 plus 33 more built-in signals, each captured
 * in every frame), to show the cost per value does not grow with the frame.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.codec.CodecV2Sizes [seconds]}
 * (default 600 s of capture time per stream; rates measured for 3 s each after 3 s of warm-up).
 */
public final class CodecV2Sizes {
    static final List<String> DEMO_SIGNALS =
            List.of("VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Location", "Elevation");

    /** Frames (samples) per batch, as in CodecBench: one second at 50 Hz. */
    static final int BATCH = 50;

    /** Samples of a connection in the rate runs, as in CodecBench: 10 minutes at 50 Hz. */
    static final int SAMPLES = 30_000;

    private CodecV2Sizes() {}

    static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    public static void main(String[] args) throws WireException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        double rateSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        Catalogue builtin = Catalogue.builtin();
        FrameLayout demo = FrameLayout.ofNames(builtin, DEMO_SIGNALS);
        System.out.println("bytes per sample, default bounds, batches of " + BATCH + ", one connection per stream:");
        System.out.printf(Locale.ROOT, "%-8s %8s %9s %9s %9s%n", "stream", "samples", "v1", "v2", "v2/v1");
        long v1Bytes = 0;
        long v2Bytes = 0;
        long total = 0;
        for (DriveStreams d : DriveStreams.values()) {
            List<Sample> samples = d.samples(seconds * 1000 / DriveStreams.PERIOD_MS, 1);
            long b1 = v1(samples);
            long b2 = v2(demo, samples);
            v1Bytes += b1;
            v2Bytes += b2;
            total += samples.size();
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %8d %9.2f %9.2f %8.1f%%%n",
                    d.name().toLowerCase(Locale.ROOT),
                    samples.size(),
                    (double) b1 / samples.size(),
                    (double) b2 / samples.size(),
                    100.0 * b2 / b1);
        }
        System.out.printf(
                Locale.ROOT,
                "%-8s %8d %9.2f %9.2f %8.1f%%%n",
                "total",
                total,
                (double) v1Bytes / total,
                (double) v2Bytes / total,
                100.0 * v2Bytes / v1Bytes);

        System.out.println();
        System.out.println(
                "signal values per CPU-second of one thread (" + rateSeconds + " s each after as much warm-up):");
        System.out.printf(Locale.ROOT, "%-8s %-24s %14s %14s%n", "stream", "codec", "encode", "decode");
        for (DriveStreams d : DriveStreams.values()) {
            List<Sample> samples = d.samples(SAMPLES, 1);
            String name = d.name().toLowerCase(Locale.ROOT);
            rates(name, "v1 (8 fields)", new V1(samples), rateSeconds);
            rates(name, "v2 (7 signals)", new V2(demo, frames(demo, samples)), rateSeconds);
            FrameLayout wide = wide(builtin);
            rates(name, "v2 (40 signals)", new V2(wide, wideFrames(wide, samples)), rateSeconds);
        }
    }

    // ---- sizes ----

    private static long v1(List<Sample> samples) throws WireException {
        BatchEncoder e = new BatchEncoder(CodecConfig.defaults());
        BatchDecoder dec = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
        long bytes = 0;
        for (List<Sample> b : batches(samples, BATCH)) {
            byte[] m = e.encode(b).bytes();
            dec.decode(m);
            bytes += m.length;
        }
        return bytes;
    }

    private static long v2(FrameLayout layout, List<Sample> samples) throws WireException {
        List<Frame> frames = frames(layout, samples);
        FrameEncoder e = new FrameEncoder(layout);
        FrameDecoder d = new FrameDecoder(layout);
        long bytes = 0;
        for (int i = 0; i < frames.size(); i += BATCH) {
            List<Frame> batch = frames.subList(i, Math.min(frames.size(), i + BATCH));
            byte[] m = e.encode(i, batch).bytes();
            DecodedFrames out = d.decode(m);
            check(layout, batch, out.frames(), i);
            bytes += m.length;
        }
        if (!d.predictorState().equals(e.predictorState())) {
            throw new IllegalStateException("predictors differ");
        }
        return bytes;
    }

    /** The law, on every value: within bound (the codec's own tests prove it; this run shows it on the drive). */
    private static void check(FrameLayout layout, List<Frame> in, List<Frame> out, long seq) {
        Catalogue c = layout.catalogue();
        for (int i = 0; i < in.size(); i++) {
            Frame x = in.get(i);
            Frame r = out.get(i);
            for (int j = 0; j < x.size(); j++) {
                Signal s = c.signal(x.id(j));
                boolean ok = switch (x.kind(j)) {
                    case NUMBER -> s.withinBound(x.number(j), r.number(j));
                    case POSITION -> s.withinBound(x.position(j), r.position(j));
                    default -> true;
                };
                if (!ok || r.size() != x.size()) {
                    throw new IllegalStateException("seq " + (seq + i) + ": " + s.name() + " out of bound");
                }
            }
        }
    }

    static List<Frame> frames(FrameLayout layout, List<Sample> samples) {
        int[] id = new int[DEMO_SIGNALS.size()];
        for (int k = 0; k < id.length; k++) {
            id[k] = layout.catalogue().id(DEMO_SIGNALS.get(k));
        }
        List<Frame> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            out.add(demoFrame(s, id, 7).build());
        }
        return out;
    }

    private static Frame.Builder demoFrame(Sample s, int[] id, int size) {
        return Frame.builder(s.captureTimeMs(), size)
                .number(id[0], s.get(Field.SPEED))
                .number(id[1], s.get(Field.POWER))
                .number(id[2], s.get(Field.SOC))
                .number(id[3], s.get(Field.HEADING))
                .number(id[4], s.get(Field.ODOMETER))
                .position(id[5], new Position(s.get(Field.LATITUDE), s.get(Field.LONGITUDE)))
                .number(id[6], s.get(Field.ELEVATION));
    }

    /** The 7 demo signals and the first 33 other float, integer, enum and boolean signals of the built-in catalogue. */
    public static FrameLayout wide(Catalogue c) {
        List<String> names = new ArrayList<>(DEMO_SIGNALS);
        for (Signal s : c.signals()) {
            if (names.size() == 40) {
                break;
            }
            if (!names.contains(s.name())
                    && !(s.type() instanceof io.fleetlog.catalog.StringType)
                    && !(s.type() instanceof io.fleetlog.catalog.LocationType)) {
                names.add(s.name());
            }
        }
        return FrameLayout.ofNames(c, names);
    }

    /** Demo frames plus 33 slowly varying values: floats drift inside their bound, the exact ones change now and then. */
    public static List<Frame> wideFrames(FrameLayout layout, List<Sample> samples) {
        Catalogue c = layout.catalogue();
        int[] id = new int[DEMO_SIGNALS.size()];
        for (int k = 0; k < id.length; k++) {
            id[k] = c.id(DEMO_SIGNALS.get(k));
        }
        List<Frame> out = new ArrayList<>(samples.size());
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (Sample s : samples) {
            Frame.Builder b = demoFrame(s, id, 40);
            for (int slot = 0; slot < layout.size(); slot++) {
                int sid = layout.id(slot);
                if (DEMO_SIGNALS.contains(c.signal(sid).name())) {
                    continue;
                }
                switch (c.signal(sid).type()) {
                    case io.fleetlog.catalog.FloatType f -> {
                        double mid = f.circular() ? 180 : (Math.max(f.min(), -1000) + Math.min(f.max(), 1000)) / 2;
                        b.number(sid, mid + Math.sin(s.seq() / 500.0 + slot) * Math.min(10, (f.max() - f.min()) / 4));
                    }
                    case io.fleetlog.catalog.IntegerType t ->
                        b.integer(sid, Math.max(t.min(), Math.min(t.max(), s.seq() / 3000)));
                    case io.fleetlog.catalog.EnumType e ->
                        b.integer(
                                sid,
                                e.values()
                                        .get((int) (s.seq() / 5000 % e.values().size()))
                                        .code());
                    case io.fleetlog.catalog.BooleanType bo -> b.bool(sid, (s.seq() / 4000) % 2 == 0);
                    default -> {}
                }
            }
            out.add(b.build());
        }
        return out;
    }

    // ---- rates ----

    interface Connection {
        /** Encodes (or decodes) one whole connection; returns the signal values coded. */
        long encode();

        long decode() throws WireException;
    }

    private record V1(List<List<Sample>> batches, byte[][] messages) implements Connection {
        V1(List<Sample> samples) {
            this(CodecV2Sizes.batches(samples, BATCH), null);
        }

        @Override
        public long encode() {
            BatchEncoder e = new BatchEncoder(CodecConfig.defaults());
            long n = 0;
            for (List<Sample> b : batches) {
                n += e.encode(b).samples() * (long) Field.COUNT;
            }
            return n;
        }

        @Override
        public long decode() throws WireException {
            BatchEncoder e = new BatchEncoder(CodecConfig.defaults());
            List<byte[]> m = new ArrayList<>();
            for (List<Sample> b : batches) {
                m.add(e.encode(b).bytes());
            }
            return decodeAll(m);
        }

        long decodeAll(List<byte[]> m) throws WireException {
            BatchDecoder d = new BatchDecoder(Wire.DEFAULT_MAX_BATCH_SAMPLES);
            long n = 0;
            for (byte[] x : m) {
                n += d.decode(x).samples().size() * (long) Field.COUNT;
            }
            return n;
        }
    }

    private static final class V2 implements Connection {
        private final FrameLayout layout;
        private final List<List<Frame>> batches = new ArrayList<>();
        private final List<byte[]> messages = new ArrayList<>();

        V2(FrameLayout layout, List<Frame> frames) {
            this.layout = layout;
            for (int i = 0; i < frames.size(); i += BATCH) {
                batches.add(frames.subList(i, Math.min(frames.size(), i + BATCH)));
            }
            FrameEncoder e = new FrameEncoder(layout);
            long seq = 0;
            for (List<Frame> b : batches) {
                messages.add(e.encode(seq, b).bytes());
                seq += b.size();
            }
        }

        @Override
        public long encode() {
            FrameEncoder e = new FrameEncoder(layout);
            long seq = 0;
            long n = 0;
            for (List<Frame> b : batches) {
                n += e.encode(seq, b).values();
                seq += b.size();
            }
            return n;
        }

        @Override
        public long decode() throws WireException {
            FrameDecoder d = new FrameDecoder(layout);
            long n = 0;
            for (byte[] m : messages) {
                n += d.decode(m).values();
            }
            return n;
        }
    }

    private static void rates(String stream, String codec, Connection c, double seconds) throws WireException {
        double enc = rate(seconds, c::encode);
        double dec;
        if (c instanceof V1 v1) {
            BatchEncoder e = new BatchEncoder(CodecConfig.defaults());
            List<byte[]> m = new ArrayList<>();
            for (List<Sample> b : v1.batches()) {
                m.add(e.encode(b).bytes());
            }
            dec = rate(seconds, () -> v1.decodeAll(m));
        } else {
            dec = rate(seconds, c::decode);
        }
        System.out.printf(Locale.ROOT, "%-8s %-24s %,14.0f %,14.0f%n", stream, codec, enc, dec);
    }

    interface Work {
        long run() throws WireException;
    }

    /** Values per CPU-second of this thread, after {@code seconds} of warm-up. */
    private static double rate(double seconds, Work w) throws WireException {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
            sink += w.run();
        }
        long values = 0;
        long cpu0 = t.getCurrentThreadCpuTime();
        for (long end = System.nanoTime() + (long) (seconds * 1e9); System.nanoTime() < end; ) {
            values += w.run();
        }
        double cpu = (t.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        return values / cpu;
    }
}
