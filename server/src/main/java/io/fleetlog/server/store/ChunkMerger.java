package io.fleetlog.server.store;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background loop of the chunk layout: every {@link #INTERVAL} it runs the store's merge step
 * (one transaction per vehicle and step: read the sealed tail rows, insert the chunks, delete those
 * rows; see the stores), until the step reports no more sealed rows, then waits. A failed step is
 * logged and retried next interval; as every step is one transaction, a failure or a crash leaves the
 * rows where they were. {@link #close} stops the loop and waits for a step in progress.
 */
final class ChunkMerger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkMerger.class);

    /** Pause between rounds when nothing is left to merge. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    /** One merge step of a store: merges some sealed rows and returns the frames moved (0 = none left). */
    interface Step {
        long runOnce();
    }

    private final Step step;
    private final String store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private boolean stopped;

    private ChunkMerger(String store, Step step) {
        this.store = store;
        this.step = step;
        this.thread =
                Thread.ofPlatform().name("chunk-merger-" + store).daemon(true).unstarted(this::loop);
    }

    /** Starts the loop over {@code step}. */
    static ChunkMerger start(String store, Step step) {
        ChunkMerger m = new ChunkMerger(store, step);
        m.thread.start();
        return m;
    }

    private void loop() {
        while (true) {
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            long moved;
            try {
                moved = step.runOnce();
            } catch (RuntimeException e) {
                // The step's transaction rolled back: nothing moved; try again next interval.
                log.warn("chunk_merge_failed store={} error={}", store, e.getMessage());
                moved = 0;
            }
            if (moved == 0 && !pause()) {
                return;
            }
        }
    }

    /** Waits one interval; false when stopped. */
    private boolean pause() {
        lock.lock();
        try {
            long left = INTERVAL.toNanos();
            while (!stopped && left > 0) {
                left = wake.awaitNanos(left);
            }
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
