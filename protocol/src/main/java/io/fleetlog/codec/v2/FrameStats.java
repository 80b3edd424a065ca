package io.fleetlog.codec.v2;

/**
 * What one encoder or decoder has coded: frames, batches, bytes (whole Envelopes) and, per slot of the
 * layout, how many captured values were sent, omitted by compression, or unavailable. A snapshot; the
 * arrays are the caller's own.
 */
public record FrameStats(long frames, long batches, long bytes, long[] sent, long[] omitted, long[] unavailable) {

    public static FrameStats empty(int slots) {
        return new FrameStats(0, 0, 0, new long[slots], new long[slots], new long[slots]);
    }

    /** Captured values (sent + omitted + unavailable). */
    public long values() {
        return sum(sent) + sum(omitted) + sum(unavailable);
    }

    public long sentTotal() {
        return sum(sent);
    }

    public long omittedTotal() {
        return sum(omitted);
    }

    public long unavailableTotal() {
        return sum(unavailable);
    }

    public double bytesPerFrame() {
        return frames == 0 ? 0 : (double) bytes / frames;
    }

    public double bytesPerValue() {
        long v = values();
        return v == 0 ? 0 : (double) bytes / v;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }
}
