package io.fleetlog.codec.v2;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.EnumType;
import io.fleetlog.catalog.FloatType;
import io.fleetlog.catalog.IntegerType;
import io.fleetlog.catalog.LocationType;
import io.fleetlog.catalog.Signal;
import io.fleetlog.catalog.StringType;
import io.fleetlog.frame.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated connection over a catalogue: a layout (a random subset of the signals), per signal a
 * capture rate (every frame, every k-th, at random, or on change) and a value process of its type
 * (walks, steps, noise near the bound, the range's extremes, angles crossing 0/360, locations near the
 * poles and across the antimeridian, sticky enums and booleans, unicode strings up to their maxlength,
 * unavailable stretches), capture times (50 Hz, jittered, irregular, long jumps, backwards, repeated),
 * a keyframe interval, and the frames split into batches with occasional declared gaps.
 */
final class FrameStreams {

    /** One batch to send: its first seq, its frames and the gap it declares. */
    record Planned(long firstSeq, List<Frame> frames, Gap gap) {}

    /** A whole connection. */
    record Case(FrameLayout layout, Duration keyframeInterval, List<Planned> batches, long seed) {
        @Override
        public String toString() {
            int frames = batches.stream().mapToInt(b -> b.frames().size()).sum();
            return "Case[seed=" + seed + ", " + layout + ", keyframe " + keyframeInterval + ", " + batches.size()
                    + " batches, " + frames + " frames]";
        }
    }

    private FrameStreams() {}

    static Case generate(Catalogue c, long seed, int maxFrames) {
        SplittableRandom r = new SplittableRandom(seed);
        FrameLayout layout = layout(c, r);
        int n = 1 + r.nextInt(maxFrames);
        Duration key = switch (r.nextInt(5)) {
            case 0 -> Duration.ofMillis(1);
            case 1 -> Duration.ofSeconds(1);
            case 2 -> Duration.ofHours(1);
            default -> FrameEncoder.DEFAULT_KEYFRAME_INTERVAL;
        };
        Source[] sources = new Source[layout.size()];
        for (int s = 0; s < sources.length; s++) {
            sources[s] = new Source(c.signal(layout.id(s)), r.split());
        }
        long t = 1_700_000_000_000L + r.nextLong(1_000_000_000L);
        int timing = r.nextInt(5);
        List<Frame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            t += switch (timing) {
                case 0 -> 20;
                case 1 -> 15 + r.nextInt(11);
                case 2 -> r.nextInt(10) == 0 ? r.nextInt(45_000) : 20;
                case 3 -> r.nextInt(20) == 0 ? -r.nextInt(5_000) : r.nextInt(3) == 0 ? 0 : 20;
                default -> r.nextInt(2_000);
            };
            Frame.Builder b = Frame.builder(t);
            for (int s = 0; s < sources.length; s++) {
                sources[s].next(b, layout.id(s), i);
            }
            frames.add(b.build());
        }
        List<Planned> batches = new ArrayList<>();
        long seq = r.nextInt(3) == 0 ? 0 : r.nextLong(1L << 40);
        int i = 0;
        while (i < n) {
            int size = 1 + r.nextInt(Math.min(n - i, r.nextBoolean() ? 5 : 60));
            Gap gap = Gap.NONE;
            if (i > 0 && r.nextInt(8) == 0) {
                long jump = 1 + r.nextInt(1000);
                gap = r.nextBoolean() ? Gap.dropped(jump + r.nextInt(3)) : Gap.corrupt(jump);
                seq += jump;
            }
            batches.add(new Planned(seq, List.copyOf(frames.subList(i, i + size)), gap));
            seq += size;
            i += size;
        }
        return new Case(layout, key, batches, seed);
    }

    private static FrameLayout layout(Catalogue c, SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return FrameLayout.all(c);
        }
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < c.size(); id++) {
            if (r.nextBoolean()) {
                ids.add(id);
            }
        }
        return FrameLayout.of(c, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** One signal's capture rate and value process. */
    private static final class Source {
        private final Signal signal;
        private final SplittableRandom r;
        private final int rate; // 0 every frame, k > 0 every k-th frame, -1 at random, -2 on change
        private final int phase;
        private final int mode;
        private final double unavailableChance;
        private boolean unavailable;
        private double x = Double.NaN;
        private double y;
        private long v;
        private String str;
        private boolean changed = true;

        Source(Signal signal, SplittableRandom r) {
            this.signal = signal;
            this.r = r;
            rate = switch (r.nextInt(5)) {
                case 0, 1 -> 0;
                case 2 -> 1 + r.nextInt(50);
                case 3 -> -1;
                default -> -2;
            };
            phase = r.nextInt(50);
            mode = r.nextInt(6);
            unavailableChance = r.nextInt(3) == 0 ? r.nextDouble() * 0.3 : 0;
        }

        void next(Frame.Builder b, int id, int i) {
            step();
            boolean capture = switch (rate) {
                case 0 -> true;
                case -1 -> r.nextInt(3) == 0;
                case -2 -> changed;
                default -> (i + phase) % rate == 0;
            };
            if (!capture) {
                return;
            }
            changed = false;
            if (unavailableChance > 0 && r.nextDouble() < unavailableChance) {
                unavailable = !unavailable;
            }
            if (unavailable) {
                b.unavailable(id);
                return;
            }
            switch (signal.type()) {
                case FloatType f -> b.number(id, x);
                case LocationType l -> b.position(id, x, y);
                case StringType s -> b.string(id, str);
                default -> b.integer(id, v);
            }
        }

        private void step() {
            switch (signal.type()) {
                case FloatType f -> stepFloat(f);
                case LocationType l -> stepLocation();
                case IntegerType t -> {
                    long old = v;
                    if (changed || r.nextInt(mode + 2) == 0) {
                        v = switch (r.nextInt(4)) {
                            case 0 -> t.min();
                            case 1 -> t.max();
                            default -> t.min() + (long) (r.nextDouble() * ((double) t.max() - t.min()));
                        };
                        v = Math.max(t.min(), Math.min(t.max(), v));
                    }
                    changed |= old != v;
                }
                case EnumType e -> {
                    long old = v;
                    if (changed || r.nextInt(10) == 0) {
                        v = e.values().get(r.nextInt(e.values().size())).code();
                    }
                    changed |= old != v;
                }
                case StringType s -> {
                    String old = str;
                    if (str == null || r.nextInt(20) == 0) {
                        str = string(s.maxBytes());
                    }
                    changed |= !str.equals(old);
                }
                default -> { // boolean
                    long old = v;
                    if (r.nextInt(7) == 0) {
                        v ^= 1;
                    }
                    changed |= old != v;
                }
            }
        }

        private void stepFloat(FloatType f) {
            double old = x;
            double span = f.max() - f.min();
            double bound = Math.max(signal.bound(), f.resolution());
            if (Double.isNaN(x)) {
                x = f.min() + r.nextDouble() * span;
            }
            x = switch (mode) {
                case 0 -> x + (r.nextDouble() - 0.5) * 2.2 * bound; // noise near the bound
                case 1 -> r.nextInt(30) == 0 ? f.min() + r.nextDouble() * span : x; // steps, constant stretches
                case 2 -> r.nextBoolean() ? f.min() : f.max(); // extremes
                case 3 -> x + span * 1e-3 * r.nextDouble(); // ramp
                case 4 -> f.circular() ? x + (r.nextDouble() - 0.5) * 20 : x + (r.nextDouble() - 0.5) * span * 0.01;
                default -> f.min() + r.nextDouble() * span; // anything
            };
            x = Math.max(f.min(), Math.min(f.max(), x));
            changed |= x != old;
        }

        private void stepLocation() {
            double oldX = x;
            double oldY = y;
            if (Double.isNaN(x)) {
                switch (mode % 3) {
                    case 0 -> { // near a pole
                        x = (r.nextBoolean() ? 1 : -1) * (90 - r.nextDouble() * 1e-3);
                        y = r.nextDouble() * 360 - 180;
                    }
                    case 1 -> { // on the antimeridian
                        x = r.nextDouble() * 170 - 85;
                        y = (r.nextBoolean() ? 1 : -1) * (180 - r.nextDouble() * 1e-4);
                    }
                    default -> {
                        x = r.nextDouble() * 180 - 90;
                        y = r.nextDouble() * 360 - 180;
                    }
                }
            }
            double stepDeg = switch (mode) {
                case 0, 1 -> 1e-6;
                case 2 -> 1e-4;
                case 3 -> 0;
                default -> 1e-5 * r.nextDouble();
            };
            x += (r.nextDouble() - 0.5) * stepDeg;
            y += (r.nextDouble() - 0.3) * stepDeg * 10;
            if (r.nextInt(50) == 0) {
                x = r.nextBoolean() ? 90 : -90;
            }
            if (r.nextInt(50) == 0) {
                y = r.nextBoolean() ? 180 : -180;
            }
            x = Math.max(-90, Math.min(90, x));
            if (y > 180) {
                y -= 360;
            } else if (y < -180) {
                y += 360;
            }
            changed |= x != oldX || y != oldY;
        }

        private String string(int maxBytes) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(Math.min(maxBytes, 40) + 1);
            String[] pieces = {"a", "Z", "0", " ", "é", "€", "😀", "中", "\u0000", "2024.44.25"};
            while (true) {
                String p = pieces[r.nextInt(pieces.length)];
                if (sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                                + p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        > Math.min(maxBytes, len)) {
                    return sb.toString();
                }
                sb.append(p);
            }
        }
    }
}
