package io.engage.simulator;

import io.engage.avro.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A running simulation's counts so far.
 *
 * @param sent          readings handed to the sink
 * @param answered      readings the sink has answered for (accepted + rejected + failed)
 * @param accepted      readings the sink accepted
 * @param rejected      readings the sink rejected, by reason (only sinks that validate reject)
 * @param failed        readings not acknowledged
 * @param batches       device syncs sent
 * @param simulatedTime reception instant of the last sync sent
 * @param elapsed       wall-clock time since the start
 */
public record Progress(
        long sent,
        long answered,
        long accepted,
        Map<RejectReason, Long> rejected,
        long failed,
        long batches,
        Instant simulatedTime,
        Duration elapsed) {
    public Progress {
        rejected = Map.copyOf(rejected);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Readings sent per wall-clock second so far. */
    public double readingsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : sent / s;
    }

    /** One line for a terminal. */
    public String line() {
        return String.format(
                java.util.Locale.ROOT,
                "%,d sent, %,d accepted, %,d rejected, %,d failed (%,.0f/s, simulated %s)",
                sent,
                accepted,
                rejectedTotal(),
                failed,
                readingsPerSecond(),
                simulatedTime);
    }
}
