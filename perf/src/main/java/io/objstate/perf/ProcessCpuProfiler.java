package io.objstate.perf;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Charges each operation with the CPU time of the whole benchmark process, so that work a store does on
 * its own threads (RocksDB's flush and compaction, a persister thread, a store's writer) counts, along
 * with GC and JIT. Use with {@code -prof io.objstate.perf.ProcessCpuProfiler}.
 *
 * <p>Per measured iteration it reports {@code cpu.process} (process CPU nanoseconds per operation, from
 * {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}, over JMH's count of measured
 * operations, which includes {@code @OperationsPerInvocation}) and {@code cpu.cores} (process CPU time
 * over wall time: 1.0 is one core busy). Iteration-level setup and teardown fall inside the window.
 *
 * <p>A profiler rather than {@code @AuxCounters}: JMH 1.37 sums {@code EVENTS} counters over iterations
 * and normalizes {@code OPERATIONS} counters by wall time, so neither can carry a per-operation CPU time.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "process CPU time (all threads: the store's own, GC, JIT) per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpu = OS.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        long ops = result.getMetadata().getMeasuredOps();
        if (cpuStart < 0 || ops <= 0 || wall <= 0) {
            return List.of();
        }
        return List.of(
                new ScalarResult("cpu.process", (double) cpu / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.cores", (double) cpu / wall, "cores", AggregationPolicy.AVG));
    }
}
