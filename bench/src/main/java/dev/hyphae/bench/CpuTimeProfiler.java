package dev.hyphae.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, which stays meaningful when other processes share the cores and the
 * wall-clock score sinks with the load ({@code -prof dev.hyphae.bench.CpuTimeProfiler}).
 *
 * <ul>
 *   <li>{@code cpu.worker}: CPU time of the benchmark threads per operation (the work itself);
 *   <li>{@code cpu.process}: CPU time of the whole JVM per operation (adds GC and JIT threads);
 *   <li>{@code cpu.share}: cores the JVM got during the iteration, CPU time over wall time
 *       (1.0 is one core to itself).
 * </ul>
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> workerCpu = new HashMap<>();
    private long processCpuBefore;
    private long wallBefore;

    @Override
    public String getDescription() {
        return "CPU time per operation (benchmark threads, whole JVM) and the share of the cores the JVM got";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        workerCpuSinceLast();
        processCpuBefore = os.getProcessCpuTime();
        wallBefore = System.nanoTime();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long wall = System.nanoTime() - wallBefore;
        long processCpu = os.getProcessCpuTime() - processCpuBefore;
        long worker = workerCpuSinceLast();
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        List<Result<?>> results = new ArrayList<>();
        results.add(new ScalarResult("cpu.worker", (double) worker / ops, "ns/op", AggregationPolicy.AVG));
        results.add(new ScalarResult("cpu.process", (double) processCpu / ops, "ns/op", AggregationPolicy.AVG));
        results.add(new ScalarResult("cpu.share", (double) processCpu / wall, "cores", AggregationPolicy.AVG));
        return results;
    }

    /** CPU time the JMH worker threads used since the last call. */
    private long workerCpuSinceLast() {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !info.getThreadName().contains("jmh-worker")) {
                continue;
            }
            long now = threads.getThreadCpuTime(info.getThreadId());
            if (now < 0) {
                continue;
            }
            Long before = workerCpu.put(info.getThreadId(), now);
            total += now - (before == null ? 0 : before);
        }
        return total;
    }
}
