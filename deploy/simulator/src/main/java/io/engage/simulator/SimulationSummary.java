package io.engage.simulator;

import io.engage.avro.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The result of a simulation run: what was sent, what the sink answered, and what the generator expects the
 * pipeline to do.
 *
 * @param sent              readings sent
 * @param accepted          readings the sink accepted
 * @param rejected          readings the sink rejected, by reason
 * @param failed            readings not acknowledged (not delivered)
 * @param expectedRejected  readings the pipeline must dead-letter, by reason, among those not failed (gateway and
 *                          downstream reasons together)
 * @param byKind            readings sent, by kind
 * @param batches           device syncs sent
 * @param validatingSink    whether the sink answered with reason codes (then {@code contradictions} is meaningful)
 * @param contradictions    readings whose answer contradicts the expectation (0 when the sink does not validate)
 * @param firstReceived     simulated reception instant of the first sync (null when nothing was sent)
 * @param lastReceived      simulated reception instant of the last sync
 * @param elapsed           wall-clock duration
 * @param failures          the first few failure messages
 */
public record SimulationSummary(
        long sent,
        long accepted,
        Map<RejectReason, Long> rejected,
        long failed,
        Map<RejectReason, Long> expectedRejected,
        Map<Kind, Long> byKind,
        long batches,
        boolean validatingSink,
        long contradictions,
        Instant firstReceived,
        Instant lastReceived,
        Duration elapsed,
        List<String> failures) {
    public SimulationSummary {
        rejected = Map.copyOf(rejected);
        expectedRejected = Map.copyOf(expectedRejected);
        byKind = Map.copyOf(byKind);
        failures = List.copyOf(failures);
    }

    /** Readings the pipeline must count (normalise): delivered and without an expected reason. */
    public long expectedNormalized() {
        return sent
                - failed
                - expectedRejected.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    public double readingsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : sent / s;
    }

    /** A few lines for a terminal. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "sent              %,d readings in %,d device syncs (%,.0f readings/s, %s)%n",
                sent,
                batches,
                readingsPerSecond(),
                elapsed));
        b.append(String.format(Locale.ROOT, "simulated         %s .. %s%n", firstReceived, lastReceived));
        b.append(String.format(Locale.ROOT, "by kind           %s%n", ordered(byKind)));
        b.append(String.format(
                Locale.ROOT,
                "sink answered     %,d accepted, %,d rejected %s, %,d failed%n",
                accepted,
                rejectedTotal(),
                ordered(rejected),
                failed));
        b.append(String.format(
                Locale.ROOT,
                "expected          %,d normalised, dead letters %s%n",
                expectedNormalized(),
                ordered(expectedRejected)));
        if (validatingSink) {
            b.append(String.format(
                    Locale.ROOT,
                    "gateway answers   %s%n",
                    contradictions == 0
                            ? "all as expected"
                            : contradictions + " contradict the generator's expectation"));
        }
        failures.forEach(f -> b.append("failure           ").append(f).append(System.lineSeparator()));
        return b.toString();
    }

    private static <K extends Enum<K>> String ordered(Map<K, Long> m) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> j.add(e.getKey() + "=" + e.getValue()));
        return j.toString();
    }
}
