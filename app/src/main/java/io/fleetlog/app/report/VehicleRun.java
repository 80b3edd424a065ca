package io.fleetlog.app.report;

import io.fleetlog.edge.AgentStats;
import io.fleetlog.sample.Sample;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the report needs to know about one vehicle's run.
 *
 * @param captured regenerates, independently of the pipeline, what the vehicle captured (in order)
 * @param firstSeq the seq of the run's first sample (older seqs in the store belong to earlier runs)
 * @param fromMs capture time of the run's first sample
 * @param segments the agent's final stats of every start..stop of the run
 * @param longestDrainSeconds longest wall time from a dead zone's end until its backlog was acked
 */
public record VehicleRun(
        String vin,
        String name,
        String model,
        Supplier<Iterator<Sample>> captured,
        long firstSeq,
        long fromMs,
        List<AgentStats> segments,
        double longestDrainSeconds) {}
