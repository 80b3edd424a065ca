package io.fleetlog.bench.peer;

import java.time.Duration;

/**
 * What the comparison runs, the same for both stacks: the fleet size and, in capture time per
 * vehicle at 50 Hz, the length of each scenario's workload. Validated in the constructor.
 *
 * @param vehicles fleet size for throughput, dead zone and crash
 * @param throughputCapture capture time of the durable-throughput run (link up)
 * @param warmUpCapture capture time of an untimed durable-throughput run on a fresh stack before the
 *     timed one, so that both stacks are measured JIT-compiled rather than interpreted (null: none)
 * @param deadZone length of the dead zone of the recovery run
 * @param capacityVehicles fleet size of the offline-capacity run (the peer's bound is per client)
 * @param capacityDeadZone length of the offline-capacity dead zone, beyond the peer's 65,535 messages
 *     (null: not run)
 * @param crashDeadZone dead zone of the crash run (the child is killed inside it; null: not run)
 * @param longDeadZone an extra fleetlog-only dead zone of the whole fleet (the peer cannot survive one
 *     past its 65,535-message bound; null: not run)
 * @param stall give up waiting for delivery after this long without progress
 */
record Plan(
        int vehicles,
        Duration throughputCapture,
        Duration warmUpCapture,
        Duration deadZone,
        int capacityVehicles,
        Duration capacityDeadZone,
        Duration crashDeadZone,
        Duration longDeadZone,
        Duration stall) {

    Plan {
        if (throughputCapture == null || deadZone == null || stall == null) {
            throw new IllegalArgumentException("throughputCapture, deadZone and stall are required");
        }
        if (vehicles < 1) {
            throw new IllegalArgumentException("vehicles must be >= 1, got " + vehicles);
        }
        if (capacityVehicles < 1) {
            throw new IllegalArgumentException("capacityVehicles must be >= 1, got " + capacityVehicles);
        }
        for (Duration d : new Duration[] {
            throughputCapture, warmUpCapture, deadZone, capacityDeadZone, crashDeadZone, longDeadZone, stall
        }) {
            if (d != null && d.toMillis() < Workload.PERIOD_MS) {
                throw new IllegalArgumentException("every duration must be >= 20 ms, got " + d);
            }
        }
    }

    /**
     * The full comparison: 5 cars, a 10 min throughput run after an untimed one of the same length
     * (the warm-up), 10 min dead zone, 23 min capacity run.
     */
    static Plan full(int vehicles, Duration deadZone) {
        return new Plan(
                vehicles,
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                deadZone,
                1,
                Duration.ofMinutes(23),
                Duration.ofMinutes(2),
                null,
                Duration.ofSeconds(30));
    }

    /** A seconds-long smoke: tiny workloads, no warm-up, the capacity run short of the peer's bound. */
    static Plan quick(int vehicles) {
        return new Plan(
                vehicles,
                Duration.ofSeconds(4),
                null,
                Duration.ofSeconds(6),
                1,
                Duration.ofSeconds(10),
                Duration.ofSeconds(4),
                null,
                Duration.ofSeconds(5));
    }
}
