package io.fleetlog.sim.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * When a simulated vehicle is in a dead zone: intervals of capture time, in seconds since the start of
 * the drive, each with a {@link CutMode}. Written {@code 120-180,400-460} (blackhole by default) or
 * {@code 120-180:reset}. Intervals are sorted, non-overlapping and half-open {@code [start, end)}.
 */
public record OutageSchedule(List<Outage> outages) {

    /** One dead zone: {@code [startSeconds, endSeconds)} of capture time since the drive started. */
    public record Outage(double startSeconds, double endSeconds, CutMode mode) {
        public Outage {
            if (!(startSeconds >= 0) || !(endSeconds > startSeconds) || Double.isInfinite(endSeconds)) {
                throw new IllegalArgumentException(
                        "outage " + startSeconds + "-" + endSeconds + " must have 0 <= start < end (seconds)");
            }
            if (mode == null) {
                throw new IllegalArgumentException("outage " + startSeconds + "-" + endSeconds + " needs a mode");
            }
        }

        public boolean contains(double seconds) {
            return seconds >= startSeconds && seconds < endSeconds;
        }

        public double seconds() {
            return endSeconds - startSeconds;
        }

        @Override
        public String toString() {
            return fmt(startSeconds) + "-" + fmt(endSeconds) + (mode == CutMode.RESET ? ":reset" : "");
        }
    }

    public OutageSchedule {
        outages = List.copyOf(outages);
        for (int i = 1; i < outages.size(); i++) {
            if (outages.get(i).startSeconds() < outages.get(i - 1).endSeconds()) {
                throw new IllegalArgumentException(
                        "outages " + outages.get(i - 1) + " and " + outages.get(i) + " overlap or are not in order");
            }
        }
    }

    public static OutageSchedule none() {
        return new OutageSchedule(List.of());
    }

    /**
     * Parses {@code 120-180,400-460:reset} (seconds of capture time; blank = none).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static OutageSchedule parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return none();
        }
        List<Outage> out = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String e = raw.trim();
            CutMode mode = CutMode.BLACKHOLE;
            int colon = e.indexOf(':');
            if (colon >= 0) {
                mode = CutMode.parse(e.substring(colon + 1));
                e = e.substring(0, colon).trim();
            }
            int dash = e.indexOf('-');
            if (dash <= 0) {
                throw new IllegalArgumentException(
                        "outage '" + raw.trim() + "' is not of the form START-END (seconds)");
            }
            try {
                out.add(new Outage(
                        Double.parseDouble(e.substring(0, dash).trim()),
                        Double.parseDouble(e.substring(dash + 1).trim()),
                        mode));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(
                        "outage '" + raw.trim() + "': start and end must be numbers of seconds");
            }
        }
        return new OutageSchedule(out);
    }

    /**
     * {@code count} dead zones at seeded random places within {@code drive}, each {@code minLength} to
     * {@code maxLength} long, a quarter of them resets.
     */
    public static OutageSchedule random(long seed, Duration drive, int count, Duration minLength, Duration maxLength) {
        double total = drive.toMillis() / 1000.0;
        double min = minLength.toMillis() / 1000.0;
        double max = maxLength.toMillis() / 1000.0;
        if (count < 0 || min <= 0 || max < min || count * max * 2 > total) {
            throw new IllegalArgumentException("cannot place " + count + " outages of " + minLength + ".." + maxLength
                    + " in a drive of " + drive);
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Outage> out = new ArrayList<>();
        double slot = total / Math.max(count, 1);
        for (int i = 0; i < count; i++) {
            double len = Math.floor(min + (max - min) * r.nextDouble());
            double start = Math.floor(i * slot + (slot - len) * r.nextDouble());
            out.add(new Outage(start, start + len, r.nextInt(4) == 0 ? CutMode.RESET : CutMode.BLACKHOLE));
        }
        return new OutageSchedule(out);
    }

    /** The outage covering {@code seconds} of capture time, if any. */
    public Optional<Outage> at(double seconds) {
        for (Outage o : outages) {
            if (o.contains(seconds)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    public double totalSeconds() {
        return outages.stream().mapToDouble(Outage::seconds).sum();
    }

    public boolean isEmpty() {
        return outages.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(",", outages.stream().map(Outage::toString).toList());
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
