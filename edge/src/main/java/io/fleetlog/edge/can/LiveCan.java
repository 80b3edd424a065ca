package io.fleetlog.edge.can;

import io.fleetlog.logs.LogOptions;
import io.fleetlog.logs.LogSources;
import io.fleetlog.logs.Problems;
import io.fleetlog.logs.candump.CanFrame;
import io.fleetlog.logs.candump.CanFrames;
import io.fleetlog.logs.mapping.CanSource;
import io.fleetlog.sample.Sample;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live CAN input as a {@link Source} for the edge: frames (candump lines on standard input, an {@link
 * SlcanPort}) → capture times by the {@link CaptureClock} rule → the DBC and mapping, decoded exactly
 * as {@code replay --format candump} decodes a log ({@link LogSources#canSource}).
 *
 * <p>The source is {@linkplain Source#live() live}: the edge commits each sample as it arrives and
 * never paces it. It ends ({@link #next()} returns {@code null}) only when the input ends (standard
 * input closed); a silent bus is an event: {@link #runOnce(long)}, called periodically by another
 * thread, counts and logs a silence when no frame came for {@code silenceAfter}, and the next frame
 * logs its end. The sample of the last 20 ms tick before a silence is captured when the next frame or
 * the end of input arrives. Thread-safety: {@link #next()} on one capture thread; {@link #runOnce}
 * and {@link #stats()} from any thread.
 */
public final class LiveCan implements Source {
    private static final Logger log = LoggerFactory.getLogger(LiveCan.class);

    /** Default silence after which a quiet bus is an event. */
    public static final Duration SILENCE_AFTER = Duration.ofSeconds(5);

    private final CanFrames input;
    private final CaptureClock clock;
    private final LongSupplier nanoTime;
    private final long silenceAfterNanos;
    private final CanSource decoded;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong silences = new AtomicLong();
    private final AtomicBoolean silent = new AtomicBoolean();
    private volatile long lastFrameNanos;
    private volatile boolean ended;

    private LiveCan(
            CanFrames input,
            CaptureClock clock,
            LongSupplier nanoTime,
            Duration silenceAfter,
            String name,
            LogOptions o)
            throws IOException {
        if (silenceAfter.isNegative() || silenceAfter.isZero()) {
            throw new IllegalArgumentException("silence-after " + silenceAfter + " must be positive");
        }
        this.input = input;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.silenceAfterNanos = silenceAfter.toNanos();
        this.lastFrameNanos = nanoTime.getAsLong();
        this.decoded = LogSources.canSource(new Clocked(), name, o);
    }

    /**
     * @param input the frames (closed with this source)
     * @param clock capture-time rule (its floor: the spool's newest capture time)
     * @param nanoTime monotonic clock ({@code System::nanoTime}; tests inject their own)
     * @param silenceAfter no frame for this long is a silence event
     * @param name the input's name in descriptions ({@code stdin}, {@code slcan:/dev/ttyACM0@500000})
     * @param o DBC, mapping, interface, rate (the CAN options of {@code replay})
     */
    public static LiveCan open(
            CanFrames input,
            CaptureClock clock,
            LongSupplier nanoTime,
            Duration silenceAfter,
            String name,
            LogOptions o)
            throws IOException {
        return new LiveCan(input, clock, nanoTime, silenceAfter, name, o);
    }

    @Override
    public Sample next() throws IOException {
        return decoded.next();
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public String describe() {
        return "live " + decoded.describe();
    }

    /** Malformed input lines plus values that could not be used. */
    @Override
    public long problems() {
        return decoded.problems();
    }

    /** One step of the silence watch at monotonic time {@code nowNanos}: true when a silence began now. */
    public boolean runOnce(long nowNanos) {
        if (ended || nowNanos - lastFrameNanos < silenceAfterNanos || !silent.compareAndSet(false, true)) {
            return false;
        }
        silences.incrementAndGet();
        log.warn(
                "edge_can_silent input=\"{}\" after_frames={} silent_for_ms={} (still running; spooled data keeps uplinking)",
                decoded.describe(),
                frames.get(),
                (nowNanos - lastFrameNanos) / 1_000_000);
        return true;
    }

    /** What the input did so far. */
    public LiveCanStats stats() {
        SlcanPort slcan = input instanceof SlcanPort p ? p : null;
        return new LiveCanStats(
                frames.get(),
                input.problems().count(),
                silences.get(),
                silent.get(),
                slcan == null ? 0 : slcan.errorReplies(),
                slcan == null ? 0 : slcan.disconnects(),
                clock.forwardSteps(),
                clock.backwardSteps(),
                clock.offsetMicros() / 1000,
                ended);
    }

    @Override
    public void close() throws IOException {
        ended = true;
        decoded.close();
    }

    /** The input with capture times mapped by the clock rule, feeding the silence watch. */
    private final class Clocked implements CanFrames {
        @Override
        public CanFrame next() throws IOException {
            CanFrame f = input.next();
            if (f == null) {
                ended = true;
                return null;
            }
            long now = nanoTime.getAsLong();
            long t = clock.map(f.timeMicros(), now);
            lastFrameNanos = now;
            frames.incrementAndGet();
            if (silent.compareAndSet(true, false)) {
                log.info("edge_can_resumed input=\"{}\"", decoded.describe());
            }
            return t == f.timeMicros()
                    ? f
                    : new CanFrame(t, f.iface(), f.id(), f.extended(), f.kind(), f.fdFlags(), f.data(), f.dlc());
        }

        @Override
        public Problems problems() {
            return input.problems();
        }

        @Override
        public long line() {
            return input.line();
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }
}
