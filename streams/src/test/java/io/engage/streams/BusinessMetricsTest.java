package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Donation;
import io.engage.avro.GoalAchieved;
import io.engage.avro.PointsAwarded;
import io.engage.streams.philanthropy.DonationLedgerProcessor;
import io.engage.streams.testing.EngagementDriver;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md: the engagement application counts what it emits: goals by metric and lateness, points by reason,
 * donations by status; each count equals the records on the output topics.
 */
class BusinessMetricsTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    private Map<String, Double> counted(String name, String tag) {
        Map<String, Double> out = new TreeMap<>();
        for (Counter c : d.metrics.find(name).counters()) {
            out.merge(c.getId().getTag(tag), c.count(), Double::sum);
        }
        return out;
    }

    @Test
    void goalsPointsAndDonationsAreCountedAsTheyAreEmitted() {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setPointsPerDonation(10)
                .setDonationBudget(1)
                .setTeamStepsPerDonation(0)
                .build());
        for (String p : new String[] {"p-1", "p-2"}) {
            d.profile(EngagementDriver.participant(p, "UTC").build());
            for (int day = 17; day <= 19; day++) {
                String date = "2026-11-" + day;
                // the first day arrives a day late: a late goal
                Instant received = Instant.parse(date + "T20:00:00Z").plus(Duration.ofDays(day == 17 ? 1 : 0));
                d.steps(p, "trk-" + p, 9000, date + "T08:00:00Z", date + "T10:00:00Z")
                        .receivedAt(received)
                        .send();
            }
        }
        d.advanceWallClock(Duration.ofSeconds(2));
        d.collect();

        assertThat(d.goals).isNotEmpty();
        Map<String, Double> goals = new TreeMap<>();
        for (Counter c : d.metrics.find("engage.goals.achieved").counters()) {
            goals.merge(c.getId().getTag("metric") + "/" + c.getId().getTag("late"), c.count(), Double::sum);
        }
        assertThat(goals)
                .isEqualTo(d.goals.stream()
                        .collect(Collectors.groupingBy(
                                (GoalAchieved g) -> g.getMetric().name() + "/" + g.getLate(),
                                TreeMap::new,
                                Collectors.summingDouble(g -> 1.0))));
        assertThat(goals.keySet()).anyMatch(k -> k.endsWith("/true"));
        assertThat(counted("engage.points.awarded", "reason"))
                .isEqualTo(d.points.stream()
                        .collect(Collectors.groupingBy(
                                (PointsAwarded a) -> a.getReason().name(),
                                TreeMap::new,
                                Collectors.summingDouble(PointsAwarded::getPoints))));
        assertThat(counted(DonationLedgerProcessor.METRIC, "status"))
                .containsOnlyKeys("TRIGGERED", "DEFERRED")
                .isEqualTo(d.donations.stream()
                        .collect(Collectors.groupingBy(
                                (Donation x) -> x.getStatus().name(),
                                TreeMap::new,
                                Collectors.summingDouble(x -> 1.0))));
    }
}
