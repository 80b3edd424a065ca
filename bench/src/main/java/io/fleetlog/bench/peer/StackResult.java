package io.fleetlog.bench.peer;

import java.util.Map;

/**
 * One stack's figures from one comparison run; a null part was not measured. {@code bound} is
 * fleetlog's run into a deliberately small spool bound (the peer's bound is its capacity run).
 */
record StackResult(
        String stack,
        String description,
        Throughput throughput,
        DeadZone deadZone,
        DeadZone capacity,
        DeadZone bound,
        DeadZone longDeadZone,
        Crash crash) {

    /**
     * Link up, max speed: {@code samples} from first capture to every one stored and acknowledged.
     * Bytes are TCP payload through the link, both directions, for those samples.
     */
    record Throughput(long samples, double seconds, long stored, long bytesUp, long bytesDown, boolean complete) {
        double samplesPerSecond() {
            return samples / seconds;
        }

        double bytesUpPerSample() {
            return bytesUp / (double) samples;
        }

        double bytesPerSample() {
            return (bytesUp + bytesDown) / (double) samples;
        }
    }

    /**
     * A dead zone: {@code captured} samples offered while the link is cut ({@code accepted} kept,
     * {@code refused} lost at the vehicle), then the link restored; {@code recoverySeconds} from the
     * restore until everything accepted was stored and acknowledged (or progress stopped:
     * {@code complete} false).
     */
    record DeadZone(
            int vehicles,
            long captured,
            long accepted,
            long refused,
            Map<String, Long> refusals,
            double offlineCaptureSeconds,
            long edgeStateBytes,
            double recoverySeconds,
            long stored,
            long duplicates,
            long reordered,
            boolean complete) {

        long lost() {
            return captured - stored;
        }

        double drainPerSecond() {
            return stored / recoverySeconds;
        }

        /** Samples per second taken into durable vehicle storage while offline (all vehicles). */
        double offlinePerSecond() {
            return captured / offlineCaptureSeconds;
        }

        /** Seconds of 50 Hz capture per vehicle accepted before the first refusal. */
        double survivedSecondsPerVehicle() {
            return accepted / (double) vehicles / Workload.HZ;
        }
    }

    /**
     * Crash in a dead zone: the child captured {@code accepted} samples offline and was SIGKILLed;
     * after the restore a restarted child delivered what it could: {@code stored} distinct samples
     * within {@code seconds}.
     */
    record Crash(
            long captured, long accepted, long refused, long stored, long duplicates, long reordered, double seconds) {
        long lost() {
            return captured - stored;
        }
    }
}
