package io.engage.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Waits, after a warm-up and before a clock starts, until the JIT compilers of the bench JVM are nearly idle: less
 * than {@link #IDLE_MILLIS_PER_SECOND} ms of compilation in the last second, for at most {@link #MAX}. The bench JVM
 * runs the broker, the registry and every application, whose code the JIT compiles for minutes after each start (in a
 * default run the compilers took 54 CPU-seconds, more than the broker; docs/benchmarks.md "What is measured"): without
 * the wait a timed window measures, on two cores, how much CPU the compilers leave to the system under test.
 */
final class JitSettle {
    /** The compilers count as idle below this many milliseconds of compilation per second. */
    static final long IDLE_MILLIS_PER_SECOND = 50;
    /** The longest wait; a phase whose compilers do not go idle by then starts anyway. */
    static final Duration MAX = Duration.ofSeconds(10);

    private JitSettle() {}

    /** Waits as described above; returns how long it waited. */
    static Duration await(Consumer<String> progress) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        long before = jit.getTotalCompilationTime();
        long deadline = start + MAX.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = jit.getTotalCompilationTime();
            if (now - before < IDLE_MILLIS_PER_SECOND) {
                break;
            }
            before = now;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        progress.accept(String.format(
                "JIT compilers %s after %.1f s",
                waited.compareTo(MAX) >= 0 ? "still busy" : "idle", waited.toMillis() / 1e3));
        return waited;
    }
}
