package io.fleetlog.bench.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CPU time of this JVM's live platform threads, by thread id, read with {@link ThreadMXBean}. A
 * virtual thread's CPU is counted on the carrier that ran it. Not counted here: threads that ended
 * between two snapshots after the first one saw them, and the JVM's own GC and JIT threads, which
 * are not Java threads — {@link #unattributed} is the whole process's CPU minus the threads'.
 */
record ThreadCpu(Map<Long, String> names, Map<Long, Long> nanos, long processNanos) {
    static ThreadCpu snapshot() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue; // ended since getAllThreadIds
            }
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                names.put(t.getThreadId(), t.getThreadName());
                nanos.put(t.getThreadId(), cpu);
            }
        }
        return new ThreadCpu(names, nanos, ServerBench.cpuNanos());
    }

    /** CPU nanoseconds spent since {@code before}, summed by {@code component(thread name)}. */
    Map<String, Long> since(ThreadCpu before, Function<String, String> component) {
        Map<String, Long> out = new TreeMap<>();
        perThread(before).forEach((name, d) -> out.merge(component.apply(name), d, Long::sum));
        return out;
    }

    /** CPU nanoseconds spent since {@code before} per thread name (threads of one name summed). */
    Map<String, Long> perThread(ThreadCpu before) {
        Map<String, Long> out = new TreeMap<>();
        nanos.forEach((id, n) -> out.merge(names.get(id), n - before.nanos.getOrDefault(id, 0L), Long::sum));
        return out;
    }

    /** The process's CPU since {@code before} that no live thread accounts for (GC, JIT, ended threads). */
    long unattributed(ThreadCpu before) {
        long threads =
                perThread(before).values().stream().mapToLong(Long::longValue).sum();
        return Math.max(0, processNanos - before.processNanos - threads);
    }
}
