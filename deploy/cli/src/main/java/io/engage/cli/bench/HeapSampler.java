package io.engage.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the bench JVM's used heap ({@link MemoryMXBean}) every 50 ms and keeps the peak per phase. The bench JVM
 * holds everything: broker, registry, the applications under test, producers, consumers and the serialised input.
 * Used heap includes garbage not yet collected, so a peak tells how much heap the run asked for, not its live set.
 */
final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Map<String, Long> peaks = new LinkedHashMap<>();
    private final Thread thread = new Thread(this::run, "bench-heap-sampler");
    private volatile String phase = "setup";
    private volatile boolean running = true;

    HeapSampler() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        thread.setDaemon(true);
        thread.start();
    }

    /** Attributes samples from now on to {@code name}. */
    void phase(String name) {
        sample();
        phase = name;
        sample();
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        peaks.merge(phase, memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Peak sampled heap use per phase, in bytes. */
    synchronized Map<String, Long> peaks() {
        return new LinkedHashMap<>(peaks);
    }

    /** Peak sampled heap use over the whole run. */
    synchronized long peak() {
        return peaks.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Sum of the heap pools' own peak usage since the start (each pool's peak may be at another moment). */
    static long poolPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The heap's limit (-Xmx or the JVM's default), or -1 when undefined. */
    long max() {
        return memory.getHeapMemoryUsage().getMax();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
