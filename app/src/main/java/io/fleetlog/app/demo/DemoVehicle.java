package io.fleetlog.app.demo;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.sample.Sample;
import io.fleetlog.sim.SimulatedVehicle;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.OutageSchedule;
import io.fleetlog.source.OnlySignals;
import io.fleetlog.source.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One car of the demo fleet: who it is, its token and dead zones, the agent currently driving it, and
 * every drive segment it has captured (the demo can be stopped and started again). A segment records
 * how to re-run its simulator, so the continuity report can regenerate exactly what was captured
 * without trusting the pipeline. Guarded by the {@link Demo} that owns it.
 */
final class DemoVehicle {
    /** One start..stop of the vehicle's simulator, with the agent's final stats. */
    record Segment(long startEpochMs, Duration duration, long firstSeq, AgentStats stats) {
        long captured() {
            return stats.captured();
        }
    }

    final int index;
    final VehicleModel model;
    final String vin;
    final String name;
    final long seed;
    final String token;
    final OutageSchedule outages;
    final List<Segment> segments = new ArrayList<>();
    SimulatedVehicle agent;
    long agentStartMs;
    long agentFirstSeq;
    Duration agentDuration;

    // Backlog drain tracking (monitor thread).
    long drainTargetSeq = -1;
    long drainStartNanos;
    double longestDrainSeconds;
    boolean wasDeadZone;

    /** The signals the car captures (null: every simulated signal). */
    final List<String> signals;

    DemoVehicle(
            int index,
            VehicleModel model,
            String vin,
            String name,
            long seed,
            String token,
            OutageSchedule outages,
            List<String> signals) {
        this.signals = signals;
        this.index = index;
        this.model = model;
        this.vin = vin;
        this.name = name;
        this.seed = seed;
        this.token = token;
        this.outages = outages;
    }

    /** The car's simulator from {@code startMs} for {@code duration}, restricted to its signals. */
    Source simulator(long startMs, Duration duration) {
        DriveSimulator sim = new DriveSimulator(model, seed, startMs, duration);
        return signals == null ? sim : OnlySignals.of(sim, Catalogue.builtin(), signals);
    }

    /** The seq of this run's first sample (the spool may hold older runs' seqs). */
    long firstSeq() {
        return segments.isEmpty() ? agentFirstSeq : segments.get(0).firstSeq();
    }

    long firstCaptureMs() {
        return segments.isEmpty() ? agentStartMs : segments.get(0).startEpochMs();
    }

    /** What the vehicle captured in every segment, regenerated from the simulator's seed. */
    Iterator<Sample> captured() {
        List<Segment> segs = List.copyOf(segments);
        return new Iterator<>() {
            int seg = -1;
            Source sim;
            long left;

            @Override
            public boolean hasNext() {
                while (left == 0) {
                    if (++seg >= segs.size()) {
                        return false;
                    }
                    Segment s = segs.get(seg);
                    sim = simulator(s.startEpochMs(), s.duration());
                    left = s.captured();
                }
                return true;
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                left--;
                try {
                    return sim.next();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e); // a simulator reads no file
                }
            }
        };
    }
}
